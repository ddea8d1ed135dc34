import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeGbk } from '../helpers/encode';
import { drop, kpis, openSite, type Session, settled, showTab, tempFile } from './browser';

let s: Session;
let before: Record<string, string>;
beforeAll(async () => {
  s = await openSite();
  await settled(s.page);
  before = await kpis(s.page);
});
afterAll(async () => {
  await s?.close();
});

async function expectError(file: string, pattern: RegExp) {
  expect(await drop(s.page, file)).toBe('error');
  const alert = await s.page.locator('[role=alert]').textContent();
  expect(alert).toMatch(pattern);
  // The previous data and its figures stay.
  expect(await kpis(s.page)).toEqual(before);
  return alert;
}

describe('bad input never loses the loaded data', () => {
  it('an empty file', () => expectError(tempFile('empty.csv', ''), /empty\.csv is empty/));
  it('a header-only file', async () => {
    const alert = await expectError(tempFile('header.csv', 'customer,amount\n'), /header but no data rows/);
    expect(alert).toMatch(/line 2/);
  });
  it('a PNG image renamed .csv', async () => {
    const png = new Uint8Array([
      0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 73, 72, 68, 82, 0, 0, 1, 0,
    ]);
    await expectError(tempFile('chart.csv', png), /chart\.csv is a PNG image.*What to do/s);
  });
  it('an unsupported type (Excel workbook)', () =>
    expectError(
      tempFile('book.xlsx', new Uint8Array([0x50, 0x4b, 0x03, 0x04, 20, 0, 6, 0, 8, 0])),
      /book\.xlsx.*CSV UTF-8/s,
    ));
  it('a single-column text file', () => expectError(tempFile('notes.txt', 'hello\nworld\nagain\n'), /only one column/));
  it('no customer or amount column opens the mapping dialog', async () => {
    await expectError(tempFile('lines.csv', 'sku,qty\nA1,3\nB2,4\n'), /no column could be recognised as customer/);
    await expect.poll(() => s.page.locator('dialog.mapping-dialog[open]').count()).toBe(1);
    await s.page.keyboard.press('Escape');
  });
  it('mixed types: rows rejected and counted by reason, with a download', async () => {
    const csv = 'customer,date,amount\nA,2024-01-05,100\nB,2024-01-06,abc\nC,2024-01-07,50\nD,2024-01-08,\n';
    const state = await drop(s.page, tempFile('mixed.csv', csv));
    expect(state, (await s.page.locator('[role=alert]').textContent()) ?? '').toBe('ready');
    const k = await kpis(s.page);
    expect(k).toMatchObject({ rows_loaded: '2', rows_rejected: '2', customers: '2', revenue_total: '150' });
    const text = await s.page.locator('#quality').textContent();
    expect(text).toMatch(/Net revenue is not a number \(column "amount"\): 1 row(?!s)/);
    expect(text).toMatch(/Missing net revenue \(column "amount"\): 1 row(?!s)/);
    await showTab(s.page, 'quality');
    const [download] = await Promise.all([
      s.page.waitForEvent('download'),
      s.page.getByRole('button', { name: /Download rejected rows/ }).click(),
    ]);
    const body = await (await download.createReadStream()).toArray();
    const csvOut = Buffer.concat(body).toString('utf8');
    expect(csvOut).toMatch(/line,reason,column,value/);
    expect(csvOut).toMatch(/3,Net revenue is not a number,amount,abc/);
    before = k;
  });
  it('GBK text from Chinese Excel and untrusted names rendered as text', async () => {
    const csv =
      '客户名称,日期,销售额\n"<img src=x onerror=window.__xss=1>",2024-01-01,10\n华东贸易有限公司,2024-01-02,"=1+2"\n华东贸易有限公司,2024-01-03,20\n';
    expect(await drop(s.page, tempFile('gbk.csv', encodeGbk(csv)))).toBe('ready');
    expect(await s.page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    expect(await s.page.locator('#pareto').textContent()).toContain('华东贸易有限公司');
    expect(await s.page.locator('#pareto').textContent()).toContain('<img src=x onerror=window.__xss=1>');
    expect((await kpis(s.page)).rows_rejected).toBe('1');
  });
  it('made no request to any origin but its own', () => {
    expect(s.offsite).toEqual([]);
  });
});
