#!/usr/bin/env node
// Speed and memory benchmark (never asserted in tests): cold open, second visit, drop-to-ready for generated
// 100k- and 1M-line CSVs next to a bare DuckDB-WASM read_csv of the same file, peak memory, and the time from an
// ABC threshold change to a re-rendered Pareto view. Writes bench-results/latest.json and prints a table.
import { execSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { chromium } from 'playwright-core';
import { CHROMIUM, FLAGS } from './lib/chromium.mjs';
import { makeXlsx } from './lib/xlsx.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// The bench build (vite --mode bench) is the only one whose page exposes its engine and timeline at ?bench.
const dist = path.join(root, 'dist-bench');
const outDir = path.join(root, 'bench-results');
fs.mkdirSync(outDir, { recursive: true });
const CASES = (process.env.BENCH_CASES ?? 'csv:100000,csv:1000000,parquet:1000000,xlsx:100000').split(',').map((c) => {
  const [format, n] = c.split(':');
  return { format, lines: Number(n) };
});
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const HEADER = [
  'order_id',
  'order_date',
  'customer_id',
  'customer_name',
  'segment',
  'region',
  'product',
  'quantity',
  'net_sales',
  'cogs',
  'discount',
];

/** Seeded order lines with a Zipf-like customer choice (a realistic 80/20 skew), one customer per 10 lines. */
function* orderLines(lines) {
  const customers = CUSTOMERS ?? Math.max(100, Math.round(lines / 10));
  // mulberry32: an LCG in doubles loses precision and cycles early, which would leave most customers unused.
  let seed = 42;
  const rand = () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const segs = ['Strategic', 'Distributor', 'Dealer', 'Agent'];
  const regions = ['North', 'South', 'East', 'West'];
  for (let i = 0; i < lines; i++) {
    const c = Math.min(customers - 1, Math.floor(customers * rand() ** 3));
    const qty = 1 + Math.floor(rand() * 20);
    const net = Number((qty * (5 + rand() * 200)).toFixed(2));
    const d = new Date(Date.UTC(2023, 0, 1) + Math.floor(rand() * 730) * 864e5).toISOString().slice(0, 10);
    yield [
      `SO${100000 + Math.floor(i / 3)}`,
      d,
      `C${String(c).padStart(6, '0')}`,
      `Customer ${c}`,
      segs[c % 4],
      regions[c % 4],
      `P${Math.floor(rand() * 500)}`,
      qty,
      net,
      Number((net * (0.5 + rand() * 0.4)).toFixed(2)),
      Number((rand() * 0.3).toFixed(2)),
    ];
  }
}

/**
 * Thirty columns an ERP export carries beside the eleven the analysis uses (logistics, finance, audit), none of
 * them a role: the wide case, 41 columns, where a load that reads every column pays for what it never uses.
 */
const EXTRA = [
  'warehouse',
  'ship_via',
  'incoterm',
  'currency',
  'payment_terms',
  'invoice_no',
  'po_number',
  'tax_code',
  'weight_kg',
  'volume_m3',
  'batch',
  'lot',
  'created_by',
  'status',
  'delivery_note',
  'carrier',
  'tracking_no',
  'postal_code',
  'uom',
  'pack_size',
  'ean',
  'hs_code',
  'cost_center',
  'gl_account',
  'project',
  'comment',
  'priority',
  'route',
  'dock',
  'picker',
];
function extraValues(i) {
  const k = (i * 2654435761) >>> 0;
  return [
    `WH${k % 7}`,
    ['Truck', 'Rail', 'Air', 'Sea'][k % 4],
    ['EXW', 'FCA', 'DAP', 'DDP'][(k >> 3) % 4],
    'EUR',
    ['NET30', 'NET60', '2/10 NET30'][k % 3],
    `INV${900000 + i}`,
    `PO-${k % 100000}`,
    `T${k % 5}`,
    ((k % 9000) / 100).toFixed(2),
    ((k % 700) / 1000).toFixed(3),
    `B${k % 50000}`,
    `L${(k >> 5) % 9999}`,
    ['jdoe', 'asmith', 'mlee', 'kchan'][(k >> 7) % 4],
    ['OPEN', 'SHIPPED', 'INVOICED', 'PAID'][(k >> 9) % 4],
    `DN${700000 + i}`,
    ['DHL', 'UPS', 'DSV', 'Kuehne'][(k >> 2) % 4],
    `1Z${k.toString(36).toUpperCase()}`,
    String(10000 + (k % 89999)),
    ['EA', 'BOX', 'PAL'][k % 3],
    String(1 + (k % 48)),
    `40${String(k).padStart(11, '0')}`,
    `8471.${k % 90}`,
    `CC${k % 40}`,
    `GL${400000 + (k % 900)}`,
    `PRJ${k % 300}`,
    k % 17 ? '' : 'call before delivery',
    ['low', 'normal', 'high'][k % 3],
    `R${k % 60}`,
    `D${k % 12}`,
    `P${k % 80}`,
  ];
}

/**
 * BENCH_CUSTOMERS: how many customers the lines are spread over (one per 10 lines by default). A distributor with
 * 50M lines has tens of thousands of customers, not millions: the summary's groups follow customers × months.
 */
const CUSTOMERS = process.env.BENCH_CUSTOMERS ? Number(process.env.BENCH_CUSTOMERS) : null;
const fileOf = (format, lines) => {
  const c = CUSTOMERS ? `_c${CUSTOMERS}` : '';
  return path.join(outDir, format === 'wide' ? `orders_wide_${lines}${c}.csv` : `orders_${lines}${c}.${format}`);
};

function generate(format, lines) {
  const file = fileOf(format, lines);
  if (fs.existsSync(file)) return file;
  if (format === 'wide' || format === 'csv') {
    const wide = format === 'wide';
    const fd = fs.openSync(file, 'w');
    fs.writeSync(fd, `${(wide ? [...HEADER, ...EXTRA] : HEADER).join(',')}\n`);
    let buf = [];
    let i = 0;
    for (const r of orderLines(lines)) {
      buf.push((wide ? [...r, ...extraValues(i++)] : r).join(','));
      if (buf.length === 20000) {
        fs.writeSync(fd, `${buf.join('\n')}\n`);
        buf = [];
      }
    }
    if (buf.length) fs.writeSync(fd, `${buf.join('\n')}\n`);
    fs.closeSync(fd);
  } else if (format === 'parquet') {
    const cols = HEADER.map(() => []);
    for (const r of orderLines(lines)) {
      for (let i = 0; i < r.length; i++) cols[i].push(r[i]);
    }
    const types = [
      'STRING',
      'STRING',
      'STRING',
      'STRING',
      'STRING',
      'STRING',
      'STRING',
      'INT32',
      'DOUBLE',
      'DOUBLE',
      'DOUBLE',
    ];
    const buf = parquetWriteBuffer({ columnData: HEADER.map((name, i) => ({ name, data: cols[i], type: types[i] })) });
    fs.writeFileSync(file, new Uint8Array(buf));
  } else if (format === 'xlsx') {
    fs.writeFileSync(file, makeXlsx([{ name: 'Orders', rows: [HEADER, ...orderLines(lines)] }]));
  }
  return file;
}

const types = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.wasm': 'application/wasm',
  '.css': 'text/css',
  '.csv': 'text/csv',
};
const server = http.createServer((req, res) => {
  const u = decodeURIComponent(new URL(req.url, 'http://x').pathname);
  const f = path.join(dist, u === '/' ? 'index.html' : u.slice(1));
  fs.readFile(f, (e, b) =>
    e
      ? res.writeHead(404).end()
      : res
          .writeHead(200, {
            'Content-Type': types[path.extname(f)] ?? 'application/octet-stream',
            // As a static host would (GitHub Pages sends max-age=600), so a second visit can use the cache.
            'Cache-Control': 'max-age=600',
          })
          .end(b),
  );
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const origin = `http://127.0.0.1:${server.address().port}`;

function chromeRssMb(profile) {
  try {
    const out = execSync(`ps -eo rss,args | grep -F -- "${profile}" | grep -v grep`, { encoding: 'utf8' });
    return (
      out
        .split('\n')
        .filter(Boolean)
        .reduce((s, l) => s + Number(l.trim().split(/\s+/)[0]), 0) / 1024
    );
  } catch {
    return 0;
  }
}

async function launch(opts = {}) {
  // A browser just closed is still exiting for a second or two and takes a core from the next one.
  await new Promise((r) => setTimeout(r, 2000));
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'kal-bench-'));
  const ctx = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: FLAGS,
    viewport: { width: 1440, height: 900 },
    bypassCSP: opts.bypassCSP ?? false,
  });
  return { ctx, profile, page: ctx.pages()[0] ?? (await ctx.newPage()) };
}

const ready = (page) =>
  page.waitForFunction(() => ['ready', 'error'].includes(document.querySelector('[data-state]')?.dataset.state), null, {
    timeout: 300_000,
    polling: 20,
  });
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Installs the in-page drop timer (window.__benchDrop) and returns the load count to wait past. */
async function armDrop(page) {
  const loads = Number(await page.getAttribute('[data-state]', 'data-loads'));
  // Timed in the page, like the bare read: from the file input's change event (where a user's drop starts) to
  // the state change, without the protocol round trips of setInputFiles and the polling below.
  await page.evaluate((l) => {
    const root = document.querySelector('[data-state]');
    window.__benchDrop = { t0: 0, t1: 0, longTasks: [] };
    // Main-thread tasks over 50 ms from the drop until every section is drawn: does the page stay responsive?
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__benchDrop.longTasks.push(Math.round(e.duration));
    }).observe({ type: 'longtask' });
    document.addEventListener('change', () => (window.__benchDrop.t0 ||= performance.now()), {
      capture: true,
      once: true,
    });
    new MutationObserver((_, o) => {
      if (Number(root.dataset.loads) > l && root.dataset.state !== 'loading') {
        window.__benchDrop.t1 = performance.now();
        o.disconnect();
      }
    }).observe(root, { attributes: true });
  }, loads);
  return loads;
}

/** Waits until the dropped file is loaded (or refused). */
async function droppedIn(page, loads) {
  await page.waitForFunction(
    (l) =>
      Number(document.querySelector('[data-state]').dataset.loads) > l &&
      document.querySelector('[data-state]').dataset.state !== 'loading',
    loads,
    { timeout: 300_000, polling: 20 },
  );
}

/** A file input of its own in the page, holding `file`: the page's code gets a File as from a drop. */
async function fileInPage(page, file) {
  const input = await page.evaluateHandle(() => {
    const i = document.createElement('input');
    i.type = 'file';
    document.body.append(i);
    return i;
  });
  await input.asElement().setInputFiles(file);
  return input;
}

/**
 * The reference: CREATE TABLE AS SELECT * FROM read_csv of the same lines as CSV through registerFileHandle, in a
 * page of its own whose engine has started (the sample is drawn), as a dropped file would meet it. Not in the page
 * that loaded the file: that engine's wasm heap has already grown to hold it, which the first read pays for.
 */
async function bareRead(csvFile) {
  const { ctx, profile, page } = await launch();
  await page.goto(`${origin}/?bench`);
  await ready(page);
  await page.waitForFunction(() => document.documentElement.dataset.deferred === 'done', null, { timeout: 120_000 });
  const input = await fileInPage(page, csvFile);
  const ms = await page.evaluate(async (i) => {
    const engine = window.__kalEngine;
    const f = i.files[0];
    await engine.registerFile(`bare_${f.size}.csv`, f);
    const t = performance.now();
    await engine.exec(`CREATE OR REPLACE TABLE memory.main.bare AS SELECT * FROM read_csv('bare_${f.size}.csv')`);
    const elapsed = performance.now() - t;
    await engine.exec('DROP TABLE memory.main.bare');
    return Math.round(elapsed);
  }, input);
  await ctx.close();
  fs.rmSync(profile, { recursive: true, force: true });
  return ms;
}

/**
 * The notebook pipeline (src/bench/notebook.ts: Arquero parses the CSV in the page, then the Pareto and value-matrix
 * tables), in a page of its own like the bare read, from the file's text being read to the figures.
 */
async function notebookRun(csvFile) {
  // Arquero compiles its expressions with new Function, which the site's CSP forbids (a notebook page allows it).
  const { ctx, profile, page } = await launch({ bypassCSP: true });
  await page.goto(`${origin}/?bench`);
  await ready(page);
  const input = await fileInPage(page, csvFile);
  const r = await page.evaluate((i) => window.__kalNotebook(i.files[0]), input);
  await ctx.close();
  fs.rmSync(profile, { recursive: true, force: true });
  return r;
}

/**
 * A change made in the page (`filter`: the first region ticked; `period`: a second quarter picked), timed until
 * data-state is "ready" again, and until data-deferred is "done".
 */
function timeChange(page, kind) {
  return page.evaluate(async (what) => {
    const root = document.querySelector('[data-state]');
    const t = performance.now();
    const ready = new Promise((res) => {
      const o = new MutationObserver(() => {
        if (root.dataset.state !== 'ready') return;
        o.disconnect();
        res(performance.now() - t);
      });
      o.observe(root, { attributes: true, attributeFilter: ['data-state'] });
    });
    if (what === 'filter') document.querySelector('#filter-region input[type=checkbox]').click();
    else {
      const sel = document.querySelector('#filter-period');
      sel.value = [...sel.options].find((o) => /Q2$/.test(o.value))?.value ?? 'last4q';
      sel.dispatchEvent(new Event('change'));
    }
    const r = await ready;
    while (document.documentElement.dataset.deferred !== 'done') await new Promise((res) => setTimeout(res, 5));
    return { ready: Math.round(r), all: Math.round(performance.now() - t) };
  }, kind);
}

/**
 * `summarize:N`: the native path, `npm run summarize` on the N-line CSV (the site's ingest and summary query on
 * native DuckDB): its wall time and peak memory (the process's max RSS), as the command reports them.
 */
async function summarizeRun(n) {
  const csv = generate('csv', n);
  execSync('npx vite build --mode cli', { cwd: root, stdio: 'ignore' });
  const out = path.join(
    outDir,
    path
      .basename(csv)
      .replace(/^orders_/, 'summary_')
      .replace(/\.csv$/, '.parquet'),
  );
  const t0 = Date.now();
  const report = execSync(`node dist-cli/summarize.js ${JSON.stringify(csv)} --out ${JSON.stringify(out)}`, {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
    maxBuffer: 1 << 24,
  });
  const rec = {
    lines: n,
    mb: Number((fs.statSync(csv).size / 1024 ** 2).toFixed(1)),
    ms: Date.now() - t0,
    summaryMb: Number((fs.statSync(out).size / 1024 ** 2).toFixed(1)),
    report: report.trim(),
  };
  console.log(
    `summarize ${n.toLocaleString('en-US')} lines (${rec.mb} MB CSV): ${rec.ms} ms wall\n  ${rec.report.replace(/\n/g, '\n  ')}`,
  );
  if (/More groups than a browser tab loads/.test(rec.report)) return rec;
  // The summary dropped into the site: until its headline figures ("ready") and until every view is drawn.
  rec.drop = { dropToReady: [], allDrawn: [], rowsLoaded: null, state: null };
  for (let r = 0; r < RUNS; r++) {
    const { ctx, profile, page } = await launch();
    await page.goto(`${origin}/?bench`);
    await ready(page);
    await page.waitForFunction(() => document.documentElement.dataset.deferred === 'done', null, { timeout: 120_000 });
    const loads = await armDrop(page);
    const t0 = Date.now();
    await page.locator('#file-input').setInputFiles(out);
    await droppedIn(page, loads);
    rec.drop.dropToReady.push(await page.evaluate(() => Math.round(window.__benchDrop.t1 - window.__benchDrop.t0)));
    await page.waitForFunction(() => document.documentElement.dataset.deferred === 'done', null, { timeout: 300_000 });
    rec.drop.allDrawn.push(Date.now() - t0);
    rec.drop.state = await page.getAttribute('[data-state]', 'data-state');
    rec.drop.rowsLoaded = Number(await page.getAttribute('[data-kpi="rows_loaded"]', 'data-value'));
    await ctx.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
  console.log(
    `  dropped into the site (${rec.summaryMb} MB): ${rec.drop.state}, rows_loaded ${rec.drop.rowsLoaded?.toLocaleString('en-US')}; drop-to-ready ${median(rec.drop.dropToReady)} ms (${rec.drop.dropToReady.join(', ')}), every view drawn ${median(rec.drop.allDrawn)} ms`,
  );
  return rec;
}

const results = {
  date: new Date().toISOString(),
  machine: `${os.cpus().length} cores, ${(os.totalmem() / 1024 ** 3).toFixed(0)} GiB`,
  open: [],
  second: [],
  files: {},
};

for (let r = 0; r < RUNS; r++) {
  const { ctx, profile, page } = await launch();
  let t0 = Date.now();
  await page.goto(`${origin}/?bench`);
  await ready(page);
  results.open.push(Date.now() - t0);
  t0 = Date.now();
  await page.reload();
  await ready(page);
  results.second.push(Date.now() - t0);
  await ctx.close();
  fs.rmSync(profile, { recursive: true, force: true });
}

for (const { format, lines: n } of CASES) {
  if (format === 'summarize') {
    results.files[`summarize:${n}`] = await summarizeRun(n);
    continue;
  }
  const file = generate(format, n);
  // The bare reference is always DuckDB's read_csv of the same lines as CSV (every column of the wide file).
  const csvFile = format === 'wide' ? file : generate('csv', n);
  const mb = fs.statSync(file).size / 1024 ** 2;
  const rec = {
    format,
    lines: n,
    mb: Number(mb.toFixed(1)),
    dropToReady: [],
    dropToReadyOutside: [],
    longestTask: [],
    blocking: [],
    renderPart: [],
    bare: [],
    peakRssMb: [],
    peakJsHeapMb: [],
    thresholdToRender: [],
    filterToReady: [],
    columnOnDemand: [],
    filterToAll: [],
    periodToReady: [],
    periodToAll: [],
    allDrawn: [],
    timeline: [],
    notebook: [],
    notebookFigures: null,
    appFigures: null,
  };
  // RUNS timed runs, then one more that samples memory: sampling (ps, CDP) takes CPU from the page it measures.
  for (let r = 0; r <= RUNS; r++) {
    const memoryRun = r === RUNS;
    const { ctx, profile, page } = await launch();
    await page.goto(`${origin}/?bench`);
    await ready(page);
    // The user drops a file onto the drawn sample dashboard.
    await page.waitForFunction(() => document.documentElement.dataset.deferred === 'done', null, { timeout: 120_000 });
    const cdp = memoryRun ? await ctx.newCDPSession(page) : null;
    await cdp?.send('Performance.enable');
    let peakHeap = 0;
    let peakRss = 0;
    const sample = async () => {
      try {
        const { metrics } = await cdp.send('Performance.getMetrics');
        peakHeap = Math.max(peakHeap, metrics.find((m) => m.name === 'JSHeapUsedSize').value / 1024 ** 2);
      } catch {}
      peakRss = Math.max(peakRss, chromeRssMb(profile));
    };
    const sampler = memoryRun ? setInterval(sample, 100) : null;
    const loads = await armDrop(page);
    const t0 = Date.now();
    await page.locator('#file-input').setInputFiles(file);
    await droppedIn(page, loads);
    if (memoryRun) {
      await page.waitForFunction(() => document.documentElement.dataset.deferred === 'done', null, {
        timeout: 120_000,
      });
      clearInterval(sampler);
      rec.peakRssMb.push(Math.round(peakRss));
      rec.peakJsHeapMb.push(Math.round(peakHeap));
      await ctx.close();
      fs.rmSync(profile, { recursive: true, force: true });
      continue;
    }
    rec.dropToReadyOutside.push(Date.now() - t0);
    rec.dropToReady.push(await page.evaluate(() => Math.round(window.__benchDrop.t1 - window.__benchDrop.t0)));
    rec.renderPart.push(Number(await page.getAttribute('[data-state]', 'data-render-ms')));
    rec.timeline.push(await page.evaluate(() => window.__kalTimeline.slice()));
    // Threshold change -> re-rendered Pareto section with its charts, once the panels drawn after "ready" are done.
    await page.waitForFunction(() => document.documentElement.dataset.deferred === 'done', null, {
      timeout: 120_000,
      polling: 20,
    });
    rec.allDrawn.push(Date.now() - t0);
    rec.appFigures ??= await page.evaluate(() => {
      const k = (n) => Number(document.querySelector(`[data-kpi="${n}"]`)?.getAttribute('data-value'));
      return {
        customersFor80: k('customers_for_80_count'),
        customersFor80Share: k('customers_for_80_share'),
        top20Share: k('top20_share'),
      };
    });
    const longTasks = await page.evaluate(() => window.__benchDrop.longTasks);
    rec.longestTask.push(Math.max(0, ...longTasks));
    // Total blocking time: what each long task blocks input beyond 50 ms.
    rec.blocking.push(longTasks.reduce((s, d) => s + Math.max(0, d - 50), 0));
    // The Pareto view on screen (charts of hidden tabs wait for their tab).
    await page.click('#tab-pareto');
    await page.waitForFunction(() => document.documentElement.dataset.deferred === 'done', null, { timeout: 120_000 });
    rec.thresholdToRender.push(
      await page.evaluate(async () => {
        const host = document.getElementById('pareto').parentElement;
        const sel = document.getElementById('abc-preset');
        const t = performance.now();
        const before = document.getElementById('pareto');
        // Until the new section is in and its charts are drawn (they follow its figures by a task).
        const done = new Promise((res) =>
          new MutationObserver((_, o) => {
            const now = document.getElementById('pareto');
            if (now === before || now.querySelector('.chart-slot')) return;
            o.disconnect();
            res(performance.now() - t);
          }).observe(host, { childList: true, subtree: true }),
        );
        sel.value = sel.value === '70/90' ? '80/95' : '70/90';
        sel.dispatchEvent(new Event('change'));
        return Math.round(await done);
      }),
    );
    // A filter (one region ticked) and a period (a quarter picked), on the overview: until the headline figures and
    // the view on screen are updated ("ready"), and until every view's figures and the overview's charts are
    // ("done"). Timed in the page, like the drop.
    await page.click('#tab-overview');
    await page.waitForFunction(() => document.documentElement.dataset.deferred === 'done', null, { timeout: 120_000 });
    await page.evaluate(async () => {
      const d = document.querySelector('#filter-region');
      d.open = true;
      while (!d.querySelector('input[type=checkbox]')) await new Promise((r) => setTimeout(r, 10));
    });
    const filter = await timeChange(page, 'filter');
    rec.filterToReady.push(filter.ready);
    rec.filterToAll.push(filter.all);
    const period = await timeChange(page, 'period');
    rec.periodToReady.push(period.ready);
    rec.periodToAll.push(period.all);
    // The wide file's columns without a role were left in the file: a filter on one reads it, timed from the choice
    // in "More filters…" to its values listed.
    if (format === 'wide')
      rec.columnOnDemand.push(
        await page.evaluate(async () => {
          const sleep = () => new Promise((r) => setTimeout(r, 10));
          const more = document.getElementById('filter-more');
          const t = performance.now();
          more.value = 'warehouse';
          more.dispatchEvent(new Event('change'));
          let d = document.getElementById('filter-file-warehouse');
          while (!d) {
            await sleep();
            d = document.getElementById('filter-file-warehouse');
          }
          d.open = true;
          while (!d.querySelector('input[type=checkbox]')) await sleep();
          return Math.round(performance.now() - t);
        }),
      );
    await ctx.close();
    fs.rmSync(profile, { recursive: true, force: true });
    // Only once this browser is gone: two browsers at work on two cores slow each other down.
    rec.bare.push(await bareRead(csvFile));
    // The notebook side by side, on the CSV cases up to 1M lines (beyond, Arquero takes minutes).
    if (format === 'csv' && n <= 1_000_000 && !memoryRun) {
      const nb = await notebookRun(csvFile);
      rec.notebook.push(nb.ms);
      rec.notebookFigures = nb.figures;
    }
  }
  results.files[`${format}:${n}`] = rec;
}
server.close();
fs.writeFileSync(path.join(outDir, 'latest.json'), JSON.stringify(results, null, 2));
console.log(`machine: ${results.machine}; runs: ${RUNS} (median shown)`);
console.log(`cold open to sample dashboard: ${median(results.open)} ms   second visit: ${median(results.second)} ms`);
for (const rec of Object.values(results.files)) {
  // A summarize case printed its own line as it ran.
  if (!rec.format) continue;
  console.log(
    `${rec.format} ${rec.lines.toLocaleString('en-US')} lines (${rec.mb} MB): drop-to-ready ${median(rec.dropToReady)} ms (seen from Node: ${median(rec.dropToReadyOutside)} ms; every section drawn ${median(rec.allDrawn)} ms), bare read_csv ${median(rec.bare)} ms (ratio ${(median(rec.dropToReady) / median(rec.bare)).toFixed(2)}x; each run against the bare read right after it: ${rec.dropToReady.map((d, i) => (d / rec.bare[i]).toFixed(2)).join(', ')}), of which drawing ${median(rec.renderPart)} ms, threshold change to re-render ${median(rec.thresholdToRender)} ms, filter change to ready ${median(rec.filterToReady)} ms (every view ${median(rec.filterToAll)} ms), period change to ready ${median(rec.periodToReady)} ms (every view ${median(rec.periodToAll)} ms), main-thread tasks over 50 ms until every section is drawn: ${Math.max(...rec.longestTask) ? `longest ${Math.max(...rec.longestTask)} ms, total blocking ${median(rec.blocking)} ms (median)` : 'none in any run'}, peak Chromium RSS ${median(rec.peakRssMb)} MB, peak page JS heap ${median(rec.peakJsHeapMb)} MB (memory run, until every section is drawn)${rec.columnOnDemand.length ? `, a column the load left out read for a filter in ${median(rec.columnOnDemand)} ms` : ''}`,
  );
  if (rec.notebook.length) {
    const f = rec.notebookFigures;
    const a = rec.appFigures;
    const same =
      f && a && f.customersFor80 === a.customersFor80 && Math.abs(f.top20Share - a.top20Share) < 1e-9
        ? 'the same'
        : 'DIFFERENT';
    console.log(
      `  notebook pipeline (Arquero in the page: parse, Pareto table, value-matrix table) ${median(rec.notebook)} ms, ${(median(rec.notebook) / median(rec.dropToReady)).toFixed(2)}x the app's drop-to-ready (per run: ${rec.notebook.map((t, i) => (t / rec.dropToReady[i]).toFixed(2)).join(', ')}; above 1 the app is faster); figures ${same} (80% at ${f?.customersFor80} customers, top 20% ${(100 * (f?.top20Share ?? 0)).toFixed(1)}%)`,
    );
  }
  // Where the time of the median run went, in ms since the drop.
  const mid = rec.dropToReady.indexOf(median(rec.dropToReady));
  console.log(`  timeline: ${(rec.timeline[mid] ?? []).map(([s, ms]) => `${s} ${ms}`).join(' · ')}`);
}
