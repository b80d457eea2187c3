import { describe, expect, it } from 'vitest';
import { api } from '../../src/ipc';
import { quickAsk } from '../../src/quick-ask';
import { fakeBackend, found, hit, key, NOW, settle } from './helpers';

function mount() {
  const root = document.createElement('div');
  document.body.appendChild(root);
  const box = quickAsk(root, api, () => NOW);
  return { root, box, input: root.querySelector('input') as HTMLInputElement };
}

describe('quick-ask box', () => {
  it('shows results as you type and opens the chosen one with Enter, then hides', async () => {
    const backend = fakeBackend({
      search: () => found([hit('/d/a.md'), hit('/d/b.md')]),
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
    const backend = fakeBackend({
      search: ({ query }) => found([hit(`/d/${query}.md`)]),
      open_file: () => null,
      hide_quick_ask: () => null,
      route: () => ({ route: 'find', why: 'words to find files by' }),
    });
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
    fakeBackend({ search: () => found([]) });
    const { root, input } = mount();
    input.value = 'zebra';
    input.dispatchEvent(new Event('input'));
    await settle(150);
    expect(root.querySelector('.quick-status')!.textContent).toBe('No file matches “zebra”.');
  });

  it('shows the plan as chips and changes one to another phrase', async () => {
    const DATES = { field: 'dates', label: 'last week', detail: 'modified …' };
    const backend = fakeBackend({
      search: () => found([hit('/d/roadmap.pptx', 'a passage', 'presentation')], [DATES]),
      refine_search: ({ phrase }) => found([hit('/d/kickoff.pptx', 'a passage', 'presentation')], [{ ...DATES, label: String(phrase) }]),
    });
    const { root, input } = mount();
    input.value = 'slides from last week';
    input.dispatchEvent(new Event('input'));
    await settle(150);
    const chips = root.querySelector('.plan-chips') as HTMLElement;
    expect(chips.hidden).toBe(false);
    expect(chips.textContent).toContain('last week');
    (root.querySelector('.chip-label') as HTMLButtonElement).click();
    const box = root.querySelector('.chip-input') as HTMLInputElement;
    box.value = 'last month';
    key(box, 'Enter');
    await settle();
    expect(backend.calls.find((c) => c.cmd === 'refine_search')!.args).toMatchObject({ field: 'dates', phrase: 'last month', limit: 8 });
    expect(chips.textContent).toContain('last month');
    expect(root.querySelector('.result-name')!.textContent).toBe('kickoff.pptx');
  });

  it('answers on Enter what the engine routes as a question, with its sources, and opens a source', async () => {
    const backend = fakeBackend({
      search: () => found([hit('/d/a.md')]),
      route: ({ text }) => ({ route: text === 'how often do I feed the starter' ? 'ask' : 'find', why: '' }),
      open_file: () => null,
      hide_quick_ask: () => null,
      ask: async ({ request, question }) => {
        await backend.emit('answer', { request, type: 'text', text: 'Every twelve hours [1].' });
        const sources = [{ number: 1, path: '/d/sourdough.md', line_start: 2, line_end: 4, cited: true }];
        return { conversation: 'c1', turn: { question, answer: 'Every twelve hours [1].', sources, model: 'm', finish: 'end_of_turn', asked_ms: NOW } };
      },
    });
    const { root, input } = mount();
    input.value = 'how often do I feed the starter';
    input.dispatchEvent(new Event('input'));
    key(input, 'Enter');
    await settle();
    expect(backend.calls.some((c) => c.cmd === 'open_file')).toBe(false);
    expect(backend.calls.find((c) => c.cmd === 'route')!.args).toEqual({ text: 'how often do I feed the starter' });
    expect(backend.calls.find((c) => c.cmd === 'ask')!.args).toMatchObject({ question: 'how often do I feed the starter', conversation: null });
    expect(root.querySelector('.answer-text')!.textContent).toBe('Every twelve hours [1].');
    expect(root.querySelector('.quick-status')!.textContent).toContain('Kept in Ask');
    (root.querySelector('.source-open') as HTMLButtonElement).click();
    await settle();
    expect(backend.calls.filter((c) => c.cmd === 'open_file').map((c) => c.args.path)).toEqual(['/d/sourdough.md']);
    expect(backend.calls.some((c) => c.cmd === 'hide_quick_ask')).toBe(true);
  });

  it('opens the chosen file on Enter after the arrows, even on a question', async () => {
    const backend = fakeBackend({ search: () => found([hit('/d/a.md'), hit('/d/b.md')]), open_file: () => null, hide_quick_ask: () => null });
    const { input } = mount();
    input.value = 'where are my tax papers?';
    input.dispatchEvent(new Event('input'));
    await settle(150);
    key(input, 'ArrowDown');
    key(input, 'Enter');
    await settle();
    expect(backend.calls.filter((c) => c.cmd === 'open_file').map((c) => c.args.path)).toEqual(['/d/b.md']);
    expect(backend.calls.some((c) => c.cmd === 'ask')).toBe(false);
  });
});

