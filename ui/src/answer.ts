// Answers from the user's files, shared by the Ask view and the quick-ask
// box: asking with streaming (the `answer` event, under a request id of the
// window's own), and one question-and-answer drawn with its sources.

import { h, replace } from './dom';
import { events, type Api } from './ipc';
import { fileName, folderOf, place } from './format';
import type { AnswerInfo, AnswerUpdate, CheckedSentence, Extract, SourceRef, Turn } from './types';

let requests = 0;

export interface AnswerRun {
  /// Resolves with the kept turn, or rejects with the engine's message.
  done: Promise<AnswerInfo>;
  /// Stops the answer; what was said so far is kept.
  cancel(): void;
}

/// Asks `question` (in `conversation`, or a new one); `onUpdate` hears the
/// sources, the model loading, the prompt being read and the text as it
/// comes.
export function startAnswer(
  api: Api,
  question: string,
  conversation: string | null,
  onUpdate: (update: AnswerUpdate) => void,
  scope: string | null = null,
): AnswerRun {
  const request = `r${Date.now().toString(36)}-${++requests}`;
  const done = (async () => {
    const unlisten = await events.answer((update) => {
      if (update.request === request) onUpdate(update);
    });
    try {
      return await api.ask(request, question, conversation, scope);
    } finally {
      unlisten();
    }
  })();
  return { done, cancel: () => void api.cancelAnswer(request).catch(() => {}) };
}

/// What the model is doing, in words.
export function progressText(update: AnswerUpdate): string | null {
  switch (update.type) {
    case 'sources':
      return update.sources.length ? `Found ${update.sources.length === 1 ? '1 passage' : `${update.sources.length} passages`}; answering…` : null;
    case 'loading':
      return `Loading the model ${update.model}… ${Math.round(update.progress * 100)}%`;
    case 'reading':
      return update.reused > 0
        ? `Reading ${update.tokens - update.reused} new tokens (the conversation so far is already read)…`
        : `Reading ${update.tokens} tokens of your files…`;
    case 'summarizing':
      return update.stage === 'reading'
        ? `Reading the whole file: part ${update.done} of ${update.total}…`
        : `Summarizing the file: part ${update.done} of ${update.total}…`;
    case 'thinking':
      return 'The model is thinking before it answers…';
    case 'extract':
    case 'text':
    case 'checked':
    case 'key_points':
    case 'generation':
      return null;
  }
}

/// What a sentence of the answer is marked with after the check.
const SUPPORT_NOTES: Record<CheckedSentence['support'], string | null> = {
  supported: null,
  not_found: 'not found in your files',
  no_claim: null,
};

const FINISH_NOTES: Record<string, string> = {
  cancelled: 'Stopped.',
  max_tokens: 'The answer reached its length limit.',
};

/// One question and its answer, drawn as it streams and then as kept.
export class TurnView {
  readonly element: HTMLElement;
  private readonly extract: HTMLElement;
  private readonly keyPoints: HTMLElement;
  private readonly thinking: HTMLDetailsElement;
  private readonly thinkingSummary: HTMLElement;
  private readonly thinkingText: HTMLElement;
  private readonly answer: HTMLElement;
  private readonly sources: HTMLElement;
  private readonly note: HTMLElement;
  private text = '';
  private thought = '';

  constructor(
    question: string,
    private readonly onOpen: (source: SourceRef) => void,
  ) {
    this.extract = h('figure', { class: 'extract', hidden: true });
    this.keyPoints = h('figure', { class: 'key-points', hidden: true });
    // A thinking model's reasoning: collapsed, apart from the answer.
    this.thinkingSummary = h('summary', {}, 'Thinking…');
    this.thinkingText = h('p', { class: 'thinking-text' });
    this.thinking = h('details', { class: 'thinking', hidden: true }, this.thinkingSummary, this.thinkingText) as HTMLDetailsElement;
    this.answer = h('div', { class: 'answer-text', 'aria-live': 'polite' });
    this.sources = h('ol', { class: 'sources', 'aria-label': 'Sources', hidden: true });
    this.note = h('p', { class: 'turn-note', hidden: true });
    this.element = h(
      'article',
      { class: 'turn' },
      h('p', { class: 'question' }, question),
      this.extract,
      this.keyPoints,
      this.thinking,
      this.answer,
      this.note,
      this.sources,
    );
  }

  /// Draws a kept turn at once.
  static of(turn: Turn, onOpen: (source: SourceRef) => void): TurnView {
    const view = new TurnView(turn.question, onOpen);
    view.finish(turn);
    return view;
  }

  update(update: AnswerUpdate): void {
    if (update.type === 'sources') this.showSources(update.sources);
    if (update.type === 'extract') this.showExtract(update.extract);
    if (update.type === 'key_points') this.showKeyPoints(update.points);
    if (update.type === 'thinking') {
      this.thought += update.text;
      this.showThinking(this.thought, false);
    }
    if (update.type === 'text') {
      this.text += update.text;
      this.answer.textContent = this.text;
    }
    if (update.type === 'checked') this.showChecked(update.sentences, update.answer);
  }

  finish(turn: Turn): void {
    if (turn.thinking) this.showThinking(turn.thinking, true);
    if (turn.key_points) this.showKeyPoints(turn.key_points);
    else if (turn.finish !== 'nothing_found') this.showExtract(turn.extract ?? null, turn.extract === undefined);
    if (turn.sentences?.length) this.showChecked(turn.sentences, turn.answer);
    else this.answer.textContent = turn.answer;
    this.answer.classList.toggle('nothing-found', turn.finish === 'nothing_found');
    this.showSources(turn.sources);
    const note = [FINISH_NOTES[turn.finish], ...(turn.notes ?? [])].filter(Boolean).join(' ');
    this.note.hidden = !note;
    this.note.textContent = note;
  }

  failed(message: string): void {
    this.note.hidden = false;
    this.note.className = 'turn-note error';
    this.note.textContent = message;
  }

  /// The span that answers, highlighted in its passage, with its file and
  /// lines (a click opens the file); or, when no span answers, a line that
  /// says so. Turns kept before extraction (`unknown`) show nothing.
  private showExtract(extract: Extract | null, unknown = false): void {
    this.extract.hidden = unknown;
    if (unknown) return;
    if (!extract) {
      this.extract.className = 'extract none';
      replace(this.extract, [h('figcaption', {}, 'No passage of your files answers this directly; the answer below is checked against them.')]);
      return;
    }
    this.extract.className = 'extract';
    const source = asSource(extract);
    replace(this.extract, [
      h(
        'figcaption',
        {},
        h('span', { class: 'extract-label' }, 'From your files'),
        h(
          'button',
          { type: 'button', class: 'extract-open', title: `Open ${extract.path}`, onclick: () => this.onOpen(source) },
          h('span', { class: 'extract-number' }, `[${extract.source}]`),
          h('span', { class: 'extract-name' }, fileName(extract.path)),
          h('span', { class: 'extract-lines' }, place(extract)),
        ),
      ),
      h(
        'blockquote',
        { class: 'extract-passage' },
        h('span', { class: 'extract-context' }, extract.before),
        h('mark', { class: 'extract-span' }, extract.text),
        h('span', { class: 'extract-context' }, extract.after),
      ),
    ]);
  }

  /// A thinking model's reasoning, collapsed under a line that counts its
  /// words (open it to read); while it streams, the line says so.
  private showThinking(text: string, done: boolean): void {
    this.thinking.hidden = false;
    const words = text.split(/\s+/).filter(Boolean).length;
    this.thinkingSummary.textContent = done || this.text ? `Thought for ${words} ${words === 1 ? 'word' : 'words'}` : `Thinking… ${words} ${words === 1 ? 'word' : 'words'}`;
    this.thinkingText.textContent = text.trim();
  }

  /// A summary's key points: each sentence with its part and lines (a
  /// click opens the file there), in the file's order.
  private showKeyPoints(points: Extract[]): void {
    this.keyPoints.hidden = false;
    const name = points.length ? fileName(points[0].path) : 'this file';
    replace(this.keyPoints, [
      h('figcaption', {}, h('span', { class: 'extract-label' }, `Key points of ${name}`)),
      points.length
        ? h(
            'ol',
            { class: 'key-point-list' },
            ...points.map((point) =>
              h(
                'li',
                { class: 'key-point' },
                h('span', { class: 'key-point-text' }, point.text),
                h(
                  'button',
                  {
                    type: 'button',
                    class: 'extract-open',
                    title: `Open ${point.path}`,
                    onclick: () => this.onOpen(asSource(point)),
                  },
                  h('span', { class: 'extract-number' }, `[${point.source}]`),
                  h('span', { class: 'extract-lines' }, place(point)),
                ),
              ),
            ),
          )
        : h('p', { class: 'key-point-none' }, 'No sentence of this file stands out as a key point; its parts are listed below.'),
    ]);
  }

  /// The answer after the check: each sentence as text, those no passage
  /// supports marked "not found in your files".
  private showChecked(sentences: CheckedSentence[], answer: string): void {
    if (!sentences.length) {
      this.answer.textContent = answer;
      return;
    }
    const parts: (HTMLElement | string)[] = [];
    sentences.forEach((sentence, i) => {
      if (i > 0) parts.push(' ');
      const marks = sentence.sources.map((n) => `[${n}]`).join('');
      const note = SUPPORT_NOTES[sentence.support];
      parts.push(
        h(
          'span',
          { class: `sentence ${sentence.support.replace('_', '-')}`, title: note ?? '' },
          sentence.text,
          marks && h('span', { class: 'sentence-sources' }, ` ${marks}`),
          note && h('span', { class: 'badge not-found' }, note),
        ),
      );
    });
    replace(this.answer, parts);
  }

  private showSources(sources: SourceRef[]): void {
    this.sources.hidden = sources.length === 0;
    replace(
      this.sources,
      sources.map((source) =>
        h(
          'li',
          { class: source.cited ? 'source cited' : 'source' },
          h(
            'button',
            {
              type: 'button',
              class: 'source-open',
              title: `Open ${source.path}`,
              'data-number': source.number,
              onclick: () => this.onOpen(source),
            },
            h('span', { class: 'source-number' }, `[${source.number}]`),
            h('span', { class: 'source-name' }, fileName(source.path)),
            h('span', { class: 'source-lines' }, place(source)),
            h('span', { class: 'source-folder' }, folderOf(source.path)),
          ),
          source.cited && h('span', { class: 'badge cited' }, 'cited'),
        ),
      ),
    );
  }
}

/// The source an extract or key point comes from, to open it there.
function asSource(extract: Extract): SourceRef {
  return {
    number: extract.source,
    path: extract.path,
    line_start: extract.line_start,
    line_end: extract.line_end,
    section: extract.section,
    cited: false,
  };
}
