/**
 * The promises, in real Chromium on the site users open: hostile names and headers stay text everywhere (views,
 * filter chips, slides, the share dialog, exported SVG and the snapshot), no request leaves the origin, a bench
 * switch in the link exposes nothing, every refused file of the corpus keeps the previous data and figures, and
 * the odd files that load show the counts their generator knows.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parquetWriteBuffer } from 'hyparquet-writer';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultState } from '../../src/state/app-state';
import { encodeState } from '../../src/state/url';
import { corpus, type Loaded } from '../corpus/cases';
import { encodeSingleByte } from '../helpers/encode';
import { drop, kpis, openSite, type Session, settled, showTab, tempFile } from './browser';

const TABS = ['overview', 'pareto', 'matrix', 'incentives', 'key-accounts', 'quality'];
let s: Session;
const dialogs: string[] = [];

beforeAll(async () => {
  s = await openSite();
  s.page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await settled(s.page);
});
afterAll(async () => {
  await s?.close();
});

const trapped = (page: Page) => page.evaluate(() => (window as unknown as { __xss?: unknown }).__xss ?? null);

async function download(page: Page, click: () => Promise<void>): Promise<string> {
  const [d] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), click()]);
  return Buffer.concat(await (await d.createReadStream()).toArray()).toString('utf8');
}

/** Markup that would run if any of it were parsed as HTML: elements, event handlers, script. */
async function activeMarkup(page: Page, text: string, type: 'text/html' | 'image/svg+xml'): Promise<string[]> {
  return page.evaluate(
    ([t, mime]) => {
      const doc = new DOMParser().parseFromString(t as string, mime as DOMParserSupportedType);
      const bad = [...doc.querySelectorAll('img, script, iframe, foreignObject, object, embed')].map((e) => e.tagName);
      for (const e of doc.querySelectorAll('*'))
        for (const a of e.getAttributeNames()) if (/^on/i.test(a)) bad.push(`${e.tagName}[${a}]`);
      return bad;
    },
    [text, type],
  );
}

describe('hostile names and headers stay text', () => {
  const NAMES = [
    '<img src=x onerror="window.__xss=1">',
    '<script>window.__xss=2</script>',
    '"><svg onload=window.__xss=3>',
    '=HYPERLINK("http://evil.example","x")',
  ];
  const header = 'customer,date,amount,cost,region,"<img src=x onerror=window.__xss=4>"';
  const rows: string[] = [];
  for (let i = 0; i < 80; i++) {
    const name = NAMES[i % NAMES.length] as string;
    const q = `"${name.replaceAll('"', '""')}"`;
    const region = i % 2 ? '"<b onmouseover=window.__xss=5>West</b>"' : 'East';
    rows.push(`${q},2024-${String((i % 12) + 1).padStart(2, '0')}-10,${100 + i * 13},${60 + i * 9},${region},x`);
  }
  const file = tempFile('hostile.csv', `${header}\n${rows.join('\n')}\n`);

  it('loads, and every view, a search chip, the slides and the share dialog show the names as text', async () => {
    expect(await drop(s.page, file)).toBe('ready');
    for (const t of TABS) await showTab(s.page, t);
    // A search for a hostile name becomes a chip.
    await s.page.locator('#filter-search').fill(NAMES[0] as string);
    await expect.poll(() => s.page.locator('.chips').textContent(), { timeout: 20_000 }).toContain('<img src=x');
    await settled(s.page);
    await s.page.locator('#filter-search').fill('');
    await settled(s.page);
    await s.page.keyboard.press('Escape');
    await s.page.locator('#present').click();
    await expect.poll(() => s.page.getAttribute('#app', 'data-present')).toBe('on');
    for (let i = 0; i < 12; i++) await s.page.keyboard.press('ArrowRight');
    await s.page.keyboard.press('Escape');
    // The share dialog opens once its link is made: wait for it, then close it.
    await s.page.locator('#copy-link').click();
    await s.page.locator('dialog.share-dialog[open]').waitFor();
    await s.page.keyboard.press('Escape');
    await expect.poll(() => s.page.locator('dialog[open]').count()).toBe(0);
    const text = await s.page.locator('#app').textContent();
    expect(text).toContain('<img src=x onerror="window.__xss=1">');
    expect(await trapped(s.page)).toBeNull();
    expect(await s.page.locator('#app img, #app script, #app b').count()).toBe(0);
  });

  it('an exported SVG and the snapshot carry them as text', async () => {
    await showTab(s.page, 'matrix');
    const svg = await download(s.page, () =>
      s.page.locator('[data-figure] .export-button', { hasText: 'SVG' }).first().click(),
    );
    expect(await activeMarkup(s.page, svg, 'image/svg+xml')).toEqual([]);
    await s.page.locator('#export-menu summary').click();
    const html = await download(s.page, () => s.page.locator('#export-snapshot').click());
    expect(await activeMarkup(s.page, html, 'text/html')).toEqual([]);
    expect(await trapped(s.page)).toBeNull();
  });

  it('no dialog opened, no page error, no request to another origin', () => {
    expect(dialogs).toEqual([]);
    expect(s.pageErrors).toEqual([]);
    expect(s.offsite).toEqual([]);
  });
});

describe('a link that names a hostile file', () => {
  it('shows the name as text in its notice', async () => {
    const name = '<img src=x onerror="window.__xss=7">.csv';
    const { search, hash } = await encodeState({
      ...defaultState(),
      source: { kind: 'file', name, size: 1234, fp: 'abc123' },
      filters: { ...defaultState().filters, region: ['<b onmouseover=window.__xss=8>West</b>'] },
    });
    const other = await openSite({ path: `/${search}${hash}` });
    try {
      await expect.poll(() => other.page.getAttribute('[data-state]', 'data-state'), { timeout: 60_000 }).toBe('empty');
      expect(await other.page.locator('#app').textContent()).toContain(name);
      expect(await other.page.locator('#app img, #app b').count()).toBe(0);
      expect(await trapped(other.page)).toBeNull();
      expect(other.offsite).toEqual([]);
    } finally {
      await other.close();
    }
  });
});

describe('debug switches expose nothing on the site', () => {
  it('?bench puts no engine on window, and the built code has no such hook', async () => {
    const other = await openSite({ path: '/?bench' });
    try {
      await settled(other.page);
      const exposed = await other.page.evaluate(() =>
        Object.keys(window).filter((k) => k.startsWith('__kal') || k.toLowerCase().includes('engine')),
      );
      expect(exposed).toEqual([]);
    } finally {
      await other.close();
    }
    const assets = path.resolve(__dirname, '../../dist/assets');
    for (const f of fs.readdirSync(assets).filter((n) => n.endsWith('.js')))
      expect(fs.readFileSync(path.join(assets, f), 'utf8').includes('__kalEngine'), f).toBe(false);
  });
});

describe('the corpus, dropped in the browser', () => {
  const cases = corpus();
  let before: Record<string, string>;
  beforeAll(async () => {
    expect(await drop(s.page, path.resolve(__dirname, '../../data/sample_sales.csv'))).toBe('ready');
    before = await kpis(s.page);
  });

  it('every refused file says why, names the file, and keeps the previous data and figures', async () => {
    const refused = cases.filter((c) => 'refused' in c.expect);
    expect(refused.length).toBeGreaterThanOrEqual(10);
    for (const c of refused) {
      if (!('refused' in c.expect)) continue;
      expect(await drop(s.page, tempFile(c.name, c.bytes)), c.name).toBe('error');
      const alert = (await s.page.locator('[role=alert]').textContent()) ?? '';
      expect(alert, c.name).toMatch(c.expect.refused);
      expect(alert).not.toMatch(/upload_\d|Failed to fetch/);
      expect(await kpis(s.page), c.name).toEqual(before);
    }
  });

  it.for([
    'enc-gbk-mixed.csv',
    'enc-utf8-few-invalid.csv',
    'enc-big5.csv',
    'grand-total.csv',
    'title-lines.csv',
    'excel-blank-rows.csv',
    'dates-mixed.csv',
    'number-space-comma-in-dot.csv',
    // Its line numbers come from the scan of the file, run in a worker in the browser.
    'empty-lines-then-bad.csv',
  ])('%s loads with the counts its generator knows', async (name) => {
    const c = cases.find((x) => x.name === name);
    if (!c || 'refused' in c.expect) throw new Error(name);
    const want: Loaded = c.expect;
    expect(await drop(s.page, tempFile(c.name, c.bytes))).toBe('ready');
    const k = await kpis(s.page);
    expect(Number(k.rows_loaded)).toBe(want.loaded);
    expect(Number(k.rows_rejected)).toBe(want.rejected ?? 0);
    expect(Number(k.rows_skipped)).toBe(want.skipped ?? 0);
    if (want.revenue !== undefined) expect(Number(k.revenue_total)).toBeCloseTo(want.revenue, 6);
    if (want.warning) expect(await s.page.locator('.notice').textContent()).toMatch(want.warning);
  });

  it('a 2,000-character name widens no table and no page', async () => {
    const c = cases.find((x) => x.name === 'long-name.csv');
    if (!c) throw new Error('long-name.csv');
    expect(await drop(s.page, tempFile(c.name, c.bytes))).toBe('ready');
    for (const t of TABS) {
      await showTab(s.page, t);
      const wide = await s.page.evaluate(() => ({
        page: document.documentElement.scrollWidth - window.innerWidth,
        table: Math.max(0, ...[...document.querySelectorAll('table')].map((e) => e.getBoundingClientRect().width)),
      }));
      expect(wide.page, t).toBeLessThanOrEqual(0);
      expect(wide.table, t).toBeLessThan(1600);
    }
  });
});

describe('the encoding can be chosen', () => {
  it('in the column mapping: the file is read again, and Data quality says it was chosen', async () => {
    const names = ['Łódź Sp. z o.o.', 'Świętokrzyskie Hurt', 'Zakłady Żywności'];
    const text = `customer,date,amount\n${names.map((n, i) => `${n},2024-0${i + 1}-10,${(i + 1) * 100}`).join('\n')}\n`;
    expect(await drop(s.page, tempFile('polish.csv', encodeSingleByte('windows-1250', text)))).toBe('ready');
    await showTab(s.page, 'quality');
    await s.page.getByRole('button', { name: 'Change column mapping…' }).click();
    const before = await s.page.locator('#map-encoding').inputValue();
    const other = before === 'windows-1250' ? 'windows-1252' : 'windows-1250';
    await s.page.locator('#map-encoding').selectOption(other);
    const loads = Number(await s.page.getAttribute('[data-state]', 'data-loads'));
    await s.page.getByRole('button', { name: 'Apply mapping' }).click();
    await s.page.waitForFunction(
      (n) => Number(document.querySelector('[data-state]')?.getAttribute('data-loads')) > n,
      loads,
    );
    await settled(s.page);
    await showTab(s.page, 'quality');
    const quality = (await s.page.locator('#quality').textContent()) ?? '';
    expect(quality).toMatch(/chosen by you/);
    await showTab(s.page, 'pareto');
    const pareto = (await s.page.locator('#panel-pareto').textContent()) ?? '';
    // Read as Windows-1250 the names are right; as Windows-1252 they are not.
    expect(pareto.includes('Łódź Sp. z o.o.')).toBe(other === 'windows-1250');
  });
});

describe('monthly exports dropped together', () => {
  it('are appended (no join dialog), repeated lines skipped and named, the files listed in Data quality', async () => {
    const head = 'order_id,product,customer,order_date,sales\n';
    const line = (i: number, m: number) =>
      `O${i},P${i % 3},C${i % 7},2024-${String(m).padStart(2, '0')}-${String((i % 27) + 1).padStart(2, '0')},${100 + i}`;
    const jan = Array.from({ length: 40 }, (_, i) => line(i, 1));
    const feb = Array.from({ length: 40 }, (_, i) => line(i + 40, 2));
    // February's export starts with January's last 5 lines (run over a week that overlaps).
    const files = [
      tempFile('jan.csv', `${head}${jan.join('\n')}\n`),
      tempFile('feb.csv', `${head}${[...jan.slice(-5), ...feb].join('\n')}\n`),
    ];
    expect(await drop(s.page, files)).toBe('ready');
    expect(await s.page.locator('dialog[open]').count()).toBe(0);
    const k = await kpis(s.page);
    expect(k).toMatchObject({ rows_loaded: '80', rows_skipped: '5' });
    expect(Number(k.revenue_total)).toBe(Array.from({ length: 80 }, (_, i) => 100 + i).reduce((a, b) => a + b, 0));
    expect(await s.page.locator('.notice').textContent()).toMatch(
      /Appended 2 files with the same columns: jan\.csv \(40 lines\), feb\.csv \(45 lines\)\. 5 duplicate lines left out: 5 of feb\.csv repeat lines of jan\.csv/,
    );
    await showTab(s.page, 'quality');
    expect(await s.page.locator('#quality').textContent()).toMatch(
      /Appended from 2 files: jan\.csv \(40 lines used, 2024-01-01 to 2024-01-27\); feb\.csv \(40 lines used, 2024-02-\d\d to 2024-02-\d\d\)/,
    );
  });

  it('as Parquet: appended the same way, with exact amounts and dates', async () => {
    const month = (m: number, from: number, n: number) => {
      const ids = Array.from({ length: n }, (_, k) => from + k);
      return new Uint8Array(
        parquetWriteBuffer({
          columnData: [
            { name: 'order_id', data: ids.map((i) => `O${i}`), type: 'STRING' },
            { name: 'product', data: ids.map((i) => `P${i % 3}`), type: 'STRING' },
            { name: 'customer', data: ids.map((i) => `C${i % 7}`), type: 'STRING' },
            {
              name: 'order_date',
              data: ids.map((i) => new Date(Date.UTC(2024, m - 1, (i % 27) + 1))),
              type: 'TIMESTAMP',
            },
            { name: 'sales', data: Float64Array.from(ids, (i) => 100 + i + 0.25), type: 'DOUBLE' },
          ],
        }) as ArrayBuffer,
      );
    };
    const files = [tempFile('jan.parquet', month(1, 0, 40)), tempFile('feb.parquet', month(2, 40, 40))];
    expect(await drop(s.page, files)).toBe('ready');
    expect(await s.page.locator('dialog[open]').count()).toBe(0);
    const k = await kpis(s.page);
    expect(k).toMatchObject({ rows_loaded: '80', rows_skipped: '0', customers: '7' });
    expect(Number(k.revenue_total)).toBeCloseTo(
      Array.from({ length: 80 }, (_, i) => 100.25 + i).reduce((a, b) => a + b, 0),
      6,
    );
    expect(await s.page.locator('.notice').textContent()).toMatch(
      /Appended 2 files with the same columns: jan\.parquet \(40 lines\), feb\.parquet \(40 lines\)/,
    );
    expect(k.date_min).toBe('2024-01-01');
    expect(k.date_max).toBe('2024-02-27');
  });
});
