// The quick-ask box: type, see files as you type, arrows to choose, Enter to
// open, Esc to hide. Made once at start and only shown and hidden after.

import { h } from './dom';
import { liveSearch } from './live-search';
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
  const typing = liveSearch({
    input,
    list,
    pauseMs: TYPING_PAUSE_MS,
    search: (query) => backend.search(query, 8),
    warmUp: backend.warmUp,
    report(outcome) {
      switch (outcome.kind) {
        case 'idle':
          status.textContent = IDLE_HINT;
          break;
        case 'found':
          status.textContent = outcome.hits.length ? '' : `No file matches “${outcome.query}”.`;
          break;
        case 'failed':
          status.textContent = outcome.message;
          break;
        case 'searching':
          break;
      }
    },
  });

  function hide() {
    void backend.hideQuickAsk();
  }

  root.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      hide();
    } else if (event.key.toLowerCase() === 'o' && event.ctrlKey) {
      event.preventDefault();
      void backend.showMain();
    } else if (typing.handleKey(event)) {
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
