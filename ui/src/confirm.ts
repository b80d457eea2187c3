// The confirmation of a plan: the request it came from, every effect in
// full (absolute paths, old → new, the program and its arguments), what is
// in the way, then Cancel or Do it. A plan that changes many files asks a
// second time. Where the words fit other files as well, they are offered:
// choosing one plans for it instead. Cancel is where the focus starts; Esc
// cancels. Used by the Activity view and by quick-ask.

import { h, replace } from './dom';
import { count } from './format';
import { errorText, type Api } from './ipc';
import type { Instead, Outcome, Proposed } from './types';

/// What became of a confirmation.
export type Confirmed = { kind: 'done'; outcome: Outcome } | { kind: 'cancelled' } | { kind: 'failed'; message: string };

function summary(p: Proposed): string {
  const parts = [count(p.plan.actions.length, 'action')];
  if (p.changes) parts.push(count(p.changes, 'file change'));
  if (p.conflicts) parts.push(`${count(p.conflicts, 'conflict')} (skipped)`);
  return parts.join(' · ');
}

/// Shows `proposed` in `host` and waits for the answer; on yes, runs the
/// plan with its token. The dialog is removed when answered. With `again`
/// (the request proposed anew with the files chosen so far), the files the
/// plan offers instead can be chosen: this plan is cancelled and the new
/// one confirmed in its place.
export function confirmPlan(
  api: Api,
  host: HTMLElement,
  proposed: Proposed,
  again?: (meant: Instead[]) => Promise<Proposed>,
  meant: Instead[] = [],
): Promise<Confirmed> {
  return new Promise((resolve) => {
    const cancel = h('button', { type: 'button', class: 'confirm-cancel' }, 'Cancel');
    const yes = h('button', { type: 'button', class: 'primary confirm-yes' }, proposed.plan.actions.length === 1 ? 'Do it' : 'Do all of this');
    const second = h('p', { class: 'confirm-second', hidden: true });
    const effects = h(
      'ol',
      { class: 'confirm-effects' },
      proposed.effects.map((effect) =>
        h(
          'li',
          { class: effect.conflict ? 'effect conflict' : 'effect' },
          h('span', { class: 'effect-verb' }, effect.verb),
          ' ',
          h('span', { class: 'effect-detail' }, effect.detail),
          effect.conflict ? h('span', { class: 'effect-conflict' }, effect.conflict) : null,
        ),
      ),
    );
    const offered = again ? (proposed.instead ?? []) : [];
    const instead = offered.length
      ? h(
          'div',
          { class: 'confirm-instead' },
          h('p', {}, 'Or did you mean:'),
          h(
            'ul',
            {},
            offered.map((choice) => {
              const button = h('button', { type: 'button', class: 'link instead' }, choice.path);
              button.addEventListener('click', () => void onInstead(choice));
              return h('li', {}, button);
            }),
          ),
        )
      : null;
    const dialog = h(
      'div',
      { class: 'confirm', role: 'dialog', 'aria-modal': 'true', 'aria-label': 'Confirm what Nook will do' },
      h('p', { class: 'confirm-request' }, 'You asked: ', h('q', {}, proposed.plan.request)),
      proposed.read_by === 'model' ? h('p', { class: 'confirm-model' }, 'What to do was chosen by the on-device model: check it.') : null,
      effects,
      proposed.notes.length ? h('ul', { class: 'confirm-notes' }, proposed.notes.map((n) => h('li', {}, `${n}.`))) : null,
      instead,
      h('p', { class: 'confirm-summary' }, summary(proposed)),
      second,
      h('div', { class: 'confirm-buttons' }, cancel, yes),
    );
    replace(host, dialog);
    host.hidden = false;
    cancel.focus();

    let asked = false;
    let busy = false;
    const finish = (result: Confirmed) => {
      dialog.removeEventListener('keydown', onKey);
      replace(host);
      host.hidden = true;
      resolve(result);
    };
    const onCancel = async () => {
      if (busy) return;
      busy = true;
      try {
        await api.cancelAction(proposed.plan.id);
      } catch {
        // The plan is forgotten either way: its token is never used.
      }
      finish({ kind: 'cancelled' });
    };
    const onInstead = async (choice: Instead) => {
      if (busy || !again) return;
      busy = true;
      try {
        await api.cancelAction(proposed.plan.id);
      } catch {
        // The plan is forgotten either way: its token is never used.
      }
      dialog.removeEventListener('keydown', onKey);
      const chosen = [...meant.filter((m) => m.phrase !== choice.phrase), choice];
      try {
        const next = await again(chosen);
        resolve(await confirmPlan(api, host, next, again, chosen));
      } catch (error) {
        finish({ kind: 'failed', message: errorText(error) });
      }
    };
    const onYes = async () => {
      if (busy) return;
      if (proposed.confirm_twice && !asked) {
        asked = true;
        second.hidden = false;
        second.textContent = `This changes ${count(proposed.changes, 'file')}. Are you sure?`;
        yes.textContent = `Yes, change ${count(proposed.changes, 'file')}`;
        cancel.focus();
        return;
      }
      busy = true;
      yes.disabled = true;
      cancel.disabled = true;
      try {
        const outcome = await api.executeAction(proposed.plan.id, proposed.token, proposed.confirm_twice);
        finish({ kind: 'done', outcome });
      } catch (error) {
        finish({ kind: 'failed', message: errorText(error) });
      }
    };
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') {
        event.preventDefault();
        event.stopPropagation();
        void onCancel();
      }
    };
    dialog.addEventListener('keydown', onKey);
    cancel.addEventListener('click', () => void onCancel());
    yes.addEventListener('click', () => void onYes());
  });
}

/// What a run did, in one sentence.
export function outcomeText(outcome: Outcome): string {
  const done = outcome.done.length;
  const failed = outcome.failed.length;
  const parts: string[] = [];
  if (done) parts.push(`Done: ${count(done, 'action')}.`);
  if (failed) parts.push(`Not done: ${outcome.failed.map((f) => `${f.effect.detail}: ${f.reason}`).join('; ')}.`);
  if (outcome.done.some((d) => d.undoable)) parts.push('Undo it in Activity.');
  return parts.join(' ') || 'Nothing was done.';
}
