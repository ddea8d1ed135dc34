/** A KPI card's sparkline: a small line of the figure's history, the last point marked. No axes, no SQL. */
import { line, scaleLinear } from 'd3';

const NS = 'http://www.w3.org/2000/svg';

export function sparkline(values: (number | null)[], label: string, width = 160, height = 24): SVGSVGElement {
  const svg = document.createElementNS(NS, 'svg');
  svg.setAttribute('class', 'sparkline');
  svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
  // Stretched to the card's width; the line keeps its thickness.
  svg.setAttribute('preserveAspectRatio', 'none');
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', label);
  const known = values.filter((v): v is number => v !== null && Number.isFinite(v));
  if (known.length < 2) return svg;
  const lo = Math.min(...known);
  const hi = Math.max(...known);
  const x = scaleLinear([0, values.length - 1], [2, width - 3]);
  const y = scaleLinear([lo, hi === lo ? lo + 1 : hi], [height - 3, 3]);
  const path = document.createElementNS(NS, 'path');
  path.setAttribute(
    'd',
    line<number | null>()
      .defined((v) => v !== null && Number.isFinite(v))
      .x((_, i) => x(i))
      .y((v) => y(v as number))(values) ?? '',
  );
  path.setAttribute('fill', 'none');
  path.setAttribute('stroke', 'var(--accent)');
  path.setAttribute('stroke-width', '1.5');
  path.setAttribute('vector-effect', 'non-scaling-stroke');
  const lastIndex = values.length - 1;
  const last = values[lastIndex];
  svg.append(path);
  if (last !== null && last !== undefined && Number.isFinite(last)) {
    const dot = document.createElementNS(NS, 'circle');
    dot.setAttribute('cx', String(x(lastIndex)));
    dot.setAttribute('cy', String(y(last)));
    dot.setAttribute('r', '2');
    dot.setAttribute('fill', 'var(--accent)');
    svg.append(dot);
  }
  return svg;
}
