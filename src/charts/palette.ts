/** Chart colours: the page's CSS variables, so charts follow the light/dark theme and print in light colours. */

export interface Palette {
  fg: string;
  muted: string;
  grid: string;
  accent: string;
  accent2: string;
  bad: string;
  good: string;
  a: string;
  b: string;
  c: string;
}

/**
 * Colours as CSS variables, resolved by the browser wherever the chart is shown: a theme switch or the print
 * stylesheet recolours drawn charts without drawing them again. (An export to PNG or a standalone SVG must resolve
 * them first, with getComputedStyle.)
 */
export function palette(): Palette {
  return {
    fg: 'var(--fg)',
    muted: 'var(--muted)',
    grid: 'var(--grid)',
    accent: 'var(--accent)',
    accent2: 'var(--accent2)',
    bad: 'var(--bad)',
    good: 'var(--good)',
    a: 'var(--cls-a)',
    b: 'var(--cls-b)',
    c: 'var(--cls-c)',
  };
}

/** Every chart's text colour, transparent background (the panel shows through) and font size. */
export function chartStyle(p: Palette, fontSize = '12px') {
  return { color: p.fg, background: 'transparent', fontSize };
}
