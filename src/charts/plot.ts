/**
 * Every chart goes through `plot`: Observable Plot with the size a slide or an export asks for, and with the inner
 * marks' aria-labels taken off (the chart itself is labelled and described; a labelled <g> without a role is an
 * accessibility error that screen readers announce as noise).
 */
import * as Plot from '@observablehq/plot';

export interface ChartSize {
  width: number;
  height: number;
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

export function plot(options: Plot.PlotOptions): SVGSVGElement | HTMLElement {
  // Larger text needs larger margins for the axis labels to stay inside.
  const grow = size?.fontSize ? Number.parseFloat(size.fontSize) / 12 : 1;
  const margin = (m: number | undefined, base: number) => Math.round((m ?? base) * grow);
  const o: Plot.PlotOptions = size
    ? {
        ...options,
        width: size.width,
        height: size.height,
        marginLeft: margin(options.marginLeft, 40),
        marginBottom: margin(options.marginBottom, 30),
        style: { ...(options.style as object), ...(size.fontSize ? { fontSize: size.fontSize } : {}) },
      }
    : options;
  const chart = Plot.plot(o);
  for (const g of chart.querySelectorAll('g[aria-label]')) g.removeAttribute('aria-label');
  const svg = chart instanceof SVGSVGElement ? chart : chart.querySelector('svg');
  svg?.setAttribute('role', 'img');
  return chart;
}
