/** Real Chromium (Debian's binary) driving the built site, served from dist/ on loopback. */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { CHROMIUM, FLAGS } from '../../scripts/lib/chromium.mjs';

const DIST_SITE = path.resolve(__dirname, '../../dist');
const DIST_BENCH = path.resolve(__dirname, '../../dist-bench');
const TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.wasm': 'application/wasm',
  '.css': 'text/css',
  '.csv': 'text/csv',
  '.json': 'application/json',
};

export interface Session {
  page: Page;
  ctx: BrowserContext;
  origin: string;
  /** Every request that went anywhere but the site's own origin. */
  offsite: string[];
  pageErrors: string[];
  close(): Promise<void>;
}

export interface SiteOptions {
  colorScheme?: 'light' | 'dark';
  path?: string;
  /** A folder served at /extra/ beside the site (files a team puts next to the deployment). */
  extra?: string;
  viewport?: { width: number; height: number };
  /** Lets a test inject a script (axe-core) despite the page's CSP. */
  bypassCSP?: boolean;
  /** Serve the bench build, whose page exposes its engine at ?bench (the site users open does not). */
  bench?: boolean;
}

/** Bytes the server sent from /extra/, per file name: a range request sends less than the file. */
export const servedBytes = new Map<string, number>();

export async function openSite(opts: SiteOptions = {}): Promise<Session> {
  const DIST = opts.bench ? DIST_BENCH : DIST_SITE;
  if (!fs.existsSync(path.join(DIST, 'index.html')))
    throw new Error(`${path.basename(DIST)}/ is missing: run \`npm test\` (it builds both) first`);
  const server = http.createServer((req, res) => {
    const u = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const extra = opts.extra && u.startsWith('/extra/') ? path.resolve(opts.extra) : null;
    const base = extra ?? DIST;
    const file = extra ? path.join(extra, u.slice(7)) : path.join(DIST, u === '/' ? 'index.html' : u.slice(1));
    if (!file.startsWith(base)) return res.writeHead(403).end();
    fs.stat(file, (err, st) => {
      if (err || !st.isFile()) return res.writeHead(404).end();
      const headers = {
        'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream',
        'Accept-Ranges': 'bytes',
      };
      const m = req.headers.range?.match(/bytes=(\d*)-(\d*)/);
      let start = 0;
      let end = st.size - 1;
      if (m) {
        start = m[1] ? Number(m[1]) : st.size - Number(m[2]);
        end = m[1] && m[2] ? Math.min(Number(m[2]), st.size - 1) : st.size - 1;
        res.writeHead(206, {
          ...headers,
          'Content-Range': `bytes ${start}-${end}/${st.size}`,
          'Content-Length': end - start + 1,
        });
      } else res.writeHead(200, { ...headers, 'Content-Length': st.size });
      if (req.method === 'HEAD') return res.end();
      if (extra) servedBytes.set(path.basename(file), (servedBytes.get(path.basename(file)) ?? 0) + end - start + 1);
      fs.createReadStream(file, { start, end }).pipe(res);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const origin = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'kal-chrome-'));
  const ctx = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: FLAGS,
    viewport: opts.viewport ?? { width: 1440, height: 900 },
    bypassCSP: opts.bypassCSP ?? false,
    colorScheme: opts.colorScheme ?? 'light',
    acceptDownloads: true,
  });
  const offsite: string[] = [];
  await ctx.route('**/*', (route) => {
    const u = route.request().url();
    if (u.startsWith(origin) || u.startsWith('data:') || u.startsWith('blob:')) return route.continue();
    offsite.push(u);
    return route.abort();
  });
  const page = ctx.pages()[0] ?? (await ctx.newPage());
  const pageErrors: string[] = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.goto(origin + (opts.path ?? '/'));
  return {
    page,
    ctx,
    origin,
    offsite,
    pageErrors,
    async close() {
      await ctx.close();
      server.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * Waits for "ready" or "error", and then for the sections and panels drawn after "ready" (data-deferred), so a
 * test reads the whole page. `headline: true` stops at "ready", when only the headline figures are promised.
 */
export async function settled(page: Page, timeout = 60_000, opts: { headline?: boolean } = {}): Promise<string> {
  await page.waitForFunction(
    (headline) => {
      const s = document.querySelector('[data-state]')?.getAttribute('data-state');
      if (s === 'error') return true;
      return s === 'ready' && (headline || document.documentElement.dataset.deferred !== 'drawing');
    },
    opts.headline ?? false,
    { timeout, polling: 50 },
  );
  return (await page.getAttribute('[data-state]', 'data-state')) as string;
}

/** Sets the file input and waits until that load ends (the root's data-loads counter moves on). */
export async function drop(page: Page, files: string | string[], opts: { headline?: boolean } = {}): Promise<string> {
  const before = Number(await page.getAttribute('[data-state]', 'data-loads'));
  await page.locator('#dropzone input[type=file]').setInputFiles(files);
  await page.waitForFunction(
    (n) => Number(document.querySelector('[data-state]')?.getAttribute('data-loads')) > n,
    before,
    { timeout: 60_000, polling: 50 },
  );
  return settled(page, 60_000, opts);
}

export async function kpis(page: Page): Promise<Record<string, string>> {
  return page.evaluate(() =>
    Object.fromEntries(
      [...document.querySelectorAll('[data-kpi]')].map((e) => [
        e.getAttribute('data-kpi'),
        e.getAttribute('data-value'),
      ]),
    ),
  );
}

/** Shows a view's tab (its panel is hidden otherwise, and a hidden element cannot be clicked). */
export async function showTab(page: Page, id: string): Promise<void> {
  await page.locator(`#tab-${id}`).click();
  await page.waitForFunction((t) => !document.getElementById(`panel-${t}`)?.hidden, id);
  // A shown panel's charts are measured on the next frames and redrawn to their boxes (views/chart-fit.ts).
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  await page.waitForFunction(() => document.documentElement.dataset.deferred !== 'drawing', null, { timeout: 60_000 });
}

export function tempFile(name: string, bytes: Uint8Array | string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kal-files-'));
  const file = path.join(dir, name);
  fs.writeFileSync(file, bytes);
  return file;
}

/** One browser on the site for a test file: opened and settled before its tests, closed after them. */
export function useSite(opts: SiteOptions = {}): () => Session {
  let s: Session | undefined;
  beforeAll(async () => {
    s = await openSite(opts);
    await settled(s.page);
  });
  afterAll(async () => {
    await s?.close();
  });
  return () => s as Session;
}

/** Ticks one value of a filter's list (`#filter-${id}`: opened and closed again) and waits for the views. */
export async function pick(page: Page, id: string, value: string): Promise<void> {
  const box = page.locator(`#filter-${id}`);
  await box.locator('summary').click();
  await box.locator(`input[type=checkbox][value="${value}"]`).check();
  await box.locator('summary').click();
  if ((await settled(page)) !== 'ready') throw new Error(`the filter ${id} = ${value} did not settle`);
}
