/**
 * The global filter bar: period (with a fiscal-year start and a custom range), compare, the dimension columns the
 * file has, any other column the user picks, and a customer search. It writes the state; the views follow it.
 */
import { periodChoices } from '../analysis/periods';
import type { Periods } from '../analysis/view-filters';
import { type AppState, COMPARES, DIMENSIONS, type Dimension } from '../state/app-state';
import type { HistoryMode } from '../state/store';
import { h } from './dom';
import { MONTH_NAMES } from './format';
import { MultiSelect, type ValueCount } from './multi-select';

export interface FilterBarContext {
  state: AppState;
  periods: Periods;
  /** The dimension roles the file has, with their header names. */
  dims: { dim: Dimension; header: string }[];
  /** Other columns of the file a filter can be put on. */
  fileColumns: string[];
  values(column: string, file: boolean, search: string): Promise<{ rows: ValueCount[]; more: boolean }>;
}

type Update = (change: (s: AppState) => AppState, mode?: HistoryMode) => void;

const COMPARE_LABELS: Record<(typeof COMPARES)[number], string> = {
  none: 'No comparison',
  prev: 'Previous period',
  yoy: 'Same period a year earlier',
};

export class FilterBar {
  readonly el = h('div', { class: 'filter-bar', role: 'region', 'aria-label': 'Filters and period' });
  private shape = '';
  private period!: HTMLSelectElement;
  private from!: HTMLInputElement;
  private to!: HTMLInputElement;
  private custom!: HTMLElement;
  private fy!: HTMLSelectElement;
  private compare!: HTMLSelectElement;
  private search!: HTMLInputElement;
  private multis = new Map<string, MultiSelect>();
  private periodLabel!: HTMLElement;
  private searchTimer = 0;

  constructor(private readonly update: Update) {}

  render(ctx: FilterBarContext): void {
    const s = ctx.state;
    const shape = JSON.stringify([
      ctx.periods.data,
      s.filters.fy,
      ctx.dims,
      ctx.fileColumns.length,
      s.filters.extra.map((e) => e.column),
    ]);
    if (shape !== this.shape) {
      this.shape = shape;
      this.build(ctx);
    }
    this.sync(ctx);
  }

  private set(change: (f: AppState['filters']) => Partial<AppState['filters']>, mode: HistoryMode = 'push') {
    this.update((s) => ({ ...s, filters: { ...s.filters, ...change(s.filters) } }), mode);
  }

  private build(ctx: FilterBarContext) {
    const s = ctx.state;
    const data = ctx.periods.data;
    this.period = h('select', { id: 'filter-period' }) as HTMLSelectElement;
    const option = (value: string, label: string) => h('option', { value }, label);
    this.period.append(option('all', 'All data'));
    if (data) {
      const [years, quarters, months] = periodChoices(data, s.filters.fy);
      this.period.append(option('last4q', 'Last 4 quarters'), option('ytd', 'Year to date'));
      const group = (label: string, items: { value: string; label: string }[]) =>
        items.length ? h('optgroup', { label }, ...items.map((i) => option(i.value, i.label))) : null;
      for (const g of [
        group(s.filters.fy === 1 ? 'Years' : 'Fiscal years', years),
        group('Quarters', quarters),
        group('Months', months),
      ])
        if (g) this.period.append(g);
      this.period.append(option('custom', 'Custom range…'));
    }
    this.period.addEventListener('change', () => {
      const v = this.period.value;
      if (v === 'custom') {
        this.custom.hidden = false;
        this.from.focus();
        return;
      }
      this.set(() => ({ period: v, from: null, to: null }));
    });
    const dateInput = (id: string, label: string) =>
      h('input', {
        id,
        type: 'date',
        'aria-label': label,
        min: data?.from ?? null,
        max: data?.to ?? null,
      }) as HTMLInputElement;
    this.from = dateInput('filter-from', 'From (inclusive)');
    this.to = dateInput('filter-to', 'To (inclusive)');
    const applyRange = () => {
      const from = this.from.value || null;
      const to = this.to.value || null;
      if ((from || to) && (!from || !to || from <= to)) this.set(() => ({ period: 'all', from, to }));
    };
    this.from.addEventListener('change', applyRange);
    this.to.addEventListener('change', applyRange);
    this.custom = h('span', { class: 'custom-range' }, this.from, ' – ', this.to);
    this.fy = h(
      'select',
      { id: 'filter-fy', title: 'The month a fiscal year starts in: FY periods follow it' },
      ...MONTH_NAMES.map((m, i) => h('option', { value: i + 1 }, i === 0 ? 'calendar' : `fiscal, from ${m}`)),
    ) as HTMLSelectElement;
    this.fy.addEventListener('change', () =>
      this.set((f) => ({
        fy: Number(this.fy.value),
        // A fiscal period named under the old start would mean other months now.
        period: /^FY/.test(f.period) ? 'all' : f.period,
      })),
    );
    this.compare = h(
      'select',
      { id: 'filter-compare' },
      ...COMPARES.map((c) => h('option', { value: c }, COMPARE_LABELS[c])),
    ) as HTMLSelectElement;
    this.compare.addEventListener('change', () =>
      this.update((st) => ({ ...st, compare: this.compare.value as AppState['compare'] })),
    );
    this.multis.clear();
    const multis: HTMLElement[] = [];
    for (const { dim, header } of ctx.dims) {
      const m = new MultiSelect({
        id: `filter-${dim}`,
        label: header,
        values: (q) => ctx.values(dim, false, q),
        onChange: (picked) => this.set(() => ({ [dim]: picked })),
      });
      this.multis.set(dim, m);
      multis.push(m.el);
    }
    for (const e of s.filters.extra) {
      const m = new MultiSelect({
        id: `filter-file-${e.column.replace(/[^A-Za-z0-9_-]/g, '_')}`,
        label: e.column,
        values: (q) => ctx.values(e.column, true, q),
        onChange: (picked) =>
          this.set((f) => ({ extra: f.extra.map((x) => (x.column === e.column ? { ...x, values: picked } : x)) })),
        onRemove: () => this.set((f) => ({ extra: f.extra.filter((x) => x.column !== e.column) })),
      });
      this.multis.set(`file:${e.column}`, m);
      multis.push(m.el);
    }
    const taken = new Set(s.filters.extra.map((e) => e.column));
    const more =
      ctx.fileColumns.length && s.filters.extra.length < 3
        ? h(
            'select',
            { id: 'filter-more', 'aria-label': 'Filter on another column' },
            h('option', { value: '' }, 'More filters…'),
            ...ctx.fileColumns.filter((c) => !taken.has(c)).map((c) => h('option', { value: c }, c)),
          )
        : null;
    more?.addEventListener('change', () => {
      const column = (more as HTMLSelectElement).value;
      if (column) this.set((f) => ({ extra: [...f.extra, { column, values: [] }] }));
    });
    this.search = h('input', {
      id: 'filter-search',
      type: 'search',
      placeholder: 'Customer contains…',
      'aria-label': 'Filter to customers whose name or ID contains',
    }) as HTMLInputElement;
    this.search.addEventListener('input', () => {
      clearTimeout(this.searchTimer);
      this.searchTimer = window.setTimeout(() => this.set(() => ({ search: this.search.value }), 'replace'), 400);
    });
    this.periodLabel = h('span', { class: 'period-label', 'aria-live': 'polite' });
    const label = (forId: string, text: string, el: HTMLElement) => h('label', { for: forId }, text, el);
    this.el.replaceChildren(
      h(
        'div',
        { class: 'filter-row' },
        label('filter-period', 'Period ', this.period),
        this.custom,
        data ? label('filter-fy', 'Year ', this.fy) : null,
        data ? label('filter-compare', 'Compare ', this.compare) : null,
        this.periodLabel,
      ),
      h('div', { class: 'filter-row' }, ...multis, more, this.search),
    );
  }

  private sync(ctx: FilterBarContext) {
    const f = ctx.state.filters;
    const custom = Boolean(f.from || f.to);
    this.period.value = custom ? 'custom' : f.period;
    // A period the list does not offer (a year outside the data, typed in a link) is added so that it shows.
    if (this.period.value !== (custom ? 'custom' : f.period)) {
      this.period.append(h('option', { value: f.period }, f.period));
      this.period.value = f.period;
    }
    this.custom.hidden = !custom;
    this.from.value = f.from ?? '';
    this.to.value = f.to ?? '';
    this.fy.value = String(f.fy);
    this.compare.value = ctx.state.compare;
    this.compare.disabled = !ctx.periods.current || ctx.periods.current.all;
    this.compare.title = this.compare.disabled ? 'Pick a period to compare it with another' : '';
    if (document.activeElement !== this.search) this.search.value = f.search;
    for (const d of DIMENSIONS) this.multis.get(d)?.update(f[d]);
    for (const e of f.extra) this.multis.get(`file:${e.column}`)?.update(e.values);
    const { current, compare } = ctx.periods;
    this.periodLabel.textContent = current
      ? `${current.all ? `All data: ${current.from} – ${current.to}` : `${current.label}: ${current.from} – ${current.to}`}${compare ? `, compared with ${compare.from} – ${compare.to}` : ''}`
      : '';
  }
}
