/** Time series: revenue and profit by month (with the period in view and a picked month), a customer by quarter. */
import * as Plot from '@observablehq/plot';
import type { MonthPoint } from '../analysis/trend';
import { fmt } from '../ui/format';
import { chartStyle, palette } from './palette';
import { plot } from './plot';

export interface MonthChartOptions {
  /** Months from this one on are in the period in view; the ones before are history, drawn fainter. */
  periodFrom?: string;
  /** A month picked as a cross-filter (YYYY-MM). */
  picked?: string;
  /** Clicking a month picks it. */
  onPick?: (month: string) => void;
  width?: number;
}

export function monthChart(months: MonthPoint[], o: MonthChartOptions = {}): SVGSVGElement | HTMLElement {
  const p = palette();
  const data = months.map((m) => ({ ...m, date: new Date(`${m.month}T00:00:00Z`), key: m.month.slice(0, 7) }));
  const hasProfit = data.some((d) => d.profit !== null);
  const inPeriod = (d: (typeof data)[number]) => !o.periodFrom || d.month >= o.periodFrom.slice(0, 7);
  const chart = plot({
    width: o.width ?? 1100,
    height: 260,
    marginLeft: 64,
    style: chartStyle(p),
    ariaLabel: hasProfit ? 'Net revenue and gross profit by month' : 'Net revenue by month',
    ariaDescription: `${data.length} months from ${months[0]?.month.slice(0, 7)} to ${months.at(-1)?.month.slice(0, 7)}.${o.picked ? ` ${o.picked} is picked as a filter.` : ''}`,
    x: { type: 'utc', label: null },
    y: { grid: true, label: '↑ Amount per month', tickFormat: (d: number) => (d === 0 ? '0' : fmt.moneyShort(d)) },
    marks: [
      Plot.rectY(data, {
        x: 'date',
        interval: 'month',
        y: 'revenue',
        fill: (d) => (o.picked === d.key ? p.accent2 : p.accent),
        fillOpacity: (d) => (inPeriod(d) ? 0.8 : 0.3),
        inset: 1,
      }),
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
            `${d.key}\nNet revenue ${fmt.money(d.revenue)}${d.profit !== null ? `\nGross profit ${fmt.money(d.profit)}` : ''}${o.onPick ? '\nClick to filter the other views to this month' : ''}`,
        }),
      ),
    ],
  });
  const pick = o.onPick;
  if (pick) {
    // Plot's pointer keeps the month under the cursor as the figure's value; a click picks it.
    chart.style.cursor = 'pointer';
    chart.addEventListener('click', () => {
      const v = (chart as unknown as { value?: { key: string } | null }).value;
      if (v?.key) pick(v.key);
    });
  }
  return chart;
}

/** One customer's revenue (bars) and gross profit (line) by quarter. */
export function quarterChart(
  quarters: { quarter: string; revenue: number; profit: number | null }[],
  label: string,
): SVGSVGElement | HTMLElement {
  const p = palette();
  return plot({
    width: 420,
    height: 240,
    marginLeft: 60,
    style: chartStyle(p, '11px'),
    ariaLabel: `${label}: revenue and profit by quarter`,
    ariaDescription: quarters.map((q) => `${q.quarter} ${fmt.money(q.revenue)}`).join(', '),
    x: { label: null, tickRotate: -30 },
    y: { grid: true, label: null, tickFormat: (d: number) => fmt.moneyShort(d) },
    marks: [
      Plot.barY(quarters, { x: 'quarter', y: 'revenue', fill: p.accent, fillOpacity: 0.7 }),
      Plot.line(quarters, { x: 'quarter', y: 'profit', stroke: p.accent2, strokeWidth: 2, marker: 'dot' }),
      Plot.ruleY([0], { stroke: p.muted }),
    ],
  });
}
