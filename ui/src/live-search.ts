// Search as you type, shared by the main window's search and the quick-ask
// box: a pause in typing runs the search, a late answer to an older query is
// dropped, and Enter pressed before the answer acts on what was typed. A
// change to the plan's chips goes through the same path.

import { debounce } from './dom';
import { errorText } from './ipc';
import type { ResultList } from './results';
import type { SearchResults } from './types';

export type Outcome =
  | { kind: 'idle' }
  | { kind: 'searching' }
  | { kind: 'found'; query: string; results: SearchResults }
  | { kind: 'failed'; message: string };

export interface LiveSearchOptions {
  input: HTMLInputElement;
  list: ResultList;
  pauseMs: number;
  search: (query: string) => Promise<SearchResults>;
  /// Called at the first key: the model loads while the rest is typed.
  warmUp: () => Promise<void>;
  report: (outcome: Outcome) => void;
}

export function liveSearch({ input, list, pauseMs, search, warmUp, report }: LiveSearchOptions) {
  let sequence = 0;
  /// The query whose results are on screen.
  let shown = '';

  /// Shows what `pending` finds for `query`, unless something newer came.
  async function settle(query: string, pending: Promise<SearchResults>, keepListOnError: boolean) {
    const mine = ++sequence;
    report({ kind: 'searching' });
    try {
      const results = await pending;
      if (mine !== sequence) return;
      list.show(results.hits);
      shown = query;
      report({ kind: 'found', query, results });
    } catch (error) {
      if (mine !== sequence) return;
      if (!keepListOnError) list.show([]);
      report({ kind: 'failed', message: errorText(error) });
    }
  }

  async function run() {
    const query = input.value.trim();
    if (!query) {
      ++sequence;
      list.show([]);
      shown = '';
      report({ kind: 'idle' });
      return;
    }
    await settle(query, search(query), false);
  }

  const runSoon = debounce(pauseMs, run);
  input.addEventListener('input', () => runSoon());
  input.addEventListener('input', () => void warmUp().catch(() => {}), { once: true });

  return {
    run,
    /// Shows the results of a changed plan for what is typed; on an error
    /// (a phrase that is not a date…) the results on screen stay.
    refine: (pending: Promise<SearchResults>) => settle(input.value.trim(), pending, true),
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
