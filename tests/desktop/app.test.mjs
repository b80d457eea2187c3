// The real app end to end, through WebDriver: tauri-driver in front of
// WebKitWebDriver, the real engine and models, an empty profile.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import {
  artifacts,
  assertNotBlank,
  desktopBinary,
  freshProfile,
  generatedFolder,
  killProfileProcesses,
  requireDisplay,
  screenshotPainted,
  visibleWindows,
  waitFor,
} from './harness.mjs';
import { Keys, WebDriver } from './webdriver.mjs';

const TAURI_DRIVER = process.env.TAURI_DRIVER ?? join(homedir(), '.cargo/bin/tauri-driver');
const NATIVE_DRIVER = '/usr/bin/WebKitWebDriver';
const PORT = 4444 + (process.pid % 1000);

let driver, profile, files, webdriver, driverLog = '';

/// The main window as X11 shows it. (WebKitWebDriver's own screenshot
/// command does not return under Xvfb without compositing.)
function screenshot(name) {
  const [main] = visibleWindows('Nook');
  assert.ok(main, 'the main window is on screen');
  return screenshotPainted(main, join(artifacts, name));
}

before(async () => {
  requireDisplay();
  for (const binary of [TAURI_DRIVER, NATIVE_DRIVER]) assert.ok(existsSync(binary), `${binary} is missing: run scripts/setup.sh`);
  profile = freshProfile();
  files = generatedFolder(profile.dir);
  driver = spawn(TAURI_DRIVER, ['--port', String(PORT), '--native-port', String(PORT + 1), '--native-driver', NATIVE_DRIVER], {
    env: profile.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  driver.stdout.on('data', (d) => (driverLog += d));
  driver.stderr.on('data', (d) => (driverLog += d));
  webdriver = new WebDriver(`http://127.0.0.1:${PORT}`);
  await waitFor('tauri-driver', () => webdriver.call('GET', '/status').then(() => true, () => false));
  await webdriver.start({ 'tauri:options': { application: desktopBinary } });
  await webdriver.until('the main window', () => webdriver.switchToTitle('Nook'));
});

after(async () => {
  await webdriver?.quit();
  driver?.kill();
  // An app the driver could not close (seen on a loaded machine) would keep
  // the driver's output pipes open, and this file would never end.
  if (profile && killProfileProcesses(profile) > 0) console.error('the app outlived its WebDriver session and was killed');
  driver?.stdout.destroy();
  driver?.stderr.destroy();
  if (process.exitCode) console.error(driverLog.slice(-4000));
});

describe('Nook desktop, end to end', () => {
  it('starts with an empty profile and offers to add a folder', async () => {
    await webdriver.until('the empty state', async () => (await webdriver.text('.view-search .empty-state h2')) === 'Nothing to search yet');
  });

  it('adds a folder of generated files and indexes it, showing progress', async () => {
    await webdriver.click('.view-search .empty-state button');
    await webdriver.until('the library view', async () => (await webdriver.text('.folders .empty-state h2')) === 'No folder yet');
    await webdriver.type('.path-input', files.folder);
    await webdriver.click('.add-folder button[type="submit"]');
    const done = await webdriver.until(
      'indexing to finish',
      async () => {
        const line = await webdriver.text('.progress-line');
        return line.includes('is up to date') && line;
      },
      180_000,
    );
    assert.match(done, /^notes is up to date: 30 indexed, 0 unchanged, 1 skipped, 0 failed\.$/);
    await webdriver.until('the folder counts', async () => (await webdriver.text('.folder .folder-counts')).startsWith('30 files indexed'));
    assertNotBlank(await screenshot('library-view.png'), assert);
  });

  it('finds the expected file first and opens it through the OS', async () => {
    await webdriver.click('[data-view="search"]');
    await webdriver.type('.search-box', 'how do I keep my bread starter alive');
    const names = await webdriver.until('results', async () => {
      const found = await webdriver.texts('.view-search .result-name');
      return found.length > 0 && found.every(Boolean) && found;
    });
    assert.equal(names[0], 'sourdough-starter.md');
    assertNotBlank(await screenshot('main-window.png'), assert);

    await webdriver.type('.search-box', Keys.Enter);
    const opened = await waitFor('xdg-open to be called', () => profile.opened().length > 0 && profile.opened());
    assert.deepEqual(opened, [files.file('sourdough-starter.md')]);
  });

  it('refuses to open what is not an indexed file of a watched folder, even when the page asks', async () => {
    const open = (path) =>
      webdriver.executeAsync(
        `const done = arguments[arguments.length - 1];
         window.__TAURI_INTERNALS__.invoke('open_file', { path: arguments[0] }).then(() => done('opened'), (e) => done(String(e)));`,
        [path],
      );
    assert.equal(await open('/etc/passwd'), 'Nook will not open /etc/passwd: it is not in a watched folder');
    const binary = files.file('helper.bin');
    assert.equal(await open(binary), `Nook will not open ${binary}: it is not an indexed file`);
    assert.equal(profile.opened().length, 1, 'only the file opened from the results reached the OS');
  });

  it('shows the filters read from a request as chips, and searches again without one when it is removed', async () => {
    await webdriver.click('[data-view="search"]');
    await webdriver.clear('.search-box');
    await webdriver.type('.search-box', 'markdown about keeping the bread starter alive');
    const chips = await webdriver.until('a chip', async () => {
      const found = await webdriver.texts('.view-search .chip');
      return found.length > 0 && found;
    });
    assert.deepEqual(chips, ['Kind markdown×']);
    const names = await webdriver.until('results', async () => {
      const found = await webdriver.texts('.view-search .result-name');
      return found.length > 0 && found.every(Boolean) && found;
    });
    assert.equal(names[0], 'sourdough-starter.md');
    assertNotBlank(await screenshot('search-chips.png'), assert);
    await webdriver.click('.view-search .chip-remove');
    await webdriver.until('the chip to go', async () => (await webdriver.texts('.view-search .chip')).length === 0);
    const widened = await webdriver.texts('.view-search .result-name');
    assert.equal(widened[0], 'sourdough-starter.md');
  });

  it('answers a question in the Ask view from the files, lists the sources and opens one', async () => {
    await webdriver.click('[data-view="ask"]');
    await webdriver.type('.ask-input', 'How often should I feed my sourdough starter?');
    await webdriver.type('.ask-input', Keys.Enter);
    const answer = await webdriver.until(
      'the answer to finish',
      async () => (await webdriver.text('.ask-form button')) === 'Ask' && (await webdriver.text('.view-ask .answer-text')),
      180_000,
    );
    assert.ok(answer.length > 0, 'an answer was written');
    const sources = await webdriver.texts('.view-ask .source-name');
    assert.equal(sources[0], 'sourdough-starter.md', `the closest passage first: ${sources}`);
    assert.equal((await webdriver.texts('.conversation-item')).length, 1, 'the conversation is kept and listed');
    assertNotBlank(await screenshot('ask-view.png'), assert);

    await webdriver.click('.view-ask .source-open');
    await waitFor('the source to be opened', () => profile.opened().length === 2);
    assert.equal(profile.opened()[1], files.file('sourdough-starter.md'));
  });
  it('moves a file only after the confirmation, Cancel changes nothing, a forged token runs nothing, and Undo puts it back', async () => {
    const speech = files.file('wedding-speech.md');
    const archive = join(files.folder, 'Archive');
    await webdriver.click('[data-view="activity"]');
    await webdriver.until('the activity view', async () => (await webdriver.text('.view-activity .empty-state h2')) === 'Nothing done yet');
    await webdriver.type('.action-box', 'move wedding-speech.md into notes/Archive');
    await webdriver.type('.action-box', Keys.Enter);
    const confirmation = async () => {
      const effects = await webdriver.texts('.view-activity .confirm .effect');
      if (effects.length > 0) return effects;
      const status = await webdriver.text('.view-activity .status-line');
      if (status && !status.startsWith('Working out')) throw new Error(`no confirmation: ${status}`);
      return false;
    };
    assert.deepEqual(await webdriver.until('the confirmation', confirmation), [
      `Create folder ${archive}`,
      `Move ${speech} → ${join(archive, 'wedding-speech.md')}`,
    ]);
    assertNotBlank(await screenshot('confirm-dialog.png'), assert);
    await webdriver.click('.view-activity .confirm-cancel');
    await webdriver.until('the cancellation', async () => (await webdriver.text('.view-activity .status-line')) === 'Cancelled: nothing was changed.');
    assert.ok(existsSync(speech) && !existsSync(archive), 'Cancel changed nothing');

    // The page itself cannot run a plan without its token.
    const invoke = (command, args) =>
      webdriver.executeAsync(
        `const done = arguments[arguments.length - 1];
         window.__TAURI_INTERNALS__.invoke(arguments[0], arguments[1]).then((r) => done(JSON.stringify(r)), (e) => done('refused: ' + String(e)));`,
        [command, args],
      );
    assert.match(await invoke('execute_action', { planId: 'p-made-up', token: 'made-up' }), /^refused: .*no confirmation waiting/);
    const proposed = JSON.parse(await invoke('propose_action', { request: 'move wedding-speech.md into notes/Archive' }));
    const forged = proposed.token.slice(0, -1) + (proposed.token.endsWith('0') ? '1' : '0');
    assert.match(await invoke('execute_action', { planId: proposed.plan.id, token: forged }), /^refused: .*not the plan that was confirmed/);
    assert.match(await invoke('execute_action', { planId: proposed.plan.id, token: proposed.token }), /^refused: .*no confirmation waiting/, 'the forged attempt spent it');
    assert.ok(existsSync(speech) && !existsSync(archive), 'nothing ran');

    await webdriver.type('.action-box', Keys.Enter);
    await webdriver.until('the confirmation again', confirmation);
    await webdriver.click('.view-activity .confirm-yes');
    await webdriver.until('the move', async () => (await webdriver.text('.view-activity .status-line')).startsWith('Done: 2 actions.'));
    assert.ok(!existsSync(speech) && existsSync(join(archive, 'wedding-speech.md')), 'moved');
    const listed = await webdriver.until('the activity list', async () => {
      const items = await webdriver.texts('.view-activity .activity-item');
      return items.length === 2 && items;
    });
    assert.ok(listed.some((item) => item.includes(`Move ${speech}`)), listed.join('\n'));

    await webdriver.click('.view-activity .undo-plan');
    await webdriver.until('the undo', async () => (await webdriver.text('.view-activity .status-line')) === 'Undone: 2 actions.');
    assert.ok(existsSync(speech) && !existsSync(archive), 'back where it was, the created folder gone');
    assert.match(readFileSync(speech, 'utf8'), /Best man speech/);
  });
});

