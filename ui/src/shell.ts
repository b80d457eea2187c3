// The main window's frame: a sidebar with one entry per view, the engine's
// state, and keyboard switching (Ctrl+1…9).

import { h, replace } from './dom';
import type { MountedView, View, ViewContext } from './view';
import type { EngineState } from './types';

export class Shell {
  readonly element: HTMLElement;
  private readonly nav: HTMLElement;
  private readonly main: HTMLElement;
  private readonly banner: HTMLElement;
  private readonly mounted = new Map<string, MountedView>();
  private current: string | null = null;

  constructor(
    private readonly views: View[],
    private readonly context: Omit<ViewContext, 'navigate'>,
  ) {
    this.nav = h('nav', { class: 'sidebar', 'aria-label': 'Views' });
    this.banner = h('div', { class: 'banner', role: 'status', 'aria-live': 'polite', hidden: true });
    this.main = h('main', { class: 'content' });
    this.element = h(
      'div',
      { class: 'shell' },
      h('div', { class: 'brand' }, h('span', { class: 'brand-mark', 'aria-hidden': 'true' }), 'Nook'),
      this.nav,
      h('div', { class: 'stage' }, this.banner, this.main),
    );
    views.forEach((view, i) => {
      const button = h(
        'button',
        { type: 'button', class: 'nav-item', 'data-view': view.id, title: `${view.title} (Ctrl+${i + 1})` },
        view.title,
      );
      button.addEventListener('click', () => this.show(view.id));
      this.nav.appendChild(button);
    });
    document.addEventListener('keydown', (event) => this.onKey(event));
    context.hub.onEngine((state) => this.showEngine(state));
    this.showEngine(context.hub.engine);
  }

  get currentView(): string | null {
    return this.current;
  }

  show(id: string): void {
    const view = this.views.find((v) => v.id === id);
    if (!view) return;
    let mounted = this.mounted.get(id);
    if (!mounted) {
      mounted = view.create({ ...this.context, navigate: (next) => this.show(next) });
      mounted.element.dataset.viewPanel = id;
      this.mounted.set(id, mounted);
      this.main.appendChild(mounted.element);
    }
    for (const [other, m] of this.mounted) m.element.hidden = other !== id;
    for (const button of Array.from(this.nav.children) as HTMLElement[]) {
      if (button.dataset.view === id) button.setAttribute('aria-current', 'page');
      else button.removeAttribute('aria-current');
    }
    this.current = id;
    mounted.shown?.();
  }

  private onKey(event: KeyboardEvent): void {
    if (!(event.ctrlKey || event.metaKey) || event.altKey || event.shiftKey) return;
    const digit = Number.parseInt(event.key, 10);
    if (digit >= 1 && digit <= this.views.length) {
      event.preventDefault();
      this.show(this.views[digit - 1].id);
    }
  }

  private showEngine(state: EngineState): void {
    switch (state.state) {
      case 'loading':
        this.banner.hidden = false;
        this.banner.className = 'banner info';
        replace(this.banner, 'Opening your index…');
        break;
      case 'ready':
        this.banner.hidden = !state.notice;
        this.banner.className = 'banner info';
        if (state.notice) replace(this.banner, state.notice);
        break;
      case 'failed':
        this.banner.hidden = false;
        this.banner.className = 'banner error';
        replace(this.banner, h('strong', {}, 'Nook could not start its engine. '), state.message);
        break;
    }
  }
}
