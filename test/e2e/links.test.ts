/**
 * The view state as a link, in real Chromium: filters, period, threshold and compare set by hand, each step
 * checked against figures computed here from the file; the link reopens the exact view in a fresh browser once
 * the same file is dropped; Back restores the previous figures; a data= link opens a file of the site; hostile
 * links open with a notice and harm nothing.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasShared, SHARED, shared } from '../helpers/files';
import { figuresOf, matrixRef, type SuperstoreLine, superstoreLines } from '../helpers/reference';
import { drop, kpis, openSite, pick, type Session, servedBytes, settled, showTab } from './browser';

const FILE = shared('superstore_2023/Sample - Superstore.csv');
let lines: SuperstoreLine[] = [];
let s: Session;

beforeAll(async () => {
  if (hasShared) lines = superstoreLines(FILE);
  s = await openSite({ extra: path.join(SHARED, 'superstore_2023') });
  await settled(s.page);
});
afterAll(async () => {
  await s?.close();
});

async function expectFigures(page: Page, keep: (r: SuperstoreLine) => boolean) {
  const ref = figuresOf(lines.filter(keep));
  const k = await kpis(page);
  expect(Number(k.customers)).toBe(ref.customers);
  expect(Number(k.revenue_total)).toBeCloseTo(ref.revenue, 6);
  expect(Number(k.profit_total)).toBeCloseTo(ref.profit, 6);
  expect(Number(k.customers_for_80_count)).toBe(ref.pareto.k80);
  expect(Number(k.gini)).toBeCloseTo(ref.pareto.gini, 9);
  expect(Number(k.whale_peak_share)).toBeCloseTo(ref.whale.peak, 9);
  return k;
}

const inYear = (y: string) => (r: SuperstoreLine) => r.date.startsWith(y);

describe.skipIf(!hasShared)('links that reopen the exact view', () => {
  let link = '';
  let sent: Record<string, string> = {};

  it('period, two filters, a threshold and compare: each step changes the figures to the right ones', async () => {
    const page = s.page;
    expect(await drop(page, FILE)).toBe('ready');
    const all = await expectFigures(page, () => true);

    await page.locator('#filter-period').selectOption('2021');
    expect(await settled(page)).toBe('ready');
    const y2021 = await expectFigures(page, inYear('2021'));
    expect(y2021.revenue_total).not.toBe(all.revenue_total);
    const days = lines
      .filter(inYear('2021'))
      .map((r) => r.date)
      .sort();
    expect(y2021).toMatchObject({ date_min: days[0], date_max: days.at(-1) });

    await pick(page, 'region', 'West');
    const west = (r: SuperstoreLine) => inYear('2021')(r) && r.region === 'West';
    expect((await expectFigures(page, west)).customers).not.toBe(y2021.customers);

    await pick(page, 'segment', 'Consumer');
    const consumer = (r: SuperstoreLine) => west(r) && r.segment === 'Consumer';
    const before = await expectFigures(page, consumer);

    // The A threshold moves the matrix's revenue split and its quadrants (Superstore has no cost-to-serve: gross).
    await showTab(page, 'pareto');
    await page.locator('#abc-preset').selectOption('70/90');
    expect(await settled(page)).toBe('ready');
    const rev = new Map<string, number>();
    const prof = new Map<string, number>();
    for (const r of lines.filter(consumer)) {
      rev.set(r.customer, (rev.get(r.customer) ?? 0) + r.sales);
      prof.set(r.customer, (prof.get(r.customer) ?? 0) + r.profit);
    }
    const m70 = matrixRef(rev, prof, 0.7, 0.9);
    expect(m70.counts.core).not.toBe(matrixRef(rev, prof, 0.8, 0.95).counts.core);
    const k70 = await kpis(page);
    for (const q of ['core', 'volume', 'develop', 'serve'] as const)
      expect(Number(k70[`matrix_${q}`]), q).toBe(m70.counts[q]);

    await page.locator('#filter-compare').selectOption('prev');
    expect(await settled(page)).toBe('ready');
    const k = await expectFigures(page, consumer);
    const prev = figuresOf(lines.filter((r) => inYear('2020')(r) && r.region === 'West' && r.segment === 'Consumer'));
    expect(Number(await page.getAttribute('[data-kpi=revenue_total]', 'data-prev'))).toBeCloseTo(prev.revenue, 6);
    expect(Number(await page.getAttribute('[data-kpi=customers]', 'data-prev'))).toBe(prev.customers);
    expect(Number(await page.getAttribute('[data-kpi=gini]', 'data-prev'))).toBeCloseTo(prev.pareto.gini, 9);
    expect(await page.locator('[data-kpi=revenue_total]').textContent()).toMatch(/vs the previous period/);
    expect(k.revenue_total).toBe(before.revenue_total);

    // The address bar follows, in the readable syntax.
    const url = new URL(page.url());
    expect(url.searchParams.get('period')).toBe('2021');
    expect(url.searchParams.getAll('region')).toEqual(['West']);
    expect(url.searchParams.getAll('segment')).toEqual(['Consumer']);
    expect(url.searchParams.get('abc')).toBe('70-90');
    expect(url.searchParams.get('compare')).toBe('prev');
    expect(url.searchParams.get('tab')).toBe('pareto');
    expect(url.hash).toMatch(/^#s=1\./);

    await page.locator('#copy-link').click();
    await expect.poll(() => page.locator('#share-link').inputValue()).not.toBe('');
    link = await page.locator('#share-link').inputValue();
    expect(link).toBe(page.url());
    await page.keyboard.press('Escape');
    sent = await kpis(page);
  });

  it('Back restores the previous figures, Forward the later ones', async () => {
    const page = s.page;
    const without = () =>
      page.evaluate(() => !document.querySelector('[data-kpi=revenue_total]')?.hasAttribute('data-prev'));
    await page.goBack();
    await expect.poll(without).toBe(true);
    expect(await settled(page)).toBe('ready');
    expect(await page.inputValue('#filter-compare')).toBe('none');
    const k = await kpis(page);
    for (const name of ['customers', 'revenue_total', 'gini', 'matrix_core']) expect(k[name], name).toBe(sent[name]);
    await page.goBack();
    await expect.poll(async () => (await kpis(page)).matrix_core).not.toBe(sent.matrix_core);
    expect(await settled(page)).toBe('ready');
    await page.goForward();
    await page.goForward();
    await expect.poll(without).toBe(false);
    expect(await settled(page)).toBe('ready');
    expect(await kpis(page)).toEqual(sent);
  });

  it('the link, opened in a fresh browser, waits for the file and then shows every figure the sender saw', async () => {
    const u = new URL(link);
    const other = await openSite({ path: `/${u.search}${u.hash}` });
    try {
      await other.page.waitForFunction(
        () => document.querySelector('[data-state]')?.getAttribute('data-state') === 'empty',
      );
      expect(await other.page.locator('.waiting').textContent()).toMatch(/Sample - Superstore\.csv/);
      expect(await kpis(other.page)).toEqual({});
      expect(await drop(other.page, FILE)).toBe('ready');
      expect(await kpis(other.page)).toEqual(sent);
      expect(await other.page.inputValue('#filter-period')).toBe('2021');
      expect(await other.page.locator('#tab-pareto').getAttribute('aria-selected')).toBe('true');
      expect(other.offsite).toEqual([]);
      expect(other.pageErrors).toEqual([]);
    } finally {
      await other.close();
    }
  });

  it('a different file dropped on the link is named as such, and the settings still apply', async () => {
    const u = new URL(link);
    const other = await openSite({ path: `/${u.search}${u.hash}` });
    try {
      await other.page.waitForFunction(
        () => document.querySelector('[data-state]')?.getAttribute('data-state') === 'empty',
      );
      expect(await drop(other.page, path.resolve(__dirname, '../../data/sample_sales.csv'))).toBe('ready');
      expect(await other.page.locator('.notice').textContent()).toMatch(
        /made with Sample - Superstore\.csv .*sample_sales\.csv .* is a different file/,
      );
      // The sender's period applies to the other data.
      expect(await other.page.inputValue('#filter-period')).toBe('2021');
      await other.page.getByRole('button', { name: 'Reset the view' }).click();
      expect(await settled(other.page)).toBe('ready');
      expect(await other.page.inputValue('#filter-period')).toBe('all');
    } finally {
      await other.close();
    }
  });

  it('a data= link opens a file of the site straight away, with exact figures', async () => {
    const other = await openSite({
      path: '/?data=extra/Sample%20-%20Superstore.csv&period=2022Q3&region=East&compare=yoy',
      extra: path.join(SHARED, 'superstore_2023'),
    });
    try {
      expect(await settled(other.page)).toBe('ready');
      await expectFigures(other.page, (r) => r.region === 'East' && r.date >= '2022-07-01' && r.date <= '2022-09-30');
      const prev = figuresOf(
        lines.filter((r) => r.region === 'East' && r.date >= '2021-07-01' && r.date <= '2021-09-30'),
      );
      expect(Number(await other.page.getAttribute('[data-kpi=revenue_total]', 'data-prev'))).toBeCloseTo(
        prev.revenue,
        6,
      );
      expect(await other.page.locator('.dataset-name').textContent()).toMatch(/Sample - Superstore\.csv/);
      expect(other.offsite).toEqual([]);
    } finally {
      await other.close();
    }
  });
});

describe.skipIf(!hasShared)('a filter on a column the load did not read', () => {
  it('is read from the file when picked, and a link with it reads it before the figures', async () => {
    const first = await openSite({
      path: '/?data=extra/Sample%20-%20Superstore.csv',
      extra: path.join(SHARED, 'superstore_2023'),
    });
    const sameDay = (r: SuperstoreLine) => r.ship === 'Same Day';
    let url = '';
    try {
      const page = first.page;
      expect(await settled(page)).toBe('ready');
      // Ship Mode has no role: the load left it in the file (Data quality says how many columns were read).
      await showTab(page, 'quality');
      await expect.poll(() => page.locator('#quality').textContent()).toMatch(/Columns read: \d+ of 21/);
      await showTab(page, 'overview');
      await page.locator('#filter-more').selectOption('Ship Mode');
      await pick(page, 'file-Ship_Mode', 'Same Day');
      await expectFigures(page, sameDay);
      url = page.url();
      expect(first.offsite).toEqual([]);
    } finally {
      await first.close();
    }
    const other = await openSite({
      path: url.replace(/^https?:\/\/[^/]+/, ''),
      extra: path.join(SHARED, 'superstore_2023'),
    });
    try {
      expect(await settled(other.page)).toBe('ready');
      await expectFigures(other.page, sameDay);
    } finally {
      await other.close();
    }
  });
});

describe.skipIf(!hasShared)('a Parquet file of the site', () => {
  it('is read by range requests: fewer bytes than the file, the same figures', async () => {
    const dir = path.join(SHARED, 'superstore_parquet');
    const file = path.join(dir, 'superstore_w_profit.parquet');
    // The figures, from the file read here with hyparquet (the columns summed in plain TS).
    const { asyncBufferFromFile, parquetReadObjects } = await import('hyparquet');
    const rows = (await parquetReadObjects({ file: await asyncBufferFromFile(file) })) as Record<string, unknown>[];
    const customers = new Set(rows.map((r) => r['Customer ID']));
    const revenue = rows.reduce((t, r) => t + Number(r.Sales), 0);
    servedBytes.clear();
    const other = await openSite({ path: '/?data=extra/superstore_w_profit.parquet', extra: dir });
    try {
      expect(await settled(other.page)).toBe('ready');
      const k = await kpis(other.page);
      expect(k.rows_loaded).toBe(String(rows.length));
      expect(Number(k.customers)).toBe(customers.size);
      expect(Number(k.revenue_total)).toBeCloseTo(revenue, 6);
      const sent = servedBytes.get('superstore_w_profit.parquet') ?? 0;
      expect(sent).toBeGreaterThan(0);
      expect(sent).toBeLessThan(fs.statSync(file).size);
      // Decoded as typed columns, only those with a role (and the first); Data quality says how many.
      await showTab(other.page, 'quality');
      await expect.poll(() => other.page.locator('#quality').textContent()).toMatch(/Columns read: \d+ of 21/);
      // By hyparquet, which asks for the chunks of those columns only.
      expect(await other.page.locator('#quality').textContent()).toMatch(
        /Format: Parquet, decoded by hyparquet into typed columns/,
      );
      // Its size, as the server gave it.
      expect(await other.page.locator('#quality').textContent()).toMatch(
        /File: superstore_w_profit\.parquet \(\d+ KB\)/,
      );
      expect(other.offsite).toEqual([]);
    } finally {
      await other.close();
    }
  });
});

describe('links that cannot be trusted', () => {
  const hostile = [
    '/?data=https://example.com/steal.csv',
    '/?data=//example.com/x.csv&period=2024',
    '/?period=<img src=x onerror=window.__xss=1>&tab=<b>x</b>',
    '/?region=%3Cscript%3Ewindow.__xss%3D1%3C%2Fscript%3E',
    '/#s=1.this-is-not-deflate',
    `/#s=1.${'A'.repeat(30_000)}`,
    '/?__proto__=1&constructor=prototype&abc=NaN-Infinity&fy=0',
  ];
  // One browser for all of them (the file's fresh profile): each link is typed into a blank page.
  let other: Session;
  beforeAll(async () => {
    other = await openSite({ path: '/' });
    await settled(other.page);
  });
  afterAll(async () => {
    await other?.close();
  });
  for (const p of hostile) {
    it(`opens with defaults and a notice: ${p.slice(0, 60)}`, async () => {
      await other.page.goto('about:blank');
      await other.page.goto(other.origin + p);
      expect(await settled(other.page)).toBe('ready');
      expect(await other.page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
      expect(await other.page.evaluate(() => ({}).constructor === Object && !('polluted' in {}))).toBe(true);
      const notice = (await other.page.locator('.notice').textContent()) ?? '';
      const k = await kpis(other.page);
      if (/region=/.test(p)) {
        // A valid filter on a value no line has: shown as text, nothing matches.
        expect(notice).toBe('');
        expect(await other.page.locator('.chips').textContent()).toContain('<script>window.__xss=1</script>');
        expect(k.customers).toBe('0');
      } else {
        expect(notice).toMatch(/data=/.test(p) ? /only open files from this site/ : /could not be read/);
        // The bundled sample, drawn as usual.
        expect(Number(k.customers)).toBeGreaterThan(0);
      }
      expect(other.offsite).toEqual([]);
      expect(other.pageErrors).toEqual([]);
    });
  }
});
