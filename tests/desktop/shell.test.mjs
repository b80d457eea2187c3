// The desktop shell outside the webview: the global hotkey, `nook
// --quick-ask`, single instance, quitting, and starting where parts of the
// desktop are missing. Windows are observed as X11 sees them (xdotool).

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import {
  artifacts,
  assertNotBlank,
  cliBinary,
  desktopBinary,
  freshProfile,
  launch,
  processName,
  processTree,
  requireDisplay,
  screenshotPainted,
  stop,
  visibleWindows,
  waitFor,
  xdotool,
} from './harness.mjs';

before(() => requireDisplay());

describe('quick ask', () => {
  let profile, app;

  before(async () => {
    profile = freshProfile();
    app = launch(profile);
    await waitFor('the main window', () => visibleWindows('Nook').length === 1);
    await waitFor('the shortcut to be registered', () => app.log().includes('quick ask shortcut: Ctrl+Shift+Space'));
  });

  after(() => stop(app));

  it('opens with the global hotkey and closes with it again', async () => {
    assert.deepEqual(visibleWindows('Nook Quick Ask'), []);
    xdotool('key', 'ctrl+shift+space');
    const [quick] = await waitFor('the quick-ask window', () => {
      const shown = visibleWindows('Nook Quick Ask');
      return shown.length ? shown : null;
    }, { timeoutMs: 5000 });
    assertNotBlank(await screenshotPainted(quick, join(artifacts, 'quick-ask.png')), assert);
    const [main] = visibleWindows('Nook');
    assertNotBlank(await screenshotPainted(main, join(artifacts, 'main-window-x11.png')), assert);
    xdotool('key', 'ctrl+shift+space');
    await waitFor('the quick-ask window to hide', () => visibleWindows('Nook Quick Ask').length === 0, { timeoutMs: 5000 });
  });

  it('shares one web process with the main window', () => {
    // Both windows have loaded their pages by now (the hotkey test painted them).
    const names = processTree(app.child.pid).map(processName);
    assert.equal(names.filter((n) => n.startsWith('WebKitWebProc')).length, 1, `processes: ${names.join(', ')}`);
  });

  it('opens from `nook --quick-ask`, handed over to the running instance', async () => {
    execFileSync(cliBinary, ['--quick-ask'], { env: profile.env, timeout: 10_000 });
    await waitFor('the quick-ask window', () => visibleWindows('Nook Quick Ask').length === 1, { timeoutMs: 5000 });
    assert.equal(visibleWindows('Nook').length, 1, 'still one main window: no second instance');
  });

  it('quits on request, without hanging', async () => {
    execFileSync(desktopBinary, ['--quit'], { env: profile.env, timeout: 10_000 });
    const { code } = await Promise.race([app.exited, new Promise((_, no) => setTimeout(() => no(new Error('Nook did not quit within 10 s')), 10_000))]);
    assert.equal(code, 0);
    assert.deepEqual(visibleWindows('Nook'), []);
  });
});

describe('starting where the desktop lacks parts', () => {
  it('starts without a session bus and says the tray is unavailable', async () => {
    const profile = freshProfile();
    const { DBUS_SESSION_BUS_ADDRESS: _, ...env } = profile.env;
    const app = launch({ ...profile, env: { ...env, XDG_RUNTIME_DIR: profile.dir } });
    try {
      await waitFor('the main window', () => visibleWindows('Nook').length === 1);
      await waitFor('the log line', () => app.log().includes('tray unavailable: There is no D-Bus session bus'));
    } finally {
      await stop(app);
    }
  });

  it('starts with a bus but no tray host and says so', async () => {
    const profile = freshProfile();
    const app = launch(profile);
    try {
      await waitFor('the main window', () => visibleWindows('Nook').length === 1);
      await waitFor('the log line', () => app.log().includes('tray unavailable: No tray host is running'));
    } finally {
      await stop(app);
    }
  });

  it('under Wayland, leaves global shortcuts alone and points to nook --quick-ask', async () => {
    const profile = freshProfile();
    const app = launch(profile, [], { WAYLAND_DISPLAY: 'nook-test-no-such-wayland', GDK_BACKEND: 'x11' });
    try {
      await waitFor('the main window', () => visibleWindows('Nook').length === 1);
      await waitFor('the log line', () => app.log().includes('global shortcut unavailable: This is a Wayland session'));
      assert.ok(!app.log().includes('quick ask shortcut:'), 'no shortcut registered under Wayland');
    } finally {
      await stop(app);
    }
  });

  it('`nook-desktop --quick-ask` with no Nook running starts one showing the quick-ask box', async () => {
    const profile = freshProfile();
    const app = launch(profile, ['--quick-ask']);
    try {
      await waitFor('the quick-ask window', () => visibleWindows('Nook Quick Ask').length === 1);
      assert.deepEqual(visibleWindows('Nook'), []);
    } finally {
      await stop(app);
    }
  });
});
