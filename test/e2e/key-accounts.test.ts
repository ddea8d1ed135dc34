/**
 * The key-account view in real Chromium on the bundled sample: the list from the customer-type column, added to by
 * hand, kept across a reload, exported and imported again; an account card; a migration cell's customers; the
 * list filtering every view.
 */
import fs from 'node:fs';
import path from 'node:path';
import { csvParse } from 'd3';
import { describe, expect, it } from 'vitest';
import { kpis, settled, showTab, tempFile, useSite } from './browser';

const SAMPLE = path.resolve(__dirname, '../../data/sample_sales.csv');
const rows = csvParse(fs.readFileSync(SAMPLE, 'utf8'));
const site = useSite();

/** Customers whose type names a key-account type: strategic accounts and group buyers in the sample. */
const typed = new Set(rows.filter((r) => /strateg|group/i.test(r.customer_type as string)).map((r) => r.customer_id));

describe('key accounts', () => {
  it('starts from the customer-type column, and every figure of the view is on the page', async () => {
    const page = site().page;
    await showTab(page, 'key-accounts');
    const k = await kpis(page);
    expect(Number(k.key_accounts)).toBe(typed.size);
    expect(Number(k.alerts)).toBeGreaterThan(0);
    expect(Number(k.peak_month)).toBeGreaterThanOrEqual(1);
    // Over the whole data the changes compare the data's last complete quarters (the sample ends on 28 December
    // 2025, inside Q4), named once the date range is known, never from an empty one (1900 Q1, once).
    expect(await page.locator('#key-accounts').textContent()).toMatch(
      /2025 Q3, the last complete quarter in view, against 2025 Q2/,
    );
    for (const from of ['A', 'B', 'C', 'new'])
      for (const to of ['A', 'B', 'C', 'lost'])
        if (!(from === 'new' && to === 'lost')) expect(k[`migration_${from}_${to}`], `${from}_${to}`).toMatch(/^\d+$/);
    // The five-sentence summary quotes the view's share as the view writes it, not rounded further ("3%" vs "3.5%").
    const share = (text: string | null) => text?.match(/key accounts? made ([\d.]+%) of revenue/)?.[1];
    const viewShare = share(await page.locator('#key-accounts').textContent());
    expect(viewShare).toMatch(/%$/);
    expect(share(await page.locator('[data-finding="key-accounts"]').textContent())).toBe(viewShare);
    // Every alert row is counted: the table shows them all once asked.
    const more = page.getByRole('button', { name: /Show all \d+ alerts/ });
    if (await more.count()) await more.click();
    expect(await page.locator('#alerts tbody tr').count()).toBe(Number(k.alerts));
  });

  it('an account added by hand stays after a reload; the list exports and imports again', async () => {
    const page = site().page;
    const outside = rows.find((r) => !typed.has(r.customer_id))?.customer_id as string;
    await page.locator('#key-accounts .manage-list summary').click();
    await page.locator('#keys-add').fill(outside);
    await page.locator('.keys-found button', { hasText: outside }).first().click();
    expect(await settled(page)).toBe('ready');
    expect(Number((await kpis(page)).key_accounts)).toBe(typed.size + 1);
    await page.reload();
    expect(await settled(page)).toBe('ready');
    expect(Number((await kpis(page)).key_accounts)).toBe(typed.size + 1);

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export list (CSV)' }).click(),
    ]);
    const csv = Buffer.concat(await (await download.createReadStream()).toArray()).toString('utf8');
    const exported = csvParse(csv.replace(/^\uFEFF/, ''));
    expect(exported.length).toBe(typed.size + 1);
    expect(exported.some((r) => r.customer === outside)).toBe(true);
    // Remove it, then import the exported file: it is back, with its type.
    await page.locator('#key-accounts .manage-list summary').click();
    await page
      .getByRole('button', { name: /Remove .* from the key accounts/ })
      .first()
      .click();
    expect(await settled(page)).toBe('ready');
    expect(Number((await kpis(page)).key_accounts)).toBe(typed.size);
    await page.locator('#keys-import').setInputFiles(tempFile('keys.csv', csv));
    await expect.poll(async () => Number((await kpis(page)).key_accounts)).toBe(typed.size + 1);
  });

  it('the account table sorts by a column, largest first', async () => {
    const page = site().page;
    expect(await settled(page)).toBe('ready');
    const headers = await page.locator('#account-table thead th').allTextContents();
    const qoq = headers.findIndex((t) => t.startsWith('QoQ'));
    await page.locator('#account-table thead th button').nth(qoq).click();
    const cells = await page.locator(`#account-table tbody tr td:nth-child(${qoq + 1})`).allTextContents();
    const values = cells.filter((t) => t !== '–').map((t) => Number(t.replace('−', '-').replace(/[+%,]/g, '')));
    expect(values.length).toBeGreaterThan(5);
    expect(values).toEqual([...values].sort((a, b) => b - a));
    expect(await page.locator('#account-table thead th').nth(qoq).getAttribute('aria-sort')).toBe('descending');
  });

  it('an account opens its card; a migration cell lists its customers', async () => {
    const page = site().page;
    expect(await settled(page)).toBe('ready');
    await page.locator('#account-table tbody tr').first().click();
    expect(await settled(page)).toBe('ready');
    await expect.poll(() => page.locator('#account-card h3').textContent()).toMatch(/^Account card: /);
    expect(await page.locator('#account-card figure svg').count()).toBeGreaterThanOrEqual(1);
    const cell = page.locator('[data-kpi=migration_A_A]');
    const n = Number(await cell.getAttribute('data-value'));
    await cell.click();
    expect(await settled(page)).toBe('ready');
    await expect.poll(() => page.locator('#migration caption').last().textContent()).toMatch(/A → A: /);
    // A long list starts with its first rows; "Show all" draws the rest.
    const all = page.locator('#migration').getByRole('button', { name: /^Show all \d+ customers$/ });
    if (n > 25) await all.click();
    expect(await page.locator('#migration tbody tr.clickable').count()).toBe(Math.min(n, 200));
    expect(await page.locator('[data-kpi=migration_A_A]').getAttribute('aria-pressed')).toBe('true');
  });

  it('"show only key accounts" filters every view to them, and its chip removes it', async () => {
    const page = site().page;
    const before = await kpis(page);
    await page.locator('#keys-only').check();
    expect(await settled(page)).toBe('ready');
    const k = await kpis(page);
    expect(Number(k.customers)).toBe(Number(k.key_accounts));
    expect(Number(k.revenue_total)).toBeLessThan(Number(before.revenue_total));
    await page.getByRole('button', { name: /Remove filter: Key accounts only/ }).click();
    expect(await settled(page)).toBe('ready');
    expect((await kpis(page)).customers).toBe(before.customers);
    expect(site().pageErrors).toEqual([]);
    expect(site().offsite).toEqual([]);
  });
});
