import { describe, expect, it } from 'vitest';
import { api } from '../../src/ipc';
import { quickAsk } from '../../src/quick-ask';
import { fakeBackend, hit, key, NOW, settle } from './helpers';

function mount() {
  const root = document.createElement('div');
  document.body.appendChild(root);
  const box = quickAsk(root, api, () => NOW);
  return { root, box, input: root.querySelector('input') as HTMLInputElement };
}

describe('quick-ask box', () => {
  it('shows results as you type and opens the chosen one with Enter, then hides', async () => {
    const backend = fakeBackend({
      search: () => [hit('/d/a.md'), hit('/d/b.md')],
      open_file: () => null,
      hide_quick_ask: () => null,
    });
    const { root, input, box } = mount();
    box.shown();
    expect(document.activeElement).toBe(input);
    input.value = 'plans';
    input.dispatchEvent(new Event('input'));
    await settle(150);
    expect(root.querySelectorAll('.result')).toHaveLength(2);
    expect(backend.calls.find((c) => c.cmd === 'search')!.args).toEqual({ query: 'plans', limit: 8 });
    key(input, 'ArrowDown');
    key(input, 'Enter');
    await settle();
    expect(backend.calls.filter((c) => c.cmd === 'open_file').map((c) => c.args.path)).toEqual(['/d/b.md']);
    expect(backend.calls.some((c) => c.cmd === 'hide_quick_ask')).toBe(true);
  });

  it('opens the best file of what was typed when Enter comes before the results', async () => {
    const backend = fakeBackend({ search: ({ query }) => [hit(`/d/${query}.md`)], open_file: () => null, hide_quick_ask: () => null });
    const { input } = mount();
    input.value = 'invoice';
    input.dispatchEvent(new Event('input'));
    key(input, 'Enter');
    await settle();
    expect(backend.calls.filter((c) => c.cmd === 'open_file').map((c) => c.args.path)).toEqual(['/d/invoice.md']);
  });

  it('hides on Escape and hands over to the main window on Ctrl+O', async () => {
    const backend = fakeBackend({ hide_quick_ask: () => null, show_main: () => null });
    const { input } = mount();
    key(input, 'Escape');
    key(input, 'o', { ctrlKey: true });
    await settle();
    expect(backend.calls.map((c) => c.cmd)).toEqual(['hide_quick_ask', 'show_main']);
  });

  it('says so when nothing matches', async () => {
    fakeBackend({ search: () => [] });
    const { root, input } = mount();
    input.value = 'zebra';
    input.dispatchEvent(new Event('input'));
    await settle(150);
    expect(root.querySelector('.quick-status')!.textContent).toBe('No file matches “zebra”.');
  });
});
