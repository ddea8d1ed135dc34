/** Value-matrix bubble chart and the profit-bridge waterfall. No SQL here. */
import * as Plot from '@observablehq/plot';
import {
  type MatrixPoint,
  type MatrixResult,
  QUADRANTS,
  type Quadrant,
  SHAPIRO,
  type ShapiroPoint,
  type ShapiroQuadrant,
  type ShapiroResult,
} from '../analysis/matrix';
import { fmt } from '../ui/format';
import { chartStyle, palette } from './palette';
import { chartSvg, drawingWidth, plot } from './plot';

const MATRIX_WIDTH = 760;

import { logTicks } from './ticks';

const clampMargin = (m: number) => Math.max(-1, Math.min(1, m));

type Corner = 'top-right' | 'bottom-right' | 'top-left' | 'bottom-left';

/** A quadrant's name in its corner of the frame, with a halo so that it stays readable over the dots. */
function cornerLabel(text: string, anchor: Corner, fill: string) {
  return Plot.text([text], {
    frameAnchor: anchor,
    dx: anchor.endsWith('right') ? -8 : 8,
    dy: anchor.startsWith('top') ? 8 : -8,
    fill,
    fontWeight: 'bold',
    fontSize: 12,
    stroke: 'var(--panel)',
    strokeWidth: 3,
    paintOrder: 'stroke',
  });
}

export interface MatrixChartOptions {
  selected?: string;
  /** The quadrant picked as a cross-filter: shaded. */
  active?: Quadrant;
  onPick?: (p: MatrixPoint) => void;
  onQuadrant?: (q: Quadrant) => void;
  labelCount?: number;
}

export function matrixChart(r: MatrixResult, o: MatrixChartOptions = {}): HTMLElement | SVGSVGElement {
  const p = palette();
  const color = { A: p.a, B: p.b, C: p.c };
  const revs = r.points.map((d) => d.revenue);
  const lo = Math.min(...revs, ...r.bins.map((b) => 10 ** b.x));
  const hi = Math.max(...revs, ...r.bins.map((b) => 10 ** b.x));
  // On a phone the bottom corners' full names would run into each other: "Volume", not "Volume: fix price…".
  const narrow = drawingWidth(MATRIX_WIDTH) < 520;
  const corner = (q: keyof typeof QUADRANTS, anchor: Corner) =>
    cornerLabel(narrow ? (QUADRANTS[q].name.split(':')[0] as string) : QUADRANTS[q].name, anchor, p.muted);
  const marks: Plot.Markish[] = [
    Plot.ruleX([r.xSplit], { stroke: p.muted, strokeDasharray: '4,3' }),
    Plot.ruleY([r.ySplit], { stroke: p.muted, strokeDasharray: '4,3' }),
    Plot.ruleY([0], { stroke: p.grid }),
    corner('core', 'top-right'),
    corner('volume', 'bottom-right'),
    corner('develop', 'top-left'),
    corner('serve', 'bottom-left'),
  ];
  if (o.active) {
    const right = o.active === 'core' || o.active === 'volume';
    const top = o.active === 'core' || o.active === 'develop';
    marks.unshift(
      Plot.rect([o.active], {
        x1: right ? r.xSplit : lo * 0.8,
        x2: right ? hi * 1.25 : r.xSplit,
        y1: top ? Math.min(1, Math.max(-1, r.ySplit)) : -1,
        y2: top ? 1 : Math.min(1, Math.max(-1, r.ySplit)),
        fill: p.accent,
        fillOpacity: 0.08,
      }),
    );
  }
  if (r.bins.length) {
    marks.push(
      Plot.dot(r.bins, {
        x: (b) => 10 ** b.x,
        y: 'y',
        r: 3.2,
        symbol: 'square',
        fill: p.accent,
        fillOpacity: (b) => Math.min(0.9, 0.15 + Math.log10(b.count) / 3),
      }),
    );
  }
  marks.push(
    Plot.dot(r.points, {
      x: 'revenue',
      y: (d: MatrixPoint) => clampMargin(d.margin),
      r: (d: MatrixPoint) => Math.max(1, d.orders),
      fill: (d: MatrixPoint) => color[d.cls],
      fillOpacity: 0.6,
      stroke: (d: MatrixPoint) => (d.customer === o.selected ? p.fg : d.profit < 0 ? p.bad : 'white'),
      strokeWidth: (d: MatrixPoint) => (d.customer === o.selected ? 2.5 : 0.6),
      sort: { channel: 'r', order: 'descending' },
    }),
    Plot.tip(
      r.points,
      Plot.pointer({
        x: 'revenue',
        y: (d: MatrixPoint) => clampMargin(d.margin),
        title: (d: MatrixPoint) =>
          `${d.label}\nRevenue ${fmt.money(d.revenue)}\nMargin ${fmt.pct(d.margin)}\nProfit ${fmt.money(d.profit)}\nOrders ${fmt.int(d.orders)} · class ${d.cls}\n${QUADRANTS[d.quadrant].name}`,
      }),
    ),
  );
  const chart = plot({
    width: MATRIX_WIDTH,
    height: 460,
    marginLeft: 56,
    marginBottom: 44,
    marginRight: 24,
    style: chartStyle(p),
    ariaLabel: 'Customer value matrix: revenue against margin',
    ariaDescription: `${r.customers} customers. Revenue split at ${fmt.money(r.xSplit)}, margin split at ${fmt.pct(r.ySplit)}. ${r.summary.map((s) => `${QUADRANTS[s.quadrant].name}: ${s.customers}`).join('; ')}. Margins beyond ±100% are drawn at the edge.`,
    x: {
      type: 'log',
      domain: [lo * 0.8, hi * 1.25],
      label: 'Net revenue (log scale) →',
      tickFormat: (d: number) => fmt.moneyShort(d),
      ticks: logTicks(lo * 0.8, hi * 1.25),
      grid: true,
    },
    y: { domain: [-1, 1], label: '↑ Margin %', tickFormat: '%', grid: true, clamp: true },
    r: { range: [2, 16] },
    marks,
  });
  // A phone-sized matrix has room for the names of the largest three accounts only.
  const labels = Math.min(o.labelCount ?? 8, narrow ? 3 : 8);
  labelTopAccounts(chart, r.points, labels, p.fg);
  chart.addEventListener('click', (ev) => {
    const v = (chart as unknown as { value?: MatrixPoint }).value;
    if (v) return o.onPick?.(v);
    // A click away from the bubbles picks the quadrant under the pointer.
    const q = quadrantAt(chart, ev as MouseEvent, r);
    if (q) o.onQuadrant?.(q);
  });
  return chart;
}

function quadrantAt(chart: HTMLElement | SVGSVGElement, ev: MouseEvent, r: MatrixResult): Quadrant | null {
  const plot = chart as unknown as { scale(n: string): { invert?(v: number): number } | undefined };
  const svg = chartSvg(chart);
  const ctm = svg?.getScreenCTM();
  const x = plot.scale('x');
  const y = plot.scale('y');
  if (!svg || !ctm || !x?.invert || !y?.invert) return null;
  const pt = new DOMPoint(ev.clientX, ev.clientY).matrixTransform(ctm.inverse());
  const revenue = x.invert(pt.x);
  const margin = y.invert(pt.y);
  if (!Number.isFinite(revenue) || !Number.isFinite(margin)) return null;
  const high = revenue >= r.xSplit;
  const good = margin >= r.ySplit;
  return high ? (good ? 'core' : 'volume') : good ? 'develop' : 'serve';
}

/** Names the largest accounts next to their bubbles, skipping a label that would overlap one already placed. */
function labelTopAccounts(
  chart: HTMLElement | SVGSVGElement,
  points: MatrixPoint[],
  count: number,
  fill: string,
): void {
  const plot = chart as unknown as { scale(n: string): { apply(v: number): number } | undefined };
  const x = plot.scale('x');
  const y = plot.scale('y');
  const svg = chartSvg(chart);
  if (!x || !y || !svg) return;
  const placed: { x0: number; x1: number; y0: number; y1: number }[] = [];
  const ns = 'http://www.w3.org/2000/svg';
  const g = document.createElementNS(ns, 'g');
  g.setAttribute('aria-hidden', 'true');
  for (const d of [...points].sort((a, b) => b.revenue - a.revenue).slice(0, count * 3)) {
    if (placed.length >= count) break;
    const px = x.apply(d.revenue);
    const py = y.apply(clampMargin(d.margin));
    const text = d.label.length > 26 ? `${d.label.slice(0, 25)}…` : d.label;
    const w = text.length * 6.2;
    for (const [dx, dy, anchor] of [
      [8, 4, 'start'],
      [-8, 4, 'end'],
      [0, -10, 'middle'],
      [0, 16, 'middle'],
    ] as const) {
      const x0 = anchor === 'start' ? px + dx : anchor === 'end' ? px + dx - w : px - w / 2;
      const box = { x0, x1: x0 + w, y0: py + dy - 10, y1: py + dy + 2 };
      if (box.x0 < 50 || box.x1 > 750 || box.y0 < 0) continue;
      if (placed.some((b) => b.x0 < box.x1 && box.x0 < b.x1 && b.y0 < box.y1 && box.y0 < b.y1)) continue;
      placed.push(box);
      const t = document.createElementNS(ns, 'text');
      t.setAttribute('x', String(px + dx));
      t.setAttribute('y', String(py + dy));
      t.setAttribute('text-anchor', anchor);
      t.setAttribute('font-size', '11');
      t.setAttribute('fill', fill);
      t.setAttribute('paint-order', 'stroke');
      t.setAttribute('stroke', 'var(--panel)');
      t.setAttribute('stroke-width', '3');
      t.textContent = text;
      g.append(t);
      break;
    }
  }
  svg.append(g);
}

/** Shapiro's portfolio view: cost-to-serve share (x) against net price realisation (y). */
export function shapiroChart(r: ShapiroResult): HTMLElement | SVGSVGElement {
  const p = palette();
  const colors: Record<ShapiroQuadrant, string> = {
    carriage: p.accent,
    passive: p.good,
    aggressive: p.bad,
    bargain: p.accent2,
  };
  const xs = r.points.map((d) => d.serveShare).sort((a, b) => a - b);
  // The few customers with a freight bill bigger than their revenue would squash everyone else.
  const xMax = Math.max(r.xSplit * 2, xs[Math.floor(xs.length * 0.98)] ?? 0.1);
  const corner = (q: ShapiroQuadrant, anchor: Corner) => cornerLabel(SHAPIRO[q].name, anchor, p.muted);
  return plot({
    width: 620,
    height: 380,
    marginLeft: 56,
    marginBottom: 44,
    style: chartStyle(p),
    ariaLabel: "Shapiro's view: cost-to-serve against net price realisation",
    ariaDescription: (Object.keys(SHAPIRO) as ShapiroQuadrant[])
      .map((q) => `${SHAPIRO[q].name}: ${r.counts[q]}`)
      .join('; '),
    x: { domain: [0, xMax], clamp: true, tickFormat: '%', label: 'Cost-to-serve, % of net revenue →', grid: true },
    y: { tickFormat: '%', label: '↑ Net price realisation (pocket / list)', grid: true },
    r: { range: [1.5, 12] },
    marks: [
      Plot.ruleX([r.xSplit], { stroke: p.muted, strokeDasharray: '4,3' }),
      Plot.ruleY([r.ySplit], { stroke: p.muted, strokeDasharray: '4,3' }),
      Plot.dot(r.points, {
        x: 'serveShare',
        y: 'realisation',
        r: 'revenue',
        fill: (d: ShapiroPoint) => colors[d.quadrant],
        fillOpacity: 0.55,
        stroke: 'white',
        strokeWidth: 0.5,
        tip: true,
        title: (d: ShapiroPoint) =>
          `${d.label}\nRevenue ${fmt.money(d.revenue)}\nCost-to-serve ${fmt.pct(d.serveShare)} of revenue\nPocket ${fmt.pct(d.realisation)} of list\n${SHAPIRO[d.quadrant].name}`,
      }),
      corner('carriage', 'top-right'),
      corner('passive', 'top-left'),
      corner('aggressive', 'bottom-right'),
      corner('bargain', 'bottom-left'),
    ],
  });
}
