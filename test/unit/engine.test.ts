import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { overview } from '../../src/analysis/overview';
import { type Engine, TAB_DBS } from '../../src/data/engine';
import { readColumns, unreadColumns } from '../../src/data/file-columns';
import { bufferSource, fileSource, load } from '../helpers/files';
import { nodeEngine } from '../helpers/node-engine';

let engine: Engine;
beforeAll(async () => {
  engine = await nodeEngine();
});

describe('Arrow results as rows', () => {
  it('text columns keep every value, NULL and non-ASCII name across record batches', async () => {
    // 5,000 rows span three of DuckDB's 2,048-row batches; names with ä and 客户 sit in some batches only.
    const rows = await engine.query<{ i: number; s: string | null; t: string }>(`SELECT i,
        CASE WHEN i % 7 = 0 THEN NULL WHEN i % 1000 = 3 THEN 'Berguvsvägen ' || i ELSE 'C' || i END AS s,
        CASE WHEN i > 4000 THEN '客户' || i ELSE '' END AS t
      FROM range(5000) r(i) ORDER BY i`);
    expect(rows).toHaveLength(5000);
    for (const r of rows) {
      const i = Number(r.i);
      expect(r.s).toBe(i % 7 === 0 ? null : i % 1000 === 3 ? `Berguvsvägen ${i}` : `C${i}`);
      expect(r.t).toBe(i > 4000 ? `客户${i}` : '');
    }
  });
});

describe('the tab storage', () => {
  const tableBytes = async (e: Engine) => {
    const [m] = await e.query<{ b: number }>(
      "SELECT sum(memory_usage_bytes) AS b FROM duckdb_memory() WHERE tag = 'IN_MEMORY_TABLE'",
    );
    return Number(m?.b ?? 0);
  };
  const homeOfRaw = async (e: Engine) =>
    (await e.query<{ db: string }>("SELECT database_name AS db FROM duckdb_tables() WHERE table_name = 'raw'"))
      .map((r) => r.db)
      .join(',');

  it('the compressed database: order-line-like rows take a fraction of an uncompressed copy', async () => {
    const e = await nodeEngine();
    // 500k rows (several row groups: a partial one is left as written) of the shapes an export has.
    const lines = `SELECT 'SO' || (100000 + i // 3) AS order_id, DATE '2023-01-01' + (i % 730)::INT AS day,
        'C' || lpad((i * 7919 % 50000)::VARCHAR, 6, '0') AS customer, ['North', 'South', 'East', 'West'][i % 4 + 1] AS region,
        round((i * 37 % 100000) / 100, 2) AS amount FROM range(500000) r(i)`;
    await e.exec(`CREATE TABLE ${TAB_DBS.compressed}.main.lines AS ${lines}`);
    const compressed = await tableBytes(e);
    // Unqualified, a table goes to DuckDB's default in-memory database, which does not compress.
    await e.exec(`CREATE TABLE plain AS ${lines}`);
    const plain = (await tableBytes(e)) - compressed;
    expect(compressed).toBeGreaterThan(0);
    expect(compressed).toBeLessThan(plain / 2);
    // Both resolve by their bare names.
    expect(await e.query('SELECT count(*) AS n FROM lines')).toEqual([{ n: 500000 }]);
  });

  it('a large load is written compressed, a small one plain, with the same figures; a reload moves it back', async () => {
    const sample = fileSource(path.resolve(__dirname, '../../data/sample_sales.csv'));
    const e = await nodeEngine();
    await load(e, sample);
    expect(await homeOfRaw(e)).toBe(TAB_DBS.plain);
    const small = await overview(e, {});
    // The same file past the threshold (lowered to its size): its lines go to the compressed database.
    await load(e, sample, { compressFrom: 1 });
    expect(await homeOfRaw(e)).toBe(TAB_DBS.compressed);
    expect(await overview(e, {})).toEqual(small);
    // A column read later from the file widens the lines where they are.
    const csv = ['customer,order date,net sales,note'];
    for (let i = 0; i < 500; i++) csv.push(`C${i % 40},2024-0${1 + (i % 9)}-15,${i},n${i}`);
    await load(e, bufferSource('notes.csv', new TextEncoder().encode(csv.join('\n'))), { compressFrom: 1 });
    expect(await unreadColumns(e, ['note'])).toEqual(['note']);
    expect(await readColumns(e, ['note'])).toBe(1);
    expect(await homeOfRaw(e)).toBe(TAB_DBS.compressed);
    expect(await e.query('SELECT count(*) AS n FROM sales WHERE "file:note" IS NOT NULL')).toEqual([{ n: 500 }]);
    // A smaller load after it is plain again, and there is one `raw` only.
    const info = await load(e, sample);
    expect(await homeOfRaw(e)).toBe(TAB_DBS.plain);
    expect(info.rowsLoaded).toBe(small.rows);
  });
});
