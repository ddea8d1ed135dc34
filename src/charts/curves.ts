/** Pareto, Lorenz and whale curves as Observable Plot figures: (result, options) -> element. No SQL here. */
import * as Plot from '@observablehq/plot';
import type { CurvePoint, ParetoResult, WhaleResult } from '../analysis/pareto';
import { fmt } from '../ui/format';
import { chartStyle, palette } from './palette';
import { drawingWidth, plot } from './plot';

const pct = (v: number) => fmt.pct0(v);
const SIZE = { width: 560, height: 340, marginLeft: 56, marginBottom: 44, marginRight: 20, marginTop: 24 };

export function paretoChart(r: ParetoResult, metricLabel: string): SVGSVGElement | HTMLElement {
  const p = palette();
  const at80 = r.curve.find((d) => d.k === r.customersFor80) ?? {
    x: r.customersFor80Share,
    y: 0.8,
    k: r.customersFor80,
  };
  const aEnd = r.classes.find((c) => c.cls === 'A')?.customers ?? 0;
  const bEnd = aEnd + (r.classes.find((c) => c.cls === 'B')?.customers ?? 0);
  const bands = [
    { x1: 0, x2: aEnd / r.customers, cls: 'A' },
    { x1: aEnd / r.customers, x2: bEnd / r.customers, cls: 'B' },
    { x1: bEnd / r.customers, x2: 1, cls: 'C' },
  ].filter((b) => b.x2 > b.x1);
  return plot({
    ...SIZE,
    style: chartStyle(p),
    ariaLabel: `Pareto curve of ${metricLabel} by customer`,
    ariaDescription: `${pct(r.customersFor80Share)} of customers (${r.customersFor80} of ${r.customers}) make 80% of ${metricLabel}. The top 20% make ${pct(r.top20Share)}.`,
    x: { domain: [0, 1], tickFormat: '%', label: 'Share of customers (largest first) →', grid: true },
    y: { domain: [0, 1], tickFormat: '%', label: `↑ Cumulative share of ${metricLabel}`, grid: true },
    marks: [
      Plot.rectX(bands, {
        x1: 'x1',
        x2: 'x2',
        y1: 0,
        y2: 1,
        fill: (d: { cls: string }) => (d.cls === 'A' ? p.a : d.cls === 'B' ? p.b : p.c),
        fillOpacity: 0.08,
      }),
      Plot.text(bands, {
        x: (d: { x1: number; x2: number }) => (d.x1 + d.x2) / 2,
        y: 0.04,
        text: (d: { cls: string }) => `${d.cls}`,
        fill: p.muted,
        fontWeight: 'bold',
      }),
      Plot.ruleY([0.8], { stroke: p.muted, strokeDasharray: '4,3' }),
      Plot.ruleX([0.2], { stroke: p.muted, strokeDasharray: '4,3' }),
      Plot.line(
        [
          { x: 0, y: 0 },
          { x: 1, y: 1 },
        ],
        { x: 'x', y: 'y', stroke: p.grid, strokeDasharray: '2,3' },
      ),
      Plot.line(r.curve, { x: 'x', y: 'y', stroke: p.accent, strokeWidth: 2.5 }),
      Plot.dot([at80], { x: 'x', y: 'y', r: 5, fill: p.accent2, stroke: 'white' }),
      Plot.text([at80], {
        x: 'x',
        y: 'y',
        text: () => `80% reached at ${pct(at80.x)} of customers (${r.customersFor80})`,
        dx: 8,
        dy: 14,
        textAnchor: 'start',
        // Wrapped on a narrow chart, where one line would run past the frame.
        lineWidth: drawingWidth(SIZE.width) < 480 ? 12 : undefined,
        fill: p.fg,
      }),
      Plot.tip(
        r.curve,
        Plot.pointerX({
          x: 'x',
          y: 'y',
          title: (d: CurvePoint) =>
            `Top ${fmt.int(d.k)} customers (${pct(d.x)})\nmake ${fmt.pct(d.y)} of ${metricLabel}`,
        }),
      ),
    ],
  });
}

export function lorenzChart(r: ParetoResult, metricLabel: string): SVGSVGElement | HTMLElement {
  const p = palette();
  return plot({
    ...SIZE,
    style: chartStyle(p),
    ariaLabel: `Lorenz curve of ${metricLabel} across customers`,
    ariaDescription: `Gini coefficient ${fmt.dec(r.gini)}: 0 means every customer buys the same, 1 means one customer buys everything.`,
    x: { domain: [0, 1], tickFormat: '%', label: 'Share of customers (smallest first) →', grid: true },
    y: { domain: [0, 1], tickFormat: '%', label: `↑ Cumulative share of ${metricLabel}`, grid: true },
    marks: [
      Plot.areaY(r.lorenz, { x: 'x', y1: 'y', y2: 'x', fill: p.accent, fillOpacity: 0.12 }),
      Plot.line(
        [
          { x: 0, y: 0 },
          { x: 1, y: 1 },
        ],
        { x: 'x', y: 'y', stroke: p.muted, strokeDasharray: '4,3' },
      ),
      Plot.line(r.lorenz, { x: 'x', y: 'y', stroke: p.accent, strokeWidth: 2.5 }),
      Plot.text([{ x: 0.3, y: 0.62 }], {
        x: 'x',
        y: 'y',
        text: () => `Gini ${fmt.dec(r.gini)}`,
        fill: p.fg,
        fontSize: 14,
      }),
      Plot.tip(
        r.lorenz,
        Plot.pointerX({
          x: 'x',
          y: 'y',
          title: (d: CurvePoint) => `Smallest ${pct(d.x)} of customers\nmake ${fmt.pct(d.y)} of ${metricLabel}`,
        }),
      ),
    ],
  });
}

export function whaleChart(w: WhaleResult): SVGSVGElement | HTMLElement {
  const p = palette();
  const peak = w.curve.find((d) => d.k === w.peakAt) ?? { x: w.peakAtShare, y: w.peakShare, k: w.peakAt };
  const top = Math.max(1.05, w.peakShare * 1.08);
  return plot({
    ...SIZE,
    style: chartStyle(p),
    ariaLabel: 'Profit whale curve',
    ariaDescription: `The most profitable ${fmt.int(w.peakAt)} customers earn ${fmt.pct(w.peakShare)} of total profit; the remaining customers give back ${fmt.pct(w.peakShare - 1)}. ${w.unprofitable} customers lose money in total ${fmt.money(w.unprofitableLoss)}.`,
    x: { domain: [0, 1], tickFormat: '%', label: 'Share of customers (most profitable first) →', grid: true },
    y: {
      domain: [Math.min(0, ...w.curve.map((d) => d.y)), top],
      tickFormat: '%',
      label: '↑ Cumulative share of total profit',
      grid: true,
    },
    marks: [
      Plot.ruleY([1], { stroke: p.muted, strokeDasharray: '4,3' }),
      Plot.ruleY([0], { stroke: p.muted }),
      Plot.areaY(w.curve, { x: 'x', y: 'y', fill: p.good, fillOpacity: 0.1 }),
      Plot.line(w.curve, { x: 'x', y: 'y', stroke: p.good, strokeWidth: 2.5 }),
      Plot.dot([peak], { x: 'x', y: 'y', r: 5, fill: p.bad, stroke: 'white' }),
      Plot.text([peak], {
        x: 'x',
        y: 'y',
        text: () => `Peak ${fmt.pct(w.peakShare)} of profit at ${pct(peak.x)} of customers`,
        dy: -12,
        textAnchor: peak.x > 0.6 ? 'end' : 'start',
        fill: p.fg,
      }),
      Plot.tip(
        w.curve,
        Plot.pointerX({
          x: 'x',
          y: 'y',
          title: (d: CurvePoint) =>
            `Top ${fmt.int(d.k)} customers by profit (${pct(d.x)})\nearn ${fmt.pct(d.y)} of total profit`,
        }),
      ),
    ],
  });
}
