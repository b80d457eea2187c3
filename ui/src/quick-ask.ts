// The quick-ask box: type, see files as you type, arrows to choose, Enter to
// open, Esc to hide. Made once at start and only shown and hidden after.

import { debounce, h } from './dom';
import { api, errorText, events } from './ipc';
import { ResultList } from './results';
import type { Api } from './ipc';

const TYPING_PAUSE_MS = 120;
const IDLE_HINT = 'Type a few words: Nook looks through your watched folders, by meaning and by words.';

export function quickAsk(root: HTMLElement, backend: Api, now: () => number = Date.now) {
  const input = h('input', {
    type: 'search',
    class: 'quick-input',
    placeholder: 'Ask Nook for a file…',
    'aria-label': 'Quick ask',
    autocomplete: 'off',
    spellcheck: 'false',
  });
  const status = h('p', { class: 'quick-status', role: 'status', 'aria-live': 'polite' });
  const list = new ResultList({
    compact: true,
    now,
    onOpen: (hit) =>
      void backend
        .openFile(hit.path)
        .then(() => hide())
        .catch((error) => (status.textContent = errorText(error))),
  });
  root.append(
    input,
    status,
    list.element,
    h('footer', { class: 'quick-footer' }, 'Enter open · Esc close · Ctrl+O open Nook'),
  );

  status.textContent = IDLE_HINT;
  let sequence = 0;
  /// The query whose results are on screen.
  let shown = '';
  async function run() {
    const query = input.value.trim();
    const mine = ++sequence;
    if (!query) {
      list.show([]);
      shown = '';
      status.textContent = IDLE_HINT;
      return;
    }
    try {
      const hits = await backend.search(query, 8);
      if (mine !== sequence) return;
      list.show(hits);
      shown = query;
      status.textContent = hits.length ? '' : `No file matches “${query}”.`;
    } catch (error) {
      if (mine !== sequence) return;
      list.show([]);
      status.textContent = errorText(error);
    }
  }
  const runSoon = debounce(TYPING_PAUSE_MS, run);

  function hide() {
    void backend.hideQuickAsk();
  }

  input.addEventListener('input', () => runSoon());
  // The model loads on demand: start at the first key.
  input.addEventListener('input', () => void backend.warmUp().catch(() => {}), { once: true });
  root.addEventListener('keydown', async (event) => {
    if (event.key === 'Enter' && input.value.trim() !== shown) {
      // Typed faster than the search: search now, then open its best file.
      event.preventDefault();
      await run();
      if (input.value.trim() === shown) list.handleKey(event);
    } else if (event.key === 'Escape') {
      event.preventDefault();
      hide();
    } else if (event.key.toLowerCase() === 'o' && event.ctrlKey) {
      event.preventDefault();
      void backend.showMain();
    } else if (list.handleKey(event)) {
      event.preventDefault();
    }
  });

  return {
    /// Called each time the box is shown: ready for a new question.
    shown() {
      input.focus();
      input.select();
    },
  };
}

if (document.getElementById('quick-ask')) {
  const box = quickAsk(document.getElementById('quick-ask')!, api);
  void events.quickAskShown(() => box.shown());
  box.shown();
}
