// Search: one box, results per file as you type; Enter opens the selected
// file, Ctrl+Enter shows it in its folder.

import { debounce, h, replace } from '../dom';
import { errorText } from '../ipc';
import { count } from '../format';
import { ResultList } from '../results';
import type { View, ViewContext } from '../view';

const TYPING_PAUSE_MS = 150;

export const searchView: View = {
  id: 'search',
  title: 'Search',
  create(context: ViewContext) {
    const { api, hub } = context;
    const input = h('input', {
      type: 'search',
      class: 'search-box',
      placeholder: 'Search your files by meaning or by words…',
      'aria-label': 'Search',
      autocomplete: 'off',
      spellcheck: 'false',
    });
    const status = h('p', { class: 'status-line', role: 'status', 'aria-live': 'polite' });
    const empty = h('div', { class: 'empty-state', hidden: true });
    const list = new ResultList({
      onOpen: (hit) => act(() => api.openFile(hit.path)),
      onReveal: (hit) => act(() => api.revealFile(hit.path)),
      now: context.now,
    });
    const element = h(
      'section',
      { class: 'view view-search', 'aria-label': 'Search' },
      h('div', { class: 'search-bar' }, input, h('span', { class: 'hint' }, '↑↓ to choose · Enter to open · Ctrl+Enter to show in folder')),
      status,
      empty,
      list.element,
    );

    let folders: number | null = null;
    let sequence = 0;
    /// The query whose results are on screen.
    let shown = '';

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

    async function run() {
      const query = input.value.trim();
      const mine = ++sequence;
      status.className = 'status-line';
      if (!query) {
        list.show([]);
        shown = '';
        status.textContent = '';
        return;
      }
      status.textContent = 'Searching…';
      try {
        const hits = await api.search(query);
        if (mine !== sequence) return;
        list.show(hits);
        shown = query;
        status.textContent = hits.length ? count(hits.length, 'file') : `No file matches “${query}”. Try other words.`;
      } catch (error) {
        if (mine !== sequence) return;
        list.show([]);
        status.className = 'status-line error';
        status.textContent = errorText(error);
      }
    }

    const runSoon = debounce(TYPING_PAUSE_MS, run);
    input.addEventListener('input', () => runSoon());
    // The model loads on demand: start at the first key, while the rest of
    // the question is typed.
    input.addEventListener('input', () => void api.warmUp().catch(() => {}), { once: true });
    input.addEventListener('keydown', async (event) => {
      if (event.key === 'Enter' && input.value.trim() !== shown) {
        // Typed faster than the search: search now, then act on its answer.
        event.preventDefault();
        await run();
        if (input.value.trim() === shown) list.handleKey(event);
      } else if (list.handleKey(event)) {
        event.preventDefault();
      } else if (event.key === 'Escape') {
        input.value = '';
        void run();
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
      if (event.type === 'indexed' || event.type === 'forgotten') void refreshFolders();
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
