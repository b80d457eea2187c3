// The search plan's filters as chips under the search box: "documents",
// "this quarter", "in Downloads". A chip's × (or Delete on it) removes the
// filter; clicking it (or Enter) turns it into a box where another phrase
// ("last month", "spreadsheets") replaces it. Used by the main window's
// search and by the quick-ask box.

import { h, replace } from './dom';
import type { Chip } from './types';

export interface PlanChipsOptions {
  onRemove: (chip: Chip) => void;
  onChange: (chip: Chip, phrase: string) => void;
}

const FIELD_NAMES: Record<Chip['field'], string> = {
  kinds: 'Kind',
  dates: 'Dates',
  folder: 'Folder',
  size: 'Size',
  name: 'Name',
  order: 'Order',
};

/// A chip as it reads: a relaxed one says so.
function shown(chip: Chip): string {
  return chip.relaxed ? `${chip.label} — relaxed` : chip.label;
}

export class PlanChips {
  readonly element: HTMLElement;

  constructor(private readonly options: PlanChipsOptions) {
    this.element = h('div', { class: 'plan-chips', role: 'group', 'aria-label': 'Search filters', hidden: true });
  }

  show(chips: Chip[]): void {
    this.element.hidden = chips.length === 0;
    replace(this.element, chips.map((chip) => this.chip(chip)));
  }

  private chip(chip: Chip): HTMLElement {
    const label = h(
      'button',
      {
        type: 'button',
        class: 'chip-label',
        title: `${chip.detail} — click to change`,
        'aria-label': `${FIELD_NAMES[chip.field]}: ${shown(chip)}. Enter to change, Delete to remove`,
      },
      h('span', { class: 'chip-field' }, FIELD_NAMES[chip.field]),
      ' ',
      shown(chip),
    );
    const remove = h(
      'button',
      { type: 'button', class: 'chip-remove', 'aria-label': `Remove filter ${chip.label}`, title: 'Remove this filter' },
      '×',
    );
    const element = h('span', { class: chip.relaxed ? 'chip relaxed' : 'chip', 'data-field': chip.field }, label, remove);
    remove.addEventListener('click', () => this.options.onRemove(chip));
    label.addEventListener('click', () => this.edit(element, chip));
    label.addEventListener('keydown', (event) => {
      if (event.key === 'Delete' || event.key === 'Backspace') {
        event.preventDefault();
        this.options.onRemove(chip);
      }
    });
    return element;
  }

  /// Turns the chip into a box for another phrase.
  private edit(element: HTMLElement, chip: Chip): void {
    const input = h('input', {
      type: 'text',
      class: 'chip-input',
      value: chip.label,
      'aria-label': `New ${FIELD_NAMES[chip.field].toLowerCase()} filter, Enter to apply, Escape to cancel`,
      spellcheck: 'false',
    }) as HTMLInputElement;
    const restore = () => element.replaceWith(this.chip(chip));
    input.addEventListener('keydown', (event) => {
      if (event.key === 'Enter') {
        event.preventDefault();
        const typed = input.value.trim();
        if (typed && (chip.relaxed || typed !== chip.label)) this.options.onChange(chip, typed);
        else restore();
      } else if (event.key === 'Escape') {
        event.preventDefault();
        event.stopPropagation();
        restore();
      }
    });
    input.addEventListener('blur', () => {
      if (input.isConnected) restore();
    });
    replace(element, input);
    input.focus();
    input.select();
  }
}
