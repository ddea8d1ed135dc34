import { describe, expect, it } from 'vitest';
import { hasShared, shared } from '../helpers/files';
import { drop, kpis, settled, showTab, useSite } from './browser';

// The bench build exposes the page's engine at ?bench, so the test can make it fail the way a wasm crash does.
const site = useSite({ path: '/?bench', bench: true });

describe.skipIf(!hasShared)('engine recovery', () => {
  it('a crashed engine is recreated, says so, and reloads the file on screen', async () => {
    const page = site().page;
    expect(await drop(page, shared('superstore_2023/Sample - Superstore.csv'))).toBe('ready');
    const loads = Number(await page.getAttribute('[data-state]', 'data-loads'));
    await page.evaluate(() =>
      (window as unknown as { __kalEngine: { restart(r: string): Promise<void> } }).__kalEngine.restart(
        'RuntimeError: memory access out of bounds',
      ),
    );
    await page.waitForFunction(
      (n) => Number(document.querySelector('[data-state]')?.getAttribute('data-loads')) > n,
      loads,
    );
    expect(await settled(page)).toBe('ready');
    expect(await page.locator('.notice').textContent()).toMatch(
      /engine failed .*memory access out of bounds.* restarted\. Reloading Sample - Superstore\.csv/,
    );
    const k = await kpis(page);
    expect(k).toMatchObject({ rows_loaded: '10194', customers: '804' });
    expect(site().offsite).toEqual([]);
  });

  it('a section whose queries fail says so in place; the page stays usable and the next file loads', async () => {
    const page = site().page;
    // Pull the canonical view from under the dashboard, then redraw it (a theme switch redraws every section).
    await page.evaluate(() =>
      (window as unknown as { __kalEngine: { exec(sql: string): Promise<void> } }).__kalEngine.exec('DROP VIEW sales'),
    );
    // The value matrix's tab, shown now, draws its panels that waited: the period comparison reads the order lines
    // and fails. A panel drawn after the figures says so: no silent gap.
    await showTab(page, 'matrix');
    expect(await settled(page)).toBe('ready');
    await expect
      .poll(() => page.locator('#matrix').textContent())
      .toMatch(/Comparing periods could not be drawn: .*sales/);
    // A filter reloads every view from the order lines: each says in place that it could not be drawn.
    await page.locator('#filter-search').fill('a');
    await expect.poll(() => page.locator('#incentives').textContent()).toMatch(/could not be drawn: .*sales/);
    expect(await settled(page)).toBe('ready');
    expect(site().pageErrors).toEqual([]);
    // The same file dropped again keeps the view's settings: the filter goes first.
    await page.locator('#filter-search').fill('');
    await expect.poll(() => page.locator('.chips').textContent()).not.toMatch(/Customer contains/);
    expect(await settled(page)).toBe('ready');
    expect(await drop(page, shared('superstore_2023/Sample - Superstore.csv'))).toBe('ready');
    expect(await page.locator('section[role=status]', { hasText: 'could not be drawn' }).count()).toBe(0);
    expect((await kpis(page)).customers).toBe('804');
  });

  it('data the engine fails on twice is not reloaded a third time: the page says why and takes the next file', async () => {
    const page = site().page;
    const crash = () =>
      page.evaluate(() =>
        (window as unknown as { __kalEngine: { restart(r: string): Promise<void> } }).__kalEngine.restart(
          'Out of Memory Error: could not allocate block of size 256.0 KiB (3.1 GiB/3.1 GiB used)',
        ),
      );
    const loads = Number(await page.getAttribute('[data-state]', 'data-loads'));
    await crash();
    await page.waitForFunction(
      (n) => Number(document.querySelector('[data-state]')?.getAttribute('data-loads')) > n,
      loads,
    );
    expect(await settled(page)).toBe('ready');
    await crash();
    await expect.poll(() => page.getAttribute('[data-state]', 'data-state')).toBe('error');
    expect(await page.locator('[role=alert]').textContent()).toMatch(
      /failed twice on Sample - Superstore\.csv, out of memory: the data is too large for this browser tab.*What to do: Export a shorter period/,
    );
    expect(await page.locator('[role=tablist]').isVisible()).toBe(false);
    expect(await page.locator('.filter-bar').isVisible()).toBe(false);
    // Nothing to export from gone data: said, not a failed query.
    await page.locator('#export-menu summary').click();
    await page.locator('#export-snapshot').click();
    await expect.poll(() => page.locator('.notice').textContent()).toMatch(/no data on screen yet/);
    await page.keyboard.press('Escape');
    // No third load started by itself.
    await page.waitForTimeout(1500);
    expect(await page.getAttribute('[data-state]', 'data-state')).toBe('error');
    expect(await drop(page, shared('superstore_2023/Sample - Superstore.csv'))).toBe('ready');
    expect(await page.locator('[role=tablist]').isVisible()).toBe(true);
    expect(await page.locator('.filter-bar').isVisible()).toBe(true);
    expect((await kpis(page)).customers).toBe('804');
    expect(site().pageErrors).toEqual([]);
  });
});
