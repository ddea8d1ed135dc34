/** Overview: the load's headline KPIs and revenue/profit by month. */
import * as Plot from '@observablehq/plot';
import type { Filters } from '../analysis/filters';
import { orderCount, overview } from '../analysis/overview';
import { monthly } from '../analysis/trend';
import { chartStyle, palette } from '../charts/palette';
import type { Engine } from '../data/engine';
import type { DatasetInfo } from '../data/ingest';
import { deferred } from '../ui/deferred';
import { h } from '../ui/dom';
import { fmt } from '../ui/format';
import { kpiGrid } from '../ui/kpi';

export async function renderOverview(engine: Engine, info: DatasetInfo, filters: Filters): Promise<HTMLElement> {
  const o = await overview(engine, filters);
  const hasProfit = o.profit !== null;
  const grid = kpiGrid([
    {
      name: 'rows_loaded',
      label: 'Rows loaded',
      value: info.rowsLoaded,
      display: fmt.int(info.rowsLoaded),
      sub: `of ${fmt.int(info.rowsRead)} read`,
    },
    {
      name: 'rows_rejected',
      label: 'Rows rejected',
      value: info.rowsRejected,
      display: fmt.int(info.rowsRejected),
      sub: info.rowsRejected ? 'see data quality below' : 'none',
      tone: info.rowsRejected ? 'warn' : undefined,
    },
    {
      name: 'customers',
      label: 'Customers',
      value: o.customers,
      display: fmt.int(o.customers),
      sub: info.mapping.order_id
        ? deferred('orders', async () => {
            const n = await orderCount(engine, filters);
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
    },
    {
      name: 'profit_total',
      label: 'Gross profit',
      value: o.profit,
      display: fmt.moneyShort(o.profit),
      sub: hasProfit ? `margin ${fmt.pct(o.marginPct)}` : 'map a profit or cost column',
      tone: hasProfit && (o.profit ?? 0) < 0 ? 'bad' : undefined,
      title: hasProfit ? fmt.money(o.profit) : 'This file has no profit or cost column',
    },
    {
      name: 'incentive_cost_total',
      label: 'Incentive spend',
      value: o.incentives,
      display: fmt.moneyShort(o.incentives),
      title: o.incentives === null ? 'This file has no discount, rebate or promotion column' : fmt.money(o.incentives),
      sub:
        o.incentives === null
          ? 'map a discount, rebate or promotion column'
          : o.gross
            ? `${fmt.pct(o.incentives / o.gross)} of gross sales`
            : 'discounts, rebates and promotions',
    },
  ]);
  grid.append(periodCard(o.dateMin, o.dateMax, info.mapping.date));
  const section = h(
    'section',
    { class: 'panel', id: 'overview', 'aria-labelledby': 'overview-h' },
    h('h2', { id: 'overview-h' }, 'Overview'),
    grid,
  );
  if (info.mapping.date)
    section.append(
      deferred('Revenue by month', async () => {
        const months = await monthly(engine, filters);
        if (months.length < 2) return null;
        return h(
          'figure',
          { class: 'chart wide' },
          h(
            'figcaption',
            {},
            'Net revenue and gross profit by month ',
            h('span', { class: 'legend-swatch bar' }),
            h('span', { class: 'legend-text' }, 'net revenue'),
            hasProfit ? h('span', { class: 'legend-swatch line' }) : null,
            hasProfit ? h('span', { class: 'legend-text' }, 'gross profit') : null,
          ),
          trendChart(months),
        );
      }),
    );
  return section;
}

function trendChart(months: { month: string; revenue: number; profit: number | null }[]) {
  const p = palette();
  const data = months.map((m) => ({ ...m, date: new Date(`${m.month}T00:00:00Z`) }));
  const hasProfit = data.some((d) => d.profit !== null);
  return Plot.plot({
    width: 1100,
    height: 260,
    marginLeft: 64,
    style: chartStyle(p),
    ariaLabel: 'Net revenue and gross profit by month',
    ariaDescription: `${data.length} months from ${months[0]?.month} to ${months.at(-1)?.month}.`,
    x: { type: 'utc', label: null },
    y: { grid: true, label: '↑ Amount per month', tickFormat: (d: number) => (d === 0 ? '0' : fmt.moneyShort(d)) },
    marks: [
      Plot.rectY(data, { x: 'date', interval: 'month', y: 'revenue', fill: p.accent, fillOpacity: 0.75, inset: 1 }),
      hasProfit
        ? Plot.lineY(data, {
            x: (d) => new Date(d.date.getTime() + 14 * 864e5),
            y: 'profit',
            stroke: p.accent2,
            strokeWidth: 2,
            marker: 'dot',
          })
        : null,
      Plot.ruleY([0], { stroke: p.muted }),
      Plot.tip(
        data,
        Plot.pointerX({
          x: 'date',
          y: 'revenue',
          title: (d) =>
            `${d.month.slice(0, 7)}\nNet revenue ${fmt.money(d.revenue)}${d.profit !== null ? `\nGross profit ${fmt.money(d.profit)}` : ''}`,
        }),
      ),
    ],
  });
}

/** First and last date in one card; each carries its own data-kpi for the automation contract. */
function periodCard(min: string | null, max: string | null, column: string | undefined): HTMLElement {
  if (!min || !max) {
    return h(
      'div',
      { class: 'kpi kpi-unknown' },
      h('div', { class: 'kpi-label' }, 'Period'),
      h('div', { class: 'kpi-value' }, 'n/a'),
      h('div', { class: 'kpi-sub' }, 'map a date column'),
    );
  }
  return h(
    'div',
    { class: 'kpi kpi-period' },
    h('div', { class: 'kpi-label' }, 'Period'),
    h(
      'div',
      { class: 'kpi-value' },
      h('span', { 'data-kpi': 'date_min', 'data-value': min }, min),
      ' – ',
      h('span', { 'data-kpi': 'date_max', 'data-value': max }, max),
    ),
    h('div', { class: 'kpi-sub' }, `column "${column}"`),
  );
}
