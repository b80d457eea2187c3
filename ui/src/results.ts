// A list of search results with a selection moved by the arrow keys. Used by
// the main window's search and by the quick-ask box.

import { h, replace } from './dom';
import { bytes, fileName, folderOf, kindLabel, modifiedAgo, place } from './format';
import type { Hit } from './types';

export interface ResultListOptions {
  /// Show the snippet under each result (the quick-ask box shows one line).
  compact?: boolean;
  onOpen: (hit: Hit) => void;
  onReveal?: (hit: Hit) => void;
  /// Ask a question about this file only (Alt+A on the selected result).
  onAsk?: (hit: Hit) => void;
  now?: () => number;
}

export class ResultList {
  readonly element: HTMLElement;
  private hits: Hit[] = [];
  private selected = -1;

  constructor(private readonly options: ResultListOptions) {
    this.element = h('ol', { class: options.compact ? 'results compact' : 'results', role: 'listbox', 'aria-label': 'Results' });
  }

  get selectedHit(): Hit | null {
    return this.hits[this.selected] ?? null;
  }

  get length(): number {
    return this.hits.length;
  }

  show(hits: Hit[]): void {
    this.hits = hits;
    this.selected = hits.length ? 0 : -1;
    const now = (this.options.now ?? Date.now)();
    replace(this.element, hits.map((hit, i) => this.row(hit, i, now)));
    this.paintSelection();
  }

  /// Moves the selection by `step`, staying within the list.
  move(step: number): void {
    if (!this.hits.length) return;
    this.selected = Math.min(this.hits.length - 1, Math.max(0, this.selected + step));
    this.paintSelection();
  }

  /// Handles the list's keys; true when the key was used.
  handleKey(event: KeyboardEvent): boolean {
    const hit = this.selectedHit;
    switch (event.key) {
      case 'ArrowDown':
        this.move(1);
        return true;
      case 'ArrowUp':
        this.move(-1);
        return true;
      case 'PageDown':
        this.move(5);
        return true;
      case 'PageUp':
        this.move(-5);
        return true;
      case 'a':
      case 'A':
        if (!hit || !event.altKey || !this.options.onAsk) return false;
        this.options.onAsk(hit);
        return true;
      case 'Enter':
        if (!hit) return false;
        if ((event.ctrlKey || event.altKey) && this.options.onReveal) this.options.onReveal(hit);
        else this.options.onOpen(hit);
        return true;
      default:
        return false;
    }
  }

  private row(hit: Hit, index: number, now: number): HTMLElement {
    const reveal = this.options.onReveal;
    const ask = this.options.onAsk;
    const item = h(
      'li',
      { class: 'result', role: 'option', id: `result-${index}`, 'data-path': hit.path },
      h(
        'div',
        { class: 'result-head' },
        h('span', { class: 'result-name' }, fileName(hit.path)),
        h('span', { class: 'badge' }, kindLabel(hit.kind)),
        hit.size != null && h('span', { class: 'result-size muted' }, bytes(hit.size)),
        h('span', { class: 'result-date', title: new Date(hit.modified_ms).toLocaleString() }, modifiedAgo(hit.modified_ms, now)),
      ),
      h('div', { class: 'result-folder', title: hit.path }, folderOf(hit.path)),
      hit.snippet
        ? h('div', { class: 'snippet', title: place(hit) }, hit.snippet)
        : h('div', { class: 'snippet muted' }, hit.name_match ? 'Found by its name' : 'Found by its kind, dates and size'),
      !this.options.compact &&
        h(
          'div',
          { class: 'result-actions' },
          h('button', { type: 'button', class: 'link', onclick: (e: Event) => this.act(e, () => this.options.onOpen(hit)) }, 'Open'),
          reveal &&
            h('button', { type: 'button', class: 'link', onclick: (e: Event) => this.act(e, () => reveal(hit)) }, 'Show in folder'),
          ask &&
            h('button', { type: 'button', class: 'link ask-about', title: 'Ask a question about this file only (Alt+A)', onclick: (e: Event) => this.act(e, () => ask(hit)) }, 'Ask about it'),
          hit.snippet && h('span', { class: 'muted' }, place(hit)),
        ),
    );
    item.addEventListener('click', () => {
      this.selected = index;
      this.paintSelection();
      this.options.onOpen(hit);
    });
    return item;
  }

  private act(event: Event, action: () => void): void {
    event.stopPropagation();
    action();
  }

  private paintSelection(): void {
    const items = Array.from(this.element.children) as HTMLElement[];
    items.forEach((item, i) => {
      const on = i === this.selected;
      item.classList.toggle('selected', on);
      item.setAttribute('aria-selected', String(on));
      if (on && typeof item.scrollIntoView === 'function') item.scrollIntoView({ block: 'nearest' });
    });
  }
}
