// Search as you type, shared by the main window's search and the quick-ask
// box: a pause in typing runs the search, a late answer to an older query is
// dropped, and Enter pressed before the answer acts on what was typed.

import { debounce } from './dom';
import { errorText } from './ipc';
import type { ResultList } from './results';
import type { Hit } from './types';

export type Outcome =
  | { kind: 'idle' }
  | { kind: 'searching' }
  | { kind: 'found'; query: string; hits: Hit[] }
  | { kind: 'failed'; message: string };

export interface LiveSearchOptions {
  input: HTMLInputElement;
  list: ResultList;
  pauseMs: number;
  search: (query: string) => Promise<Hit[]>;
  /// Called at the first key: the model loads while the rest is typed.
  warmUp: () => Promise<void>;
  report: (outcome: Outcome) => void;
}

export function liveSearch({ input, list, pauseMs, search, warmUp, report }: LiveSearchOptions) {
  let sequence = 0;
  /// The query whose results are on screen.
  let shown = '';

  async function run() {
    const query = input.value.trim();
    const mine = ++sequence;
    if (!query) {
      list.show([]);
      shown = '';
      report({ kind: 'idle' });
      return;
    }
    report({ kind: 'searching' });
    try {
      const hits = await search(query);
      if (mine !== sequence) return;
      list.show(hits);
      shown = query;
      report({ kind: 'found', query, hits });
    } catch (error) {
      if (mine !== sequence) return;
      list.show([]);
      report({ kind: 'failed', message: errorText(error) });
    }
  }

  const runSoon = debounce(pauseMs, run);
  input.addEventListener('input', () => runSoon());
  input.addEventListener('input', () => void warmUp().catch(() => {}), { once: true });

  return {
    run,
    /// The list's keys; true when the key was used (the caller prevents its
    /// default).
    handleKey(event: KeyboardEvent): boolean {
      if (event.key === 'Enter' && input.value.trim() !== shown) {
        // Typed faster than the search: search now, then act on its answer.
        void run().then(() => {
          if (input.value.trim() === shown) list.handleKey(event);
        });
        return true;
      }
      return list.handleKey(event);
    },
  };
}
