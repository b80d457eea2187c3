// What the desktop tests share: where the built binaries are, a fresh Nook
// profile, a folder of generated files, a fake `xdg-open` that records what
// the app asked the OS to open, X11 helpers (xdotool) and screenshot checks.
//
// The tests run under an X display with a session bus (scripts/test.sh wraps
// them in xvfb-run and dbus-run-session) and use the real app, the real
// engine and the real models.

import { spawn, execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export const root = resolve(import.meta.dirname, '../..');
const target = process.env.CARGO_TARGET_DIR ?? join(root, 'target');
// NOOK_DESKTOP_BINARY: another build to drive (the benchmark measures the
// release binary with it).
export const desktopBinary = process.env.NOOK_DESKTOP_BINARY ?? join(target, 'debug/nook-desktop');
export const cliBinary = join(target, 'debug/nook');
export const artifacts = join(target, 'test-artifacts/desktop');

export function requireDisplay() {
  if (!process.env.DISPLAY) throw new Error('no X display: run through scripts/test.sh (xvfb-run)');
  for (const binary of [desktopBinary, cliBinary]) {
    if (!existsSync(binary)) throw new Error(`${binary} is missing: run cargo build --workspace --bins`);
  }
  mkdirSync(artifacts, { recursive: true });
}

/// A fresh profile: NOOK_HOME with nothing in it. Models are found in the
/// user's data folder, where set-up installed them.
export function freshProfile() {
  const dir = mkdtempSync(join(tmpdir(), 'nook-e2e-'));
  const home = join(dir, 'home');
  const bin = join(dir, 'bin');
  mkdirSync(home);
  mkdirSync(bin);
  const opened = join(dir, 'opened.log');
  // The OS layer: the app runs `xdg-open PATH`; this one writes PATH down.
  writeFileSync(join(bin, 'xdg-open'), `#!/bin/sh\nprintf '%s\\n' "$@" >> '${opened}'\n`);
  chmodSync(join(bin, 'xdg-open'), 0o755);
  const env = {
    ...process.env,
    NOOK_HOME: home,
    XDG_DATA_HOME: process.env.XDG_DATA_HOME ?? join(homedir(), '.local/share'),
    PATH: `${bin}:${process.env.PATH}`,
    WEBKIT_DISABLE_COMPOSITING_MODE: '1',
  };
  return {
    dir,
    home,
    env,
    opened: () => (existsSync(opened) ? readFileSync(opened, 'utf8').split('\n').filter(Boolean) : []),
  };
}

const TOPICS = [
  ['sourdough-starter.md', 'Feeding a sourdough starter: equal weights of rye flour and water every twelve hours keep the levain active and sour.'],
  ['tax-return-2025.txt', 'Checklist for the 2025 income tax return: payslips, receipts for deductible donations, pension statements.'],
  ['bike-maintenance.md', 'Bicycle chain care: degrease, then oil each link; adjust the rear derailleur if gears skip under load.'],
  ['solar-panels.txt', 'Quote for rooftop solar panels: twelve modules, a string inverter and a battery for the evening peak.'],
  ['wedding-speech.md', 'Best man speech: thank the parents, one story from the camping trip, raise a toast to the couple.'],
  ['kubernetes-notes.md', 'Kubernetes deployments roll out pods gradually; a readiness probe keeps traffic away until the app is up.'],
];

/// A folder of generated files: a handful with distinct topics and filler
/// notes around them. Returns the folder and the files by topic.
export function generatedFolder(parent, fillers = 24) {
  const folder = join(parent, 'notes');
  mkdirSync(folder, { recursive: true });
  for (const [name, text] of TOPICS) writeFileSync(join(folder, name), `# ${name}\n\n${text}\n`);
  // A binary the rules skip: listed in the library, never opened.
  writeFileSync(join(folder, 'helper.bin'), Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 0, 0, 0, 0]));
  for (let i = 0; i < fillers; i++) {
    writeFileSync(join(folder, `meeting-${String(i).padStart(2, '0')}.txt`), `Weekly meeting ${i}: agenda, minutes and action items for team ${i % 5}.\n`);
  }
  return { folder, file: (name) => join(folder, name) };
}

/// Starts the desktop app directly (not through WebDriver).
export function launch(profile, args = [], extraEnv = {}) {
  const child = spawn(desktopBinary, args, { env: { ...profile.env, ...extraEnv }, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout.on('data', (d) => (log += d));
  child.stderr.on('data', (d) => (log += d));
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return { child, log: () => log, exited };
}

export async function stop(app) {
  if (app.child.exitCode === null && app.child.signalCode === null) {
    app.child.kill('SIGTERM');
    const timeout = sleep(5000).then(() => app.child.kill('SIGKILL'));
    await Promise.race([app.exited, timeout]);
  }
}

export async function waitFor(what, check, { timeoutMs = 30_000, everyMs = 50 } = {}) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(everyMs);
  }
}

/// A process and all its descendants (for the app: WebKit's web and network
/// processes).
export function processTree(pid) {
  const children = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (!children.has(parent)) children.set(parent, []);
      children.get(parent).push(Number(entry));
    } catch {}
  }
  const all = [pid];
  for (let i = 0; i < all.length; i++) all.push(...(children.get(all[i]) ?? []));
  return all;
}

/// Kills every process started with `profile` (its `NOOK_HOME` in their
/// environment): an app its driver could not close. Returns how many.
export function killProfileProcesses(profile) {
  const mark = `\0NOOK_HOME=${profile.home}\0`;
  let killed = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      if (`\0${readFileSync(`/proc/${entry}/environ`, 'utf8')}`.includes(mark)) {
        process.kill(Number(entry), 'SIGKILL');
        killed++;
      }
    } catch {} // gone, or not ours to read
  }
  return killed;
}

/// A process's short name (Linux cuts it to 15 characters).
export function processName(pid) {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return ''; // gone since it was listed
  }
}

/// Visible X11 windows whose title is exactly `title`.
export function visibleWindows(title) {
  try {
    return execFileSync('xdotool', ['search', '--onlyvisible', '--name', `^${title}$`], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean);
  } catch {
    return [];
  }
}

export function xdotool(...args) {
  execFileSync('xdotool', args);
}

/// Takes a screenshot of an X11 window.
export function screenshotWindow(windowId, file) {
  // Without a window, `import` would wait for a click that never comes.
  if (!windowId) throw new Error(`no window to take a screenshot of for ${file}`);
  execFileSync('import', ['-window', windowId, file], { timeout: 30000 });
  return file;
}

/// How much a picture's pixels vary: the spread of its grey values (0…1).
function greySpread(file) {
  return Number(execFileSync('convert', [file, '-colorspace', 'Gray', '-format', '%[fx:standard_deviation]', 'info:'], { encoding: 'utf8' }));
}

/// A screenshot is not blank when its pixels vary well above zero.
export function assertNotBlank(file, assert) {
  const spread = greySpread(file);
  assert.ok(spread > 0.02, `${file} looks blank (grey spread ${spread})`);
}

/// Screenshots a window until its page has painted (a newly shown webview
/// may take a moment), up to a few seconds; returns the last file.
export async function screenshotPainted(windowId, file) {
  const deadline = Date.now() + 5000;
  for (;;) {
    screenshotWindow(windowId, file);
    if (greySpread(file) > 0.02 || Date.now() > deadline) return file;
    await sleep(200);
  }
}
