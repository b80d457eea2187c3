// Settings: the quick-ask shortcut, the folders, the models (which one
// answers, which one plans; add and remove chat models) and where Nook keeps
// its data.

import { h, replace } from '../dom';
import { errorText } from '../ipc';
import { bytes } from '../format';
import type { ModelSummary, SettingsInfo } from '../types';
import type { View, ViewContext } from '../view';

export const settingsView: View = {
  id: 'settings',
  title: 'Settings',
  create(context: ViewContext) {
    const { api } = context;
    const body = h('div', { class: 'settings-body' }, h('p', { class: 'muted' }, 'Loading…'));
    const element = h('section', { class: 'view view-settings', 'aria-label': 'Settings' }, h('header', { class: 'view-header' }, h('h1', {}, 'Settings')), body);

    function shortcutSection(info: SettingsInfo): HTMLElement {
      const input = h('input', {
        type: 'text',
        class: 'shortcut-input',
        value: info.shortcut.accelerator,
        'aria-label': 'Quick ask shortcut',
        spellcheck: 'false',
      });
      const note = h('p', { class: 'status-line', role: 'status', 'aria-live': 'polite' });
      const form = h(
        'form',
        { class: 'row' },
        input,
        h('button', { type: 'submit', class: 'secondary' }, 'Save'),
        h(
          'button',
          {
            type: 'button',
            class: 'link',
            onclick: () => {
              input.value = info.shortcut.default;
              form.requestSubmit();
            },
          },
          `Reset to ${info.shortcut.default}`,
        ),
      );
      form.addEventListener('submit', async (event) => {
        event.preventDefault();
        try {
          const saved = await api.setShortcut(input.value);
          note.className = 'status-line info';
          note.textContent = `Saved: ${saved} opens the quick-ask box.`;
        } catch (error) {
          note.className = 'status-line error';
          note.textContent = errorText(error);
        }
      });
      const { availability, problem } = info.shortcut;
      return h(
        'section',
        { class: 'setting', 'aria-label': 'Quick ask shortcut' },
        h('h2', {}, 'Quick ask shortcut'),
        h('p', { class: 'muted' }, 'Opens the quick-ask box from anywhere. Write it like Ctrl+Shift+Space or Alt+K.'),
        form,
        !availability.available && h('p', { class: 'callout warn', 'data-note': 'shortcut' }, availability.note),
        problem && availability.available && h('p', { class: 'callout error' }, problem),
        note,
      );
    }

    const PICKER_CLOSED = Symbol('the file picker was closed');
    const TASKS: Record<string, string> = { embed: 'search', chat: 'answers', plan: 'planning' };

    function modelsSection(models: ModelSummary[]): HTMLElement {
      const note = h('p', { class: 'status-line', role: 'status', 'aria-live': 'polite' });
      const act = async (action: () => Promise<unknown>, done: string) => {
        try {
          await action();
          await load();
          const fresh = body.querySelector('.setting[aria-label="Models"] .status-line');
          if (fresh) {
            fresh.className = 'status-line info';
            fresh.textContent = done;
          }
        } catch (error) {
          note.className = 'status-line error';
          note.textContent = error === PICKER_CLOSED ? '' : errorText(error);
        }
      };
      const outlookText = (o: NonNullable<ModelSummary['outlook']>) =>
        `Writes about ${o.write_tokens_per_second.toFixed(1)} tokens a second here; reads a question with its passages in about ${Math.round(o.seconds_to_read_1000_tokens)} s. Good for ${o.good_for}.`;
      const row = (m: ModelSummary) => {
        const facts = [m.architecture, m.context_length ? `${m.context_length.toLocaleString('en')} tokens` : null, m.size_bytes ? bytes(m.size_bytes) : null]
          .filter(Boolean)
          .join(' · ');
        const usable = m.task === 'chat' && m.location && !m.problem;
        return h(
          'tr',
          { 'data-model': m.name },
          h(
            'td',
            {},
            h('div', {}, m.name),
            facts && h('div', { class: 'muted' }, facts),
            m.outlook && h('div', { class: 'muted model-outlook' }, outlookText(m.outlook)),
            m.outlook?.fits === false && h('div', { class: 'warn' }, `Needs about ${bytes(m.outlook.memory_needed_bytes)} of memory; only ${bytes(m.outlook.memory_free_bytes ?? 0)} is free now.`),
          ),
          h('td', { class: 'muted' }, m.used_for.length ? `used for ${m.used_for.map((t) => TASKS[t] ?? t).join(' and ')}` : ''),
          h(
            'td',
            { class: m.problem ? 'warn' : 'mono' },
            m.problem ?? m.location ?? '',
          ),
          h(
            'td',
            { class: 'actions' },
            usable && !m.used_for.includes('chat') &&
              h('button', { type: 'button', class: 'link', onclick: () => void act(() => api.useModel(m.name, 'chat'), `${m.name} now answers questions.`) }, 'Use for answers'),
            usable && !m.used_for.includes('plan') &&
              h('button', { type: 'button', class: 'link', onclick: () => void act(() => api.useModel(m.name, 'plan'), `${m.name} now plans searches and actions.`) }, 'Use for planning'),
            m.task === 'chat' && !m.default && m.location &&
              h('button', { type: 'button', class: 'link danger', onclick: () => void act(() => api.removeModel(m.name), `${m.name} removed.`) }, 'Remove'),
          ),
        );
      };
      return h(
        'section',
        { class: 'setting', 'aria-label': 'Models' },
        h('h2', {}, 'Models'),
        h('p', { class: 'muted' }, 'Any GGUF chat model of the llama, qwen2, qwen3, gemma3 or phi3 families runs on this machine; bigger ones answer better and slower.'),
        h('table', { class: 'models' }, h('tbody', {}, models.map(row))),
        h(
          'button',
          {
            type: 'button',
            class: 'secondary',
            onclick: () =>
              void act(async () => {
                note.className = 'status-line';
                note.textContent = 'Checking and copying the model…';
                if ((await api.addModel()) === null) throw PICKER_CLOSED;
              }, 'Model added. Choose what to use it for above.'),
          },
          'Add a chat model…',
        ),
        note,
      );
    }

    /// The month the fiscal year starts in, for "this fiscal year".
    function searchSection(info: SettingsInfo): HTMLElement {
      const note = h('p', { class: 'status-line', role: 'status', 'aria-live': 'polite' });
      const months = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
      const current = info.fiscal_year_start ?? 1;
      const select = h(
        'select',
        { class: 'fiscal-select', 'aria-label': 'The fiscal year starts in' },
        months.map((name, i) => h('option', { value: String(i + 1) }, name)),
      ) as HTMLSelectElement;
      select.value = String(current);
      select.addEventListener('change', async () => {
        try {
          await api.setFiscalYearStart(Number(select.value));
          note.className = 'status-line';
          note.textContent = `“This fiscal year” now starts in ${months[Number(select.value) - 1]}.`;
        } catch (error) {
          note.className = 'status-line error';
          note.textContent = errorText(error);
        }
      });
      return h(
        'section',
        { class: 'setting', 'aria-label': 'Search' },
        h('h2', {}, 'Search'),
        h('label', { class: 'inline' }, 'The fiscal year starts in ', select),
        h('p', { class: 'muted' }, 'Requests such as “reports from this fiscal year” count from this month.'),
        note,
      );
    }

    /// Running programs from requests: off unless turned on, and then only
    /// the programs listed.
    function actionsSection(info: SettingsInfo): HTMLElement {
      const note = h('p', { class: 'status-line', role: 'status', 'aria-live': 'polite' });
      const run = info.run ?? { enabled: false, programs: [] };
      const enabled = h('input', { type: 'checkbox', class: 'run-enabled', checked: run.enabled }) as HTMLInputElement;
      const list = h('textarea', {
        class: 'run-programs mono',
        rows: 3,
        'aria-label': 'Allowed programs, one full path per line',
        placeholder: '/usr/bin/convert',
        spellcheck: 'false',
      }) as HTMLTextAreaElement;
      list.value = run.programs.join('\n');
      const form = h(
        'form',
        { class: 'run-form' },
        h('label', { class: 'inline' }, enabled, ' Let requests such as “run convert photo.png photo.jpg” run these programs'),
        list,
        h('button', { type: 'submit', class: 'secondary' }, 'Save'),
      );
      form.addEventListener('submit', async (event) => {
        event.preventDefault();
        const programs = list.value.split('\n').map((l) => l.trim()).filter(Boolean);
        try {
          const saved = await api.setRunPrograms(enabled.checked, programs);
          list.value = saved.join('\n');
          note.className = 'status-line';
          note.textContent = enabled.checked
            ? `Saved: requests may run ${saved.length === 1 ? '1 program' : `${saved.length} programs`}, always after you confirm.`
            : 'Saved: requests run no programs.';
        } catch (error) {
          note.className = 'status-line error';
          note.textContent = errorText(error);
        }
      });
      return h(
        'section',
        { class: 'setting', 'aria-label': 'Actions' },
        h('h2', {}, 'Actions'),
        h('p', { class: 'muted' }, 'Nook changes files only inside the watched folders, and only after you confirm; everything it does is listed in Activity. Programs run with their arguments as typed, never through a shell.'),
        form,
        note,
      );
    }

    function draw(info: SettingsInfo) {
      replace(
        body,
        shortcutSection(info),
        searchSection(info),
        h(
          'section',
          { class: 'setting', 'aria-label': 'Tray' },
          h('h2', {}, 'Tray'),
          info.tray.available
            ? h('p', { class: 'muted' }, 'Closing the main window keeps Nook in the tray; use its menu to quit.')
            : h('p', { class: 'callout warn' }, info.tray.note),
        ),
        h(
          'section',
          { class: 'setting', 'aria-label': 'Folders' },
          h('h2', {}, 'Folders'),
          info.folders.length
            ? h('ul', { class: 'plain' }, info.folders.map((f) => h('li', { class: 'mono' }, f)))
            : h('p', { class: 'muted' }, 'No folder yet.'),
          h('button', { type: 'button', class: 'link', onclick: () => context.navigate('library') }, 'Manage folders in Library'),
        ),
        modelsSection(info.models),
        actionsSection(info),
        h(
          'section',
          { class: 'setting', 'aria-label': 'Data' },
          h('h2', {}, 'Where Nook keeps its data'),
          h(
            'dl',
            { class: 'paths' },
            h('dt', {}, 'Settings'),
            h('dd', { class: 'mono' }, info.data.config),
            h('dt', {}, 'Index'),
            h('dd', { class: 'mono' }, info.data.index),
            h('dt', {}, 'Conversations'),
            h('dd', { class: 'mono' }, info.data.conversations),
            h('dt', {}, 'Models'),
            h('dd', { class: 'mono' }, info.data.models.join('\n')),
          ),
          h('p', { class: 'muted' }, 'Everything stays on this machine.'),
        ),
      );
    }

    async function load() {
      try {
        draw(await api.settingsInfo());
      } catch (error) {
        replace(body, h('p', { class: 'status-line error' }, errorText(error)));
      }
    }

    return { element, shown: () => void load() };
  },
};
