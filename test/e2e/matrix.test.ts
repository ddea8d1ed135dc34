import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasShared, shared } from '../helpers/files';
import { drop, kpis, openSite, type Session, settled } from './browser';

let s: Session;
beforeAll(async () => {
  s = await openSite();
  await settled(s.page);
});
afterAll(async () => {
  await s?.close();
});

describe.skipIf(!hasShared)('value matrix in the browser', () => {
  it('quadrants sum to the customers, and a quadrant cross-filters the other views', async () => {
    expect(await drop(s.page, shared('superstore_2023/Sample - Superstore.csv'))).toBe('ready');
    const k = await kpis(s.page);
    const quadrants = ['matrix_core', 'matrix_volume', 'matrix_develop', 'matrix_serve'].map((n) => Number(k[n]));
    expect(quadrants.reduce((a, b) => a + b, 0)).toBe(804);
    expect(Number(k.loss_making_big_accounts)).toBeGreaterThan(0);

    await s.page.locator('#quadrant-table tr.clickable', { hasText: 'Core: protect' }).click();
    expect(await settled(s.page)).toBe('ready');
    expect((await kpis(s.page)).customers).toBe(k.matrix_core);
    const filtered = await kpis(s.page);
    expect(filtered.customers_for_80_count).not.toBe(k.customers_for_80_count);
    expect(Number(filtered.revenue_total)).toBeLessThan(Number(k.revenue_total));
    // The matrix itself is not filtered by its own selection.
    expect(filtered.matrix_serve).toBe(k.matrix_serve);
    await s.page.screenshot({ path: `${process.env.SHOTS ?? '/tmp'}/kal-matrix-crossfilter.png`, fullPage: false });

    await s.page.getByRole('button', { name: /Remove filter/ }).click();
    expect(await settled(s.page)).toBe('ready');
    expect((await kpis(s.page)).customers).toBe('804');
  });

  it('a loss-making account opens its profit bridge', async () => {
    await s.page.locator('#loss-table tr.clickable').first().click();
    await expect.poll(() => s.page.locator('#bridge figure svg').count()).toBeGreaterThanOrEqual(1);
    expect(await s.page.locator('#bridge').textContent()).toMatch(/Profit bridge: /);
  });

  it('dark theme redraws the charts with no page error', async () => {
    await s.page.getByRole('button', { name: 'Colour theme' }).click();
    await s.page.getByRole('button', { name: 'Colour theme' }).click();
    await expect.poll(() => s.page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    await expect.poll(() => s.page.locator('#matrix figure svg').count()).toBeGreaterThan(0);
    expect(s.pageErrors).toEqual([]);
    expect(s.offsite).toEqual([]);
  });
});
