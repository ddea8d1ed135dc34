/** Data tables: sortable headers, totals row, and conditional colour. Values are rendered as text only. */
import { h } from './dom';
import { fmt } from './format';
import { showMore } from './show-more';

export interface Column<R> {
  key: string;
  label: string;
  value: (r: R) => string | number | null;
  format?: (v: number | null) => string;
  align?: 'left' | 'right';
  /** Negative numbers in red, e.g. profit. */
  signed?: boolean;
  sortable?: boolean;
}

export interface TableOptions<R> {
  caption?: string;
  columns: Column<R>[];
  rows: R[];
  totals?: Record<string, string>;
  sort?: { key: string; desc: boolean };
  onSort?: (key: string) => void;
  onRowClick?: (r: R) => void;
  /** Rows picked as a cross-filter: marked, and announced as current. */
  selected?: (r: R) => boolean;
  empty?: string;
  /** Rows drawn before a "Show all" control (the rest is one click, or the CSV, away). */
  shown?: number;
  /** What a row is, for that control: "customers". */
  noun?: string;
  /** The most rows "Show all" draws at once. */
  most?: number;
}

/** Long tables start with this many rows. */
export const ROWS_SHOWN = 25;

export function dataTable<R>(o: TableOptions<R>): HTMLElement {
  const shown = o.shown ?? ROWS_SHOWN;
  if (o.rows.length <= shown) return tableOf(o, o.rows.length);
  return showMore(o.rows.length, shown, (n) => tableOf(o, n), o.noun ?? 'rows', o.most);
}

/**
 * The box a table scrolls in on a narrow screen: the keyboard can reach it (a scrollable region nobody can focus
 * cannot be scrolled without a mouse) and a screen reader hears what it holds.
 */
export function tableWrap(table: HTMLElement, label: string, cls = ''): HTMLElement {
  return h('div', { class: `table-wrap ${cls}`.trim(), tabindex: 0, role: 'region', 'aria-label': label }, table);
}

function tableOf<R>(o: TableOptions<R>, n: number): HTMLElement {
  const head = h(
    'tr',
    {},
    ...o.columns.map((c) => {
      const active = o.sort?.key === c.key;
      const label = `${c.label}${active ? (o.sort?.desc ? ' ▼' : ' ▲') : ''}`;
      const content =
        o.onSort && c.sortable !== false
          ? h('button', { type: 'button', class: 'th-sort', onclick: () => o.onSort?.(c.key) }, label)
          : label;
      return h(
        'th',
        {
          scope: 'col',
          class: c.align === 'right' ? 'num' : null,
          'aria-sort': active ? (o.sort?.desc ? 'descending' : 'ascending') : null,
        },
        content,
      );
    }),
  );
  const body = h('tbody');
  if (o.rows.length === 0) {
    body.append(h('tr', {}, h('td', { colspan: o.columns.length, class: 'empty' }, o.empty ?? 'No rows')));
  }
  for (const r of o.rows.slice(0, n)) {
    const picked = o.selected?.(r) ?? false;
    const tr = h(
      'tr',
      o.onRowClick
        ? {
            tabindex: 0,
            class: `clickable${picked ? ' selected' : ''}`,
            'aria-current': picked ? 'true' : null,
            onclick: () => o.onRowClick?.(r),
          }
        : {},
      ...o.columns.map((c) => {
        const v = c.value(r);
        const text = typeof v === 'number' || v === null ? (c.format ? c.format(v) : String(v ?? '–')) : v;
        const neg = c.signed && typeof v === 'number' && v < 0;
        return h('td', { class: `${c.align === 'right' ? 'num' : ''}${neg ? ' neg' : ''}`.trim() || null }, text);
      }),
    );
    if (o.onRowClick) tr.addEventListener('keydown', (e) => e.key === 'Enter' && o.onRowClick?.(r));
    body.append(tr);
  }
  const foot = o.totals
    ? h(
        'tfoot',
        {},
        h(
          'tr',
          {},
          ...o.columns.map((c) => h('td', { class: c.align === 'right' ? 'num' : null }, o.totals?.[c.key] ?? '')),
        ),
      )
    : null;
  return tableWrap(
    h('table', {}, o.caption ? h('caption', {}, o.caption) : null, h('thead', {}, head), body, foot),
    o.caption ?? o.columns.map((c) => c.label).join(', '),
  );
}

/** Gross profit and margin, signed and right-aligned: shown beside revenue wherever the file has profit. */
export function profitColumns<R>(profit: (r: R) => number | null, margin: (r: R) => number | null): Column<R>[] {
  return [
    { key: 'profit', label: 'Gross profit', value: profit, format: fmt.money, align: 'right', signed: true },
    { key: 'margin', label: 'Margin', value: margin, format: fmt.pct, align: 'right', signed: true },
  ];
}

/**
 * A cell cut short by its ellipsis shows its whole text on hover: the title is set when the pointer first
 * reaches a cut cell, so no table pays for it up front.
 */
export function fullTextOnHover(root: HTMLElement): void {
  root.addEventListener('pointerover', (e) => {
    const cell = (e.target as Element | null)?.closest?.('td, th');
    if (cell instanceof HTMLElement && !cell.title && cell.scrollWidth > cell.clientWidth)
      cell.title = cell.textContent ?? '';
  });
}
