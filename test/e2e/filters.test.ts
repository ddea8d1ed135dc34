/**
 * Cross-filters, tabs and hosted datasets in real Chromium on the bundled sample: a click in one view filters the
 * others (never itself) to figures computed here from the CSV; the chip removes it; tabs work from the keyboard.
 */
import fs from 'node:fs';
import path from 'node:path';
import { csvParse } from 'd3';
import { describe, expect, it } from 'vitest';
import { kpis, openSite, settled, showTab, useSite } from './browser';

const SAMPLE = path.resolve(__dirname, '../../data/sample_sales.csv');
const rows = csvParse(fs.readFileSync(SAMPLE, 'utf8'));
const site = useSite();

const customersOf = (keep: (r: (typeof rows)[number]) => boolean) =>
  new Set(rows.filter(keep).map((r) => r.customer_id)).size;
const revenueOf = (keep: (r: (typeof rows)[number]) => boolean) =>
  rows.filter(keep).reduce((t, r) => t + Number(r.net_sales), 0);

describe('cross-filters and tabs', () => {
  it('an ABC class filters the other views to its customers, not the Pareto itself; the chip removes it', async () => {
    const page = site().page;
    const before = await kpis(page);
    await showTab(page, 'pareto');
    await page.locator('#pareto tr.clickable', { hasText: /^A/ }).first().click();
    expect(await settled(page)).toBe('ready');
    const k = await kpis(page);
    // Class A by the sample's revenue, computed here.
    const byCustomer = new Map<string, number>();
    for (const r of rows)
      byCustomer.set(r.customer_id as string, (byCustomer.get(r.customer_id as string) ?? 0) + Number(r.net_sales));
    const ranked = [...byCustomer].sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1));
    const total = ranked.reduce((t, [, v]) => t + v, 0);
    let cum = 0;
    const a = new Set<string>();
    for (const [id, v] of ranked) {
      if (cum / total < 0.8 - 1e-12) a.add(id);
      cum += v;
    }
    expect(Number(k.customers)).toBe(a.size);
    expect(Number(k.revenue_total)).toBeCloseTo(
      revenueOf((r) => a.has(r.customer_id as string)),
      4,
    );
    // The Pareto view is not filtered by its own class.
    expect(k.customers_for_80_count).toBe(before.customers_for_80_count);
    expect(await page.locator('.chips').textContent()).toMatch(/Class A customers/);
    expect(await page.locator('#pareto tr[aria-current=true]').count()).toBe(1);
    await page.getByRole('button', { name: /Remove filter: Class A/ }).click();
    expect(await settled(page)).toBe('ready');
    expect((await kpis(page)).customers).toBe(before.customers);
  });

  it('a discount band and a month filter the other views to their lines', async () => {
    const page = site().page;
    await showTab(page, 'incentives');
    // (10%, 20%]: discount / gross, upper edge included.
    const band = (r: (typeof rows)[number]) => {
      const rate = Number(r.discount) / Number(r.gross_sales);
      return rate > 0.1 + 1e-9 && rate <= 0.2 + 1e-9;
    };
    await page.locator('#incentives tr.clickable', { hasText: '10–20%' }).click();
    expect(await settled(page)).toBe('ready');
    let k = await kpis(page);
    expect(Number(k.revenue_total)).toBeCloseTo(revenueOf(band), 4);
    expect(Number(k.customers)).toBe(customersOf(band));
    // The bands themselves stay whole: their own click does not filter them.
    expect(Number(k.band_margin_0)).toBeGreaterThan(0);
    await page.getByRole('button', { name: /Remove filter: Discount band/ }).click();
    expect(await settled(page)).toBe('ready');

    await showTab(page, 'overview');
    // March 2025, clicked on the monthly chart.
    await page.locator('#overview figure svg').first().scrollIntoViewIfNeeded();
    const at = await page.evaluate(() => {
      const svg = document.querySelector('#overview figure svg') as SVGSVGElement & {
        scale(n: string): { apply(v: Date | number): number };
      };
      const pt = new DOMPoint(
        svg.scale('x').apply(new Date(Date.UTC(2025, 2, 15))),
        svg.scale('y').apply(1000),
      ).matrixTransform(svg.getScreenCTM() as DOMMatrix);
      return { x: pt.x, y: pt.y };
    });
    await page.mouse.move(at.x, at.y);
    await page.mouse.click(at.x, at.y);
    expect(await settled(page)).toBe('ready');
    expect(await page.locator('.chips').textContent()).toMatch(/Month: Mar 2025/);
    k = await kpis(page);
    const march = (r: (typeof rows)[number]) => (r.order_date as string).startsWith('2025-03');
    expect(Number(k.customers_for_80_count)).toBeGreaterThan(0);
    // The overview's own click does not filter the overview; the Pareto view counts March's customers.
    expect(Number(k.revenue_total)).toBeCloseTo(
      revenueOf(() => true),
      2,
    );
    const inPareto = await page.locator('#pareto .headline').textContent();
    expect(inPareto).toContain(`of ${customersOf(march)})`);
    await page.getByRole('button', { name: /Remove filter: Month/ }).click();
    expect(await settled(page)).toBe('ready');
  });

  it('tabs move with the arrow keys and the address bar follows', async () => {
    const page = site().page;
    await showTab(page, 'overview');
    await page.locator('#tab-overview').focus();
    await page.keyboard.press('ArrowRight');
    await expect.poll(() => page.locator('#tab-pareto').getAttribute('aria-selected')).toBe('true');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('tab-pareto');
    await page.keyboard.press('End');
    await expect.poll(() => page.url()).toMatch(/tab=quality/);
    expect(await page.locator('#panel-quality').isVisible()).toBe(true);
    expect(await page.locator('#panel-overview').isVisible()).toBe(false);
    expect(site().pageErrors).toEqual([]);
    expect(site().offsite).toEqual([]);
  });
});

describe('hosted datasets', () => {
  it('a deployment listing two datasets gets a menu; a choice loads it and names it in the link', async () => {
    const s = await openSite();
    try {
      await settled(s.page);
      expect(await s.page.locator('#dataset-menu').count()).toBe(0);
      // The deployment's own list: the sample twice over, under two names.
      await s.ctx.route('**/data/datasets.json', (route) =>
        route.fulfill({
          contentType: 'application/json',
          body: JSON.stringify([
            { name: 'Sample', file: 'data/sample_sales.csv', asOf: '2025-12-31' },
            { name: 'Programmes', file: 'data/sample_programmes.csv', description: 'not sales' },
          ]),
        }),
      );
      await s.page.reload();
      expect(await settled(s.page)).toBe('ready');
      const menu = s.page.locator('#dataset-menu');
      expect(await menu.locator('option').allTextContents()).toEqual([
        'Datasets…',
        'Sample (2025-12-31)',
        'Programmes',
      ]);
      await menu.selectOption('data/sample_sales.csv');
      await expect.poll(() => s.page.url()).toMatch(/data=data%2Fsample_sales\.csv/);
      expect(await settled(s.page)).toBe('ready');
      expect(Number((await kpis(s.page)).rows_loaded)).toBe(rows.length);
      expect(s.offsite).toEqual([]);
    } finally {
      await s.close();
    }
  });
});
