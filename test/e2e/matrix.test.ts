import { describe, expect, it } from 'vitest';
import { hasShared, shared } from '../helpers/files';
import { drop, kpis, settled, showTab, useSite } from './browser';

const site = useSite();

describe.skipIf(!hasShared)('value matrix in the browser', () => {
  it('quadrants sum to the customers, and a quadrant cross-filters the other views', async () => {
    expect(await drop(site().page, shared('superstore_2023/Sample - Superstore.csv'))).toBe('ready');
    const k = await kpis(site().page);
    const quadrants = ['matrix_core', 'matrix_volume', 'matrix_develop', 'matrix_serve'].map((n) => Number(k[n]));
    expect(quadrants.reduce((a, b) => a + b, 0)).toBe(804);
    expect(Number(k.loss_making_big_accounts)).toBeGreaterThan(0);

    await showTab(site().page, 'matrix');
    await site().page.locator('#quadrant-table tr.clickable', { hasText: 'Core: protect' }).click();
    expect(await settled(site().page)).toBe('ready');
    expect((await kpis(site().page)).customers).toBe(k.matrix_core);
    const filtered = await kpis(site().page);
    expect(filtered.customers_for_80_count).not.toBe(k.customers_for_80_count);
    expect(Number(filtered.revenue_total)).toBeLessThan(Number(k.revenue_total));
    // The matrix itself is not filtered by its own selection.
    expect(filtered.matrix_serve).toBe(k.matrix_serve);
    await site().page.screenshot({
      path: `${process.env.SHOTS ?? '/tmp'}/kal-matrix-crossfilter.png`,
      fullPage: false,
    });

    await site()
      .page.getByRole('button', { name: /Remove filter/ })
      .click();
    expect(await settled(site().page)).toBe('ready');
    expect((await kpis(site().page)).customers).toBe('804');
  });

  it('clicking an empty part of a quadrant in the chart cross-filters to it too', async () => {
    const page = site().page;
    const k = await kpis(page);
    // Where "Develop" (small, high margin) is drawn: low revenue and a 95% margin, far from any bubble.
    await page.locator('#matrix figure svg').first().scrollIntoViewIfNeeded();
    const at = await page.evaluate(() => {
      const svg = document.querySelector('#matrix figure svg') as SVGSVGElement & {
        scale(n: string): { apply(v: number): number; domain: number[] };
      };
      const x = svg.scale('x');
      const y = svg.scale('y');
      const pt = new DOMPoint(x.apply((x.domain[0] as number) * 1.3), y.apply(0.95)).matrixTransform(
        svg.getScreenCTM() as DOMMatrix,
      );
      return { x: pt.x, y: pt.y };
    });
    await page.mouse.click(at.x, at.y);
    expect(await settled(page)).toBe('ready');
    expect(await page.locator('.chips').textContent()).toMatch(/Quadrant: Develop/);
    expect((await kpis(page)).customers).toBe(k.matrix_develop);
    await page.getByRole('button', { name: /Remove filter/ }).click();
    expect(await settled(page)).toBe('ready');
  });

  it('a loss-making account opens its profit bridge', async () => {
    await site().page.locator('#loss-table tr.clickable').first().click();
    await expect.poll(() => site().page.locator('#bridge figure svg').count()).toBeGreaterThanOrEqual(1);
    expect(await site().page.locator('#bridge').textContent()).toMatch(/Profit bridge: /);
  });

  it('dark theme redraws the charts with no page error', async () => {
    await site()
      .page.getByRole('button', { name: /^Theme:/ })
      .click();
    await site()
      .page.getByRole('button', { name: /^Theme:/ })
      .click();
    await expect.poll(() => site().page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    await showTab(site().page, 'pareto');
    await expect.poll(() => site().page.locator('#matrix figure svg').count()).toBeGreaterThan(0);
    // Charts take their colours from the theme's CSS variables, so paper gets the light palette even from dark.
    const stroke = () =>
      site().page.evaluate(() => {
        // The Pareto curve: the last line mark of the first chart (the diagonal comes before it).
        const lines =
          document.querySelector('#pareto figure svg')?.querySelectorAll('g[stroke="var(--accent)"] path') ?? [];
        const path = lines[lines.length - 1];
        // The curves are drawn a task after the section's figures (ui/deferred.ts).
        return path ? getComputedStyle(path).stroke : null;
      });
    await expect.poll(stroke).toBe('rgb(96, 165, 250)');
    await site().page.emulateMedia({ media: 'print' });
    await expect.poll(stroke).toBe('rgb(37, 99, 235)');
    await site().page.emulateMedia({ media: 'screen' });
    expect(site().pageErrors).toEqual([]);
    expect(site().offsite).toEqual([]);
  });
});
