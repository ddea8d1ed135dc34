/**
 * Every chart goes through `plot`: Observable Plot with the size a slide or an export asks for, and with the inner
 * marks' aria-labels taken off (the chart itself is labelled and described; a labelled <g> without a role is an
 * accessibility error that screen readers announce as noise).
 */
import * as Plot from '@observablehq/plot';

export interface ChartSize {
  width: number;
  /** Without one, the chart's own height, made lower as the chart gets narrower than it was designed for. */
  height?: number;
  /** Axis and label text, e.g. "16px" on a slide. */
  fontSize?: string;
}

let size: ChartSize | null = null;

/** Draws the charts of `draw` at another size (a slide, an export), the same charts as on the page otherwise. */
export function withSize<T>(s: ChartSize, draw: () => T): T {
  const before = size;
  size = s;
  try {
    return draw();
  } finally {
    size = before;
  }
}

/** The width a chart is being drawn at: its own, or the one a slide, an export or its box asks for. */
export function drawingWidth(natural: number): number {
  return size?.width ?? natural;
}

export function plot(options: Plot.PlotOptions): SVGSVGElement | HTMLElement {
  // Larger text needs larger margins for the axis labels to stay inside.
  const grow = size?.fontSize ? Number.parseFloat(size.fontSize) / 12 : 1;
  const margin = (m: number | undefined, base: number) => Math.round((m ?? base) * grow);
  const o: Plot.PlotOptions = size
    ? {
        ...options,
        width: size.width,
        height: size.height ?? heightFor(options, size.width),
        marginLeft: margin(options.marginLeft, 40),
        marginBottom: margin(options.marginBottom, 30),
        style: { ...(options.style as object), ...(size.fontSize ? { fontSize: size.fontSize } : {}) },
      }
    : options;
  const chart = Plot.plot(o);
  for (const g of chart.querySelectorAll('g[aria-label]')) g.removeAttribute('aria-label');
  chartSvg(chart)?.setAttribute('role', 'img');
  return chart;
}

/** A narrower chart is lower too, down to 60% of its height, so that a phone shows it without scrolling past it. */
function heightFor(o: Plot.PlotOptions, width: number): number | undefined {
  if (!o.height || !o.width) return o.height;
  return Math.round(o.height * Math.min(1, Math.max(0.6, width / o.width)));
}

/** The chart's own SVG: Plot wraps it in a <figure> after the legend's swatches, which are SVGs too. */
export function chartSvg(chart: Element): SVGSVGElement | null {
  if (chart instanceof SVGSVGElement) return chart;
  return chart.querySelector(':scope > svg') ?? chart.querySelector('svg:last-of-type');
}
