/** Chart colours read from the page's CSS variables, so charts follow the light/dark theme. */

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

export function palette(): Palette {
  const s = getComputedStyle(document.documentElement);
  const v = (name: string, fallback: string) => s.getPropertyValue(name).trim() || fallback;
  return {
    fg: v('--fg', '#1b1f24'),
    muted: v('--muted', '#5c6570'),
    grid: v('--grid', '#d8dde3'),
    accent: v('--accent', '#2563eb'),
    accent2: v('--accent2', '#d97706'),
    bad: v('--bad', '#c2410c'),
    good: v('--good', '#15803d'),
    a: v('--cls-a', '#1d4ed8'),
    b: v('--cls-b', '#60a5fa'),
    c: v('--cls-c', '#cbd5e1'),
  };
}

/** Every chart's text colour, transparent background (the panel shows through) and font size. */
export function chartStyle(p: Palette, fontSize = '12px') {
  return { color: p.fg, background: 'transparent', fontSize };
}
