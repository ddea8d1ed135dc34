/**
 * The native summarize command (src/cli): the site's ingest and summary query on native DuckDB, written as Parquet
 * with its provenance in the file's metadata. Its groups add back up to what the browser engine loads from the same
 * lines (rows, customers, revenue, profit), on the bundled sample and on Superstore.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parquetMetadataAsync, parquetReadObjects } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { describe, expect, it } from 'vitest';
import { overview } from '../../src/analysis/overview';
import { SUMMARY_FORMAT } from '../../src/analysis/summary';
import { GRAIN, summarize } from '../../src/cli/summarize';
import { fileSource, hasShared, load, shared } from '../helpers/files';
import { nodeEngine } from '../helpers/node-engine';

const SAMPLE = path.resolve(__dirname, '../../data/sample_sales.csv');

async function readSummary(file: string) {
  const b = fs.readFileSync(file);
  const buf = b.buffer.slice(b.byteOffset, b.byteOffset + b.length) as ArrayBuffer;
  const meta = await parquetMetadataAsync(buf);
  const kv = Object.fromEntries((meta.key_value_metadata ?? []).map((m) => [m.key, m.value]));
  const rows = (await parquetReadObjects({ file: buf, compressors })) as Record<string, unknown>[];
  return { provenance: JSON.parse(kv.kal_summary ?? 'null'), rows };
}

async function expectSameFigures(files: string[]) {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'kal-sum-')), 'summary.parquet');
  const r = await summarize(files, out);
  const { provenance, rows } = await readSummary(out);
  expect(provenance.format).toBe(SUMMARY_FORMAT);
  expect(provenance.grain).toEqual([...GRAIN]);
  // The native engine is the wasm build's release line (1.4: same SQL, same storage; a patch apart, see README).
  const [{ v } = { v: '' }] = await (await nodeEngine()).query<{ v: string }>('SELECT version() AS v');
  expect(provenance.engine.match(/^DuckDB (v\d+\.\d+)\./)?.[1]).toBe(v.match(/^v\d+\.\d+/)?.[0]);
  expect(provenance.sources.map((s: { file: string }) => s.file)).toEqual(files.map((f) => path.basename(f)));
  expect(rows).toHaveLength(r.groups);
  // The same lines loaded in the browser's engine.
  let lines = 0;
  let revenue = 0;
  let profit = 0;
  const customers = new Set<unknown>();
  for (const x of rows) {
    lines += Number(x.lines);
    revenue += Number(x.amount ?? 0);
    profit += Number(x.profit ?? 0);
    customers.add(x.customer);
  }
  const engine = await nodeEngine();
  for (const f of files) await load(engine, fileSource(f));
  const o = await overview(engine, {});
  expect(lines).toBe(o.rows);
  expect(r.lines).toBe(o.rows);
  expect(customers.size).toBe(o.customers);
  expect(revenue).toBeCloseTo(o.revenue, 4);
  if (o.profit != null) expect(profit).toBeCloseTo(o.profit, 4);
  expect(provenance.sources[0].rowsLoaded).toBe(o.rows);
  return { provenance, rows, out };
}

describe('npm run summarize', () => {
  it('the bundled sample: groups that add back up to the lines, provenance in the metadata', async () => {
    const { provenance } = await expectSameFigures([SAMPLE]);
    expect(provenance.sources[0].mapping.customer).toBe('customer_id');
  });

  it.skipIf(!hasShared)('Superstore (day-first dates, quoted commas): the same figures as the tab', async () => {
    await expectSameFigures([shared('superstore_2023/Sample - Superstore.csv')]);
  });

  it('refuses to summarise a summary again', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kal-sum-'));
    const once = path.join(dir, 'once.parquet');
    await summarize([SAMPLE], once);
    await expect(summarize([once], path.join(dir, 'twice.parquet'))).rejects.toThrow(
      /once\.parquet is already a summary/,
    );
  });

  it('refuses a file whose roles it cannot tell, naming its columns', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kal-sum-'));
    const f = path.join(dir, 'odd.csv');
    fs.writeFileSync(f, 'a,b\nx,y\n');
    await expect(summarize([f], path.join(dir, 'o.parquet'))).rejects.toThrow(/odd\.csv: .*Its columns: a, b/);
  });
});
