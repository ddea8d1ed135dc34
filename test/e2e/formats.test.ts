import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { summarize } from '../../src/cli/summarize';
import { hasShared, shared } from '../helpers/files';
import { makeXlsx } from '../helpers/xlsx';
import { drop, kpis, pick, settled, showTab, tempFile, useSite } from './browser';

const SAMPLE = path.resolve(__dirname, '../../data/sample_sales.csv');

const site = useSite();

const num = async (k: string) => Number((await kpis(site().page))[k]);

describe.skipIf(!hasShared)('every real file format', () => {
  it('Superstore .xlsx: Orders sheet by default, 9,994 lines, 793 customers', async () => {
    expect(await drop(site().page, shared('superstore_xlsx/Sample - Superstore.xlsx'))).toBe('ready');
    const k = await kpis(site().page);
    expect(k).toMatchObject({ rows_loaded: '9994', customers: '793' });
    expect(Number(k.revenue_total)).toBeCloseTo(2297200.8603, 3);
    expect(Number(k.profit_total)).toBeCloseTo(286397.0217, 3);
    expect(await site().page.locator('.choice-switcher').textContent()).toMatch(
      /Read sheet "Orders".*Returns.*People/s,
    );
  });

  it('switching to the Returns sheet asks for a mapping and keeps Orders on screen', async () => {
    const loads = Number(await site().page.getAttribute('[data-state]', 'data-loads'));
    await site().page.locator('.choice-switcher button', { hasText: 'Returns' }).click();
    await site().page.waitForFunction(
      (n) => Number(document.querySelector('[data-state]')?.getAttribute('data-loads')) > n,
      loads,
    );
    expect(await settled(site().page)).toBe('error');
    await expect.poll(() => site().page.locator('dialog.mapping-dialog[open]').count()).toBe(1);
    await site().page.keyboard.press('Escape');
    expect((await kpis(site().page)).rows_loaded).toBe('9994');
  });

  it('both Parquet files; the one without profit shows no profit figures', async () => {
    expect(await drop(site().page, shared('superstore_parquet/superstore_w_profit.parquet'))).toBe('ready');
    expect(await num('rows_loaded')).toBe(5194);
    expect(await num('profit_total')).not.toBeNaN();
    expect(await drop(site().page, shared('superstore_parquet/superstore.parquet'))).toBe('ready');
    const k = await kpis(site().page);
    expect(k.rows_loaded).toBe('5000');
    expect(k.profit_total).toBeUndefined();
    expect(await site().page.locator('#matrix').textContent()).toMatch(/needs margin per customer/);
    // Decoded in WebAssembly, self-hosted like DuckDB's (the CSP allows it; no fallback to the JavaScript decoder).
    expect(await site().page.locator('#quality').textContent()).toMatch(/decoded by parquet-wasm into typed columns/);
    // Decoded as typed columns, only those with a role (and the first); a filter on another decodes it then.
    const { asyncBufferFromFile, parquetReadObjects } = await import('hyparquet');
    const rows = (await parquetReadObjects({
      file: await asyncBufferFromFile(shared('superstore_parquet/superstore.parquet')),
      columns: ['Ship Mode', 'Sales'],
    })) as { 'Ship Mode': string; Sales: number }[];
    const sameDay = rows.filter((r) => r['Ship Mode'] === 'Same Day').reduce((t, r) => t + r.Sales, 0);
    const page = site().page;
    await page.locator('#filter-more').selectOption('Ship Mode');
    await pick(page, 'file-Ship_Mode', 'Same Day');
    const box = page.locator('#filter-file-Ship_Mode');
    expect(Number((await kpis(page)).revenue_total)).toBeCloseTo(sameDay, 6);
    await box.locator('summary').click();
    await box.getByRole('button', { name: 'Remove this filter' }).click();
    expect(await settled(page)).toBe('ready');
  });

  it('the legacy .xls is refused with what to do', async () => {
    expect(await drop(site().page, shared('superstore_2023/Sample - Superstore.xls'))).toBe('error');
    expect(await site().page.locator('[role=alert]').textContent()).toMatch(/save the sheet as \.xlsx or "CSV UTF-8"/);
  });

  it('Northwind: orders + order_details + customers + products dropped together are joined', async () => {
    const files = ['orders.csv', 'order_details.csv', 'customers.csv', 'products.csv'].map((f) =>
      shared(`northwind/${f}`),
    );
    const loads = Number(await site().page.getAttribute('[data-state]', 'data-loads'));
    await site().page.locator('#dropzone input[type=file]').setInputFiles(files);
    const dialog = site().page.locator('dialog.join-dialog[open]');
    await expect.poll(() => dialog.count()).toBe(1);
    expect(await dialog.textContent()).toMatch(/order_details\.csv\.order_id → orders\.csv\.order_id: every key found/);
    await dialog.getByRole('button', { name: 'Join and load' }).click();
    await site().page.waitForFunction(
      (n) => Number(document.querySelector('[data-state]')?.getAttribute('data-loads')) > n,
      loads,
    );
    expect(await settled(site().page)).toBe('ready');
    const k = await kpis(site().page);
    expect(k.customers).toBe('89');
    expect(k.rows_loaded).toBe('2155');
    expect(Number(k.revenue_total)).toBeCloseTo(1265793.0395, 4);
    expect(Number(k.discount_cost_total)).toBeCloseTo(88665.5505, 4);
    expect(await site().page.locator('.notice').textContent()).toMatch(
      /Spread over order lines by value: freight \(orders\.csv\)/,
    );
  });
});

describe('generated files of every shape', () => {
  it('an xlsx with two title rows', async () => {
    const xlsx = makeXlsx([
      {
        name: 'Report',
        rows: [
          ['Sales report', null, null],
          ['All regions', null, null],
          ['Customer', 'Date', 'Net sales'],
          ['ACME', 45376, 100],
          ['Globex', 45377, 50],
        ],
      },
    ]);
    expect(await drop(site().page, tempFile('report.xlsx', xlsx))).toBe('ready');
    expect(await kpis(site().page)).toMatchObject({ rows_loaded: '2', revenue_total: '150', date_min: '2024-03-25' });
  });

  it('a headerless blank-separated file opens the mapping dialog with its columns', async () => {
    const f = tempFile('lines.txt', '00001  20240105   3   15.50\n00002  20240106  1    4.00\n');
    expect(await drop(site().page, f)).toBe('error');
    const dialog = site().page.locator('dialog.mapping-dialog[open]');
    await expect.poll(() => dialog.count()).toBe(1);
    expect(await dialog.textContent()).toMatch(/00001/);
    await dialog.locator('#map-customer').selectOption('column 1');
    await dialog.locator('#map-date').selectOption('column 2');
    await dialog.locator('#map-amount').selectOption('column 4');
    await dialog.locator('button[type=submit]').click();
    // The load ended in "error" (no roles); applying the mapping makes it "ready".
    await expect.poll(() => site().page.getAttribute('[data-state]', 'data-state')).toBe('ready');
    expect(await num('revenue_total')).toBeCloseTo(19.5, 9);
    expect((await kpis(site().page)).date_min).toBe('2024-01-05');
  });

  it('a summary made by npm run summarize shows the same figures as its lines, and says what it is', async () => {
    const page = site().page;
    // Every view drawn, the key-account tab's too (its list is picked from the segments after ready).
    const drawn = async () => {
      await showTab(page, 'key-accounts');
      await page.waitForFunction(() => document.documentElement.dataset.deferred === 'done');
      await expect.poll(async () => Number((await kpis(page)).migration_A_A), { timeout: 30_000 }).toBeGreaterThan(0);
      return kpis(page);
    };
    expect(await drop(page, SAMPLE)).toBe('ready');
    const fromLines = await drawn();
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'kal-e2e-')), 'sample-summary.parquet');
    const made = await summarize([SAMPLE], out);
    expect(await drop(page, out)).toBe('ready');
    const fromSummary = await drawn();
    // Every headline KPI but those that need days: the dates (a summary's are months), and the key-account tab's
    // last complete quarter (the lines end on 28 December, inside Q4; the summary's last month counts as whole)
    // with its alerts and ABC moves (the unit test compares those over the same quarters).
    const days = (k: string) => k.startsWith('date_') || k === 'alerts' || k.startsWith('migration_');
    const shared = Object.keys(fromLines).filter((k) => !days(k));
    expect(fromSummary.key_accounts).toBe(fromLines.key_accounts);
    expect(shared.length).toBeGreaterThan(8);
    for (const k of shared) {
      const [a, b] = [Number(fromLines[k]), Number(fromSummary[k])];
      if (Number.isNaN(a)) expect(fromSummary[k], k).toBe(fromLines[k]);
      else expect(Math.abs(a - b), k).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(a)));
    }
    expect(fromSummary.rows_loaded).toBe('25311');
    expect(made.groups).toBeLessThan(25311);
    expect(fromSummary.date_max).toBe(fromLines.date_max?.slice(0, 7));
    expect(await page.locator('.dataset-name').textContent()).toMatch(/summary of 25,311 lines/);
    expect(await page.locator('.notice').textContent()).toMatch(
      /sample-summary\.parquet is a summary .* Not available from a summary: distinct orders, gaps between orders/,
    );
    // A region filter on the summary: the revenue of its groups in that region, read from the file apart.
    const { asyncBufferFromFile, parquetReadObjects } = await import('hyparquet');
    const { compressors } = await import('hyparquet-compressors');
    const groups = (await parquetReadObjects({
      file: await asyncBufferFromFile(out),
      columns: ['region', 'amount'],
      compressors,
    })) as { region: string; amount: number }[];
    const north = groups.filter((g) => g.region === 'North').reduce((t, g) => t + g.amount, 0);
    await pick(page, 'region', 'North');
    expect(Number((await kpis(page)).revenue_total)).toBeCloseTo(north, 6);
    await showTab(page, 'quality');
    expect(await page.locator('#quality').textContent()).toMatch(
      /Summarised from 1 file.*sample_sales\.csv: 25,311 lines read, 25,311 used, 0 rejected, 0 skipped/s,
    );
    expect(site().pageErrors).toEqual([]);
  });

  it('a .csv.gz, a .zip with two CSVs, and NDJSON', async () => {
    expect(
      await drop(
        site().page,
        tempFile('a.csv.gz', new Uint8Array(gzipSync(Buffer.from('customer,sales\nA,1\nB,2\n')))),
      ),
    ).toBe('ready');
    expect(await num('revenue_total')).toBe(3);
    const zip = zipSync({
      'one.csv': strToU8('customer,sales\nA,1\n'),
      'two.csv': strToU8('customer,sales\nA,1\nB,2\nC,4\n'),
    });
    expect(await drop(site().page, tempFile('both.zip', zip))).toBe('ready');
    expect(await num('revenue_total')).toBe(7);
    expect(await site().page.locator('.choice-switcher').textContent()).toMatch(/Read file "two\.csv".*one\.csv/s);
    expect(
      await drop(site().page, tempFile('c.ndjson', '{"customer":"X","sales":5}\n{"customer":"Y","sales":6}\n')),
    ).toBe('ready');
    expect(await num('revenue_total')).toBe(11);
    expect(site().offsite).toEqual([]);
    expect(site().pageErrors).toEqual([]);
  });
});
