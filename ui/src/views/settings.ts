// Settings: the quick-ask shortcut, the folders, the models found and where
// Nook keeps its data.

import { h, replace } from '../dom';
import { errorText } from '../ipc';
import type { SettingsInfo } from '../types';
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

    function draw(info: SettingsInfo) {
      replace(
        body,
        shortcutSection(info),
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
        h(
          'section',
          { class: 'setting', 'aria-label': 'Models' },
          h('h2', {}, 'Models'),
          h(
            'table',
            { class: 'models' },
            h('tbody', {}, info.models.map((m) =>
              h(
                'tr',
                {},
                h('td', {}, m.name),
                h('td', { class: 'muted' }, m.task === 'embed' ? 'search' : m.task),
                h('td', { class: m.location ? 'mono' : 'warn' }, m.location ?? 'not installed: run bash scripts/setup.sh --models'),
              ),
            )),
          ),
        ),
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
