import { beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../src/data/engine';
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
  it('tables are written compressed: order-line-like rows take a fraction of an uncompressed copy', async () => {
    const e = await nodeEngine();
    const tableBytes = async () => {
      const [m] = await e.query<{ b: number }>(
        "SELECT sum(memory_usage_bytes) AS b FROM duckdb_memory() WHERE tag = 'IN_MEMORY_TABLE'",
      );
      return Number(m?.b ?? 0);
    };
    // 500k rows (several row groups: a partial one is left as written) of the shapes an export has.
    const lines = `SELECT 'SO' || (100000 + i // 3) AS order_id, DATE '2023-01-01' + (i % 730)::INT AS day,
        'C' || lpad((i * 7919 % 50000)::VARCHAR, 6, '0') AS customer, ['North', 'South', 'East', 'West'][i % 4 + 1] AS region,
        round((i * 37 % 100000) / 100, 2) AS amount FROM range(500000) r(i)`;
    await e.exec(`CREATE TABLE lines AS ${lines}`);
    const [t] = await e.query<{ db: string }>(
      "SELECT database_name AS db FROM duckdb_tables() WHERE table_name = 'lines'",
    );
    expect(t?.db).toBe('kal');
    const compressed = await tableBytes();
    // The same rows in DuckDB's default in-memory database, which does not compress.
    await e.exec(`CREATE TABLE memory.main.plain AS ${lines}`);
    const plain = (await tableBytes()) - compressed;
    expect(compressed).toBeGreaterThan(0);
    expect(compressed).toBeLessThan(plain / 2);
  });
});
