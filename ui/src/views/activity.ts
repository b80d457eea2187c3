// Activity: tell Nook what to do, see exactly what will happen, say yes or
// no; below, everything Nook did, newest first, grouped by request, with
// Undo for a whole request or one action of it.

import { h, replace } from '../dom';
import { confirmPlan, outcomeText } from '../confirm';
import { count, modifiedAgo } from '../format';
import { errorText } from '../ipc';
import type { ActivityItem } from '../types';
import type { View, ViewContext } from '../view';

const EXAMPLES = [
  'move the screenshots from last week into Pictures/Screenshots',
  'create a folder called drafts in Documents and open it',
  'rename the reports from this quarter to 2025-Q3-…',
  'trash the old drafts',
  'open the spreadsheet application',
];

/// The items of one request, newest request first.
function byPlan(items: ActivityItem[]): ActivityItem[][] {
  const groups = new Map<string, ActivityItem[]>();
  for (const item of items) {
    const group = groups.get(item.plan_id) ?? [];
    group.push(item);
    groups.set(item.plan_id, group);
  }
  return Array.from(groups.values());
}

export const activityView: View = {
  id: 'activity',
  title: 'Activity',
  create(context: ViewContext) {
    const { api } = context;
    const input = h('input', {
      type: 'text',
      class: 'action-box',
      placeholder: `Tell Nook what to do: “${EXAMPLES[0]}”`,
      'aria-label': 'What should Nook do?',
      autocomplete: 'off',
      spellcheck: 'false',
    });
    const go = h('button', { type: 'button', class: 'primary' }, 'Show what will happen');
    const status = h('p', { class: 'status-line', role: 'status', 'aria-live': 'polite' });
    const confirmHost = h('div', { class: 'confirm-host', hidden: true });
    const selected = h('p', { class: 'selection-line', hidden: true });
    const list = h('div', { class: 'activity-list' });
    const element = h(
      'section',
      { class: 'view view-activity', 'aria-label': 'Activity' },
      h('div', { class: 'search-bar' }, input, go),
      h('p', { class: 'hint' }, 'Nothing happens before you confirm. Nook acts only inside the watched folders, and everything it changes can be undone.'),
      selected,
      status,
      confirmHost,
      h('h2', { class: 'activity-title' }, 'Done so far'),
      list,
    );
    let busy = false;

    function showSelection() {
      const selection = context.hub.selection;
      selected.hidden = !selection;
      if (!selection) return;
      const n = selection.paths.length;
      replace(
        selected,
        `${n === 1 ? 'One file' : `${n} files`} from the search “${selection.from}” ${n === 1 ? 'is' : 'are'} selected: say “these” (“move these to Archive”, “rename these to 2025-Q3-…”). `,
        h('button', { type: 'button', class: 'link', onclick: () => context.hub.select(null) }, 'Clear'),
      );
    }
    context.hub.onSelection(() => showSelection());
    showSelection();

    function say(text: string, error = false) {
      status.className = error ? 'status-line error' : 'status-line';
      status.textContent = text;
    }

    async function propose() {
      const request = input.value.trim();
      if (busy) return;
      if (!request) {
        say(`Type what Nook should do, for example “${EXAMPLES[1]}”.`);
        return;
      }
      busy = true;
      say('Working out what that means…');
      try {
        const selection = context.hub.selection?.paths ?? [];
        const proposed = await api.proposeAction(request, selection);
        say('');
        const answer = await confirmPlan(api, confirmHost, proposed, (meant) => api.proposeAction(request, selection, meant));
        if (answer.kind === 'done') {
          say(outcomeText(answer.outcome), answer.outcome.done.length === 0);
          input.value = '';
          context.hub.select(null);
        } else if (answer.kind === 'cancelled') {
          say('Cancelled: nothing was changed.');
        } else {
          say(answer.message, true);
        }
        await refresh();
      } catch (error) {
        say(errorText(error), true);
      } finally {
        busy = false;
        input.focus();
      }
    }

    async function undo(id: string) {
      try {
        const undone = await api.undoAction(id);
        say(`Undone: ${count(undone.length, 'action')}.`);
      } catch (error) {
        say(errorText(error), true);
      }
      await refresh();
    }

    function render(items: ActivityItem[]) {
      if (!items.length) {
        replace(
          list,
          h(
            'div',
            { class: 'empty-state' },
            h('h2', {}, 'Nothing done yet'),
            h('p', {}, 'Try:'),
            h(
              'ul',
              { class: 'examples' },
              EXAMPLES.map((example) =>
                h('li', {}, h('button', { type: 'button', class: 'link', onclick: () => ((input.value = example), input.focus()) }, example)),
              ),
            ),
          ),
        );
        return;
      }
      replace(
        list,
        byPlan(items).map((group) => {
          const open = group.filter((i) => !i.undone && !i.cannot_undo);
          return h(
            'article',
            { class: 'activity-plan', 'data-plan': group[0].plan_id },
            h(
              'header',
              {},
              h('q', { class: 'activity-request' }, group[0].request),
              h('span', { class: 'activity-when' }, modifiedAgo(group[0].applied_ms, context.now())),
              open.length
                ? h('button', { type: 'button', class: 'undo-plan', onclick: () => void undo(group[0].plan_id) }, open.length > 1 ? `Undo all ${open.length}` : 'Undo')
                : null,
            ),
            h(
              'ul',
              {},
              group.map((item) =>
                h(
                  'li',
                  { class: item.undone ? 'activity-item undone' : 'activity-item', 'data-entry': item.id },
                  h('span', { class: 'effect-verb' }, item.effect.verb),
                  ' ',
                  h('span', { class: 'effect-detail' }, item.effect.detail),
                  item.undone ? h('span', { class: 'badge' }, 'undone') : null,
                  item.unfinished && !item.undone ? h('span', { class: 'badge', title: 'Nook was stopped while doing this; Undo checks what happened' }, 'interrupted') : null,
                  item.cannot_undo ? h('span', { class: 'cannot-undo', title: item.cannot_undo }, 'cannot be undone') : null,
                  !item.undone && !item.cannot_undo && group.length > 1
                    ? h('button', { type: 'button', class: 'link undo-one', onclick: () => void undo(item.id) }, 'Undo')
                    : null,
                ),
              ),
            ),
          );
        }),
      );
    }

    async function refresh() {
      try {
        render(await api.activity());
      } catch (error) {
        replace(list, h('p', { class: 'error' }, errorText(error)));
      }
    }

    go.addEventListener('click', () => void propose());
    input.addEventListener('keydown', (event) => {
      if (event.key === 'Enter') {
        event.preventDefault();
        void propose();
      }
    });
    void refresh();

    return {
      element,
      shown() {
        void refresh();
        input.focus();
      },
    };
  },
};
