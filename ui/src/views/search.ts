// Search: one box, results per file as you type; Enter opens the selected
// file, Ctrl+Enter shows it in its folder. The request is read as a plan
// whose filters show as chips to remove or change.

import { h, replace } from '../dom';
import { errorText } from '../ipc';
import { count } from '../format';
import { liveSearch, type Outcome } from '../live-search';
import { PlanChips } from '../plan-chips';
import { ResultList } from '../results';
import type { SearchResults } from '../types';
import type { View, ViewContext } from '../view';

const TYPING_PAUSE_MS = 150;

/// The status line under the box: the count, what the plan could not use,
/// or why nothing matched.
function statusText(outcome: Outcome): string {
  switch (outcome.kind) {
    case 'idle':
      return '';
    case 'searching':
      return 'Searching…';
    case 'failed':
      return outcome.message;
    case 'found': {
      const { hits, notes } = outcome.results;
      const said = notes.map((n) => `${n}.`).join(' ');
      if (hits.length) return [count(hits.length, 'file'), said].filter(Boolean).join(' · ');
      return said || `No file matches “${outcome.query}”. Try other words.`;
    }
  }
}

export const searchView: View = {
  id: 'search',
  title: 'Search',
  create(context: ViewContext) {
    const { api, hub } = context;
    const input = h('input', {
      type: 'search',
      class: 'search-box',
      placeholder: 'Find files: “reports from this quarter”, “big videos in Downloads”…',
      'aria-label': 'Search',
      autocomplete: 'off',
      spellcheck: 'false',
    });
    const status = h('p', { class: 'status-line', role: 'status', 'aria-live': 'polite' });
    const actOn = h('button', { type: 'button', class: 'link act-on', hidden: true, title: 'Move, copy, rename or trash these files: say “these” in Activity' }, '');
    actOn.addEventListener('click', () => {
      if (!current?.hits.length) return;
      hub.select({ paths: current.hits.map((hit) => hit.path), from: current.plan.request });
      context.navigate('activity');
    });
    const empty = h('div', { class: 'empty-state', hidden: true });
    const list = new ResultList({
      onOpen: (hit) => act(() => api.openFile(hit.path)),
      onReveal: (hit) => act(() => api.revealFile(hit.path)),
      onAsk: (hit) => {
        hub.askAbout(hit.path);
        context.navigate('ask');
      },
      now: context.now,
    });
    let current: SearchResults | null = null;
    const chips = new PlanChips({
      onRemove: (chip) => {
        if (current) void typing.refine(api.refineSearch(current.plan, chip.field, null));
        input.focus();
      },
      onChange: (chip, phrase) => {
        if (current) void typing.refine(api.refineSearch(current.plan, chip.field, phrase));
      },
    });
    const element = h(
      'section',
      { class: 'view view-search', 'aria-label': 'Search' },
      h('div', { class: 'search-bar' }, input, h('span', { class: 'hint' }, '↑↓ to choose · Enter to open · Ctrl+Enter to show in folder · Alt+A to ask about it')),
      chips.element,
      h('div', { class: 'status-row' }, status, actOn),
      empty,
      list.element,
    );

    let folders: number | null = null;

    async function act(action: () => Promise<void>) {
      try {
        await action();
      } catch (error) {
        status.className = 'status-line error';
        status.textContent = errorText(error);
      }
    }

    function showEmpty() {
      empty.hidden = false;
      if (hub.engine.state === 'loading') {
        replace(empty, h('h2', {}, 'Getting ready…'), h('p', {}, 'Nook is opening your index. You can type already.'));
      } else if (folders === 0) {
        replace(
          empty,
          h('h2', {}, 'Nothing to search yet'),
          h('p', {}, 'Add a folder and Nook will index it, on this machine only.'),
          h('button', { type: 'button', class: 'primary', onclick: () => context.navigate('library') }, 'Add a folder'),
        );
      } else {
        empty.hidden = true;
      }
    }

    const typing = liveSearch({
      input,
      list,
      pauseMs: TYPING_PAUSE_MS,
      search: (query) => api.search(query),
      warmUp: api.warmUp,
      report(outcome) {
        if (outcome.kind === 'found') {
          current = outcome.results;
          chips.show(outcome.results.chips);
        } else if (outcome.kind === 'idle') {
          current = null;
          chips.show([]);
        }
        status.className = outcome.kind === 'failed' ? 'status-line error' : 'status-line';
        status.textContent = statusText(outcome);
        const files = outcome.kind === 'found' ? outcome.results.hits.length : 0;
        actOn.hidden = files === 0;
        actOn.textContent = `Act on ${files === 1 ? 'this file' : `these ${files} files`}…`;
      },
    });
    input.addEventListener('keydown', (event) => {
      if (typing.handleKey(event)) {
        event.preventDefault();
      } else if (event.key === 'Escape') {
        input.value = '';
        void typing.run();
      }
    });

    async function refreshFolders() {
      try {
        folders = (await api.appStatus()).folders;
      } catch {
        folders = null;
      }
      showEmpty();
    }

    hub.onEngine(() => void refreshFolders());
    hub.onLibrary((event) => {
      if (event.type === 'indexed' || event.type === 'updated' || event.type === 'forgotten') void refreshFolders();
    });
    void refreshFolders();

    return {
      element,
      shown() {
        void refreshFolders();
        input.focus();
        input.select();
      },
    };
  },
};
