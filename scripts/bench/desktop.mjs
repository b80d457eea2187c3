// Desktop figures for docs/BENCHMARKS.md: cold start to first window, hotkey
// to quick-ask visible, and idle memory (PSS) of every app process. Run
// under an X display: bash scripts/bench.sh desktop (it wraps this in
// xvfb-run and dbus-run-session).

import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { freshProfile, generatedFolder, launch, stop, visibleWindows, waitFor, xdotool } from '../../tests/desktop/harness.mjs';

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

/// The app's process and its children (WebKit's web and network processes).
function processTree(pid) {
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

function pssKb(pid) {
  const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
  return Number(/^Pss:\s+(\d+) kB/m.exec(rollup)[1]);
}

function processName(pid) {
  return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
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

/// Idle memory (PSS) of every app process: with a folder of 206 files
/// watched and indexed, first while the embedding model is still loaded,
/// then after the idle library released it (NOOK_MODEL_IDLE_SECONDS=10
/// here; 300 by default). No chat model in either.
async function idleMemory() {
  const fresh = launch(freshProfile());
  await waitFor('the main window', () => visibleWindows('Nook').length > 0, { timeoutMs: 20_000 });
  await sleep(15_000);
  memoryOf(fresh, 'fresh profile (no folder, model never loaded)');
  await stop(fresh);

  const profile = freshProfile();
  const { folder } = generatedFolder(profile.dir, 200);
  const settings = { folders: [folder], shortcut: null, indexing_paused: false, pending_removals: [] };
  execFileSync('sh', ['-c', `mkdir -p "${profile.home}" && cat > "${profile.home}/settings.json"`], { input: JSON.stringify(settings) });
  const app = launch(profile, [], { NOOK_MODEL_IDLE_SECONDS: '10' });
  await waitFor('indexing to finish', () => app.log().includes(`indexed ${folder}`), { timeoutMs: 300_000, everyMs: 500 });
  await sleep(3000);
  memoryOf(app, 'model loaded (just after indexing)');
  await sleep(15_000);
  memoryOf(app, 'model released (idle library)');
  await stop(app);
}

const which = process.argv.slice(2);
const all = { 'cold-start': coldStart, hotkey, memory: idleMemory };
for (const [name, run] of Object.entries(all)) {
  if (which.length === 0 || which.includes(name)) await run();
}
