// The quick-ask box: type, see files as you type, arrows to choose, Enter to
// open, Esc to hide. On Enter the engine says what the words ask for
// (`route`): a question is answered here from the files, with its sources;
// a request to act shows its plan to confirm; anything else opens the best
// file. Arrows first still choose a file. Made once at start and only shown
// and hidden after.

import { confirmPlan, outcomeText } from './confirm';
import { h, replace } from './dom';
import { progressText, startAnswer, TurnView, type AnswerRun } from './answer';
import { liveSearch } from './live-search';
import { PlanChips } from './plan-chips';
import { api, errorText, events } from './ipc';
import { ResultList } from './results';
import type { Api } from './ipc';
import type { SearchResults } from './types';

const TYPING_PAUSE_MS = 120;
const IDLE_HINT = 'Type a few words to find files, ask a question, or say what to do (“move …”), and press Enter.';

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
  const answerArea = h('div', { class: 'quick-answer', hidden: true });
  let current: SearchResults | null = null;
  const chips = new PlanChips({
    onRemove: (chip) => {
      if (current) void typing.refine(backend.refineSearch(current.plan, chip.field, null, 8));
      input.focus();
    },
    onChange: (chip, phrase) => {
      if (current) void typing.refine(backend.refineSearch(current.plan, chip.field, phrase, 8));
    },
  });
  root.append(
    input,
    chips.element,
    status,
    list.element,
    answerArea,
    h('footer', { class: 'quick-footer' }, 'Enter open · on a question: answer · on a request (“move…”, “put a copy of…”): confirm · Esc close · Ctrl+O open Nook'),
  );
  /// The answer being written, if any.
  let running: AnswerRun | null = null;
  /// True once the arrows moved the selection since the last typing: Enter
  /// then opens the chosen file even on a question.
  let chose = false;
  /// True while a plan waits for confirmation here.
  let acting = false;

  function showFiles() {
    answerArea.hidden = true;
    list.element.hidden = false;
    chips.element.hidden = !current?.chips.length;
  }

  /// A request to act: its plan shown here to confirm, run on yes.
  async function act(request: string) {
    list.element.hidden = true;
    chips.element.hidden = true;
    status.textContent = 'Working out what that means…';
    acting = true;
    try {
      const proposed = await backend.proposeAction(request);
      status.textContent = 'Check what will happen, then confirm (Esc cancels).';
      const answer = await confirmPlan(backend, answerArea, proposed, (meant) => backend.proposeAction(request, [], meant));
      if (answer.kind === 'done') status.textContent = outcomeText(answer.outcome);
      else if (answer.kind === 'cancelled') status.textContent = 'Cancelled: nothing was changed.';
      else status.textContent = answer.message;
    } catch (error) {
      status.textContent = errorText(error);
    } finally {
      acting = false;
      input.focus();
    }
  }

  async function answer(question: string) {
    list.element.hidden = true;
    chips.element.hidden = true;
    answerArea.hidden = false;
    const turn = new TurnView(question, (source) =>
      void backend
        .openFile(source.path)
        .then(() => hide())
        .catch((error) => (status.textContent = errorText(error))),
    );
    replace(answerArea, turn.element);
    status.textContent = 'Searching your files…';
    running = startAnswer(backend, question, null, (update) => {
      turn.update(update);
      const text = progressText(update);
      if (text) status.textContent = text;
      else if (update.type === 'text') status.textContent = 'Answering… (Esc to stop)';
    });
    try {
      const info = await running.done;
      turn.finish(info.turn);
      status.textContent = 'Kept in Ask, in the main window (Ctrl+O).';
    } catch (error) {
      turn.failed(errorText(error));
      status.textContent = '';
    } finally {
      running = null;
    }
  }

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
          current = null;
          chips.show([]);
          status.textContent = IDLE_HINT;
          break;
        case 'found':
          current = outcome.results;
          if (!running) chips.show(outcome.results.chips);
          status.textContent =
            outcome.results.notes.map((n) => `${n}.`).join(' ') ||
            (outcome.results.hits.length ? '' : `No file matches “${outcome.query}”.`);
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

  input.addEventListener('input', () => {
    chose = false;
    if (!running) showFiles();
  });

  root.addEventListener('keydown', (event) => {
    if (acting) return;
    if (event.key === 'Enter' && !chose && !running && input.value.trim()) {
      // The engine decides what the words ask for: act, answer, or open
      // the best file found.
      event.preventDefault();
      const text = input.value.trim();
      void backend
        .route(text)
        .then(({ route }) => {
          if (input.value.trim() !== text) return;
          if (route === 'act') void act(text);
          else if (route === 'ask') void answer(text);
          else typing.handleKey(event);
        })
        .catch((error) => (status.textContent = errorText(error)));
    } else if (event.key === 'Escape' && running) {
      event.preventDefault();
      running.cancel();
    } else if (event.key === 'Escape') {
      event.preventDefault();
      hide();
    } else if (event.key.toLowerCase() === 'o' && event.ctrlKey) {
      event.preventDefault();
      void backend.showMain();
    } else if (typing.handleKey(event)) {
      event.preventDefault();
      if (event.key.startsWith('Arrow') || event.key.startsWith('Page')) chose = true;
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
