/** Customer value matrix view: quadrants, cross-filter, profit bridge, movement between periods. */

import { type CustomerBridge, customerBridge } from '../analysis/bridge';
import {
  type MarginKind,
  type MatrixOptions,
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
import { matrixMargin } from '../analysis/view-filters';
import { matrixChart, shapiroChart } from '../charts/matrix';
import { quarterChart } from '../charts/trend';
import { waterfallChart } from '../charts/waterfall';
import { downloadText, toCsv } from '../export/csv';
import type { AppState } from '../state/app-state';
import { deferred } from '../ui/deferred';
import { h } from '../ui/dom';
import { fmt } from '../ui/format';
import { kpiGrid } from '../ui/kpi';
import { type Column, dataTable } from '../ui/table';
import { fitted } from './chart-fit';
import { drawAt } from './figure';
import { exportMenu } from './figure-tools';
import { compareLabel, sectionFrame } from './section-frame';
import type { Actions, View, ViewInput } from './view';

export interface MatrixData {
  r: MatrixResult | null;
  margin: MarginKind;
  bridge: CustomerBridge | null;
  /** The matrix over the compare period, when compare is on. */
  prev: MatrixResult | null | undefined;
}

function matrixOptions(input: ViewInput) {
  const s = input.state;
  return {
    margin: matrixMargin(s, input.env.caps),
    a: s.pareto.a / 100,
    b: s.pareto.b / 100,
    xSplit: s.matrix.xSplit ?? undefined,
    ySplit: s.matrix.ySplit ?? undefined,
  };
}

const matrixTitle = (m: MarginKind) =>
  `Customer value matrix: revenue against ${m === 'customer' ? 'customer' : 'gross'} margin`;

/** What the matrix says, in one sentence: the loss-making big accounts, or where revenue sits. */
export function matrixSentence(r: MatrixResult, hasServe: boolean): string {
  if (r.lossMakingBigAccounts)
    return `${fmt.count(r.lossMakingBigAccounts, 'A-class account')} ${r.lossMakingBigAccounts === 1 ? 'loses' : 'lose'} money after ${hasServe ? 'discounts, rebates and cost-to-serve' : 'cost of goods'}.`;
  const core = r.summary.find((s) => s.quadrant === 'core');
  return `No A-class account loses money; ${QUADRANTS.core.name.split(':')[0]} customers (${fmt.int(core?.customers)}) bring ${fmt.pct0(core?.revenueShare)} of revenue.`;
}

export const matrixView: View<MatrixData> = {
  id: 'matrix',
  figures(d, input) {
    const r = d.r;
    if (!r) return [];
    return [
      {
        id: 'matrix.quadrants',
        view: 'matrix',
        title: matrixTitle(d.margin),
        headline: matrixSentence(r, input.env.caps.costToServe),
        legend: [
          { label: 'Class A', color: 'var(--cls-a)' },
          { label: 'Class B', color: 'var(--cls-b)' },
          { label: 'Class C', color: 'var(--cls-c)' },
        ],
        chart: async (o) => drawAt(o, () => matrixChart(r, { labelCount: input.state.names || !o?.anonymous ? 8 : 0 })),
        table: async () => ({
          columns: ['quadrant', 'customers', 'net_revenue', 'share_of_revenue', 'profit', 'margin'],
          rows: r.summary.map((q) => [
            QUADRANTS[q.quadrant].name,
            q.customers,
            q.revenue,
            q.revenueShare,
            q.profit,
            q.margin,
          ]),
        }),
        note: `Splits: revenue ${fmt.money(r.xSplit)}, margin ${fmt.pct(r.ySplit)}.${input.env.info.mapping.order_id ? ' Bubble size: orders.' : ''}`,
      },
    ];
  },
  // Splits and colours follow the Pareto thresholds.
  reads: (s) => [s.matrix, s.pareto.a, s.pareto.b],
  async load(input) {
    const { env, filters, compare, state } = input;
    const o = matrixOptions(input);
    if (!env.caps.profit) return { r: null, margin: o.margin, bridge: null, prev: undefined };
    const [r, bridge, prev] = await Promise.all([
      valueMatrix(env.engine, filters, o),
      state.matrix.selected
        ? customerBridge(env.engine, filters, state.matrix.selected, input.history)
        : Promise.resolve(null),
      compare ? valueMatrix(env.engine, compare, o) : Promise.resolve(undefined),
    ]);
    return { r, margin: o.margin, bridge, prev };
  },
  render: renderMatrix,
};

function renderMatrix(d: MatrixData, input: ViewInput, act: Actions): HTMLElement {
  const { env, state } = input;
  const st = state.matrix;
  const section = sectionFrame('matrix');
  if (!env.caps.profit) {
    section.append(
      h(
        'p',
        { class: 'note', role: 'status' },
        'The value matrix needs margin per customer: this file has no profit or cost (COGS) column. Map one in the column mapping to see which big customers create value and which destroy it.',
      ),
    );
    return section;
  }
  const { r, margin } = d;
  const hasServe = env.caps.costToServe;
  const active = state.clauses.find((c) => c.source === 'matrix' && c.kind === 'quadrant')?.value as
    | Quadrant
    | undefined;
  const pick = (q: Quadrant) => act.toggleClause({ source: 'matrix', kind: 'quadrant', value: q });
  const setMatrix = (patch: Partial<AppState['matrix']>) =>
    act.update((s) => ({ ...s, matrix: { ...s.matrix, ...patch } }));
  section.append(controls(r, hasServe, margin, setMatrix));
  if (!r) {
    section.append(
      h('p', { class: 'note' }, 'No customer has positive revenue and a known margin under the current filters.'),
    );
    return section;
  }
  const count = (res: MatrixResult | null | undefined, q: Quadrant) =>
    res?.summary.find((s) => s.quadrant === q)?.customers ?? 0;
  const vs = compareLabel(input);
  const prev = (q: Quadrant) => (d.prev === undefined ? undefined : d.prev ? count(d.prev, q) : null);
  const quadrantCard = (q: Quadrant) => ({
    name: `matrix_${q}`,
    label: QUADRANTS[q].name,
    value: count(r, q),
    display: fmt.int(count(r, q)),
    prev: prev(q),
    change: 'count' as const,
    better: q === 'core' ? ('up' as const) : q === 'serve' ? ('down' as const) : undefined,
    compareLabel: vs,
  });
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
      ...(['core', 'volume', 'develop', 'serve'] as const).map(quadrantCard),
      {
        name: 'loss_making_big_accounts',
        label: 'Loss-making A accounts',
        value: r.lossMakingBigAccounts,
        display: fmt.int(r.lossMakingBigAccounts),
        sub: 'A class, customer profit below zero',
        tone: r.lossMakingBigAccounts ? 'bad' : undefined,
        prev: d.prev === undefined ? undefined : (d.prev?.lossMakingBigAccounts ?? null),
        change: 'count',
        better: 'down',
        compareLabel: vs,
      },
    ]),
  );
  const chart = fitted(() =>
    matrixChart(r, {
      selected: st.selected ?? undefined,
      active,
      onPick: (p) => setMatrix({ selected: p.customer }),
      onQuadrant: pick,
    }),
  );
  const legend = h(
    'div',
    { class: 'legend' },
    ...(['A', 'B', 'C'] as const).map((k) => h('span', {}, h('span', { class: `legend-dot cls-${k}` }), `Class ${k}`)),
    input.env.info.mapping.order_id ? h('span', {}, 'Bubble size: orders') : null,
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
        { class: 'chart', 'data-figure': 'matrix.quadrants' },
        h('figcaption', {}, exportMenu(act, 'matrix.quadrants', matrixTitle(margin)), matrixTitle(margin)),
        chart,
        legend,
      ),
      h('div', {}, advice(), notes(r)),
    ),
    quadrantTable(r, active, pick, setMatrix),
  );
  if (st.list) section.append(quadrantList(env, r, st.list, setMatrix));
  if (d.bridge) section.append(bridgePanel(d.bridge, setMatrix));
  if (r.lossMakingBig.length) section.append(lossTable(input.env, r.lossMakingBig, setMatrix));
  const o = matrixOptions(input);
  if (env.caps.date) section.append(deferred('Comparing periods', () => movementPanel(input, o, setMatrix)));
  section.append(
    deferred("Shapiro's view", async () => {
      const sh = await shapiro(env.engine, input.filters);
      return sh ? shapiroPanel(sh) : null;
    }),
  );
  return section;
}

type SetMatrix = (patch: Partial<AppState['matrix']>) => void;

function controls(r: MatrixResult | null, hasServe: boolean, margin: MarginKind, set: SetMatrix): HTMLElement {
  const marginSel = h(
    'select',
    {
      id: 'matrix-margin',
      onchange: (e) => set({ margin: (e.target as HTMLSelectElement).value as MarginKind, ySplit: null }),
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
    if (Number.isFinite(v) && v > 0) set({ xSplit: v });
  });
  yIn.addEventListener('change', () => {
    const v = Number(yIn.value);
    if (Number.isFinite(v) && Math.abs(v) <= 1000) set({ ySplit: v / 100 });
  });
  return h(
    'div',
    { class: 'controls' },
    h('label', { for: 'matrix-margin' }, 'Margin ', marginSel),
    h('label', { for: 'matrix-x' }, 'Revenue split ', xIn),
    h('label', { for: 'matrix-y' }, 'Margin split ', yIn, '%'),
    h('button', { type: 'button', onclick: () => set({ xSplit: null, ySplit: null }) }, 'Default splits'),
    h('span', { class: 'note' }, 'Defaults: the A-class revenue boundary and the portfolio margin.'),
  );
}

function quadrantTable(
  r: MatrixResult,
  active: Quadrant | undefined,
  pick: (q: Quadrant) => void,
  set: SetMatrix,
): HTMLElement {
  const cols: Column<QuadrantSummary>[] = [
    {
      key: 'q',
      label: 'Quadrant',
      value: (s) => `${active === s.quadrant ? '● ' : ''}${QUADRANTS[s.quadrant].name}`,
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
    onRowClick: (s) => pick(s.quadrant),
    selected: (s) => s.quadrant === active,
  });
  const lists = h(
    'div',
    { class: 'controls' },
    'List: ',
    ...r.summary.map((s) =>
      h('button', { type: 'button', onclick: () => set({ list: s.quadrant }) }, QUADRANTS[s.quadrant].name),
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

const allPointColumns: Column<MatrixPoint>[] = [
  { key: 'label', label: 'Customer', value: (p) => p.label },
  { key: 'cls', label: 'Class', value: (p) => p.cls },
  { key: 'revenue', label: 'Revenue', value: (p) => p.revenue, format: fmt.money, align: 'right' },
  { key: 'profit', label: 'Profit', value: (p) => p.profit, format: fmt.money, align: 'right', signed: true },
  { key: 'margin', label: 'Margin', value: (p) => p.margin, format: fmt.pct, align: 'right', signed: true },
  { key: 'orders', label: 'Orders', value: (p) => p.orders, format: fmt.int, align: 'right' },
];

/** Orders only where the data has order IDs (not in a summary, whose orders cannot be counted across months). */
const pointColumns = (env: ViewInput['env']) =>
  allPointColumns.filter((c) => c.key !== 'orders' || Boolean(env.info.mapping.order_id));

function quadrantList(env: ViewInput['env'], r: MatrixResult, q: Quadrant, set: SetMatrix): HTMLElement {
  const rows = r.points.filter((p) => p.quadrant === q);
  const download = h(
    'button',
    {
      type: 'button',
      onclick: async () => {
        const all = await env.engine.query<MatrixPoint>(
          `SELECT * FROM ${r.table} WHERE quadrant = '${q}' ORDER BY revenue DESC`,
        );
        downloadText(
          `${env.info.fileName.replace(/\.[^.]+$/, '')}-${q}.csv`,
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
      h('button', { type: 'button', onclick: () => set({ list: null }) }, 'Close'),
    ),
    dataTable({
      columns: pointColumns(env),
      rows: rows.slice(0, 200),
      onRowClick: (p) => set({ selected: p.customer }),
    }),
  );
}

function lossTable(env: ViewInput['env'], rows: MatrixPoint[], set: SetMatrix): HTMLElement {
  return h(
    'div',
    { class: 'table-block', id: 'loss-table' },
    dataTable({
      caption: 'A-class accounts that lose money (click for the profit bridge)',
      columns: pointColumns(env),
      rows,
      onRowClick: (p) => set({ selected: p.customer }),
    }),
  );
}

function bridgePanel(b: CustomerBridge, set: SetMatrix): HTMLElement {
  const trend =
    b.quarters.length > 1
      ? fitted(() => quarterChart(b.quarters, b.label))
      : h('p', { class: 'note' }, 'No quarterly trend: the file has no dates for this customer.');
  return h(
    'div',
    { class: 'bridge panel-inner', id: 'bridge' },
    h(
      'div',
      { class: 'controls' },
      h('h3', {}, `Profit bridge: ${b.label}`),
      h('button', { type: 'button', onclick: () => set({ selected: null }) }, 'Close'),
    ),
    h(
      'div',
      { class: 'bridge-grid' },
      h(
        'figure',
        { class: 'chart' },
        h('figcaption', {}, 'From list price to customer profit'),
        fitted(() => waterfallChart(b.steps, `Profit bridge of ${b.label}`)),
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

async function movementPanel(input: ViewInput, o: MatrixOptions, set: SetMatrix): Promise<HTMLElement> {
  const period = input.state.matrix.period;
  // The periods end where the period in view ends, and reach back before it.
  const m = await movement(input.env.engine, input.history, o, period);
  const sel = h(
    'select',
    {
      id: 'matrix-period',
      onchange: (e) => set({ period: (e.target as HTMLSelectElement).value as 'quarter' | 'year' }),
    },
    h('option', { value: 'quarter', selected: period === 'quarter' }, 'last quarter against the one before'),
    h('option', { value: 'year', selected: period === 'year' }, 'last year against the one before'),
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
      onRowClick: (x) => set({ selected: x.customer }),
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
        fitted(() => shapiroChart(r)),
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
