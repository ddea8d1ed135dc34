/**
 * Figures leaving the page, in real Chromium: a PNG is a PNG of twice the export size, an SVG parses, carries its
 * legend and no CSS variable, and the CSV behind a chart reads back in DuckDB with a formula-like name kept as text.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { nodeEngine } from '../helpers/node-engine';
import { drop, settled, showTab, tempFile, useSite } from './browser';

const site = useSite();

async function download(page: Page, figure: string, format: 'PNG' | 'SVG' | 'CSV'): Promise<Buffer> {
  const [d] = await Promise.all([
    page.waitForEvent('download'),
    page.locator(`[data-figure="${figure}"] .export-button`, { hasText: format }).first().click(),
  ]);
  return Buffer.concat(await (await d.createReadStream()).toArray());
}

describe('figure exports', () => {
  it('PNG: a valid PNG at twice the 1,200 px export width', async () => {
    const page = site().page;
    await showTab(page, 'pareto');
    expect(await settled(page)).toBe('ready');
    const png = await download(page, 'pareto.curve', 'PNG');
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    // IHDR: width and height, big-endian, at bytes 16-23.
    expect(png.readUInt32BE(16)).toBe(2400);
    expect(png.readUInt32BE(20)).toBeGreaterThan(2 * 560);
  });

  it('SVG: parses, has its title, headline and legend, and no CSS variable', async () => {
    const page = site().page;
    await showTab(page, 'overview');
    const svg = (await download(page, 'overview.trend', 'SVG')).toString('utf8');
    expect(svg).not.toMatch(/var\(/);
    const parsed = await page.evaluate((text) => {
      const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
      return {
        error: doc.querySelector('parsererror')?.textContent ?? null,
        root: doc.documentElement.nodeName,
        texts: [...doc.querySelectorAll('text')].map((t) => t.textContent),
      };
    }, svg);
    expect(parsed.error).toBeNull();
    expect(parsed.root).toBe('svg');
    expect(parsed.texts).toContain('Net revenue and gross profit by month');
    expect(parsed.texts).toEqual(expect.arrayContaining(['net revenue', 'gross profit']));
    expect(parsed.texts.some((t) => /^Net revenue [\d.]+M in the whole data/.test(t ?? ''))).toBe(true);
    expect(parsed.texts.some((t) => /Source: sample_sales\.csv/.test(t ?? ''))).toBe(true);
  });

  it('CSV: the table behind a chart reads back in DuckDB, a formula-like customer name stays text', async () => {
    const page = site().page;
    // A customer named like a formula, the largest loss-maker of a small file.
    const lines = ['customer,date,sales,cost'];
    for (let i = 0; i < 30; i++) lines.push(`C${i},2024-01-0${(i % 9) + 1},${100 + i},${60 + i}`);
    lines.push('"=HYPERLINK(""x"")",2024-01-05,100,400');
    expect(await drop(page, tempFile('formula.csv', lines.join('\n')))).toBe('ready');
    await showTab(page, 'pareto');
    expect(await settled(page)).toBe('ready');
    const csv = await download(page, 'pareto.whale', 'CSV');
    expect(csv.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const engine = await nodeEngine();
    await engine.registerBuffer('whale.csv', new Uint8Array(csv));
    const rows = await engine.query<{ customer: string; customer_profit: number }>(
      "SELECT * FROM read_csv('whale.csv', header = true, all_varchar = true)",
    );
    expect(rows[0]?.customer).toBe('\'=HYPERLINK("x")');
    expect(Number(rows[0]?.customer_profit)).toBe(-300);
    expect(site().pageErrors).toEqual([]);
    expect(site().offsite).toEqual([]);
  });
});
