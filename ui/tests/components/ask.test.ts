import { describe, expect, it } from 'vitest';
import { Hub } from '../../src/hub';
import { api } from '../../src/ipc';
import { Shell } from '../../src/shell';
import { views } from '../../src/views';
import type { Turn } from '../../src/types';
import { fakeBackend, found, hit, key, NOW, settle, type FakeBackend } from './helpers';

const READY = { engine: { state: 'ready' }, version: '0.1.0', folders: 1, activity: null };
const SOURCES = [
  { number: 1, path: '/home/ann/kitchen/sourdough.md', line_start: 1, line_end: 5, cited: false },
  { number: 2, path: '/home/ann/notes/flour.txt', line_start: 3, line_end: 3, cited: false },
];

function turn(question: string, answer: string, extra: Partial<Turn> = {}): Turn {
  return { question, answer, sources: SOURCES.map((s) => ({ ...s, cited: answer.includes(`[${s.number}]`) })), model: 'SmolLM2', finish: 'end_of_turn', asked_ms: NOW, ...extra };
}

function mount() {
  const hub = new Hub();
  hub.setEngine({ state: 'ready' });
  const shell = new Shell(views, { api, hub, now: () => NOW });
  document.body.appendChild(shell.element);
  shell.show('ask');
  return { shell, $: (s: string) => shell.element.querySelector(s) as HTMLElement | null, $$: (s: string) => Array.from(shell.element.querySelectorAll(s)) as HTMLElement[] };
}

/// A backend that answers by streaming `pieces`, then keeps the turn.
function answering(
  pieces: string[],
  conversations: { id: string; title: string; turns: Turn[] }[] = [],
  more: Parameters<typeof fakeBackend>[0] = {},
): FakeBackend {
  const backend = fakeBackend({
    ...more,
    app_status: () => READY,
    conversations: () => conversations.map((c) => ({ id: c.id, title: c.title, updated_ms: NOW, turns: c.turns.length })),
    conversation: ({ id }) => {
      const found = conversations.find((c) => c.id === id);
      if (!found) throw `no conversation has the id ${id}`;
      return { ...found, created_ms: NOW, updated_ms: NOW };
    },
    open_file: () => null,
    ask: async ({ request, question, conversation }) => {
      await backend.emit('answer', { request, type: 'sources', sources: SOURCES });
      await backend.emit('answer', { request: 'someone-else', type: 'text', text: 'NOT MINE' });
      for (const text of pieces) await backend.emit('answer', { request, type: 'text', text });
      const kept = turn(question as string, pieces.join(''));
      let c = conversations.find((c) => c.id === conversation);
      if (!c) {
        c = { id: `c${conversations.length + 1}`, title: question as string, turns: [] };
        conversations.push(c);
      }
      c.turns.push(kept);
      return { conversation: c.id, turn: kept };
    },
  });
  return backend;
}

function ask(input: HTMLTextAreaElement, question: string) {
  input.value = question;
  key(input, 'Enter');
}

describe('ask view', () => {
  it('streams the answer under the question, lists the sources with what it cites, and opens one on click', async () => {
    const backend = answering(['Every twelve ', 'hours [1].']);
    const { $, $$ } = mount();
    await settle();
    expect($('.empty-state')!.textContent).toContain('Ask about your files');
    ask($('.ask-input') as HTMLTextAreaElement, 'How often do I feed the starter?');
    await settle();
    expect($('.turn .question')!.textContent).toBe('How often do I feed the starter?');
    expect($('.answer-text')!.textContent).toBe('Every twelve hours [1].');
    const sources = $$('.source');
    expect(sources.map((s) => s.querySelector('.source-name')!.textContent)).toEqual(['sourdough.md', 'flour.txt']);
    expect(sources.map((s) => s.classList.contains('cited'))).toEqual([true, false]);
    expect(sources[0].textContent).toContain('lines 1–5');
    (sources[1].querySelector('button') as HTMLButtonElement).click();
    await settle();
    expect(backend.calls.filter((c) => c.cmd === 'open_file').map((c) => c.args.path)).toEqual(['/home/ann/notes/flour.txt']);
    expect(backend.calls.find((c) => c.cmd === 'ask')!.args).toMatchObject({ question: 'How often do I feed the starter?', conversation: null });
    expect($('.conversation-title')!.textContent).toBe('How often do I feed the starter?');
    expect($$('.conversation-item').map((b) => b.dataset.id)).toEqual(['c1']);
  });

  it('asks about one file from a search result, shows it as a chip, and forgets it when the chip is removed', async () => {
    const backend = answering(['Every twelve hours [1].'], [], {
      search: () => found([hit('/home/ann/kitchen/sourdough.md'), hit('/home/ann/notes/flour.txt')]),
    });
    const { shell, $ } = mount();
    shell.show('search');
    const box = $('.search-box') as HTMLInputElement;
    box.value = 'sourdough';
    box.dispatchEvent(new Event('input', { bubbles: true }));
    await settle(200);
    (shell.element.querySelector('.view-search .result .ask-about') as HTMLButtonElement).click();
    await settle();
    expect(shell.currentView).toBe('ask');
    const chip = $('.scope-chip')!;
    expect(chip.textContent).toContain('In sourdough.md');
    expect(chip.title).toBe('/home/ann/kitchen/sourdough.md');
    ask($('.ask-input') as HTMLTextAreaElement, 'How often do I feed it?');
    await settle();
    expect(backend.calls.filter((c) => c.cmd === 'ask').map((c) => c.args.scope)).toEqual(['/home/ann/kitchen/sourdough.md']);
    // The chip stays for the conversation; Backspace in the empty box removes it.
    key($('.ask-input')!, 'Backspace');
    expect($('.scope-chip')).toBeNull();
    ask($('.ask-input') as HTMLTextAreaElement, 'And in general?');
    await settle();
    expect(backend.calls.filter((c) => c.cmd === 'ask').map((c) => c.args.scope)).toEqual(['/home/ann/kitchen/sourdough.md', null]);
  });

  it('goes on with the same conversation, and shows a kept one from the list', async () => {
    const kept = [{ id: 'c7', title: 'Bread', turns: [turn('Which flour?', 'Rye at first [2].')] }];
    const backend = answering(['Room temperature.'], kept);
    const { $, $$ } = mount();
    await settle();
    $$('.conversation-item')[0].click();
    await settle();
    expect($('.conversation-title')!.textContent).toBe('Bread');
    expect($$('.turn .question').map((q) => q.textContent)).toEqual(['Which flour?']);
    ask($('.ask-input') as HTMLTextAreaElement, 'Where do I keep it?');
    await settle();
    expect(backend.calls.find((c) => c.cmd === 'ask')!.args).toMatchObject({ question: 'Where do I keep it?', conversation: 'c7' });
    expect($$('.turn .question').map((q) => q.textContent)).toEqual(['Which flour?', 'Where do I keep it?']);
  });

  it('stops an answer with Escape and says it stopped', async () => {
    let release: (() => void) | null = null;
    const backend = fakeBackend({
      app_status: () => READY,
      conversations: () => [],
      conversation: () => ({ id: 'c1', title: 'Q?', created_ms: NOW, updated_ms: NOW, turns: [] }),
      cancel_answer: () => {
        release?.();
        return null;
      },
      ask: ({ request, question }) =>
        new Promise((resolve) => {
          void backend.emit('answer', { request, type: 'text', text: 'Half an' });
          release = () => resolve({ conversation: 'c1', turn: turn(question as string, 'Half an', { finish: 'cancelled', sources: [] }) });
        }),
    });
    const { $ } = mount();
    await settle();
    ask($('.ask-input') as HTMLTextAreaElement, 'Q?');
    await settle();
    expect($('.ask-form button')!.textContent).toBe('Stop');
    key($('.ask-input')!, 'Escape');
    await settle();
    expect(backend.calls.some((c) => c.cmd === 'cancel_answer')).toBe(true);
    expect($('.answer-text')!.textContent).toBe('Half an');
    expect($('.turn-note')!.textContent).toBe('Stopped.');
    expect($('.ask-form button')!.textContent).toBe('Ask');
  });

  it('shows a refusal under the question, as the engine words it', async () => {
    fakeBackend({
      app_status: () => READY,
      conversations: () => [],
      ask: () => {
        throw 'no chat model is installed (looked in /m); run `bash scripts/setup.sh --models` to fetch the default one';
      },
    });
    const { $ } = mount();
    await settle();
    ask($('.ask-input') as HTMLTextAreaElement, 'Anything?');
    await settle();
    expect($('.turn-note.error')!.textContent).toContain('no chat model is installed');
  });

  it('renames after Enter in the title field and deletes after a confirming second click', async () => {
    const kept = [{ id: 'c7', title: 'Bread', turns: [turn('Which flour?', 'Rye.')] }];
    const backend = answering([], kept);
    backend.on('rename_conversation', ({ id, title }) => {
      kept[0].title = title as string;
      return { id, title, updated_ms: NOW, turns: 1 };
    });
    backend.on('delete_conversation', () => {
      kept.pop();
      return null;
    });
    const { $, $$ } = mount();
    await settle();
    $$('.conversation-item')[0].click();
    await settle();
    ($$('.conversation-tools button')[0] as HTMLButtonElement).click();
    const field = $('.rename-input') as HTMLInputElement;
    field.value = 'Sourdough';
    key(field, 'Enter');
    await settle();
    expect($('.conversation-title')!.textContent).toBe('Sourdough');
    expect($$('.conversation-name').map((n) => n.textContent)).toEqual(['Sourdough']);
    const remove = $$('.conversation-tools button')[1] as HTMLButtonElement;
    remove.click();
    expect(remove.textContent).toBe('Delete for good?');
    expect(backend.calls.some((c) => c.cmd === 'delete_conversation')).toBe(false);
    remove.click();
    await settle();
    expect(backend.calls.find((c) => c.cmd === 'delete_conversation')!.args).toEqual({ id: 'c7' });
    expect($('.empty-list')!.textContent).toContain('conversations will be kept here');
  });

  it('asks for a folder first when none is watched', async () => {
    fakeBackend({ app_status: () => ({ ...READY, folders: 0 }), conversations: () => [] });
    const { $ } = mount();
    await settle();
    expect($('.empty-state')!.textContent).toContain('Add a folder first');
  });
});

describe('answers from the passages', () => {
  const EXTRACT = {
    source: 1,
    path: '/home/ann/kitchen/sourdough.md',
    line_start: 3,
    line_end: 3,
    text: 'Feed the starter every twelve hours.',
    before: '# Sourdough starter\n\n',
    after: '\nKeep it warm.',
    score: 0.7,
  };

  it('shows the span that answers, in its passage with file and lines, before the model writes, then marks what the files do not support', async () => {
    let seenBeforeText: string | null = null;
    let extractShown = false;
    const backend = fakeBackend({
      app_status: () => READY,
      conversations: () => [],
      open_file: () => null,
      ask: async ({ request, question }) => {
        await backend.emit('answer', { request, type: 'sources', sources: SOURCES });
        await backend.emit('answer', { request, type: 'extract', extract: EXTRACT });
        await settle();
        extractShown = view.$('.extract-span')?.textContent === EXTRACT.text;
        seenBeforeText = view.$('.answer-text')?.textContent ?? null;
        await backend.emit('answer', { request, type: 'text', text: 'Every twelve hours [2]. Use rye flour [1].' });
        const sentences = [
          { text: 'Every twelve hours.', support: 'supported', sources: [1] },
          { text: 'Use rye flour.', support: 'not_found', sources: [] },
        ];
        await backend.emit('answer', { request, type: 'checked', sentences, answer: 'Every twelve hours [1]. Use rye flour.' });
        const kept = turn(question as string, 'Every twelve hours [1]. Use rye flour.', { extract: EXTRACT, sentences: sentences as Turn['sentences'] });
        return { conversation: 'c1', turn: kept };
      },
    });
    const view = mount();
    const { $, $$ } = view;
    await settle();
    ask($('.ask-input') as HTMLTextAreaElement, 'How often do I feed the starter?');
    await settle();
    await settle(); // the backend waits once more after the extract
    expect(extractShown).toBe(true);
    expect(seenBeforeText).toBe('');
    expect($('.extract-name')!.textContent).toBe('sourdough.md');
    expect($('.extract-lines')!.textContent).toBe('line 3');
    expect($('.extract-passage')!.textContent).toBe('# Sourdough starter\n\nFeed the starter every twelve hours.\nKeep it warm.');
    const marked = $$('.answer-text .sentence');
    expect(marked.map((s) => s.classList.contains('not-found'))).toEqual([false, true]);
    expect(marked[1].textContent).toContain('not found in your files');
    expect(marked[0].textContent).toBe('Every twelve hours. [1]');
    ($('.extract-open') as HTMLButtonElement).click();
    await settle();
    expect(backend.calls.filter((c) => c.cmd === 'open_file').map((c) => c.args.path)).toEqual([EXTRACT.path]);
  });

  it('summarizes a whole file: progress by part, its key points with their lines, then the checked summary', async () => {
    const PARTS = [
      { number: 1, path: '/home/ann/lease.md', line_start: 1, line_end: 40, cited: false },
      { number: 2, path: '/home/ann/lease.md', line_start: 38, line_end: 80, cited: false },
    ];
    const POINTS = [
      { ...EXTRACT, path: '/home/ann/lease.md', source: 1, line_start: 4, line_end: 4, text: 'The lease runs for twelve months.' },
      { ...EXTRACT, path: '/home/ann/lease.md', source: 2, line_start: 61, line_end: 62, text: 'Rent is due on the first of each month.' },
    ];
    const progress: string[] = [];
    let pointsBeforeText: string[] = [];
    const backend = fakeBackend({
      app_status: () => READY,
      conversations: () => [],
      open_file: () => null,
      ask: async ({ request, question }) => {
        await backend.emit('answer', { request, type: 'sources', sources: PARTS });
        for (const done of [1, 2]) {
          await backend.emit('answer', { request, type: 'summarizing', stage: 'reading', done, total: 2 });
          await settle();
          progress.push(view.$('.status-line')!.textContent!);
        }
        await backend.emit('answer', { request, type: 'key_points', points: POINTS });
        await settle();
        pointsBeforeText = view.$$('.key-point-text').map((p) => p.textContent!);
        await backend.emit('answer', { request, type: 'summarizing', stage: 'summarizing', done: 1, total: 2 });
        await settle();
        progress.push(view.$('.status-line')!.textContent!);
        await backend.emit('answer', { request, type: 'text', text: 'A one-year lease [1].' });
        const sentences = [{ text: 'A one-year lease.', support: 'not_found', sources: [] }];
        await backend.emit('answer', { request, type: 'checked', sentences, answer: 'A one-year lease.' });
        const kept: Turn = { ...turn(question as string, 'A one-year lease.', { sentences: sentences as Turn['sentences'], extract: null, key_points: POINTS }), sources: PARTS };
        return { conversation: 'c1', turn: kept };
      },
    });
    const view = mount();
    const { $, $$ } = view;
    await settle();
    ask($('.ask-input') as HTMLTextAreaElement, 'summarize lease.md');
    for (let i = 0; i < 6; i++) await settle(); // the backend waits after each step
    expect(progress).toEqual([
      'Reading the whole file: part 1 of 2…',
      'Reading the whole file: part 2 of 2…',
      'Summarizing the file: part 1 of 2…',
    ]);
    expect(pointsBeforeText).toEqual(POINTS.map((p) => p.text));
    expect($('.key-points figcaption')!.textContent).toBe('Key points of lease.md');
    expect($$('.key-point .extract-lines').map((l) => l.textContent)).toEqual(['line 4', 'lines 61–62']);
    expect($('.extract')!.hidden).toBe(true);
    expect($('.answer-text .sentence.not-found')!.textContent).toContain('not found in your files');
    ($$('.key-point .extract-open')[1] as HTMLButtonElement).click();
    await settle();
    expect(backend.calls.filter((c) => c.cmd === 'open_file').map((c) => c.args.path)).toEqual(['/home/ann/lease.md']);
  });

  it("keeps a thinking model's reasoning apart from the answer, collapsed, and shows it again in a kept turn", async () => {
    let whileThinking: { summary: string; open: boolean; answer: string } | null = null;
    const backend = fakeBackend({
      app_status: () => READY,
      conversations: () => [],
      ask: async ({ request, question }) => {
        await backend.emit('answer', { request, type: 'sources', sources: SOURCES });
        await backend.emit('answer', { request, type: 'extract', extract: EXTRACT });
        await backend.emit('answer', { request, type: 'thinking', text: 'The notes say twelve hours. ' });
        await backend.emit('answer', { request, type: 'thinking', text: 'So the answer is twelve.' });
        await settle();
        const details = view.$('details.thinking') as HTMLDetailsElement;
        whileThinking = { summary: details.querySelector('summary')!.textContent!, open: details.open, answer: view.$('.answer-text')!.textContent! };
        await backend.emit('answer', { request, type: 'text', text: 'Every twelve hours [1].' });
        const kept = turn(question as string, 'Every twelve hours [1].', { extract: EXTRACT, thinking: 'The notes say twelve hours. So the answer is twelve.' });
        return { conversation: 'c1', turn: kept };
      },
    });
    const view = mount();
    const { $ } = view;
    await settle();
    ask($('.ask-input') as HTMLTextAreaElement, 'How often do I feed the starter?');
    await settle();
    await settle();
    expect(whileThinking).toEqual({ summary: 'Thinking… 10 words', open: false, answer: '' });
    const details = $('details.thinking') as HTMLDetailsElement;
    expect(details.hidden).toBe(false);
    expect(details.open).toBe(false);
    expect($('details.thinking summary')!.textContent).toBe('Thought for 10 words');
    expect($('.thinking-text')!.textContent).toBe('The notes say twelve hours. So the answer is twelve.');
    expect($('.answer-text')!.textContent).toBe('Every twelve hours [1].');
  });

  it('says so when no span answers', async () => {
    const backend = fakeBackend({
      app_status: () => READY,
      conversations: () => [],
      ask: async ({ request, question }) => {
        await backend.emit('answer', { request, type: 'sources', sources: SOURCES });
        await backend.emit('answer', { request, type: 'extract', extract: null });
        return { conversation: 'c1', turn: turn(question as string, 'The files do not tell.', { extract: null, sentences: [] }) };
      },
    });
    const { $ } = mount();
    await settle();
    ask($('.ask-input') as HTMLTextAreaElement, 'What is the capital of Peru?');
    await settle();
    expect($('.extract.none')!.textContent).toContain('No passage of your files answers this directly');
    expect($('.answer-text')!.textContent).toBe('The files do not tell.');
  });
});
