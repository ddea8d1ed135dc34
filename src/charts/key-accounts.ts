/** Key-account charts: the month-of-year profile, dependence on the largest customers over time. No SQL here. */
import * as Plot from '@observablehq/plot';
import { ticks } from 'd3';
import type { QuarterConcentration } from '../analysis/concentration';
import type { Seasonality } from '../analysis/seasonality';
import { fmt } from '../ui/format';
import { chartStyle, palette } from './palette';
import { plot } from './plot';

export const MONTH_NAMES = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Seasonal index by month of the year, 1 = an average month, the peak months stand out. */
export function seasonChart(s: Seasonality, title: string): SVGSVGElement | HTMLElement {
  const p = palette();
  const data = s.months.map((m) => ({ ...m, name: MONTH_NAMES[m.month - 1] as string, peak: m.index >= 1.1 }));
  return plot({
    width: 560,
    height: 260,
    marginLeft: 48,
    style: chartStyle(p),
    ariaLabel: title,
    ariaDescription: `Peak in ${MONTH_NAMES[s.peakMonth - 1]} at ${s.peakIndex.toFixed(2)} times an average month. ${data.map((d) => `${d.name} ${d.index.toFixed(2)}`).join(', ')}.`,
    x: { domain: MONTH_NAMES, label: null },
    y: { grid: true, label: '↑ Seasonal index (1 = average month)', domain: [0, Math.max(1.2, s.peakIndex * 1.1)] },
    marks: [
      Plot.barY(data, {
        x: 'name',
        y: 'index',
        fill: (d) => (d.month === s.peakMonth ? p.accent2 : d.peak ? p.accent : p.grid),
        fillOpacity: 0.9,
      }),
      Plot.ruleY([1], { stroke: p.muted, strokeDasharray: '4,3' }),
      Plot.text(data, {
        x: 'name',
        y: 'index',
        text: (d) => d.index.toFixed(2),
        dy: -6,
        fill: p.fg,
        fontSize: 10,
      }),
      Plot.tip(
        data,
        Plot.pointerX({
          x: 'name',
          y: 'index',
          title: (d) => `${d.name}: index ${d.index.toFixed(2)}\nTotal ${fmt.money(d.total)}`,
        }),
      ),
    ],
  });
}

const DEPENDENCE_SIZE = { width: 420, height: 220, marginLeft: 52, marginBottom: 40 };

/** Top-1 and top-10 share of revenue by quarter (the HHI is a second small chart beside it). */
export function dependenceChart(q: QuarterConcentration[]): HTMLElement {
  const p = palette();
  const shares = q.flatMap((d) => [
    { quarter: d.quarter, series: 'Top 10', value: d.top10 },
    { quarter: d.quarter, series: 'Top 1', value: d.top1 },
  ]);
  return plot({
    ...DEPENDENCE_SIZE,
    style: chartStyle(p, '11px'),
    ariaLabel: 'Share of revenue of the largest customer and of the ten largest, by quarter',
    ariaDescription: q.map((d) => `${d.quarter}: top 1 ${fmt.pct(d.top1)}, top 10 ${fmt.pct(d.top10)}`).join('; '),
    x: { domain: q.map((d) => d.quarter), label: null, tickRotate: -30 },
    y: {
      grid: true,
      tickFormat: '%',
      label: '↑ Share of revenue',
      domain: [0, Math.max(0.1, ...q.map((d) => d.top10)) * 1.1],
    },
    color: { legend: true, domain: ['Top 10', 'Top 1'], range: [p.accent, p.accent2] },
    marks: [
      Plot.line(shares, { x: 'quarter', y: 'value', stroke: 'series', strokeWidth: 2, marker: 'dot' }),
      Plot.ruleY([0], { stroke: p.muted }),
    ],
  }) as unknown as HTMLElement;
}

/** The HHI of customer revenue by quarter. */
export function hhiChart(q: QuarterConcentration[]): HTMLElement {
  const p = palette();
  return plot({
    ...DEPENDENCE_SIZE,
    style: chartStyle(p, '11px'),
    ariaLabel: 'HHI of customer revenue by quarter',
    ariaDescription: q.map((d) => `${d.quarter}: ${Math.round(d.hhi)}`).join('; '),
    x: { domain: q.map((d) => d.quarter), label: null, tickRotate: -30 },
    y: { grid: true, label: '↑ HHI (0–10,000)', domain: [0, Math.max(100, ...q.map((d) => d.hhi)) * 1.1] },
    marks: [
      Plot.line(q, { x: 'quarter', y: 'hhi', stroke: p.accent, strokeWidth: 2, marker: 'dot' }),
      Plot.ruleY([0], { stroke: p.muted }),
    ],
  }) as unknown as HTMLElement;
}

/** One account's revenue (bars) and its share of the portfolio (line, right axis in %) by quarter. */
export function shareChart(
  rows: { quarter: string; revenue: number; share: number }[],
  label: string,
): SVGSVGElement | HTMLElement {
  const p = palette();
  const max = Math.max(...rows.map((r) => r.revenue), 1);
  const maxShare = Math.max(...rows.map((r) => r.share), 0.001);
  return plot({
    width: 420,
    height: 240,
    marginLeft: 60,
    marginRight: 52,
    style: chartStyle(p, '11px'),
    ariaLabel: `${label}: revenue and share of the portfolio by quarter`,
    ariaDescription: rows.map((r) => `${r.quarter} ${fmt.money(r.revenue)} (${fmt.pct(r.share)})`).join(', '),
    x: { domain: rows.map((r) => r.quarter), label: null, tickRotate: -30 },
    y: { grid: true, label: '↑ Revenue', tickFormat: (d: number) => fmt.moneyShort(d), domain: [0, max * 1.1] },
    marks: [
      Plot.barY(rows, { x: 'quarter', y: 'revenue', fill: p.accent, fillOpacity: 0.6 }),
      Plot.line(rows, {
        x: 'quarter',
        y: (r) => (r.share / maxShare) * max,
        stroke: p.accent2,
        strokeWidth: 2,
        marker: 'dot',
      }),
      Plot.axisY(ticks(0, maxShare * 1.1, 4), {
        anchor: 'right',
        label: 'Share ↑',
        y: (d: number) => (d / maxShare) * max,
        tickFormat: (d: number) => fmt.pct(d),
      }),
      Plot.ruleY([0], { stroke: p.muted }),
    ],
  });
}

/** ABC migration as a grid: rows the earlier class (or new), columns the later class (or lost), customers in cells. */
export function migrationChart(
  cells: { from: string; to: string; customers: number }[],
  earlier: string,
  later: string,
): SVGSVGElement | HTMLElement {
  const p = palette();
  const max = Math.max(1, ...cells.map((c) => c.customers));
  const name = (c: string) => (c === 'new' || c === 'lost' ? c : `Class ${c}`);
  return plot({
    width: 520,
    height: 300,
    marginLeft: 80,
    marginTop: 40,
    style: chartStyle(p),
    ariaLabel: `ABC migration from ${earlier} to ${later}`,
    ariaDescription: cells.map((c) => `${name(c.from)} to ${name(c.to)}: ${c.customers}`).join('; '),
    x: { domain: ['A', 'B', 'C', 'lost'], tickFormat: name, axis: 'top', label: `${later} →` },
    y: { domain: ['A', 'B', 'C', 'new'], tickFormat: name, label: `${earlier} ↓` },
    marks: [
      Plot.cell(cells, {
        x: 'to',
        y: 'from',
        fill: (c) =>
          c.from === c.to ? p.accent : c.to === 'A' || (c.from !== 'new' && c.to < c.from) ? p.good : p.bad,
        fillOpacity: (c) => 0.1 + 0.6 * Math.sqrt(c.customers / max),
        inset: 2,
      }),
      Plot.text(cells, { x: 'to', y: 'from', text: (c) => fmt.int(c.customers), fill: p.fg, fontSize: 14 }),
    ],
  });
}
