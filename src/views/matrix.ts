/** Customer value matrix view: quadrants, cross-filter, profit bridge, movement between periods. */
import * as Plot from '@observablehq/plot';
import { customerBridge } from '../analysis/bridge';
import type { Filters, QuadrantFilter } from '../analysis/filters';
import {
  type MarginKind,
  type MatrixPoint,
  type MatrixResult,
  movement,
  QUADRANTS,
  type Quadrant,
  type QuadrantSummary,
  SHAPIRO,
  type ShapiroQuadrant,
  type ShapiroResult,
  shapiro,
  valueMatrix,
} from '../analysis/matrix';
import { matrixChart, shapiroChart } from '../charts/matrix';
import { chartStyle, palette } from '../charts/palette';
import { waterfallChart } from '../charts/waterfall';
import type { Engine } from '../data/engine';
import type { DatasetInfo } from '../data/ingest';
import { downloadText, toCsv } from '../export/csv';
import { deferred } from '../ui/deferred';
import { h } from '../ui/dom';
import { fmt } from '../ui/format';
import { kpiGrid } from '../ui/kpi';
import { type Column, dataTable } from '../ui/table';

export interface MatrixViewState {
  margin: MarginKind;
  xSplit?: number;
  ySplit?: number;
  period: 'quarter' | 'year';
  selected?: string;
  list?: Quadrant;
}

export interface MatrixViewContext {
  engine: Engine;
  info: DatasetInfo;
  /** Filters of the other views, without this view's own quadrant cross-filter. */
  filters: Filters;
  a: number;
  state: MatrixViewState;
  active?: QuadrantFilter;
  onState: (s: MatrixViewState) => void;
  onQuadrant: (q: QuadrantFilter | undefined) => void;
}

export async function renderMatrix(c: MatrixViewContext): Promise<HTMLElement> {
  const { engine, info, state: st } = c;
  const section = h(
    'section',
    { class: 'panel', id: 'matrix', 'aria-labelledby': 'matrix-h' },
    h('h2', { id: 'matrix-h' }, 'Customer value matrix'),
  );
  if (!info.mapping.profit && !info.mapping.cost) {
    section.append(
      h(
        'p',
        { class: 'note', role: 'status' },
        'The value matrix needs margin per customer: this file has no profit or cost (COGS) column. Map one in the column mapping to see which big customers create value and which destroy it.',
      ),
    );
    return section;
  }
  const hasServe = Boolean(info.mapping.rebate || info.mapping.promo || info.mapping.freight);
  const margin: MarginKind = hasServe ? st.margin : 'gross';
  const r = await valueMatrix(engine, c.filters, { margin, a: c.a, xSplit: st.xSplit, ySplit: st.ySplit });
  section.append(controls(c, r, hasServe, margin));
  if (!r) {
    section.append(
      h('p', { class: 'note' }, 'No customer has positive revenue and a known margin under the current filters.'),
    );
    return section;
  }
  const count = (q: Quadrant) => r.summary.find((s) => s.quadrant === q)?.customers ?? 0;
  section.append(
    h(
      'p',
      { class: 'headline' },
      r.lossMakingBigAccounts
        ? sentence(
            `${r.lossMakingBigAccounts} of the A-class accounts lose money after ${hasServe ? 'discounts, rebates and cost-to-serve' : 'cost of goods'}: ${r.lossMakingBig
              .slice(0, 3)
              .map((p) => p.label)
              .join(', ')}${r.lossMakingBigAccounts > 3 ? ` and ${r.lossMakingBigAccounts - 3} more` : ''}`,
          )
        : 'No A-class account loses money.',
    ),
    kpiGrid([
      { name: 'matrix_core', label: QUADRANTS.core.name, value: count('core'), display: fmt.int(count('core')) },
      {
        name: 'matrix_volume',
        label: QUADRANTS.volume.name,
        value: count('volume'),
        display: fmt.int(count('volume')),
      },
      {
        name: 'matrix_develop',
        label: QUADRANTS.develop.name,
        value: count('develop'),
        display: fmt.int(count('develop')),
      },
      { name: 'matrix_serve', label: QUADRANTS.serve.name, value: count('serve'), display: fmt.int(count('serve')) },
      {
        name: 'loss_making_big_accounts',
        label: 'Loss-making A accounts',
        value: r.lossMakingBigAccounts,
        display: fmt.int(r.lossMakingBigAccounts),
        sub: 'A class, customer profit below zero',
        tone: r.lossMakingBigAccounts ? 'bad' : undefined,
      },
    ]),
  );
  const chart = matrixChart(r, {
    selected: st.selected,
    onPick: (p) => c.onState({ ...st, selected: p.customer }),
    onQuadrant: (q) =>
      c.onQuadrant(c.active?.quadrant === q ? undefined : { quadrant: q, x: r.xSplit, y: r.ySplit, margin }),
  });
  const legend = h(
    'div',
    { class: 'legend' },
    ...(['A', 'B', 'C'] as const).map((k) => h('span', {}, h('span', { class: `legend-dot cls-${k}` }), `Class ${k}`)),
    h('span', {}, 'Bubble size: orders'),
    r.bins.length
      ? h('span', {}, `Squares: density of the other ${fmt.int(r.customers - r.points.length)} customers`)
      : null,
  );
  section.append(
    h(
      'div',
      { class: 'matrix-grid' },
      h(
        'figure',
        { class: 'chart' },
        h('figcaption', {}, `Revenue against ${margin === 'customer' ? 'customer' : 'gross'} margin`),
        chart,
        legend,
      ),
      h('div', {}, advice(), notes(r)),
    ),
    quadrantTable(c, r, margin),
  );
  if (st.list) section.append(quadrantList(c, r, st.list));
  if (st.selected) {
    const b = await customerBridge(engine, c.filters, st.selected);
    if (b) section.append(bridgePanel(c, b));
  }
  if (r.lossMakingBig.length) section.append(lossTable(c, r.lossMakingBig));
  if (info.mapping.date) section.append(deferred('Comparing periods', () => movementPanel(c, margin)));
  section.append(
    deferred("Shapiro's view", async () => {
      const sh = await shapiro(engine, c.filters);
      return sh ? shapiroPanel(sh) : null;
    }),
  );
  return section;
}

function controls(c: MatrixViewContext, r: MatrixResult | null, hasServe: boolean, margin: MarginKind): HTMLElement {
  const st = c.state;
  const marginSel = h(
    'select',
    {
      id: 'matrix-margin',
      onchange: (e) =>
        c.onState({ ...st, margin: (e.target as HTMLSelectElement).value as MarginKind, ySplit: undefined }),
    },
    h('option', { value: 'gross', selected: margin === 'gross' }, 'gross margin'),
    hasServe
      ? h(
          'option',
          { value: 'customer', selected: margin === 'customer' },
          'customer margin (after incentives and cost-to-serve)',
        )
      : null,
  );
  const xIn = h('input', { id: 'matrix-x', type: 'number', min: 0, step: 'any', value: r ? Math.round(r.xSplit) : '' });
  const yIn = h('input', { id: 'matrix-y', type: 'number', step: 0.1, value: r ? (r.ySplit * 100).toFixed(1) : '' });
  xIn.addEventListener('change', () => {
    const v = Number(xIn.value);
    if (Number.isFinite(v) && v > 0) c.onState({ ...st, xSplit: v });
  });
  yIn.addEventListener('change', () => {
    const v = Number(yIn.value);
    if (Number.isFinite(v)) c.onState({ ...st, ySplit: v / 100 });
  });
  return h(
    'div',
    { class: 'controls' },
    h('label', { for: 'matrix-margin' }, 'Margin ', marginSel),
    h('label', { for: 'matrix-x' }, 'Revenue split ', xIn),
    h('label', { for: 'matrix-y' }, 'Margin split ', yIn, '%'),
    h(
      'button',
      { type: 'button', onclick: () => c.onState({ ...st, xSplit: undefined, ySplit: undefined }) },
      'Default splits',
    ),
    h('span', { class: 'note' }, 'Defaults: the A-class revenue boundary and the portfolio margin.'),
  );
}

function quadrantTable(c: MatrixViewContext, r: MatrixResult, margin: MarginKind): HTMLElement {
  const cols: Column<QuadrantSummary>[] = [
    {
      key: 'q',
      label: 'Quadrant',
      value: (s) => `${c.active?.quadrant === s.quadrant ? '● ' : ''}${QUADRANTS[s.quadrant].name}`,
    },
    { key: 'customers', label: 'Customers', value: (s) => s.customers, format: fmt.int, align: 'right' },
    { key: 'revenue', label: 'Revenue', value: (s) => s.revenue, format: fmt.money, align: 'right' },
    { key: 'share', label: 'Share', value: (s) => s.revenueShare, format: fmt.pct, align: 'right' },
    { key: 'profit', label: 'Profit', value: (s) => s.profit, format: fmt.money, align: 'right', signed: true },
    { key: 'margin', label: 'Margin', value: (s) => s.margin, format: fmt.pct, align: 'right', signed: true },
  ];
  const table = dataTable({
    caption: 'Quadrants (click a row to filter the other views to it)',
    columns: cols,
    rows: r.summary,
    onRowClick: (s) =>
      c.onQuadrant(
        c.active?.quadrant === s.quadrant ? undefined : { quadrant: s.quadrant, x: r.xSplit, y: r.ySplit, margin },
      ),
  });
  const lists = h(
    'div',
    { class: 'controls' },
    'List: ',
    ...r.summary.map((s) =>
      h(
        'button',
        { type: 'button', onclick: () => c.onState({ ...c.state, list: s.quadrant }) },
        QUADRANTS[s.quadrant].name,
      ),
    ),
  );
  return h('div', { class: 'table-block', id: 'quadrant-table' }, table, lists);
}

function advice(): HTMLElement {
  return h(
    'dl',
    { class: 'advice' },
    ...(Object.keys(QUADRANTS) as Quadrant[]).flatMap((q) => [
      h('dt', {}, QUADRANTS[q].name),
      h('dd', {}, QUADRANTS[q].advice),
    ]),
  );
}

function notes(r: MatrixResult): HTMLElement {
  const out = h('div', { class: 'note' });
  if (r.marginUnknown) {
    out.append(
      h(
        'p',
        {},
        `${fmt.count(r.marginUnknown, 'customer')} ${r.marginUnknown === 1 ? 'has' : 'have'} revenue but no cost or profit on any line: margin unknown, not shown as 0%.`,
      ),
    );
  }
  if (r.nonPositiveCount) {
    out.append(
      h(
        'p',
        {},
        `${fmt.count(r.nonPositiveCount, 'customer')} ${r.nonPositiveCount === 1 ? 'has' : 'have'} zero or negative net revenue (credit notes, returns), listed apart: ${r.nonPositive
          .slice(0, 5)
          .map((x) => `${x.label} (${fmt.money(x.revenue)})`)
          .join(', ')}${r.nonPositiveCount > 5 ? ', …' : ''}.`,
      ),
    );
  }
  return out;
}

const pointColumns: Column<MatrixPoint>[] = [
  { key: 'label', label: 'Customer', value: (p) => p.label },
  { key: 'cls', label: 'Class', value: (p) => p.cls },
  { key: 'revenue', label: 'Revenue', value: (p) => p.revenue, format: fmt.money, align: 'right' },
  { key: 'profit', label: 'Profit', value: (p) => p.profit, format: fmt.money, align: 'right', signed: true },
  { key: 'margin', label: 'Margin', value: (p) => p.margin, format: fmt.pct, align: 'right', signed: true },
  { key: 'orders', label: 'Orders', value: (p) => p.orders, format: fmt.int, align: 'right' },
];

function quadrantList(c: MatrixViewContext, r: MatrixResult, q: Quadrant): HTMLElement {
  const rows = r.points.filter((p) => p.quadrant === q);
  const download = h(
    'button',
    {
      type: 'button',
      onclick: async () => {
        const all = await c.engine.query<MatrixPoint>(
          `SELECT * FROM matrix_cache WHERE quadrant = '${q}' ORDER BY revenue DESC`,
        );
        downloadText(
          `${c.info.fileName.replace(/\.[^.]+$/, '')}-${q}.csv`,
          toCsv(
            ['customer', 'name', 'class', 'net_revenue', 'profit', 'margin', 'orders', 'quadrant'],
            all.map((p) => [
              p.customer,
              p.label,
              p.cls,
              p.revenue,
              p.profit,
              p.margin,
              p.orders,
              QUADRANTS[p.quadrant].name,
            ]),
          ),
        );
      },
    },
    'Download CSV',
  );
  return h(
    'div',
    { class: 'quadrant-list' },
    h(
      'div',
      { class: 'controls' },
      h(
        'strong',
        {},
        `${QUADRANTS[q].name}: ${fmt.int(r.summary.find((s) => s.quadrant === q)?.customers ?? 0)} customers`,
      ),
      download,
      h('button', { type: 'button', onclick: () => c.onState({ ...c.state, list: undefined }) }, 'Close'),
    ),
    dataTable({
      columns: pointColumns,
      rows: rows.slice(0, 200),
      onRowClick: (p) => c.onState({ ...c.state, selected: p.customer }),
    }),
  );
}

function lossTable(c: MatrixViewContext, rows: MatrixPoint[]): HTMLElement {
  return h(
    'div',
    { class: 'table-block', id: 'loss-table' },
    dataTable({
      caption: 'A-class accounts that lose money (click for the profit bridge)',
      columns: pointColumns,
      rows,
      onRowClick: (p) => c.onState({ ...c.state, selected: p.customer }),
    }),
  );
}

function bridgePanel(c: MatrixViewContext, b: NonNullable<Awaited<ReturnType<typeof customerBridge>>>): HTMLElement {
  const p = palette();
  const trend =
    b.quarters.length > 1
      ? Plot.plot({
          width: 420,
          height: 240,
          marginLeft: 60,
          style: chartStyle(p, '11px'),
          ariaLabel: `${b.label}: revenue and profit by quarter`,
          ariaDescription: b.quarters.map((q) => `${q.quarter} ${fmt.money(q.revenue)}`).join(', '),
          x: { label: null, tickRotate: -30 },
          y: { grid: true, label: null, tickFormat: (d: number) => fmt.moneyShort(d) },
          marks: [
            Plot.barY(b.quarters, { x: 'quarter', y: 'revenue', fill: p.accent, fillOpacity: 0.7 }),
            Plot.line(b.quarters, { x: 'quarter', y: 'profit', stroke: p.accent2, strokeWidth: 2, marker: 'dot' }),
            Plot.ruleY([0], { stroke: p.muted }),
          ],
        })
      : h('p', { class: 'note' }, 'No quarterly trend: the file has no dates for this customer.');
  return h(
    'div',
    { class: 'bridge panel-inner', id: 'bridge' },
    h(
      'div',
      { class: 'controls' },
      h('h3', {}, `Profit bridge: ${b.label}`),
      h('button', { type: 'button', onclick: () => c.onState({ ...c.state, selected: undefined }) }, 'Close'),
    ),
    h(
      'div',
      { class: 'bridge-grid' },
      h(
        'figure',
        { class: 'chart' },
        h('figcaption', {}, 'From list price to customer profit'),
        waterfallChart(b.steps, `Profit bridge of ${b.label}`),
      ),
      h('figure', { class: 'chart' }, h('figcaption', {}, 'Revenue (bars) and gross profit (line) by quarter'), trend),
      dataTable({
        caption: 'Top products',
        columns: [
          { key: 'product', label: 'Product', value: (x) => x.product },
          { key: 'revenue', label: 'Revenue', value: (x) => x.revenue, format: fmt.money, align: 'right' },
          { key: 'profit', label: 'Profit', value: (x) => x.profit, format: fmt.money, align: 'right', signed: true },
        ],
        rows: b.products,
      }),
    ),
  );
}

async function movementPanel(c: MatrixViewContext, margin: MarginKind): Promise<HTMLElement> {
  const m = await movement(c.engine, c.filters, { margin, a: c.a }, c.state.period);
  const sel = h(
    'select',
    {
      id: 'matrix-period',
      onchange: (e) => c.onState({ ...c.state, period: (e.target as HTMLSelectElement).value as 'quarter' | 'year' }),
    },
    h('option', { value: 'quarter', selected: c.state.period === 'quarter' }, 'last quarter against the one before'),
    h('option', { value: 'year', selected: c.state.period === 'year' }, 'last year against the one before'),
  );
  const box = h(
    'div',
    { class: 'movement' },
    h('h3', {}, 'Movement between periods'),
    h('div', { class: 'controls' }, h('label', { for: 'matrix-period' }, 'Compare ', sel)),
  );
  if (!m) {
    box.append(h('p', { class: 'note' }, 'Not enough dated data for two full periods.'));
    return box;
  }
  box.append(
    h(
      'p',
      { class: 'note' },
      `${m.before.from} – ${m.before.to} against ${m.after.from} – ${m.after.to}: ${fmt.count(m.moved, 'customer')} changed quadrant, ${fmt.int(m.worseCount)} into a worse one. Each period uses its own default splits.`,
    ),
  );
  type M = (typeof m.worse)[number];
  box.append(
    dataTable<M>({
      caption: 'Moved into a worse quadrant (largest revenue change first)',
      columns: [
        { key: 'label', label: 'Customer', value: (x) => x.label },
        { key: 'from', label: 'From', value: (x) => QUADRANTS[x.from].name },
        { key: 'to', label: 'To', value: (x) => QUADRANTS[x.to].name },
        {
          key: 'dr',
          label: 'Revenue change',
          value: (x) => x.revenueAfter - x.revenueBefore,
          format: fmt.money,
          align: 'right',
          signed: true,
        },
        {
          key: 'dm',
          label: 'Margin change (pts)',
          value: (x) => (x.marginAfter - x.marginBefore) * 100,
          format: fmt.points,
          align: 'right',
          signed: true,
        },
      ],
      rows: m.worse,
      empty: 'No customer moved into a worse quadrant.',
      onRowClick: (x) => c.onState({ ...c.state, selected: x.customer }),
    }),
  );
  return box;
}

function shapiroPanel(r: ShapiroResult): HTMLElement {
  return h(
    'div',
    { class: 'shapiro' },
    h('h3', {}, "Shapiro's view: what it costs to serve a customer against the price it pays"),
    h(
      'div',
      { class: 'chart-grid' },
      h(
        'figure',
        { class: 'chart' },
        h(
          'figcaption',
          {},
          `Splits: the portfolio's cost-to-serve (${fmt.pct(r.xSplit)}) and price realisation (${fmt.pct(r.ySplit)})`,
        ),
        shapiroChart(r),
      ),
      h(
        'dl',
        { class: 'advice' },
        ...(Object.keys(SHAPIRO) as ShapiroQuadrant[]).flatMap((q) => [
          h('dt', {}, `${SHAPIRO[q].name}: ${fmt.int(r.counts[q])}`),
          h('dd', {}, SHAPIRO[q].advice),
        ]),
      ),
    ),
  );
}

/** Ends a sentence with one full stop, also when it ends with a name like "Trading Co.". */
const sentence = (s: string) => (s.endsWith('.') ? s : `${s}.`);
