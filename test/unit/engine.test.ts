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
