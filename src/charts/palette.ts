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

/**
 * The light theme's colours as values (the same as `:root` in styles.css, which a unit test checks): a chart that
 * leaves the page (PNG, SVG, a snapshot, a slide deck) carries resolved colours, never `var(--…)`.
 */
export const LIGHT: Record<string, string> = {
  '--bg': '#f6f7f9',
  '--panel': '#ffffff',
  '--fg': '#1b1f24',
  '--muted': '#5c6570',
  '--grid': '#d8dde3',
  '--border': '#e2e6ea',
  '--accent': '#2563eb',
  '--accent2': '#d97706',
  '--bad': '#c2410c',
  '--good': '#15803d',
  '--warn-bg': '#fff7e6',
  '--bad-bg': '#fdecea',
  '--cls-a': '#1d4ed8',
  '--cls-b': '#60a5fa',
  '--cls-c': '#94a3b8',
};

/**
 * A text with every `var(--x)` replaced by the light theme's value of --x. Plot's own variables (its tips'
 * `--plot-background`) take their fallback, or white for a background and the text colour otherwise.
 */
export function resolveColours(text: string): string {
  return text.replace(/var\((--[a-z0-9-]+)\s*(?:,\s*([^()]+))?\)/gi, (_, name: string, fallback?: string) => {
    const known = LIGHT[name];
    if (known) return known;
    if (fallback) return fallback.trim();
    return /background/.test(name) ? '#ffffff' : (LIGHT['--fg'] as string);
  });
}
