// Desktop figures for docs/BENCHMARKS.md: cold start to first window, hotkey
// to quick-ask visible, and idle memory (PSS) of every app process. Run
// under an X display: bash scripts/bench.sh desktop (it wraps this in
// xvfb-run and dbus-run-session).

import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { freshProfile, generatedFolder, launch, processName, processTree, stop, visibleWindows, waitFor, xdotool } from '../../tests/desktop/harness.mjs';

const RUNS = Number(process.env.RUNS ?? 10);

function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

function summary(name, values) {
  const ms = (v) => `${v.toFixed(0)} ms`;
  console.log(`${name}: median ${ms(percentile(values, 50))}, p90 ${ms(percentile(values, 90))}, min ${ms(Math.min(...values))} over ${values.length} runs`);
}

/// Polls X11 until a window titled `title` is mapped; the poll itself costs
/// a few milliseconds, which the figures include.
async function visibleAfter(title, start) {
  await waitFor(title, () => visibleWindows(title).length > 0, { everyMs: 2, timeoutMs: 20_000 });
  return performance.now() - start;
}

function pssKb(pid) {
  const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
  return Number(/^Pss:\s+(\d+) kB/m.exec(rollup)[1]);
}


async function coldStart() {
  const times = [];
  for (let i = 0; i < RUNS; i++) {
    const profile = freshProfile();
    const start = performance.now();
    const app = launch(profile);
    times.push(await visibleAfter('Nook', start));
    await stop(app);
  }
  summary('cold start to main window mapped', times);
}

async function hotkey() {
  const profile = freshProfile();
  const app = launch(profile);
  await waitFor('the shortcut', () => app.log().includes('quick ask shortcut:'), { timeoutMs: 20_000 });
  await sleep(2000);
  const times = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    xdotool('key', 'ctrl+shift+space');
    times.push(await visibleAfter('Nook Quick Ask', start));
    xdotool('key', 'ctrl+shift+space');
    await waitFor('hidden', () => visibleWindows('Nook Quick Ask').length === 0);
    await sleep(300);
  }
  summary('hotkey to quick-ask window mapped', times);
  await stop(app);
}

function memoryOf(app, label) {
  let total = 0;
  const parts = [];
  for (const pid of processTree(app.child.pid)) {
    let kb;
    try {
      kb = pssKb(pid);
    } catch {
      continue; // gone between listing and reading
    }
    total += kb;
    parts.push(`${processName(pid)} ${(kb / 1024).toFixed(1)}`);
  }
  console.log(`idle memory, ${label}: ${(total / 1024).toFixed(1)} MB PSS (${parts.join(', ')})`);
}

/// Idle memory (PSS) of every app process, with no chat model: a fresh
/// profile, then a folder of 206 files watched and indexed. Each is read
/// while the app is busy or has just been, and again once the idle library
/// has released the embedding model and handed idle memory back
/// (NOOK_MODEL_IDLE_SECONDS=10 here; 300 by default).
async function idleMemory() {
  const idle = { NOOK_MODEL_IDLE_SECONDS: '10' };
  const fresh = launch(freshProfile(), [], idle);
  await waitFor('the main window', () => visibleWindows('Nook').length > 0, { timeoutMs: 20_000 });
  await sleep(5_000);
  memoryOf(fresh, 'fresh profile (no folder, model never loaded), 5 s after start');
  await sleep(15_000);
  memoryOf(fresh, 'fresh profile, idle (20 s after start)');
  await stop(fresh);

  const profile = freshProfile();
  const { folder } = generatedFolder(profile.dir, 200);
  const settings = { folders: [folder], shortcut: null, indexing_paused: false, pending_removals: [] };
  execFileSync('sh', ['-c', `mkdir -p "${profile.home}" && cat > "${profile.home}/settings.json"`], { input: JSON.stringify(settings) });
  const app = launch(profile, [], idle);
  await waitFor('indexing to finish', () => app.log().includes(`indexed ${folder}`), { timeoutMs: 300_000, everyMs: 500 });
  await sleep(3000);
  memoryOf(app, 'just after indexing, embedding model loaded');
  await sleep(15_000);
  memoryOf(app, 'idle (model released, idle memory handed back)');
  await stop(app);
}

/// The floor any WebKitGTK app pays here: one GTK window with one web view
/// showing a small page, no Nook code (scripts/bench/webkit_floor.py, run by
/// Debian's python3 with python3-gi and gir1.2-webkit2-4.1).
async function webkitFloor() {
  const child = spawn('/usr/bin/python3', [new URL('./webkit_floor.py', import.meta.url).pathname], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise((resolve) => child.on('exit', resolve));
  await sleep(15_000);
  memoryOf({ child }, 'WebKitGTK floor (bare window and web view, in Python)');
  child.kill('SIGTERM');
  await exited;
}

const which = process.argv.slice(2);
const all = { 'cold-start': coldStart, hotkey, memory: idleMemory, floor: webkitFloor };
for (const [name, run] of Object.entries(all)) {
  if (which.length === 0 || which.includes(name)) await run();
}
