/** Pareto & concentration view: headline, ABC, Lorenz/Gini, HHI, dependency flags, stress test, whale curve. */
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
import { bySegment, volumeVsProfitSentence } from '../analysis/segments';
import { lorenzChart, paretoChart, whaleChart } from '../charts/curves';
import type { Engine } from '../data/engine';
import type { DatasetInfo } from '../data/ingest';
import { downloadText, toCsv } from '../export/csv';
import { deferred } from '../ui/deferred';
import { h } from '../ui/dom';
import { fmt } from '../ui/format';
import { kpiGrid } from '../ui/kpi';
import { type Column, dataTable, profitColumns } from '../ui/table';

export interface ParetoViewState {
  opts: ParetoOptions;
  search: string;
  cls: string;
  sort: { key: SortKey; desc: boolean };
}

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

export async function renderPareto(
  engine: Engine,
  info: DatasetInfo,
  filters: Filters,
  st: ParetoViewState,
  onState: (s: ParetoViewState) => void,
): Promise<HTMLElement> {
  const o = st.opts;
  const metric = METRIC_LABEL[o.metric];
  const hasProfit = Boolean(info.mapping.profit || info.mapping.cost);
  // Both ask for their queries at once: one's arithmetic runs while the worker answers the other.
  const [r, w] = await Promise.all([
    pareto(engine, filters, o),
    hasProfit ? whaleMemo(engine, info, filters) : Promise.resolve(null),
  ]);
  const section = h(
    'section',
    { class: 'panel', id: 'pareto', 'aria-labelledby': 'pareto-h' },
    h('h2', { id: 'pareto-h' }, 'Pareto and concentration'),
  );
  section.append(controls(info, st, onState));
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

  section.append(
    kpiGrid([
      {
        name: 'customers_for_80_count',
        label: `Customers for 80% of ${metric}`,
        value: r.customersFor80,
        display: fmt.int(r.customersFor80),
        sub: `of ${fmt.int(r.customers)} with positive ${metric}`,
      },
      {
        name: 'customers_for_80_share',
        label: 'Share of customers for 80%',
        value: r.customersFor80Share,
        display: fmt.pct(r.customersFor80Share),
      },
      {
        name: 'top20_share',
        label: 'Top 20% of customers make',
        value: r.top20Share,
        display: fmt.pct(r.top20Share),
        sub: fmt.count(r.top20Count, 'customer'),
      },
      {
        name: 'gini',
        label: 'Gini coefficient',
        value: r.gini,
        display: fmt.dec(r.gini),
        sub: '0 = equal, 1 = one customer',
      },
      {
        name: 'hhi',
        label: 'HHI (0–10,000)',
        value: r.hhi,
        display: fmt.int(r.hhi),
        sub: `${fmt.num(Number(r.effectiveCustomers.toFixed(1)))} effective customers`,
        title: hhiBand(r.hhi),
      },
      {
        name: 'concentrated_customers',
        label: 'Customers ≥ 10%',
        value: r.flagged.length,
        display: fmt.int(r.flagged.length),
        tone: r.flagged.length ? 'warn' : undefined,
      },
      ...(w
        ? [
            {
              name: 'whale_peak_share',
              label: 'Whale curve peak',
              value: w.peakShare,
              display: fmt.pct(w.peakShare),
              sub: `at ${fmt.pct0(w.peakAtShare)} of customers`,
            },
            {
              name: 'unprofitable_customers',
              label: 'Loss-making customers',
              value: w.unprofitable,
              display: fmt.int(w.unprofitable),
              tone: w.unprofitable ? ('bad' as const) : undefined,
            },
            {
              name: 'unprofitable_loss',
              label: 'Their total loss',
              value: w.unprofitableLoss,
              display: fmt.moneyShort(w.unprofitableLoss),
              tone: w.unprofitableLoss < 0 ? ('bad' as const) : undefined,
              title: fmt.money(w.unprofitableLoss),
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
  const figure = (caption: string, chart: () => Element) =>
    deferred(
      caption,
      async () => h('figure', { class: 'chart' }, h('figcaption', {}, caption), chart()),
      'chart chart-slot',
    );
  const charts = h('div', { class: 'chart-grid' });
  charts.append(figure(`Pareto curve: cumulative ${metric} by customer`, () => paretoChart(r, metric)));
  charts.append(figure('Lorenz curve and Gini', () => lorenzChart(r, metric)));
  if (w) {
    charts.append(figure('Profit whale curve', () => whaleChart(w)));
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

  section.append(
    h('div', { class: 'table-grid' }, classTable(r, metric, hasProfit), concentrationTable(r, metric, hasProfit)),
  );
  // The breakdown and the customer list sit below the headline figures and charts: drawn after "ready".
  const segment = info.mapping.segment;
  if (segment)
    section.append(deferred(`Breakdown by ${segment}`, () => segmentTable(engine, filters, o, segment, hasProfit, r)));
  section.append(deferred('Customer list', () => customers(engine, info, filters, st, onState, hasProfit)));
  return section;
}

function controls(info: DatasetInfo, st: ParetoViewState, onState: (s: ParetoViewState) => void): HTMLElement {
  const o = st.opts;
  const metrics: ParetoMetric[] = ['revenue'];
  if (info.mapping.profit || info.mapping.cost) metrics.push('profit');
  if ((info.mapping.profit || info.mapping.cost) && (info.mapping.rebate || info.mapping.promo || info.mapping.freight))
    metrics.push('customer_profit');
  if (info.mapping.quantity) metrics.push('quantity');
  const metricSel = h(
    'select',
    {
      id: 'pareto-metric',
      onchange: (e) =>
        onState({ ...st, opts: { ...o, metric: (e.target as HTMLSelectElement).value as ParetoMetric } }),
    },
    ...metrics.map((m) => h('option', { value: m, selected: m === o.metric }, METRIC_LABEL[m])),
  );
  const preset = `${Math.round(o.a * 100)}/${Math.round(o.b * 100)}`;
  const presetSel = h(
    'select',
    {
      id: 'abc-preset',
      onchange: (e) => {
        const [a, b] = (e.target as HTMLSelectElement).value.split('/').map((x) => Number(x) / 100);
        if (a && b) onState({ ...st, opts: { ...o, a, b } });
      },
    },
    ...['80/95', '70/90'].map((p) => h('option', { value: p, selected: p === preset }, p)),
    !['80/95', '70/90'].includes(preset) ? h('option', { value: preset, selected: true }, `${preset} (custom)`) : null,
  );
  const num = (id: string, label: string, value: number, set: (v: number) => ParetoOptions) =>
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
        value: Math.round(value * 100),
        onchange: (e) => {
          const v = Number((e.target as HTMLInputElement).value) / 100;
          const next = set(v);
          if (v > 0 && v < 1 && next.a < next.b) onState({ ...st, opts: next });
        },
      }),
      '%',
    );
  return h(
    'div',
    { class: 'controls' },
    h('label', { for: 'pareto-metric' }, 'Metric ', metricSel),
    h('label', { for: 'abc-preset' }, 'ABC thresholds ', presetSel),
    num('abc-a', 'A up to ', o.a, (v) => ({ ...o, a: v })),
    num('abc-b', 'B up to ', o.b, (v) => ({ ...o, b: v })),
  );
}

function classTable(r: ParetoResult, metric: string, hasProfit: boolean): HTMLElement {
  type C = ParetoResult['classes'][number];
  const cols: Column<C>[] = [
    { key: 'cls', label: 'Class', value: (c) => c.cls },
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
    dataTable({ caption: 'ABC classes', columns: cols, rows: r.classes }),
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
  engine: Engine,
  filters: Filters,
  o: ParetoOptions,
  column: string,
  hasProfit: boolean,
  r: ParetoResult,
): Promise<HTMLElement> {
  const rows = await bySegment(engine, filters, o);
  type S = (typeof rows)[number];
  const cols: Column<S>[] = [
    { key: 'segment', label: column, value: (s) => s.segment },
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
      caption: `By ${column}: do big customer types bring volume and small ones profit?`,
      columns: cols,
      rows,
    }),
  );
}

async function customers(
  engine: Engine,
  info: DatasetInfo,
  filters: Filters,
  st: ParetoViewState,
  onState: (s: ParetoViewState) => void,
  hasProfit: boolean,
): Promise<HTMLElement> {
  const q = { search: st.search, cls: st.cls, sort: st.sort.key, desc: st.sort.desc, limit: 200 };
  const t = await customerTable(engine, filters, st.opts, q);
  const metric = METRIC_LABEL[st.opts.metric];
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
    timer = window.setTimeout(() => onState({ ...st, search: search.value }), 250);
  });
  const clsSel = h(
    'select',
    { 'aria-label': 'Class filter', onchange: (e) => onState({ ...st, cls: (e.target as HTMLSelectElement).value }) },
    ...['', 'A', 'B', 'C'].map((c) =>
      h('option', { value: c, selected: c === st.cls }, c ? `Class ${c}` : 'All classes'),
    ),
  );
  const download = h(
    'button',
    {
      type: 'button',
      onclick: async () => {
        const all = await customerTable(engine, filters, st.opts, { ...q, limit: 1_000_000 });
        downloadText(
          `${info.fileName.replace(/\.[^.]+$/, '')}-customers.csv`,
          toCsv(
            [
              'rank',
              'customer',
              'name',
              'net_revenue',
              `share_of_${st.opts.metric}`,
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
  const sortKey = st.sort.key;
  const table = dataTable<CustomerRow>({
    caption: `Customers ranked by ${metric}${t.total > t.rows.length ? ` (first ${fmt.int(t.rows.length)} of ${fmt.int(t.total)})` : ` (${fmt.int(t.total)})`}`,
    columns: cols,
    rows: t.rows,
    sort: { key: sortKey, desc: st.sort.desc },
    onSort: (key) => {
      if (!['k', 'label', 'revenue', 'profit', 'margin'].includes(key)) return;
      const k = key as SortKey;
      onState({ ...st, sort: { key: k, desc: sortKey === k ? !st.sort.desc : k !== 'k' && k !== 'label' } });
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

/** The whale curve does not depend on the Pareto metric or thresholds: reuse it while data and filters stay. */
const whales = new WeakMap<DatasetInfo, Map<string, WhaleResult | null>>();
async function whaleMemo(engine: Engine, info: DatasetInfo, filters: Filters): Promise<WhaleResult | null> {
  const byFilter = whales.get(info) ?? new Map<string, WhaleResult | null>();
  whales.set(info, byFilter);
  const key = JSON.stringify(filters);
  if (!byFilter.has(key)) byFilter.set(key, await whale(engine, filters));
  return byFilter.get(key) ?? null;
}
