import fs from 'node:fs';
import path from 'node:path';
import { csvParse } from 'd3';
import { describe, expect, it } from 'vitest';
import { hasShared, shared } from '../helpers/files';
import { drop, kpis, settled, showTab, useSite } from './browser';

const site = useSite();

describe('incentives in the browser', () => {
  it('the bundled sample comes with its programmes and shows their ROI and targets', async () => {
    // The programme panel is drawn after the headline figures, when its tab is shown.
    await showTab(site().page, 'incentives');
    await site().page.waitForFunction(() => document.documentElement.dataset.deferred === 'done');
    const text = await site().page.locator('#programmes').textContent();
    expect(text).toMatch(/sample_programmes\.csv \(bundled sample\): 3 programmes/);
    expect(text).toMatch(/Autumn Volume Rebate 2025/);
    expect(text).toMatch(/difference-in-differences/);
    expect(text).toMatch(/support with no target at all/);
    const k = await kpis(site().page);
    expect(Number(k.incentive_cost_total)).toBeGreaterThan(Number(k.discount_cost_total));
    expect(Number(k.pocket_price_share)).toBeGreaterThan(0.5);
    // Contests and other programmes from the programme file, apart from the line-level spend.
    const sample = csvParse(fs.readFileSync(path.resolve(__dirname, '../../data/sample_programmes.csv'), 'utf8'));
    expect(Number(k.programme_cost_total)).toBeCloseTo(
      sample.reduce((a, r) => a + Number(r.cost), 0),
      4,
    );
  });

  it('a programme file can be loaded by hand, and a wrong one is refused with the data kept', async () => {
    const loads = Number(await site().page.getAttribute('[data-state]', 'data-loads'));
    await site().page.locator('#programme-input').setInputFiles(path.resolve(__dirname, '../../data/sample_sales.csv'));
    await site().page.waitForFunction(
      (n) => Number(document.querySelector('[data-state]')?.getAttribute('data-loads')) > n,
      loads,
    );
    expect(await settled(site().page)).toBe('error');
    expect(await site().page.locator('[role=alert]').textContent()).toMatch(
      /sample_sales\.csv is not a programme file: no column for start, end/,
    );
    await site()
      .page.locator('#programme-input')
      .setInputFiles(path.resolve(__dirname, '../../data/sample_programmes.csv'));
    await site().page.waitForFunction(
      (n) => Number(document.querySelector('[data-state]')?.getAttribute('data-loads')) > n + 1,
      loads,
    );
    expect(await settled(site().page)).toBe('ready');
    await site().page.waitForFunction(() => document.documentElement.dataset.deferred === 'done');
    expect(await site().page.locator('#programmes').textContent()).toMatch(/sample_programmes\.csv: 3 programmes/);
  });

  it.skipIf(!hasShared)('Superstore: discount cost and band KPIs', async () => {
    expect(await drop(site().page, shared('superstore_2023/Sample - Superstore.csv'))).toBe('ready');
    const k = await kpis(site().page);
    expect(Number(k.discount_cost_total)).toBeCloseTo(570912.2, 2);
    expect(Number(k.incentive_cost_total)).toBeCloseTo(570912.2, 2);
    expect(Number(k.band_margin_0)).toBeCloseTo(0.2956, 4);
    expect(Number(k.band_margin_3)).toBeCloseTo(0.1154, 4);
    expect(Number(k.band_margin_4)).toBeCloseTo(-0.1006, 4);
    expect(Number(k.band_margin_5)).toBeCloseTo(-0.4822, 4);
    expect(Number(k.band_loss_share_0)).toBe(0);
    expect(Number(k.band_loss_share_3)).toBeCloseTo(0.14, 3);
    expect(Number(k.band_loss_share_4)).toBeCloseTo(0.917, 3);
    expect(Number(k.band_loss_share_5)).toBeCloseTo(0.978, 3);
    // No (0, 5%] lines in Superstore: no KPI rather than a fake value.
    expect(k.band_margin_1).toBeUndefined();
    await site().page.waitForFunction(() => document.documentElement.dataset.deferred === 'done');
    expect(await site().page.locator('#incentives').textContent()).toMatch(/No programmes known/);
    expect(site().offsite).toEqual([]);
    expect(site().pageErrors).toEqual([]);
  });
});
