/** Data tables: sortable headers, totals row, and conditional colour. Values are rendered as text only. */
import { h } from './dom';
import { fmt } from './format';

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
}

export function dataTable<R>(o: TableOptions<R>): HTMLElement {
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
  for (const r of o.rows) {
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
  return h(
    'div',
    { class: 'table-wrap' },
    h('table', {}, o.caption ? h('caption', {}, o.caption) : null, h('thead', {}, head), body, foot),
  );
}

/** Gross profit and margin, signed and right-aligned: shown beside revenue wherever the file has profit. */
export function profitColumns<R>(profit: (r: R) => number | null, margin: (r: R) => number | null): Column<R>[] {
  return [
    { key: 'profit', label: 'Gross profit', value: profit, format: fmt.money, align: 'right', signed: true },
    { key: 'margin', label: 'Margin', value: margin, format: fmt.pct, align: 'right', signed: true },
  ];
}
