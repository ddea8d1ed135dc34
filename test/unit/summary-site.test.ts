/**
 * A summary (`npm run summarize`) dropped on the site: every figure defined at its grain, computed by the views' own
 * SQL from its groups, equals the one computed from the order lines it was made of, on the bundled sample and on
 * Superstore, over the whole data and under a region filter and a quarter. What needs single lines says so.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { csvFormat } from 'd3';
import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { concentrationByQuarter } from '../../src/analysis/concentration';
import type { Filters } from '../../src/analysis/filters';
import { discountBands, incentiveSpend, pocketBand, priceWaterfall } from '../../src/analysis/incentives';
import { accountFigures, accountQuarters, keySet, quadrantPath } from '../../src/analysis/key-accounts';
import { valueMatrix } from '../../src/analysis/matrix';
import { abcMigration } from '../../src/analysis/migration';
import { overview } from '../../src/analysis/overview';
import { pareto, whale } from '../../src/analysis/pareto';
import { addDays } from '../../src/analysis/periods';
import { caps } from '../../src/analysis/rules';
import { seasonality } from '../../src/analysis/seasonality';
import { bySegment } from '../../src/analysis/segments';
import { monthly } from '../../src/analysis/trend';
import { nativeEngine } from '../../src/cli/native-engine';
import { stamp, summarize } from '../../src/cli/summarize';
import type { Engine } from '../../src/data/engine';
import { commitStage, type DatasetInfo } from '../../src/data/ingest';
import { ingestParquet } from '../../src/data/parquet-load';
import { convert } from '../../src/data/readers/convert';
import { type ArrowSink, parquetColumns, parquetToArrow } from '../../src/data/readers/parquet-arrow';
import { fileSource, hasShared, load, shared } from '../helpers/files';
import { nodeEngine } from '../helpers/node-engine';
import { wasmDecode } from '../helpers/parquet';

const SAMPLE = path.resolve(__dirname, '../../data/sample_sales.csv');

/**
 * A reader of the file on disk, decoding with parquet-wasm as the browser does (a test fails if it had to fall back
 * to hyparquet); `rows` pretends the footer counts that many (the size check reads no further).
 */
function readerOf(file: string, rows?: number) {
  const b = fs.readFileSync(file);
  const buf = b.buffer.slice(b.byteOffset, b.byteOffset + b.length) as ArrayBuffer;
  return {
    name: path.basename(file),
    size: buf.byteLength,
    columns: async () => ({ ...(await parquetColumns(buf)), ...(rows ? { rows } : {}) }),
    arrow: async (c: string[], sink: ArrowSink) => {
      const r = await parquetToArrow(buf, c, undefined, wasmDecode(buf), sink);
      expect(r.decoder).toBe('parquet-wasm');
      return r.decoder;
    },
  };
}

async function loadSummary(file: string): Promise<{ engine: Engine; info: DatasetInfo }> {
  const engine = await nodeEngine();
  const info = await ingestParquet(engine, readerOf(file));
  await commitStage(engine, info);
  return { engine, info };
}

/** Equal, numbers to 9 significant digits (sums added in another order differ in the last bits). */
function same(a: unknown, b: unknown, at = ''): void {
  if (typeof a === 'number' && typeof b === 'number') {
    if (Math.abs(a - b) > 1e-9 * Math.max(1, Math.abs(a), Math.abs(b))) throw new Error(`${at}: ${a} ≠ ${b}`);
    return;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) throw new Error(`${at}: ${a.length} items ≠ ${b.length}`);
    for (const [i, x] of a.entries()) same(x, b[i], `${at}[${i}]`);
    return;
  }
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const k of keys) same((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${at}.${k}`);
    return;
  }
  if (a !== b) throw new Error(`${at}: ${String(a)} ≠ ${String(b)}`);
}

/** Every headline figure of the views defined at customer × month × filter columns × discount band. */
async function figures(engine: Engine, filters: Filters) {
  const { dateMin, dateMax, ...o } = await overview(engine, filters);
  const rev = { metric: 'revenue' as const, a: 0.8, b: 0.95 };
  return {
    overview: { ...o, months: [dateMin?.slice(0, 7), dateMax?.slice(0, 7)] },
    pareto: await pareto(engine, filters, rev),
    paretoProfit: await pareto(engine, filters, { ...rev, metric: 'profit' }),
    whale: await whale(engine, filters),
    // Orders per customer need order IDs across months: the matrix's lists leave them out for a summary.
    matrix: await valueMatrix(engine, filters, { margin: 'gross', a: 0.8, b: 0.95 }).then(
      (m) =>
        m && {
          ...m,
          table: '',
          points: m.points.map(({ orders: _, ...p }) => p),
          lossMakingBig: m.lossMakingBig.map(({ orders: _, ...p }) => p),
        },
    ),
    bands: await discountBands(engine, filters),
    spend: await incentiveSpend(engine, filters),
    waterfall: await priceWaterfall(engine, filters),
    pocket: await pocketBand(engine, filters),
    segments: await bySegment(engine, filters, rev),
    monthly: await monthly(engine, filters),
    seasonality: await seasonality(engine, filters),
    concentration: await concentrationByQuarter(engine, filters),
    ...(await keyAccounts(engine, filters)),
  };
}

/** The key-account tab's figures for the ten largest customers: quarters, period against period, ABC moves. */
async function keyAccounts(engine: Engine, filters: Filters) {
  const top = await engine.query<{ customer: string }>(
    'SELECT customer FROM sales GROUP BY 1 ORDER BY round(sum(amount), 6) DESC, 1 LIMIT 10',
  );
  const set = await keySet(
    engine,
    top.map((t) => t.customer),
  );
  const [from, to] = [filters.from ?? '2000-01-01', filters.to ?? '2100-01-01'];
  // Periods of whole months, as the app's quarters and years are (a summary's dates are months).
  const earlier = { ...filters, from: '2000-01-01', to: addDays(from, -1) };
  const migration = await abcMigration(engine, earlier, { ...filters, from, to }, 0.8, 0.95);
  return {
    quarters: await accountQuarters(engine, filters, set),
    accounts: await accountFigures(engine, filters, earlier, set),
    migration: { ...migration, table: '' },
    path: await quadrantPath(engine, filters, top[0]?.customer as string, 0.8, 'gross'),
  };
}

/** One native summary per source file for the whole file (each takes seconds). */
const made = new Map<string, Promise<{ out: string; groups: number }>>();
function summaryOf(file: string): Promise<{ out: string; groups: number }> {
  let p = made.get(file);
  if (!p) {
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'kal-site-')), 'summary.parquet');
    p = summarize([file], out).then((r) => ({ out, groups: r.groups }));
    made.set(file, p);
  }
  return p;
}

async function expectSameFromSummary(file: string, region: string, quarter: [string, string]) {
  const { out, groups } = await summaryOf(file);
  const lines = await nodeEngine();
  const linesInfo = await load(lines, fileSource(file));
  const { engine, info } = await loadSummary(out);
  // Known by its metadata: the rows are groups, rows_loaded counts the lines they hold.
  expect(info.summary?.groups).toBe(groups);
  expect(info.summary?.groups).toBeLessThan(linesInfo.rowsLoaded);
  expect(info.rowsLoaded).toBe(linesInfo.rowsLoaded);
  expect(info.rowsRejected).toBe(linesInfo.rowsRejected);
  expect(info.rowsSkipped).toBe(linesInfo.rowsSkipped);
  expect(info.warnings.join(' ')).toMatch(/is a summary .*Not available from a summary: distinct orders/);
  expect(caps(info.mapping, true).lines).toBe(false);
  for (const f of [{}, { dims: [{ column: 'region', values: [region] }] }, { from: quarter[0], to: quarter[1] }]) {
    const a = await figures(lines, f);
    const b = await figures(engine, f);
    expect(a.pareto, JSON.stringify(f)).not.toBeNull();
    expect(a.bands, JSON.stringify(f)).not.toBeNull();
    expect(
      a.bands?.some((x) => x.lines > 0),
      JSON.stringify(f),
    ).toBe(true);
    same(b, a, JSON.stringify(f));
  }
  return { lines, engine, info };
}

describe('a summary dropped on the site', () => {
  it('the bundled sample: every figure at the grain equals the one from its lines', async () => {
    await expectSameFromSummary(SAMPLE, 'North', ['2024-04-01', '2024-06-30']);
  });

  it('--without leaves grain columns out: fewer groups, the same Pareto, no discount bands', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kal-site-'));
    const full = await summaryOf(SAMPLE);
    const out = path.join(dir, 'coarse.parquet');
    const coarse = await summarize([SAMPLE], out, undefined, ['discount_band', 'rep']);
    expect(coarse.groups).toBeLessThan(full.groups);
    const lines = await nodeEngine();
    await load(lines, fileSource(SAMPLE));
    const { engine, info } = await loadSummary(out);
    expect(info.mapping.rep).toBeUndefined();
    expect(info.mapping.region).toBe('region');
    expect(info.warnings[0]).toMatch(/groups of customer × year × month × region × segment × category\./);
    const rev = { metric: 'revenue' as const, a: 0.8, b: 0.95 };
    same(await pareto(engine, {}, rev), await pareto(lines, {}, rev));
    same(
      await overview(engine, {}).then(({ dateMax: _, ...o }) => o),
      await overview(lines, {}).then(({ dateMax: _, ...o }) => o),
    );
    expect(await discountBands(engine, {})).toBeNull();
  });

  it('a summary or Parquet lines too many for a tab are refused from the footer, with the way out', async () => {
    const { out } = await summaryOf(SAMPLE);
    await expect(ingestParquet(await nodeEngine(), readerOf(out, 12e6))).rejects.toThrow(
      /summary\.parquet holds 12,000,000 groups of 23 columns/,
    );
    await expect(ingestParquet(await nodeEngine(), readerOf(out, 12e6))).rejects.toMatchObject({
      hint: expect.stringMatching(/--without discount_band,rep/),
    });
    if (hasShared)
      await expect(
        ingestParquet(await nodeEngine(), readerOf(shared('superstore_parquet/superstore.parquet'), 3e7)),
      ).rejects.toThrow(/superstore\.parquet holds 30,000,000 lines of \d+ columns, \d+ of them used/);
  });

  it('the result of sql/summary.sql run elsewhere, stamped by --stamp, gives the same figures', async () => {
    // The warehouse recipe: the portable query over a `sales` view, its result exported as CSV.
    const lines = await nodeEngine();
    await load(lines, fileSource(SAMPLE));
    const sql = fs.readFileSync(path.resolve(__dirname, '../../sql/summary.sql'), 'utf8');
    const rows = await lines.query<Record<string, unknown>>(sql);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kal-site-'));
    const exported = path.join(dir, 'warehouse_result.csv');
    fs.writeFileSync(exported, csvFormat(rows));
    const out = path.join(dir, 'stamped.parquet');
    const r = await stamp([exported], out);
    expect(r.lines).toBe(25311);
    const { engine, info } = await loadSummary(out);
    expect(info.rowsLoaded).toBe(25311);
    expect(info.summary?.provenance.sources[0]).toMatchObject({ file: 'warehouse_result.csv', rowsRejected: null });
    const rev = { metric: 'revenue' as const, a: 0.8, b: 0.95 };
    same(await pareto(engine, {}, rev), await pareto(lines, {}, rev));
    same(await discountBands(engine, {}), await discountBands(lines, {}));
    same(await whale(engine, {}), await whale(lines, {}));
    // Anything else is refused with its columns.
    fs.writeFileSync(path.join(dir, 'lines.csv'), 'customer,amount\nA,1\n');
    await expect(stamp([path.join(dir, 'lines.csv')], out)).rejects.toThrow(/lines\.csv lacks year, month/);
  });

  it('a file that carries the summary key without a readable provenance is refused, not read as lines', async () => {
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'kal-site-')), 'odd.parquet');
    const native = await nativeEngine();
    try {
      await native.exec(
        `COPY (SELECT 'C1' AS customer, 12.5 AS amount) TO '${out}' (FORMAT parquet, KV_METADATA {kal_summary: 'not json'})`,
      );
    } finally {
      native.close();
    }
    await expect(ingestParquet(await nodeEngine(), readerOf(out))).rejects.toThrow(
      /says it is a summary made by "npm run summarize", but its description of itself .* cannot be read/,
    );
  });

  it('inside a zip it is refused, never read as order lines', async () => {
    const { out } = await summaryOf(SAMPLE);
    const zip = zipSync({ 'summary.parquet': new Uint8Array(fs.readFileSync(out)), 'other.csv': strToU8('a,b\n') });
    await expect(convert('both.zip', zip, 'summary.parquet')).rejects.toThrow(
      /is a summary made by "npm run summarize": it can only be read on its own/,
    );
  });

  it.skipIf(!hasShared)('Superstore: every figure at the grain equals the one from its lines', async () => {
    await expectSameFromSummary(shared('superstore_2023/Sample - Superstore.csv'), 'West', [
      '2021-10-01',
      '2021-12-31',
    ]);
  });
});
