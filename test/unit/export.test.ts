import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { safeCell, toCsv } from '../../src/export/csv';

describe('CSV export', () => {
  it('neutralises cells a spreadsheet would run as formulas', () => {
    expect(safeCell('=HYPERLINK("http://x","click")')).toBe('"\'=HYPERLINK(""http://x"",""click"")"');
    expect(safeCell('+1+2')).toBe("'+1+2");
    expect(safeCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(safeCell('-2+3')).toBe("'-2+3");
    expect(safeCell('\tcmd')).toBe("'\tcmd");
  });
  it('leaves numbers, negative numbers and plain text alone, and quotes what CSV needs quoted', () => {
    expect(safeCell(-12.5)).toBe('-12.5');
    expect(safeCell('-12.5')).toBe('-12.5');
    expect(safeCell('Acme, Inc.')).toBe('"Acme, Inc."');
    expect(safeCell(null)).toBe('');
    expect(safeCell(Number.NaN)).toBe('');
    expect(toCsv(['customer', 'revenue'], [['=cmd|calc', 10]])).toBe("customer,revenue\r\n'=cmd|calc,10");
  });
});

describe('colours of a chart that leaves the page', () => {
  it('the light palette in code is the one styles.css declares on :root', async () => {
    const { LIGHT } = await import('../../src/charts/palette');
    const css = fs.readFileSync(path.resolve(__dirname, '../../src/styles.css'), 'utf8');
    const root = /:root \{([^}]*)\}/.exec(css)?.[1] ?? '';
    const declared = Object.fromEntries(
      [...root.matchAll(/(--[a-z0-9-]+):\s*([^;]+);/g)].map((m) => [m[1], m[2]?.trim()]),
    );
    expect(LIGHT).toEqual(declared);
  });

  it('resolves every CSS variable: known ones, fallbacks, and Plot’s own', async () => {
    const { resolveColours } = await import('../../src/charts/palette');
    expect(resolveColours('fill="var(--accent)" style="color: var(--fg); background: var(--plot-background)"')).toBe(
      'fill="#2563eb" style="color: #1b1f24; background: #ffffff"',
    );
    expect(resolveColours('stroke: var(--x-line, #123456)')).toBe('stroke: #123456');
  });

  it('file names are safe on every system', async () => {
    const { safeFileName } = await import('../../src/export/download');
    expect(safeFileName('../..\\Q3: "A/B" <deck>?.csv')).toBe('_.._Q3_ _A_B_ _deck_.csv');
    expect(safeFileName('...')).toBe('download');
    expect(safeFileName('a'.repeat(300)).length).toBe(120);
  });
});
