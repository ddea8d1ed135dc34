/** Overview: the load's headline KPIs (with the compare period's change and a sparkline) and revenue by month. */

import { type Overview, orderCount, overview } from '../analysis/overview';
import { monthlyOf } from '../analysis/seasonality';
import type { MonthPoint } from '../analysis/trend';
import { monthChart } from '../charts/trend';
import { deferred } from '../ui/deferred';
import { h } from '../ui/dom';
import { fmt } from '../ui/format';
import { type KpiSpec, kpiGrid } from '../ui/kpi';
import { fitted } from './chart-fit';
import { drawAt } from './figure';
import { exportMenu } from './figure-tools';
import { compareLabel, sectionFrame } from './section-frame';
import { sparkSlots } from './spark';
import type { View } from './view';

export interface OverviewData {
  o: Overview;
  /** The same over the compare period. */
  prev: Overview | null;
}

/** How many months of history a sparkline shows. */
const SPARK_MONTHS = 24;

export const overviewView: View<OverviewData> = {
  id: 'overview',
  reads: () => null,
  async load({ env, filters, compare }) {
    const [o, prev] = await Promise.all([
      overview(env.engine, filters),
      compare ? overview(env.engine, compare) : Promise.resolve(null),
    ]);
    return { o, prev };
  },
  render(d, input, act) {
    const { env, state } = input;
    const { info } = env;
    const { o, prev } = d;
    const hasProfit = o.profit !== null;
    const vs = compareLabel(input);
    // Sparklines share one monthly query with the chart below, drawn after the figures.
    // Kept per data and filters: a redraw (theme) or another view's change asks nothing again.
    const history = () => monthlyOf(env.engine, input.history);
    const slot = sparkSlots(history, SPARK_MONTHS, 'month');
    const spark = (label: string, pick: (m: MonthPoint) => number | null) =>
      env.caps.date ? slot(label, pick) : undefined;
    const cmp = (value: number | null | undefined) => (prev ? (value ?? null) : undefined);
    const cards: KpiSpec[] = [
      {
        name: 'rows_loaded',
        label: 'Rows loaded',
        value: info.rowsLoaded,
        display: fmt.int(info.rowsLoaded),
        sub: info.summary
          ? `order lines, in ${fmt.int(info.summary.groups)} groups of the summary`
          : `of ${fmt.int(info.rowsRead)} read`,
      },
      {
        name: 'rows_rejected',
        label: 'Rows rejected',
        value: info.rowsRejected,
        display: fmt.int(info.rowsRejected),
        sub: info.rowsRejected ? 'see Data quality' : 'none',
        tone: info.rowsRejected ? 'warn' : undefined,
      },
      {
        name: 'rows_skipped',
        label: 'Lines skipped',
        value: info.rowsSkipped,
        display: fmt.int(info.rowsSkipped),
        // Not order lines (totals, blank lines, a repeated header): nothing was wrong with them.
        sub: !info.rowsSkipped
          ? 'none'
          : info.summary
            ? 'left out by the summarize run'
            : info.skippedByReason.map((r) => r.reason.toLowerCase()).join(', '),
      },
      {
        name: 'customers',
        label: 'Customers',
        value: o.customers,
        display: fmt.int(o.customers),
        prev: cmp(prev?.customers),
        better: 'up',
        change: 'count',
        compareLabel: vs,
        spark: spark('Customers', (m) => m.customers),
        sub: info.mapping.order_id
          ? deferred('orders', async () => {
              const n = await orderCount(env.engine, input.filters);
              return n ? h('span', {}, fmt.count(n, 'order')) : null;
            })
          : undefined,
      },
      {
        name: 'revenue_total',
        label: 'Net revenue',
        value: o.revenue,
        display: fmt.moneyShort(o.revenue),
        title: fmt.money(o.revenue),
        prev: cmp(prev?.revenue),
        better: 'up',
        compareLabel: vs,
        spark: spark('Net revenue', (m) => m.revenue),
      },
      {
        name: 'profit_total',
        label: 'Gross profit',
        value: o.profit,
        display: fmt.moneyShort(o.profit),
        sub: hasProfit ? `margin ${fmt.pct(o.marginPct)}` : 'map a profit or cost column',
        tone: hasProfit && (o.profit ?? 0) < 0 ? 'bad' : undefined,
        title: hasProfit ? fmt.money(o.profit) : 'This file has no profit or cost column',
        prev: cmp(prev?.profit),
        better: 'up',
        compareLabel: vs,
        spark: hasProfit ? spark('Gross profit', (m) => m.profit) : undefined,
      },
      {
        name: 'margin_pct',
        label: 'Gross margin',
        value: o.marginPct,
        display: fmt.pct(o.marginPct),
        prev: cmp(prev?.marginPct),
        better: 'up',
        change: 'points',
        compareLabel: vs,
        spark: hasProfit ? spark('Gross margin', (m) => (m.profit === null ? null : m.profit / m.revenue)) : undefined,
      },
      {
        name: 'incentive_cost_total',
        label: 'Incentive spend',
        value: o.incentives,
        display: fmt.moneyShort(o.incentives),
        title:
          o.incentives === null ? 'This file has no discount, rebate or promotion column' : fmt.money(o.incentives),
        sub:
          o.incentives === null
            ? 'map a discount, rebate or promotion column'
            : o.gross
              ? `${fmt.pct(o.incentives / o.gross)} of gross sales`
              : 'discounts, rebates and promotions',
        prev: cmp(prev?.incentives),
        better: 'down',
        compareLabel: vs,
        spark: o.incentives === null ? undefined : spark('Incentive spend', (m) => m.incentives),
      },
    ];
    const grid = kpiGrid(cards.filter((c) => c.name !== 'margin_pct' || hasProfit));
    grid.append(periodCard(o.dateMin, o.dateMax, info.mapping.date, Boolean(info.summary)));
    const section = sectionFrame('overview', grid);
    if (o.customers === 0)
      section.append(h('p', { class: 'note', role: 'status' }, 'No order line matches the current filters.'));
    const picked = state.clauses.find((c) => c.source === 'overview' && c.kind === 'month')?.value;
    if (env.caps.date)
      section.append(
        deferred('Revenue by month', async () => {
          const series = await history();
          if (series.length < 2) return null;
          return h(
            'figure',
            { class: 'chart wide', 'data-figure': 'overview.trend' },
            h(
              'figcaption',
              {},
              exportMenu(act, 'overview.trend', trendTitle(hasProfit)),
              `${trendTitle(hasProfit)} `,
              h('span', { class: 'legend-swatch bar' }),
              h('span', { class: 'legend-text' }, 'net revenue'),
              hasProfit ? h('span', { class: 'legend-swatch line' }) : null,
              hasProfit ? h('span', { class: 'legend-text' }, 'gross profit') : null,
              h(
                'span',
                { class: 'legend-text' },
                input.env.periods.current && !input.env.periods.current.all
                  ? ' · faint bars are before the period in view'
                  : '',
              ),
            ),
            fitted(() =>
              monthChart(series, {
                periodFrom: input.env.periods.current?.all ? undefined : input.filters.from,
                picked,
                onPick: (month) => act.toggleClause({ source: 'overview', kind: 'month', value: month }),
              }),
            ),
            h('p', { class: 'note' }, 'Click a month to filter the other views to it.'),
          );
        }),
      );
    return section;
  },
  figures(d, input) {
    const { env } = input;
    if (!env.caps.date) return [];
    const hasProfit = d.o.profit !== null;
    const period = env.periods.current;
    const label = period && !period.all ? period.label : 'the whole data';
    const change = d.prev?.revenue
      ? `, ${fmt.pct(d.o.revenue / d.prev.revenue - 1).replace(/^(?=\d)/, '+')} ${compareLabel(input)}`
      : '';
    const series = () => monthlyOf(env.engine, input.history);
    return [
      {
        id: 'overview.trend',
        view: 'overview',
        title: trendTitle(hasProfit),
        headline: `Net revenue ${fmt.moneyShort(d.o.revenue)} in ${label}${change}${hasProfit ? `; gross margin ${fmt.pct(d.o.marginPct)}` : ''}.`,
        legend: [
          { label: 'net revenue', color: 'var(--accent)' },
          ...(hasProfit ? [{ label: 'gross profit', color: 'var(--accent2)' }] : []),
        ],
        chart: async (o) => {
          const months = await series();
          return drawAt(o, () => monthChart(months, { periodFrom: period?.all ? undefined : input.filters.from }));
        },
        table: async () => ({
          columns: ['month', 'net_revenue', 'gross_profit', 'customers', 'incentive_spend'],
          rows: (await series()).map((m) => [m.month.slice(0, 7), m.revenue, m.profit, m.customers, m.incentives]),
        }),
      },
    ];
  },
};

const trendTitle = (hasProfit: boolean) =>
  hasProfit ? 'Net revenue and gross profit by month' : 'Net revenue by month';

/**
 * First and last date in one card; each carries its own data-kpi for the automation contract. A summary's dates are
 * months: shown as months, never as the first day they are stored on.
 */
function periodCard(min: string | null, max: string | null, column: string | undefined, months = false): HTMLElement {
  if (!min || !max) {
    return h(
      'div',
      { class: 'kpi kpi-unknown' },
      h('div', { class: 'kpi-label' }, 'Period'),
      h('div', { class: 'kpi-value' }, 'n/a'),
      h('div', { class: 'kpi-sub' }, column ? 'no line in the filters' : 'map a date column'),
    );
  }
  const shown = (d: string) => (months ? d.slice(0, 7) : d);
  return h(
    'div',
    { class: 'kpi kpi-period' },
    h('div', { class: 'kpi-label' }, 'Period'),
    h(
      'div',
      { class: 'kpi-value' },
      h('span', { 'data-kpi': 'date_min', 'data-value': shown(min) }, shown(min)),
      ' – ',
      h('span', { 'data-kpi': 'date_max', 'data-value': shown(max) }, shown(max)),
    ),
    h('div', { class: 'kpi-sub' }, months ? 'months of the summary' : `column "${column}"`),
  );
}
