/**
 * Every file of the generated corpus through the browser's pipeline (format reader, then the CSV ingest) on the
 * real DuckDB engine: each loads with the counts and totals its generator knows, or is refused with a message
 * that names the file and, where one is at fault, the line.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../src/data/engine';
import { type DatasetInfo, IngestError, NeedsMapping } from '../../src/data/ingest';
import { str } from '../../src/data/parse';
import { convert, needsConversion } from '../../src/data/readers/convert';
import { ReaderError } from '../../src/data/readers/table';
import { type Case, corpus, type Loaded } from '../corpus/cases';
import { bufferSource, load } from '../helpers/files';
import { nodeEngine } from '../helpers/node-engine';

let engine: Engine;
beforeAll(async () => {
  engine = await nodeEngine();
});

const cases = corpus();

async function run(c: Case): Promise<DatasetInfo> {
  let { name, bytes } = c;
  try {
    if (needsConversion(name, bytes.subarray(0, 8192))) {
      const r = await convert(name, bytes);
      name = r.name;
      bytes = r.kind === 'table' ? r.csv : r.bytes;
    }
  } catch (e) {
    // The browser's converter names the file the same way (browser-convert.ts).
    if (e instanceof ReaderError) throw new IngestError(c.name, `${c.name}: ${e.message}`, e.hint);
    throw e;
  }
  return load(engine, bufferSource(name, bytes));
}

describe('the corpus of odd exports', () => {
  it('has at least 50 files', () => {
    expect(cases.length).toBeGreaterThanOrEqual(50);
    expect(new Set(cases.map((c) => c.name)).size).toBe(cases.length);
  });

  it.for(cases.map((c) => [c.name, c] as const))('%s', ([, c]) => check(c));
});

async function check(c: Case): Promise<void> {
  if ('refused' in c.expect) {
    const e = await run(c).then(
      () => null,
      (x: unknown) => x,
    );
    expect(e, `${c.about}: should be refused`).toBeInstanceOf(IngestError);
    const err = e as IngestError;
    expect(err.message).toMatch(c.expect.refused);
    expect(err.message).not.toMatch(/upload_\d|\.head\.csv|Failed to fetch/);
    if (c.expect.line) expect(err.line).toBe(c.expect.line);
    return;
  }
  const want: Loaded = c.expect;
  const info = await run(c).catch((e: unknown) => {
    if (e instanceof NeedsMapping) throw new Error(`${c.about}: asked for a mapping (${e.missing.join(', ')})`);
    throw e;
  });
  const [t] = await engine.query<{ n: number; customers: number; revenue: number; dmin: string; dmax: string }>(
    `SELECT count(*) n, count(DISTINCT customer) customers, sum(amount) revenue,
      strftime(min(date), '%Y-%m-%d') dmin, strftime(max(date), '%Y-%m-%d') dmax FROM sales`,
  );
  expect(info.rowsLoaded, c.about).toBe(want.loaded);
  expect(t?.n).toBe(want.loaded);
  if (want.rejected !== undefined) expect(info.rowsRejected, `${c.about}: rejected`).toBe(want.rejected);
  expect(info.rowsSkipped, `${c.about}: skipped`).toBe(want.skipped ?? 0);
  expect(info.rowsRead).toBe(info.rowsLoaded + info.rowsRejected + info.rowsSkipped);
  if (want.revenue !== undefined) expect(t?.revenue).toBeCloseTo(want.revenue, 6);
  if (want.customers !== undefined) expect(t?.customers).toBe(want.customers);
  if (want.encoding) expect(info.encoding.encoding).toBe(want.encoding);
  if (want.dates) expect([t?.dmin, t?.dmax]).toEqual(want.dates);
  for (const name of want.names ?? []) {
    const [row] = await engine.query<{ n: number }>(`SELECT count(*) n FROM sales WHERE customer = ${str(name)}`);
    expect(row?.n, `customer ${name}`).toBeGreaterThan(0);
  }
  for (const [reason, rows] of Object.entries(want.reasons ?? {})) {
    const all = [...info.rejectedByReason, ...info.skippedByReason];
    expect(
      all.filter((r) => r.reason.includes(reason)).reduce((s, r) => s + r.rows, 0),
      reason,
    ).toBe(rows);
  }
  if (want.warning) expect(info.warnings.join('\n')).toMatch(want.warning);
  if (want.lines) {
    const rows = await engine.query<{ line: number }>(
      'SELECT line FROM rejected_rows UNION ALL SELECT line FROM skipped_rows ORDER BY line',
    );
    expect(rows.map((r) => Number(r.line))).toEqual(want.lines);
  }
}

describe('a file larger than a tab can hold', () => {
  it('is refused before it is read, with the estimate and the way out', async () => {
    const line = (i: number) => `SO-${i},2024-01-01,C${i % 997},Name ${i % 997},Seg,North,P1,3,120.50,80.25,0.05\n`;
    const head = new TextEncoder().encode(
      `order_id,order_date,customer_id,customer_name,segment,region,product,quantity,net_sales,cogs,discount\n${Array.from({ length: 5000 }, (_, i) => line(i)).join('')}`,
    );
    let read = 0;
    const huge = {
      name: 'everything.csv',
      size: 2_000_000_000,
      // Read by DuckDB from its handle (a dropped UTF-8 file): judged by its lines, not its bytes.
      handle: true,
      slice: async (a: number, b: number) => {
        read = Math.max(read, b);
        return head.subarray(Math.min(a, head.length), Math.min(b, head.length));
      },
    };
    const e = await load(engine, huge).then(
      () => null,
      (x: unknown) => x,
    );
    expect(e).toBeInstanceOf(IngestError);
    expect((e as IngestError).message).toMatch(
      /everything\.csv holds about [\d,.]+ lines of 11 columns \([\d,.]+ million values\); a browser tab can analyse about 220 million/,
    );
    expect((e as IngestError).hint).toMatch(/shorter period/);
    // Only the head was looked at.
    expect(read).toBeLessThanOrEqual(256 * 1024);
  });
});
