// A fake Nook backend that runs inside the page, behind Tauri's IPC mocks.
// It keeps folders in memory, streams indexing progress as events when a
// folder is added, and records what the UI asked for in `window.__nook`.
// Bundled to one script and injected before the app loads (flows.test.mjs).

import { emit } from '@tauri-apps/api/event';
import { mockIPC } from '@tauri-apps/api/mocks';

interface Folder {
  path: string;
  indexed: number;
  skipped: number;
  failed: number;
  pending: boolean;
  polling: string | null;
}

const FILES = [
  { name: 'q3-revenue-report.md', text: 'Quarterly revenue grew 12% on subscription sales.' },
  { name: 'garden-plan.txt', text: 'Tomatoes go along the south fence; basil between them.' },
  { name: 'trip-lisbon.md', text: 'Flights to Lisbon on the 14th, hotel near Alfama.' },
];
const TOTAL = 10;
const STEP_MS = 60;

interface Kept {
  id: string;
  title: string;
  created_ms: number;
  updated_ms: number;
  turns: unknown[];
}

const state = {
  conversations: [] as Kept[],
  folders: [] as Folder[],
  paused: false,
  opened: [] as string[],
  revealed: [] as string[],
  hidden: 0,
  calls: [] as string[],
};
(window as unknown as { __nook: typeof state }).__nook = state;

function streamIndexing(folder: Folder) {
  let done = 0;
  void emit('library', { type: 'progress', folder: folder.path, phase: 'scanning', done: TOTAL, total: 0, eta_seconds: null });
  const timer = setInterval(() => {
    done += 1;
    const eta = Math.round(((TOTAL - done) * STEP_MS) / 1000 * 50);
    void emit('library', { type: 'progress', folder: folder.path, phase: 'indexing', done, total: TOTAL, eta_seconds: done > 1 ? eta : null });
    if (done === TOTAL) {
      clearInterval(timer);
      Object.assign(folder, { indexed: 9, skipped: 1, failed: 0, pending: false });
      void emit('library', {
        type: 'indexed',
        folder: folder.path,
        report: { root: folder.path, files_found: TOTAL, unchanged: 0, indexed: 9, retimed: 0, reused: 0, chunks_embedded: 14, skipped: 1, failed: 0, removed: 0, elapsed_ms: TOTAL * STEP_MS, stopped: false },
      });
      void emit('library', { type: 'idle' });
    }
  }, STEP_MS);
}

/// The files whose text or name holds a word of `query`.
function matching(query: string, kinds: string[] | null) {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  return state.folders
    .filter((f) => !f.pending)
    .flatMap((folder) =>
      FILES.filter((file) => words.some((w) => file.text.toLowerCase().includes(w) || file.name.includes(w))).map((file) => ({
        path: `${folder.path}/${file.name}`,
        kind: file.name.endsWith('.md') ? 'markdown' : 'text',
        modified_ms: Date.now() - 86_400_000 * 3,
        snippet: file.text,
        line_start: 1,
        line_end: 1,
      })),
    )
    .filter((hit) => !kinds || kinds.includes(hit.kind));
}

interface MockPlan {
  request: string;
  text: string;
  kinds?: { label: string; kinds: string[] };
}

/// A stand-in for the planner: "markdown" asks for Markdown files.
function planOf(query: string): MockPlan {
  const words = query.split(/\s+/);
  const kind = words.find((w) => w.toLowerCase() === 'markdown');
  const text = words.filter((w) => w !== kind).join(' ');
  return kind ? { request: query, text, kinds: { label: kind, kinds: ['markdown'] } } : { request: query, text };
}

function results(plan: MockPlan, limit: number) {
  const chips = plan.kinds ? [{ field: 'kinds', label: plan.kinds.label, detail: 'markdown' }] : [];
  const hits = matching(plan.text, plan.kinds?.kinds ?? null).slice(0, limit);
  return { plan, chips, hits, notes: [] as string[] };
}

function search(query: string) {
  return matching(query, null);
}

/// Answers from the files that match, streaming the text word by word.
async function ask(request: string, question: string, conversation: string | null, scope: string | null) {
  const within = (path: string) => !scope || path === scope || path.startsWith(`${scope}/`);
  const found = search(question).filter((hit) => within(hit.path)).slice(0, 2);
  const sources = found.map((hit, i) => ({ number: i + 1, path: hit.path, line_start: 1, line_end: 1, cited: i === 0 }));
  await emit('answer', { request, type: 'sources', sources });
  await emit('answer', { request, type: 'loading', model: 'SmolLM2-135M-Instruct', progress: 0.5 });
  const answer = found.length ? `${found[0].snippet} [1]` : 'I found nothing about this in your files.';
  for (const word of answer.split(/(?<= )/)) {
    await new Promise((resolve) => setTimeout(resolve, 15));
    await emit('answer', { request, type: 'text', text: word });
  }
  const turn = { question, answer, sources, model: 'SmolLM2-135M-Instruct', finish: found.length ? 'end_of_turn' : 'nothing_found', asked_ms: Date.now() };
  let kept = state.conversations.find((c) => c.id === conversation);
  if (!kept) {
    kept = { id: `c${state.conversations.length + 1}`, title: question, created_ms: Date.now(), updated_ms: Date.now(), turns: [] };
    state.conversations.unshift(kept);
  }
  kept.turns.push(turn);
  return { conversation: kept.id, turn };
}

mockIPC(
  (cmd, args) => {
    const a = (args ?? {}) as Record<string, unknown>;
    state.calls.push(cmd);
    const activity = { paused: state.paused, current: null, queued: [] };
    switch (cmd) {
      case 'app_status':
        return { engine: { state: 'ready' }, version: '0.1.0', folders: state.folders.length, activity };
      case 'library_overview':
        return { folders: state.folders, activity };
      case 'add_folder': {
        const path = String(a.path).replace(/\/+$/, '');
        if (!path.startsWith('/')) throw `cannot index ${path}: no such folder`;
        const folder = { path, indexed: 0, skipped: 0, failed: 0, pending: true, polling: null };
        state.folders.push(folder);
        setTimeout(() => streamIndexing(folder), 50);
        return path;
      }
      case 'folder_files':
        return { folder: a.folder, total: 0, files: [] };
      case 'why': {
        const path = String(a.path);
        const folder = state.folders.find((f: { path: string }) => path.startsWith(`${f.path}/`));
        return folder
          ? { path, state: 'pending', reason: 'Nook has not read it yet; it is indexed at the next update', folder: folder.path, chunks: 0, kind: null }
          : { path, state: 'outside', reason: 'it is not inside any folder Nook indexes', folder: null, chunks: 0, kind: null };
      }
      case 'search':
        return results(planOf(String(a.query)), Number(a.limit ?? 20));
      case 'route':
        // The engine's classifier, in the small: questions end with "?".
        return String(a.text).trim().endsWith('?') ? { route: 'ask', why: 'a question' } : { route: 'find', why: 'words to find files by' };
      case 'refine_search': {
        const plan = { ...(a.plan as MockPlan) };
        if (a.field === 'kinds') delete plan.kinds;
        return results(plan, Number(a.limit ?? 20));
      }
      case 'open_file':
        state.opened.push(String(a.path));
        return null;
      case 'reveal_file':
        state.revealed.push(String(a.path));
        return null;
      case 'warm_up':
        return null;
      case 'hide_quick_ask':
        state.hidden += 1;
        return null;
      case 'set_indexing_paused':
        state.paused = Boolean(a.paused);
        return null;
      case 'ask':
        return ask(String(a.request), String(a.question), (a.conversation as string | null) ?? null, (a.scope as string | null) ?? null);
      case 'conversations':
        return state.conversations.map((c) => ({ id: c.id, title: c.title, updated_ms: c.updated_ms, turns: c.turns.length }));
      case 'conversation': {
        const found = state.conversations.find((c) => c.id === a.id);
        if (!found) throw `no conversation has the id ${a.id}`;
        return found;
      }
      default:
        throw `the fake backend has no ${cmd}`;
    }
  },
  { shouldMockEvents: true },
);
