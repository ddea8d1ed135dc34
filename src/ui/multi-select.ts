/**
 * A filter on one column's values: a disclosure button that opens a searchable list of checkboxes. The values are
 * asked for when the list first opens (or searched), so a filter nobody opens costs no query.
 */
import { h } from './dom';
import { fmt } from './format';

export interface ValueCount {
  value: string;
  lines: number;
}

export interface MultiSelectOptions {
  id: string;
  label: string;
  values: (search: string) => Promise<{ rows: ValueCount[]; more: boolean }>;
  onChange: (picked: string[]) => void;
  /** A filter the user added can be taken away again. */
  onRemove?: () => void;
}

export class MultiSelect {
  readonly el: HTMLDetailsElement;
  private picked: string[] = [];
  private readonly summary: HTMLElement;
  private readonly list: HTMLElement;
  private readonly search: HTMLInputElement;
  private loaded = false;
  private timer = 0;

  constructor(private readonly o: MultiSelectOptions) {
    this.summary = h('summary', { class: 'button', 'aria-haspopup': 'true' });
    this.search = h('input', {
      type: 'search',
      placeholder: `Find a ${o.label.toLowerCase()}`,
      'aria-label': `Find a ${o.label.toLowerCase()}`,
    });
    this.list = h('div', { class: 'multi-list', role: 'group', 'aria-label': o.label });
    this.search.addEventListener('input', () => {
      clearTimeout(this.timer);
      this.timer = window.setTimeout(() => void this.fill(), 200);
    });
    const clear = h('button', { type: 'button', onclick: () => this.set([]) }, 'Clear');
    const remove = o.onRemove
      ? h('button', { type: 'button', onclick: () => o.onRemove?.() }, 'Remove this filter')
      : null;
    this.el = h(
      'details',
      { class: 'multi', id: o.id },
      this.summary,
      h('div', { class: 'multi-pop' }, this.search, this.list, h('div', { class: 'multi-buttons' }, clear, remove)),
    ) as HTMLDetailsElement;
    this.el.addEventListener('toggle', () => {
      if (this.el.open && !this.loaded) void this.fill();
    });
    // Escape closes the list and returns to its button.
    this.el.addEventListener('keydown', (e) => {
      if (e.key === 'Escape' && this.el.open) {
        this.el.open = false;
        this.summary.focus();
      }
    });
    this.update([]);
  }

  update(picked: string[]): void {
    this.picked = [...picked];
    this.summary.textContent = picked.length
      ? `${this.o.label}: ${picked.length === 1 ? picked[0] : `${picked.length} selected`}`
      : `${this.o.label}: all`;
    for (const box of this.list.querySelectorAll<HTMLInputElement>('input[type=checkbox]'))
      box.checked = this.picked.includes(box.value);
  }

  private set(picked: string[]) {
    this.update(picked);
    this.o.onChange(picked);
  }

  private async fill() {
    this.loaded = true;
    const q = this.search.value.trim();
    this.list.replaceChildren(h('p', { class: 'note' }, 'Loading…'));
    try {
      const { rows, more } = await this.o.values(q);
      // Picked values stay listed even when the search or the top of the list leaves them out.
      const shown = [...rows];
      for (const p of this.picked) if (!shown.some((r) => r.value === p)) shown.unshift({ value: p, lines: 0 });
      this.list.replaceChildren(
        ...shown.map((r) => {
          const box = h('input', { type: 'checkbox', value: r.value, checked: this.picked.includes(r.value) });
          box.addEventListener('change', () =>
            this.set(box.checked ? [...this.picked, r.value] : this.picked.filter((v) => v !== r.value)),
          );
          return h(
            'label',
            { class: 'multi-item' },
            box,
            h('span', { class: 'multi-value' }, r.value),
            r.lines ? h('span', { class: 'multi-count' }, fmt.int(r.lines)) : null,
          );
        }),
        shown.length ? '' : h('p', { class: 'note' }, q ? 'No value matches.' : 'No values.'),
        more ? h('p', { class: 'note' }, 'The most frequent values are listed: type to find others.') : '',
      );
    } catch (e) {
      this.list.replaceChildren(
        h('p', { class: 'note' }, `The values could not be read: ${String((e as Error)?.message ?? e)}`),
      );
    }
  }
}
