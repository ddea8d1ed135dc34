/**
 * The quarterly review in real Chromium at 1280×720: presentation mode from a link, keys and comments; the print deck
 * (one slide a page, read back with pdftotext); the PowerPoint deck (a zip with a slide per figure); the snapshot
 * opened from disk with the network blocked (the same figures, no order line, no customer name); and the executive
 * summary against figures computed here.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { csvParse } from 'd3';
import { unzipSync } from 'fflate';
import { chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, FLAGS } from '../../scripts/lib/chromium.mjs';
import { hasShared, shared } from '../helpers/files';
import { figuresOf, superstoreLines } from '../helpers/reference';
import { drop, kpis, openSite, type Session, settled } from './browser';

const SAMPLE = path.resolve(__dirname, '../../data/sample_sales.csv');
const rows = csvParse(fs.readFileSync(SAMPLE, 'utf8'));
let s: Session;

beforeAll(async () => {
  s = await openSite({ path: '/?present', viewport: { width: 1280, height: 720 } });
  await settled(s.page);
});
afterAll(async () => {
  await s?.close();
});

const visibleSlide = (page: Page) =>
  page.evaluate(() => document.querySelector('.presentation .slide:not([hidden])')?.getAttribute('data-slide'));

async function download(page: Page, item: string): Promise<Buffer> {
  if (!(await page.locator('#export-menu').evaluate((d) => (d as HTMLDetailsElement).open)))
    await page.locator('#export-menu summary').click();
  const [d] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), page.locator(item).click()]);
  return Buffer.concat(await (await d.createReadStream()).toArray());
}

describe('presentation mode', () => {
  it('opens from the link with the summary and a slide per figure; keys move, Esc closes, F opens again', async () => {
    const page = s.page;
    await expect.poll(() => page.getAttribute('#app', 'data-present')).toBe('on');
    await expect.poll(() => page.locator('[data-slide]').count()).toBeGreaterThanOrEqual(8);
    expect(await visibleSlide(page)).toBe('0');
    await page.keyboard.press('ArrowRight');
    expect(await visibleSlide(page)).toBe('1');
    await page.keyboard.press('PageDown');
    expect(await visibleSlide(page)).toBe('2');
    await page.keyboard.press('ArrowLeft');
    expect(await visibleSlide(page)).toBe('1');
    // A slide's headline is at least 28 px and its axis labels at least 16 px at 1280×720.
    const sizes = await page.evaluate(() => {
      const slide = document.querySelector('.presentation .slide:not([hidden])') as HTMLElement;
      const title = Number.parseFloat(getComputedStyle(slide.querySelector('.slide-title') as Element).fontSize);
      const axis = [...slide.querySelectorAll('svg text')].map((t) => Number.parseFloat(getComputedStyle(t).fontSize));
      return { title, axis: Math.min(...axis) };
    });
    expect(sizes.title).toBeGreaterThanOrEqual(28);
    expect(sizes.axis).toBeGreaterThanOrEqual(16);
    await page.keyboard.press('End');
    expect(Number(await visibleSlide(page))).toBe((await page.locator('[data-slide]').count()) - 1);
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getAttribute('#app', 'data-present')).toBeNull();
    expect(new URL(page.url()).searchParams.has('present')).toBe(false);
    await page.keyboard.press('f');
    await expect.poll(() => page.getAttribute('#app', 'data-present')).toBe('on');
  });

  it('a comment typed on a slide travels in the link and comes back', async () => {
    const page = s.page;
    await page.keyboard.press('Home');
    await page.keyboard.press('ArrowRight');
    const input = page.locator('.presentation .slide:not([hidden]) .slide-comment-input');
    await input.fill('Ask the Volume accounts for a price review in Q1');
    await input.press('Enter');
    await input.blur();
    await expect.poll(() => page.url()).toMatch(/#s=1\./);
    const link = page.url();
    // Typing did not move the slides.
    expect(await visibleSlide(page)).toBe('1');
    await page.keyboard.press('Escape');
    const other = await openSite({ path: link.slice(link.indexOf('/', 8)), viewport: { width: 1280, height: 720 } });
    try {
      await settled(other.page);
      await expect.poll(() => other.page.locator('[data-slide]').count()).toBeGreaterThan(2);
      expect(await other.page.locator('.slide-comment-input').first().inputValue()).toBe(
        'Ask the Volume accounts for a price review in Q1',
      );
    } finally {
      await other.close();
    }
  });
});

describe('decks and the snapshot', () => {
  it('the print deck has one slide per landscape page, its title on it', async () => {
    const page = s.page;
    await expect.poll(() => page.getAttribute('#app', 'data-present')).toBeNull();
    await page.locator('#export-menu summary').click();
    await page.waitForFunction(() => document.documentElement.dataset.print === 'deck');
    await page.keyboard.press('Escape');
    const titles = await page.locator('.print-deck .slide-title').allTextContents();
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'kal-pdf-')), 'deck.pdf');
    await page.pdf({ path: file, landscape: true, format: 'A4', printBackground: true });
    const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [file], { encoding: 'utf8' }))?.[1]);
    expect(pages).toBe(titles.length);
    for (let i = 1; i <= pages; i++) {
      const text = execFileSync('pdftotext', ['-f', String(i), '-l', String(i), file, '-'], {
        encoding: 'utf8',
      }).replace(/\s+/g, ' ');
      // Its own slide's title, and no other slide's: no slide runs over a page.
      const own = (titles[i - 1] as string).replace(/\s+/g, ' ').slice(0, 40);
      expect(text, `page ${i}`).toContain(own);
      expect(text, text).toMatch(new RegExp(`${i}\\s*/\\s*${pages}`));
      expect(text).toContain(new Date().toISOString().slice(0, 10));
    }
  });

  it('the PowerPoint deck is a zip with the summary and one slide per figure', async () => {
    const pptx = await download(s.page, '#export-pptx');
    const files = Object.keys(unzipSync(new Uint8Array(pptx)));
    const slides = files.filter((f) => /^ppt\/slides\/slide\d+\.xml$/.test(f));
    const figures = await s.page.locator('.print-deck [data-figure-slide]').count();
    expect(slides.length).toBe(figures + 1);
    expect(files.filter((f) => /^ppt\/media\/.+\.png$/.test(f)).length).toBe(figures);
  });

  it('the snapshot opens from disk offline with the same figures, and holds no order line and no customer name', async () => {
    const html = (await download(s.page, '#export-snapshot')).toString('utf8');
    expect(html.length).toBeLessThan(2_000_000);
    for (const r of rows) {
      expect(html.includes(r.order_id as string), r.order_id).toBe(false);
    }
    const names = new Set(rows.flatMap((r) => [r.customer_name as string, r.customer_id as string]));
    for (const n of names) expect(html.includes(n), n).toBe(false);
    const live = await kpis(s.page);
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'kal-snap-')), 'snapshot.html');
    fs.writeFileSync(file, html);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kal-chrome-'));
    const ctx = await chromium.launchPersistentContext(dir, { executablePath: CHROMIUM, headless: true, args: FLAGS });
    const requests: string[] = [];
    await ctx.route('**/*', (route) => {
      const u = route.request().url();
      if (u.startsWith('file:')) return route.continue();
      requests.push(u);
      return route.abort();
    });
    try {
      const page = ctx.pages()[0] ?? (await ctx.newPage());
      await page.goto(`file://${file}`);
      const offline = await kpis(page);
      for (const name of [
        'customers',
        'revenue_total',
        'profit_total',
        'customers_for_80_share',
        'gini',
        'hhi',
        'whale_peak_share',
        'key_accounts',
      ])
        expect(offline[name], name).toBe(live[name]);
      expect(Object.keys(offline).sort()).toEqual(Object.keys(live).sort());
      expect(await page.locator('[data-figure] svg').count()).toBeGreaterThanOrEqual(8);
      expect(requests).toEqual([]);
    } finally {
      await ctx.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the executive summary', () => {
  it('on the sample: the concentration sentence equals a computation from the CSV', async () => {
    const rev = new Map<string, number>();
    for (const r of rows)
      rev.set(r.customer_id as string, (rev.get(r.customer_id as string) ?? 0) + Number(r.net_sales));
    const ranked = [...rev.values()].sort((a, b) => b - a);
    const total = ranked.reduce((t, v) => t + v, 0);
    let cum = 0;
    let k = 0;
    while (cum / total < 0.8 - 1e-12) cum += ranked[k++] as number;
    const top3 = ((ranked[0] as number) + (ranked[1] as number) + (ranked[2] as number)) / total;
    const pct0 = (v: number) => `${Math.round(v * 100)}%`;
    const text = await s.page.locator('#summary [data-finding=concentration]').textContent();
    expect(text).toContain(
      `${pct0(k / ranked.length)} of customers make 80% of net revenue; the top 3 are ${pct0(top3)}.`,
    );
  });

  it('on the sample: the discount and pocket-price sentences equal a computation from the CSV', async () => {
    const num = (v: string | undefined) => Number(v || 0);
    const margin = (keep: (depth: number) => boolean) => {
      let net = 0;
      let cogs = 0;
      for (const r of rows) {
        const gross = num(r.gross_sales);
        if (!keep(gross ? num(r.discount) / gross : 0)) continue;
        net += num(r.net_sales);
        cogs += num(r.cogs);
      }
      return (net - cogs) / net;
    };
    const pct1 = (v: number) => `${(v * 100).toFixed(1).replace('-', '−')}%`;
    const discounts = await s.page.locator('#summary [data-finding=discounts]').textContent();
    expect(discounts).toContain(
      `Margin falls from ${pct1(margin((d) => d <= 1e-9))} on undiscounted lines to ${pct1(margin((d) => d > 0.3 + 1e-9))} on lines discounted more than 30%`,
    );
    let list = 0;
    let pocket = 0;
    for (const r of rows) {
      list += num(r.gross_sales);
      pocket += num(r.gross_sales) - num(r.discount) - num(r.rebate) - num(r.coop_cost) - num(r.freight);
    }
    const text = await s.page.locator('#summary [data-finding=pocket]').textContent();
    expect(text).toContain(`Customers pay ${Math.round((pocket / list) * 100)}% of list price`);
  });

  it.skipIf(!hasShared)('on Superstore: concentration and loss makers equal a computation from the file', async () => {
    const file = shared('superstore_2023/Sample - Superstore.csv');
    expect(await drop(s.page, file)).toBe('ready');
    const ref = figuresOf(superstoreLines(file));
    const pct0 = (v: number) => `${Math.round(v * 100)}%`;
    const concentration = await s.page.locator('#summary [data-finding=concentration]').textContent();
    expect(concentration).toContain(`${pct0(ref.pareto.share80)} of customers make 80% of net revenue`);
    const losers = await s.page.locator('#summary [data-finding=loss-makers]').textContent();
    expect(losers).toContain(
      `${ref.whale.losers} customers lose money after cost of goods, −${(Math.abs(ref.whale.loss) / 1000).toFixed(1)}k in total`,
    );
  });
});
