/** Pareto & concentration view: headline, ABC, Lorenz/Gini, HHI, dependency flags, stress test, whale curve. */

import { memo } from '../analysis/cache';
import { concentrationByQuarter, type QuarterConcentration } from '../analysis/concentration';
import type { Filters } from '../analysis/filters';
import {
  type CustomerRow,
  customerTable,
  type ParetoMetric,
  type ParetoOptions,
  type ParetoResult,
  pareto,
  type SortKey,
  type WhaleResult,
  whale,
} from '../analysis/pareto';
import type { Caps } from '../analysis/rules';
import { bySegment, volumeVsProfitSentence } from '../analysis/segments';
import { lorenzChart, paretoChart, whaleChart } from '../charts/curves';
import type { Engine } from '../data/engine';
import { downloadText, toCsv } from '../export/csv';
import { type AppState, SORT_KEYS } from '../state/app-state';
import { deferred } from '../ui/deferred';
import { h } from '../ui/dom';
import { fmt } from '../ui/format';
import { kpiGrid } from '../ui/kpi';
import { type Column, dataTable, profitColumns } from '../ui/table';
import { fitted } from './chart-fit';
import { drawAt, type Figure } from './figure';
import { exportMenu } from './figure-tools';
import { compareLabel, sectionFrame } from './section-frame';
import { sparkSlots } from './spark';
import type { Actions, View, ViewInput } from './view';

export const METRIC_LABEL: Record<ParetoMetric, string> = {
  revenue: 'net revenue',
  profit: 'gross profit',
  customer_profit: 'customer profit',
  quantity: 'quantity',
};

export function headline(r: ParetoResult, metric: string): string {
  const s = `${fmt.pct0(r.customersFor80Share)} of customers (${fmt.int(r.customersFor80)} of ${fmt.int(r.customers)})`;
  const top = `the top 20% make ${fmt.pct0(r.top20Share)}`;
  if (r.customers < 5)
    return `Only ${r.customers} customer${r.customers === 1 ? '' : 's'} with positive ${metric}: concentration is total by construction.`;
  if (r.customersFor80Share <= 0.3) return `${s} make 80% of ${metric}; ${top}.`;
  if (r.customersFor80Share >= 0.4)
    return `${metric[0]?.toUpperCase()}${metric.slice(1)} is spread wide, far from 80/20: it takes ${s} to reach 80%, and ${top}.`;
  return `${s} make 80% of ${metric}; ${top} — a milder skew than 80/20.`;
}

function hhiBand(hhi: number): string {
  if (hhi < 1000) return 'unconcentrated';
  if (hhi < 1800) return 'moderately concentrated by the 2023 guidelines (1,000–1,800)';
  if (hhi < 2500) return 'highly concentrated by the 2023 guidelines (>1,800)';
  return 'highly concentrated (>2,500)';
}

/** The Pareto options in force: the state's, with a metric this file cannot show replaced by revenue. */
export function paretoOptions(s: AppState, c: Caps): ParetoOptions {
  const ok: Record<ParetoMetric, boolean> = {
    revenue: true,
    profit: c.profit,
    customer_profit: c.profit && c.costToServe,
    quantity: c.quantity,
  };
  return { metric: ok[s.pareto.metric] ? s.pareto.metric : 'revenue', a: s.pareto.a / 100, b: s.pareto.b / 100 };
}

export interface ParetoData {
  r: ParetoResult | null;
  w: WhaleResult | null;
  prev: { r: ParetoResult | null; w: WhaleResult | null } | null;
}

/** The whale curve does not depend on the Pareto metric or thresholds: reused while data and filters stay. */
const whaleOf = (engine: Engine, filters: Filters) =>
  memo(engine, `whale|${JSON.stringify(filters)}`, () => whale(engine, filters));

async function figures(engine: Engine, filters: Filters, o: ParetoOptions, hasProfit: boolean) {
  // Both ask for their queries at once: one's arithmetic runs while the worker answers the other.
  const [r, w] = await Promise.all([
    pareto(engine, filters, o),
    hasProfit ? whaleOf(engine, filters) : Promise.resolve(null),
  ]);
  return { r, w };
}

const curveTitle = (metric: string) => `Pareto curve: cumulative ${metric} by customer`;

/** What the whale curve says, in one sentence. */
export function whaleSentence(w: WhaleResult): string {
  return w.unprofitable
    ? `${fmt.count(w.unprofitable, 'customer')} lose money after discounts and cost-to-serve, ${fmt.moneyShort(w.unprofitableLoss)} in total; the profitable ones earn ${fmt.pct0(w.peakShare)} of the profit.`
    : 'Every customer with a known profit makes money.';
}

export const paretoView: View<ParetoData> = {
  id: 'pareto',
  reads: (s) => s.pareto,
  figures(d, input) {
    const { r, w } = d;
    if (!r) return [];
    const o = paretoOptions(input.state, input.env.caps);
    const metric = METRIC_LABEL[o.metric];
    const out: Figure[] = [
      {
        id: 'pareto.curve',
        view: 'pareto',
        title: curveTitle(metric),
        headline: headline(r, metric),
        chart: async (o) => drawAt(o, () => paretoChart(r, metric)),
        table: async () => ({
          columns: ['customers_ranked', 'share_of_customers', `cumulative_share_of_${o.metric}`],
          rows: r.curve.map((p) => [p.k, p.x, p.y]),
        }),
        note: `Customers with a positive ${metric}, largest first; ABC classes at ${input.state.pareto.a}% and ${input.state.pareto.b}%.`,
      },
      {
        id: 'pareto.lorenz',
        view: 'pareto',
        title: 'Lorenz curve and Gini',
        headline: `Gini ${fmt.dec(r.gini)}, HHI ${fmt.int(r.hhi)} (${fmt.num(Number(r.effectiveCustomers.toFixed(1)))} equal-sized customers would give the same concentration).`,
        chart: async (o) => drawAt(o, () => lorenzChart(r, metric)),
        table: async () => ({
          columns: ['share_of_customers_smallest_first', `cumulative_share_of_${o.metric}`],
          rows: r.lorenz.map((p) => [p.x, p.y]),
        }),
      },
    ];
    if (w)
      out.push({
        id: 'pareto.whale',
        view: 'pareto',
        title: 'Profit whale curve',
        headline: whaleSentence(w),
        chart: async (o) => drawAt(o, () => whaleChart(w)),
        table: async () => ({
          columns: ['customer', 'name', 'net_revenue', 'customer_profit'],
          rows: w.worst.map((x) => [x.customer, x.label, x.revenue, x.profit]),
        }),
        nameColumns: [0, 1],
        note: 'Customer profit: gross profit less rebates, promotions and freight. The table lists the largest loss makers.',
      });
    return out;
  },
  async load({ env, state, filters, compare }) {
    const o = paretoOptions(state, env.caps);
    const [cur, prev] = await Promise.all([
      figures(env.engine, filters, o, env.caps.profit),
      compare ? figures(env.engine, compare, o, env.caps.profit) : Promise.resolve(null),
    ]);
    return { ...cur, prev };
  },
  render: renderPareto,
};

function renderPareto(d: ParetoData, input: ViewInput, act: Actions): HTMLElement {
  const { env, state } = input;
  const { r, w } = d;
  const o = paretoOptions(state, env.caps);
  const metric = METRIC_LABEL[o.metric];
  const hasProfit = env.caps.profit;
  const section = sectionFrame('pareto', controls(env.caps, state, act));
  if (!r) {
    section.append(
      h(
        'p',
        { class: 'note', role: 'status' },
        `No customer has a positive ${metric} under the current filters, so there is no Pareto curve to draw.`,
      ),
    );
    return section;
  }
  section.append(h('p', { class: 'headline' }, headline(r, metric)));
  const risk = r.flagged.length
    ? `Dependency risk: ${r.flagged.map((f) => `${f.label} (${fmt.pct(f.share)})`).join(', ')} ${r.flagged.length === 1 ? 'is' : 'are each'} at least 10% of ${metric} — the major-customer disclosure line (ASC 280, IFRS 8.34).`
    : `No single customer reaches 10% of ${metric}; the largest is ${fmt.pct(r.topShares[0]?.metricShare)}.`;
  section.append(h('p', { class: r.flagged.length ? 'risk' : 'note' }, risk));
  const vs = compareLabel(input);
  // Sparklines of the last 8 quarters.
  const slot = sparkSlots(
    () =>
      memo(env.engine, `concentration|${o.metric}|${JSON.stringify(input.history)}`, () =>
        concentrationByQuarter(env.engine, input.history, o.metric),
      ),
    8,
    'quarter',
  );
  const spark = (label: string, pick: (q: QuarterConcentration) => number) =>
    env.caps.date ? slot(label, pick) : undefined;
  const pr = d.prev?.r;
  const pw = d.prev?.w;
  const cmp = (v: number | null | undefined) => (d.prev ? (v ?? null) : undefined);
  section.append(
    kpiGrid([
      {
        name: 'customers_for_80_count',
        label: `Customers for 80% of ${metric}`,
        value: r.customersFor80,
        display: fmt.int(r.customersFor80),
        sub: `of ${fmt.int(r.customers)} with positive ${metric}`,
        prev: cmp(pr?.customersFor80),
        change: 'count',
        compareLabel: vs,
      },
      {
        name: 'customers_for_80_share',
        label: 'Share of customers for 80%',
        value: r.customersFor80Share,
        display: fmt.pct(r.customersFor80Share),
        prev: cmp(pr?.customersFor80Share),
        better: 'up',
        change: 'points',
        compareLabel: vs,
        spark: spark('Share of customers for 80%', (q) => q.customersFor80Share),
      },
      {
        name: 'top20_share',
        label: 'Top 20% of customers make',
        value: r.top20Share,
        display: fmt.pct(r.top20Share),
        sub: fmt.count(r.top20Count, 'customer'),
        prev: cmp(pr?.top20Share),
        better: 'down',
        change: 'points',
        compareLabel: vs,
        spark: spark('Top 20% share', (q) => q.top20Share),
      },
      {
        name: 'gini',
        label: 'Gini coefficient',
        value: r.gini,
        display: fmt.dec(r.gini),
        sub: '0 = equal, 1 = one customer',
        prev: cmp(pr?.gini),
        better: 'down',
        change: 'ratio',
        compareLabel: vs,
        spark: spark('Gini', (q) => q.gini),
      },
      {
        name: 'hhi',
        label: 'HHI (0–10,000)',
        value: r.hhi,
        display: fmt.int(r.hhi),
        sub: `${fmt.num(Number(r.effectiveCustomers.toFixed(1)))} effective customers`,
        title: hhiBand(r.hhi),
        prev: cmp(pr?.hhi),
        better: 'down',
        change: 'count',
        compareLabel: vs,
        spark: spark('HHI', (q) => q.hhi),
      },
      {
        name: 'concentrated_customers',
        label: 'Customers ≥ 10%',
        value: r.flagged.length,
        display: fmt.int(r.flagged.length),
        tone: r.flagged.length ? 'warn' : undefined,
        prev: cmp(pr?.flagged.length),
        better: 'down',
        change: 'count',
        compareLabel: vs,
      },
      ...(w
        ? [
            {
              name: 'whale_peak_share',
              label: 'Whale curve peak',
              value: w.peakShare,
              display: fmt.pct(w.peakShare),
              sub: `at ${fmt.pct0(w.peakAtShare)} of customers`,
              prev: cmp(pw?.peakShare),
              better: 'down' as const,
              change: 'points' as const,
              compareLabel: vs,
            },
            {
              name: 'unprofitable_customers',
              label: 'Loss-making customers',
              value: w.unprofitable,
              display: fmt.int(w.unprofitable),
              tone: w.unprofitable ? ('bad' as const) : undefined,
              prev: cmp(pw?.unprofitable),
              better: 'down' as const,
              change: 'count' as const,
              compareLabel: vs,
            },
            {
              name: 'unprofitable_loss',
              label: 'Their total loss',
              value: w.unprofitableLoss,
              display: fmt.moneyShort(w.unprofitableLoss),
              tone: w.unprofitableLoss < 0 ? ('bad' as const) : undefined,
              title: fmt.money(w.unprofitableLoss),
              prev: cmp(pw?.unprofitableLoss),
              better: 'up' as const,
              compareLabel: vs,
            },
          ]
        : []),
    ]),
  );
  if (r.excluded.customers > 0) {
    section.append(
      h(
        'p',
        { class: 'note' },
        `${fmt.count(r.excluded.customers, 'customer')} with zero or negative ${metric} (total ${fmt.money(r.excluded.metric)}) are left out of the Pareto, Gini and HHI.`,
      ),
    );
  }
  // The figures above are the headline; the curves are drawn right after them (ui/deferred.ts).
  const figure = (id: string, caption: string, chart: () => Element) =>
    deferred(
      caption,
      async () =>
        h(
          'figure',
          { class: 'chart', 'data-figure': id },
          h('figcaption', {}, exportMenu(act, id, caption), caption),
          fitted(chart),
        ),
      'chart chart-slot',
    );
  const charts = h('div', { class: 'chart-grid' });
  charts.append(figure('pareto.curve', curveTitle(metric), () => paretoChart(r, metric)));
  charts.append(figure('pareto.lorenz', 'Lorenz curve and Gini', () => lorenzChart(r, metric)));
  if (w) {
    charts.append(figure('pareto.whale', 'Profit whale curve', () => whaleChart(w)));
    if (w.worst.length) charts.append(worstTable(w));
  } else if (!hasProfit)
    charts.append(
      h(
        'div',
        { class: 'chart placeholder' },
        h('p', {}, 'The whale curve needs profit per line: map a profit or cost (COGS) column in the column mapping.'),
      ),
    );
  section.append(charts);
  const picked = state.clauses.find((c) => c.source === 'pareto' && c.kind === 'abc')?.value;
  section.append(
    h(
      'div',
      { class: 'table-grid' },
      classTable(r, metric, hasProfit, picked, act),
      concentrationTable(r, metric, hasProfit),
    ),
  );
  // The breakdown and the customer list sit below the headline figures and charts: drawn after "ready".
  const segment = env.info.mapping.segment;
  if (segment)
    section.append(deferred(`Breakdown by ${segment}`, () => segmentTable(input, o, segment, hasProfit, r, act)));
  section.append(deferred('Customer list', () => customers(input, o, act, hasProfit)));
  return section;
}

function controls(c: Caps, st: AppState, act: Actions): HTMLElement {
  const o = st.pareto;
  const metrics: ParetoMetric[] = ['revenue'];
  if (c.profit) metrics.push('profit');
  if (c.profit && c.costToServe) metrics.push('customer_profit');
  if (c.quantity) metrics.push('quantity');
  const set = (patch: Partial<AppState['pareto']>) => act.update((s) => ({ ...s, pareto: { ...s.pareto, ...patch } }));
  const metricSel = h(
    'select',
    {
      id: 'pareto-metric',
      onchange: (e) => set({ metric: (e.target as HTMLSelectElement).value as ParetoMetric }),
    },
    ...metrics.map((m) => h('option', { value: m, selected: m === o.metric }, METRIC_LABEL[m])),
  );
  const preset = `${o.a}/${o.b}`;
  const presetSel = h(
    'select',
    {
      id: 'abc-preset',
      onchange: (e) => {
        const [a, b] = (e.target as HTMLSelectElement).value.split('/').map(Number);
        if (a && b) set({ a, b });
      },
    },
    ...['80/95', '70/90'].map((p) => h('option', { value: p, selected: p === preset }, p)),
    !['80/95', '70/90'].includes(preset) ? h('option', { value: preset, selected: true }, `${preset} (custom)`) : null,
  );
  const num = (id: string, label: string, value: number, patch: (v: number) => { a: number; b: number }) =>
    h(
      'label',
      { for: id },
      label,
      h('input', {
        id,
        type: 'number',
        min: 1,
        max: 99,
        step: 1,
        value,
        onchange: (e) => {
          const v = Number((e.target as HTMLInputElement).value);
          const next = patch(v);
          if (v >= 1 && v <= 99 && next.a < next.b) set(next);
        },
      }),
      '%',
    );
  return h(
    'div',
    { class: 'controls' },
    h('label', { for: 'pareto-metric' }, 'Metric ', metricSel),
    h('label', { for: 'abc-preset' }, 'ABC thresholds ', presetSel),
    num('abc-a', 'A up to ', o.a, (v) => ({ a: v, b: o.b })),
    num('abc-b', 'B up to ', o.b, (v) => ({ a: o.a, b: v })),
  );
}

function classTable(
  r: ParetoResult,
  metric: string,
  hasProfit: boolean,
  picked: string | undefined,
  act: Actions,
): HTMLElement {
  type C = ParetoResult['classes'][number];
  const cols: Column<C>[] = [
    { key: 'cls', label: 'Class', value: (c) => `${picked === c.cls ? '● ' : ''}${c.cls}` },
    { key: 'customers', label: 'Customers', value: (c) => c.customers, format: fmt.int, align: 'right' },
    {
      key: 'share',
      label: 'Share of customers',
      value: (c) => c.customers / r.customers,
      format: fmt.pct,
      align: 'right',
    },
    { key: 'metric', label: `Share of ${metric}`, value: (c) => c.metric / r.total, format: fmt.pct, align: 'right' },
    { key: 'revenue', label: 'Net revenue', value: (c) => c.revenue, format: fmt.money, align: 'right' },
  ];
  if (hasProfit)
    cols.push(
      ...profitColumns<C>(
        (c) => c.profit,
        (c) => c.margin,
      ),
    );
  const sentence = volumeVsProfitSentence(r.classes);
  return h(
    'div',
    {},
    dataTable({
      caption: 'ABC classes (click a class to filter the other views to it)',
      columns: cols,
      rows: r.classes,
      onRowClick: (c) => act.toggleClause({ source: 'pareto', kind: 'abc', value: c.cls }),
      selected: (c) => c.cls === picked,
    }),
    sentence ? h('p', { class: 'note' }, sentence) : null,
  );
}

function concentrationTable(r: ParetoResult, metric: string, hasProfit: boolean): HTMLElement {
  type T = ParetoResult['topShares'][number];
  const cols: Column<T>[] = [
    { key: 'n', label: 'Largest customers', value: (t) => `Top ${t.n}` },
    { key: 'm', label: `Share of ${metric}`, value: (t) => t.metricShare, format: fmt.pct, align: 'right' },
  ];
  if (hasProfit)
    cols.push({
      key: 'p',
      label: 'Share of profit',
      value: (t) => t.profitShare,
      format: fmt.pct,
      align: 'right',
      signed: true,
    });
  type S = ParetoResult['stress'][number];
  const stressCols: Column<S>[] = [
    { key: 'lost', label: 'If we lost…', value: (s) => (s.lost === 1 ? 'the largest customer' : `the top ${s.lost}`) },
    { key: 'rev', label: 'Revenue left', value: (s) => s.revenue, format: fmt.money, align: 'right' },
    { key: 'drop', label: 'Revenue drop', value: (s) => -s.revenueDrop, format: fmt.pct, align: 'right', signed: true },
  ];
  if (hasProfit) {
    stressCols.push({
      key: 'prof',
      label: 'Profit left',
      value: (s) => s.profit,
      format: fmt.money,
      align: 'right',
      signed: true,
    });
    stressCols.push({
      key: 'pdrop',
      label: 'Profit change',
      value: (s) => (s.profitDrop === null ? null : -s.profitDrop),
      format: fmt.pct,
      align: 'right',
      signed: true,
    });
  }
  return h(
    'div',
    {},
    dataTable({ caption: 'Concentration', columns: cols, rows: r.topShares }),
    h(
      'p',
      { class: 'note' },
      `HHI ${fmt.int(r.hhi)}: ${hhiBand(r.hhi)}. These bands are antitrust heuristics from merger guidelines, not a rule for customer portfolios. Equivalent to ${fmt.num(Number(r.effectiveCustomers.toFixed(1)))} equal-sized customers.`,
    ),
    dataTable({ caption: 'Stress test (ranked by net revenue)', columns: stressCols, rows: r.stress }),
  );
}

function worstTable(w: WhaleResult): HTMLElement {
  type W = WhaleResult['worst'][number];
  return dataTable<W>({
    caption: 'Largest loss-making customers',
    columns: [
      { key: 'label', label: 'Customer', value: (x) => x.label },
      { key: 'revenue', label: 'Net revenue', value: (x) => x.revenue, format: fmt.money, align: 'right' },
      { key: 'profit', label: 'Profit', value: (x) => x.profit, format: fmt.money, align: 'right', signed: true },
      {
        key: 'margin',
        label: 'Margin',
        value: (x) => (x.revenue ? x.profit / x.revenue : null),
        format: fmt.pct,
        align: 'right',
        signed: true,
      },
    ],
    rows: w.worst,
  });
}

async function segmentTable(
  input: ViewInput,
  o: ParetoOptions,
  column: string,
  hasProfit: boolean,
  r: ParetoResult,
  act: Actions,
): Promise<HTMLElement> {
  const rows = await bySegment(input.env.engine, input.filters, o);
  const picked = input.state.clauses.find((c) => c.source === 'pareto' && c.kind === 'segment')?.value;
  type S = (typeof rows)[number];
  const cols: Column<S>[] = [
    { key: 'segment', label: column, value: (s) => `${picked === s.segment ? '● ' : ''}${s.segment}` },
    { key: 'customers', label: 'Customers', value: (s) => s.customers, format: fmt.int, align: 'right' },
    { key: 'a', label: 'A-class', value: (s) => s.a_customers, format: fmt.int, align: 'right' },
    { key: 'revenue', label: 'Net revenue', value: (s) => s.revenue, format: fmt.money, align: 'right' },
    { key: 'share', label: 'Share', value: (s) => s.revenue / r.total, format: fmt.pct, align: 'right' },
    {
      key: 'rpc',
      label: 'Revenue / customer',
      value: (s) => s.revenue_per_customer,
      format: fmt.money,
      align: 'right',
    },
  ];
  if (hasProfit) {
    cols.push(
      ...profitColumns<S>(
        (s) => s.profit,
        (s) => s.margin,
      ),
    );
    cols.push({
      key: 'ppc',
      label: 'Profit / customer',
      value: (s) => s.profit_per_customer,
      format: fmt.money,
      align: 'right',
      signed: true,
    });
  }
  return h(
    'div',
    { class: 'segment' },
    dataTable({
      caption: `By ${column}: do big customer types bring volume and small ones profit? (click a row to filter the other views)`,
      columns: cols,
      rows,
      // Customers without a segment cannot be picked: "(none)" is not a value of the column.
      onRowClick: (s) =>
        s.segment !== '(none)' && act.toggleClause({ source: 'pareto', kind: 'segment', value: s.segment }),
      selected: (s) => s.segment === picked,
    }),
  );
}

async function customers(input: ViewInput, o: ParetoOptions, act: Actions, hasProfit: boolean): Promise<HTMLElement> {
  const { env, filters } = input;
  const st = input.state.pareto;
  const q = { search: st.search, cls: st.cls, sort: st.sort, desc: st.desc, limit: 200 };
  const t = await customerTable(env.engine, filters, o, q);
  const metric = METRIC_LABEL[o.metric];
  const set = (patch: Partial<AppState['pareto']>, mode?: 'replace') =>
    act.update((s) => ({ ...s, pareto: { ...s.pareto, ...patch } }), mode);
  const cols: Column<CustomerRow>[] = [
    { key: 'k', label: 'Rank', value: (c) => c.k, format: fmt.int, align: 'right' },
    {
      key: 'label',
      label: 'Customer',
      value: (c) => (c.label === c.customer ? c.label : `${c.label} (${c.customer})`),
    },
    { key: 'revenue', label: 'Net revenue', value: (c) => c.revenue, format: fmt.money, align: 'right' },
    {
      key: 'share',
      label: `Share of ${metric}`,
      value: (c) => c.share,
      format: fmt.pct,
      align: 'right',
      sortable: false,
    },
    { key: 'cum', label: 'Cumulative', value: (c) => c.cum_share, format: fmt.pct, align: 'right', sortable: false },
    { key: 'cls', label: 'Class', value: (c) => c.cls, sortable: false },
  ];
  if (hasProfit)
    cols.push(
      ...profitColumns<CustomerRow>(
        (c) => c.profit,
        (c) => (c.profit === null || !c.revenue ? null : c.profit / c.revenue),
      ),
    );
  const search = h('input', {
    type: 'search',
    id: 'customer-search',
    placeholder: 'Search customers',
    value: st.search,
    'aria-label': 'Search customers',
  });
  let timer = 0;
  search.addEventListener('input', () => {
    clearTimeout(timer);
    timer = window.setTimeout(() => set({ search: search.value }, 'replace'), 250);
  });
  const clsSel = h(
    'select',
    {
      'aria-label': 'Class filter',
      onchange: (e) => set({ cls: (e.target as HTMLSelectElement).value as AppState['pareto']['cls'] }),
    },
    ...['', 'A', 'B', 'C'].map((c) =>
      h('option', { value: c, selected: c === st.cls }, c ? `Class ${c}` : 'All classes'),
    ),
  );
  const download = h(
    'button',
    {
      type: 'button',
      onclick: async () => {
        const all = await customerTable(env.engine, filters, o, { ...q, limit: 1_000_000 });
        downloadText(
          `${env.info.fileName.replace(/\.[^.]+$/, '')}-customers.csv`,
          toCsv(
            [
              'rank',
              'customer',
              'name',
              'net_revenue',
              `share_of_${o.metric}`,
              'cumulative_share',
              'class',
              'gross_profit',
            ],
            all.rows.map((c) => [c.k, c.customer, c.label, c.revenue, c.share, c.cum_share, c.cls, c.profit]),
          ),
        );
      },
    },
    'Download CSV',
  );
  const table = dataTable<CustomerRow>({
    caption: `Customers ranked by ${metric}${t.total > t.rows.length ? ` (first ${fmt.int(t.rows.length)} of ${fmt.int(t.total)})` : ` (${fmt.int(t.total)})`}`,
    columns: cols,
    rows: t.rows,
    sort: { key: st.sort, desc: st.desc },
    onSort: (key) => {
      if (!(SORT_KEYS as readonly string[]).includes(key)) return;
      const k = key as SortKey;
      set({ sort: k, desc: st.sort === k ? !st.desc : k !== 'k' && k !== 'label' });
    },
    totals: {
      k: 'Total',
      label: fmt.count(t.total, 'customer'),
      revenue: fmt.money(t.totals.revenue),
      profit: hasProfit ? fmt.money(t.totals.profit) : '',
      margin:
        hasProfit && t.totals.profit !== null && t.totals.revenue ? fmt.pct(t.totals.profit / t.totals.revenue) : '',
    },
    empty: 'No customer matches the search.',
  });
  return h('div', { class: 'customers' }, h('div', { class: 'controls' }, search, clsSel, download), table);
}
