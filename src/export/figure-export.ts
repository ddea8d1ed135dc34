/**
 * A figure as a file: an SVG with its title, headline, legend, chart and footnote in the light theme with resolved
 * colours (a chart on the page takes its colours from CSS variables, which a file opened elsewhere cannot resolve),
 * a PNG of that SVG at twice its size, or the CSV of the table behind it.
 */
import { LIGHT, resolveColours } from '../charts/palette';
import type { Figure } from '../views/figure';
import { toCsv } from './csv';

const NS = 'http://www.w3.org/2000/svg';
const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Noto Sans CJK SC", sans-serif';

export interface ExportSize {
  width: number;
  /** The chart's own height; the title, headline and footnote come on top. */
  height: number;
}

export const EXPORT_SIZE: ExportSize = { width: 1200, height: 560 };

function el(tag: string, attrs: Record<string, string | number>, text?: string): SVGElement {
  const e = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
}

/** Splits a sentence into lines of at most `chars` characters, at spaces. */
function wrap(text: string, chars: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line && line.length + word.length + 1 > chars) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}

/** The chart's own <svg> (Plot wraps a chart with a legend in a <figure>; swatch legends hold small SVGs). */
function mainSvg(chart: Element): SVGSVGElement | null {
  if (chart instanceof SVGSVGElement) return chart;
  const all = [...chart.querySelectorAll('svg')];
  return all.sort((a, b) => Number(b.getAttribute('width') ?? 0) - Number(a.getAttribute('width') ?? 0))[0] ?? null;
}

/** The figure as one standalone SVG element, light theme, colours resolved when serialised (figureSvgText). */
export async function figureSvgElement(
  fig: Figure,
  footer: string,
  size = EXPORT_SIZE,
  anonymous = false,
): Promise<SVGSVGElement> {
  const chart = await fig.chart({ size: { width: size.width - 48, height: size.height, fontSize: '14px' }, anonymous });
  const inner = mainSvg(chart);
  const width = size.width;
  const headline = wrap(fig.headline, Math.floor(width / 9));
  let y = 34;
  const svg = el('svg', { xmlns: NS, width, 'font-family': FONT }) as SVGSVGElement;
  const parts: SVGElement[] = [
    el('text', { x: 24, y, 'font-size': 20, 'font-weight': 600, fill: LIGHT['--fg'] as string }, fig.title),
  ];
  for (const line of headline) {
    y += 24;
    parts.push(el('text', { x: 24, y, 'font-size': 16, fill: LIGHT['--fg'] as string }, line));
  }
  if (fig.legend?.length) {
    y += 24;
    let x = 24;
    for (const item of fig.legend) {
      parts.push(el('rect', { x, y: y - 11, width: 12, height: 12, fill: item.color }));
      const label = el('text', { x: x + 18, y, 'font-size': 13, fill: LIGHT['--fg'] as string }, item.label);
      parts.push(label);
      x += 30 + item.label.length * 7.5;
    }
  }
  y += 14;
  if (inner) {
    inner.setAttribute('x', '24');
    inner.setAttribute('y', String(y));
    y += Number(inner.getAttribute('height') ?? size.height);
  }
  const notes = wrap([fig.note, footer].filter(Boolean).join(' · '), Math.floor(width / 7));
  for (const line of notes) {
    y += 18;
    parts.push(el('text', { x: 24, y, 'font-size': 12, fill: LIGHT['--muted'] as string }, line));
  }
  y += 16;
  svg.setAttribute('height', String(y));
  svg.setAttribute('viewBox', `0 0 ${width} ${y}`);
  svg.append(el('rect', { width, height: y, fill: '#ffffff' }), ...parts);
  if (inner) svg.append(inner);
  return svg;
}

/** Serialised, with every CSS variable resolved to the light theme. */
export function svgText(svg: SVGSVGElement): string {
  return resolveColours(new XMLSerializer().serializeToString(svg));
}

export async function figureSvg(fig: Figure, footer: string, size = EXPORT_SIZE): Promise<string> {
  return svgText(await figureSvgElement(fig, footer, size));
}

/** A PNG at `scale` times the SVG's size (2x: sharp on a projector and in a slide deck). */
export async function figurePng(fig: Figure, footer: string, scale = 2, size = EXPORT_SIZE): Promise<Blob> {
  return svgToPng(await figureSvg(fig, footer, size), scale);
}

export async function svgToPng(text: string, scale = 2): Promise<Blob> {
  const w = Number(/width="(\d+(?:\.\d+)?)"/.exec(text)?.[1] ?? 1200);
  const h = Number(/height="(\d+(?:\.\d+)?)"/.exec(text)?.[1] ?? 600);
  const img = new Image();
  img.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(text)}`;
  await img.decode();
  const canvas = document.createElement('canvas');
  canvas.width = Math.round(w * scale);
  canvas.height = Math.round(h * scale);
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('This browser cannot draw the image.');
  ctx.scale(scale, scale);
  ctx.drawImage(img, 0, 0, w, h);
  return new Promise((resolve, reject) =>
    canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('The image could not be made.'))), 'image/png'),
  );
}

export async function figureCsv(fig: Figure): Promise<string> {
  const t = await fig.table();
  return toCsv(t.columns, t.rows);
}
