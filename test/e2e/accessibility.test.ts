/**
 * Accessibility and small screens in real Chromium. axe-core runs on every view, in both themes, in presentation mode
 * and in the snapshot opened from disk: no serious or critical violation. At 390 px (a phone) no view scrolls
 * sideways and the charts are drawn to the width they are given, not scaled down by CSS.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, FLAGS } from '../../scripts/lib/chromium.mjs';
import { openSite, type Session, settled, showTab } from './browser';

const AXE = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const TABS = ['overview', 'pareto', 'matrix', 'incentives', 'key-accounts', 'quality'];

interface Finding {
  id: string;
  impact: string;
  help: string;
  nodes: string[];
}

/** Serious and critical violations on the page as it is (hidden tabs are not checked: they are not there). */
async function violations(page: Page): Promise<Finding[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ content: AXE });
  return page.evaluate(async () => {
    // biome-ignore lint/suspicious/noExplicitAny: axe-core is injected into the page as a global.
    const axe = (window as any).axe;
    const r = await axe.run(document, { resultTypes: ['violations'] });
    return r.violations
      .filter((v: { impact: string }) => v.impact === 'serious' || v.impact === 'critical')
      .map((v: { id: string; impact: string; help: string; nodes: { target: string[] }[] }) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        nodes: v.nodes.slice(0, 4).map((n) => n.target.join(' ')),
      }));
  });
}

const drawn = (page: Page) =>
  page.waitForFunction(() => document.documentElement.dataset.deferred !== 'drawing', null, { timeout: 60_000 });

describe('axe-core finds no serious or critical violation', () => {
  let s: Session;
  beforeAll(async () => {
    // The page's own CSP forbids the injected axe script; the test context lifts it, the site is unchanged.
    s = await openSite({ bypassCSP: true, viewport: { width: 1280, height: 800 } });
    await settled(s.page);
  });
  afterAll(async () => {
    await s?.close();
  });

  it('on every view, in the light theme and the dark', async () => {
    const page = s.page;
    for (const theme of ['light', 'dark'] as const) {
      // The theme follows the system unless picked: switching the system's redraws the charts in the theme's colours.
      await page.emulateMedia({ colorScheme: theme });
      await expect.poll(() => page.getAttribute('html', 'data-theme')).toBe(theme);
      for (const tab of TABS) {
        await showTab(page, tab);
        await drawn(page);
        expect(await violations(page), `${tab}, ${theme}`).toEqual([]);
      }
    }
  });

  it('in presentation mode, on the summary and on a chart slide', async () => {
    const page = s.page;
    await showTab(page, 'overview');
    await page.keyboard.press('f');
    await expect.poll(() => page.getAttribute('#app', 'data-present')).toBe('on');
    expect(await violations(page), 'summary slide').toEqual([]);
    await page.keyboard.press('ArrowRight');
    expect(await violations(page), 'first chart slide').toEqual([]);
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getAttribute('#app', 'data-present')).not.toBe('on');
  });

  it('in the snapshot opened from disk', async () => {
    const page = s.page;
    if (!(await page.locator('#export-menu').evaluate((d) => (d as HTMLDetailsElement).open)))
      await page.locator('#export-menu summary').click();
    const [d] = await Promise.all([page.waitForEvent('download'), page.locator('#export-snapshot').click()]);
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'kal-snap-')), 'snapshot.html');
    fs.writeFileSync(file, Buffer.concat(await (await d.createReadStream()).toArray()));
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kal-chrome-'));
    const ctx = await chromium.launchPersistentContext(dir, {
      executablePath: CHROMIUM,
      headless: true,
      args: FLAGS,
      bypassCSP: true,
    });
    try {
      const snap = ctx.pages()[0] ?? (await ctx.newPage());
      await snap.goto(`file://${file}`);
      expect(await violations(snap)).toEqual([]);
    } finally {
      await ctx.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('on a 390 px phone', () => {
  let s: Session;
  beforeAll(async () => {
    s = await openSite({ viewport: { width: 390, height: 844 } });
    await settled(s.page);
  });
  afterAll(async () => {
    await s?.close();
  });

  it('no view scrolls sideways, and every chart is drawn at the width of its box', async () => {
    const page = s.page;
    for (const tab of TABS) {
      await showTab(page, tab);
      await drawn(page);
      // A chart is redrawn on the next frame after its box is measured.
      await page.waitForTimeout(200);
      const m = await page.evaluate(() => ({
        page: document.documentElement.scrollWidth,
        charts: [...document.querySelectorAll('.chart-fit')]
          .filter((b) => b.getBoundingClientRect().width > 0)
          .map((b) => {
            const svg = b.querySelector(':scope > svg, :scope > figure > svg') as SVGSVGElement;
            return { box: Math.floor(b.getBoundingClientRect().width), drawn: Number(svg.getAttribute('width')) };
          }),
      }));
      expect(m.page, tab).toBeLessThanOrEqual(390);
      for (const c of m.charts) expect(c.drawn, `${tab}: ${JSON.stringify(c)}`).toBeLessThanOrEqual(c.box);
      if (tab !== 'quality') expect(m.charts.length, tab).toBeGreaterThan(0);
    }
  });

  it('a chart is redrawn to its box when the window changes size', async () => {
    const page = s.page;
    await showTab(page, 'overview');
    const width = () =>
      page.evaluate(() =>
        Number(document.querySelector('[data-figure="overview.trend"] .chart-fit svg')?.getAttribute('width')),
      );
    const narrow = await width();
    expect(narrow).toBeLessThanOrEqual(390);
    await page.setViewportSize({ width: 1000, height: 844 });
    await expect.poll(width).toBeGreaterThan(800);
    await page.setViewportSize({ width: 390, height: 844 });
    await expect.poll(width).toBe(narrow);
  });

  it('tables scroll inside their own box, which the keyboard can reach', async () => {
    const page = s.page;
    await showTab(page, 'pareto');
    const wraps = await page.evaluate(() =>
      [...document.querySelectorAll('#panel-pareto .table-wrap')].map((w) => ({
        scrolls: w.scrollWidth > w.clientWidth,
        tabindex: w.getAttribute('tabindex'),
        label: w.getAttribute('aria-label'),
      })),
    );
    expect(wraps.some((w) => w.scrolls)).toBe(true);
    for (const w of wraps) {
      expect(w.tabindex).toBe('0');
      expect(w.label).toBeTruthy();
    }
  });
});
