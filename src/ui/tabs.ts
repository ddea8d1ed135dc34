/**
 * The views as tabs (WAI-ARIA tab pattern: arrow keys move between tabs, Home and End to the ends). A tab sets the
 * state's `tab`; it never uses an #anchor, which would wipe a state kept in the hash.
 */
import { h } from './dom';

export class Tabs<T extends string> {
  readonly el: HTMLElement;
  private readonly buttons = new Map<T, HTMLButtonElement>();

  constructor(
    tabs: { id: T; label: string }[],
    private readonly onSelect: (id: T) => void,
  ) {
    this.el = h('div', { class: 'tabs', role: 'tablist', 'aria-label': 'Views' });
    for (const t of tabs) {
      const b = h(
        'button',
        { type: 'button', role: 'tab', id: `tab-${t.id}`, 'aria-controls': `panel-${t.id}` },
        t.label,
      ) as HTMLButtonElement;
      b.addEventListener('click', () => this.onSelect(t.id));
      this.buttons.set(t.id, b);
      this.el.append(b);
    }
    this.el.addEventListener('keydown', (e) => {
      const ids = [...this.buttons.keys()];
      const at = ids.findIndex((id) => this.buttons.get(id) === document.activeElement);
      if (at < 0) return;
      const to =
        e.key === 'ArrowRight'
          ? (at + 1) % ids.length
          : e.key === 'ArrowLeft'
            ? (at - 1 + ids.length) % ids.length
            : e.key === 'Home'
              ? 0
              : e.key === 'End'
                ? ids.length - 1
                : -1;
      if (to < 0) return;
      e.preventDefault();
      const id = ids[to] as T;
      this.buttons.get(id)?.focus();
      this.onSelect(id);
    });
  }

  set(active: T): void {
    for (const [id, b] of this.buttons) {
      const on = id === active;
      b.setAttribute('aria-selected', String(on));
      b.tabIndex = on ? 0 : -1;
    }
  }
}
