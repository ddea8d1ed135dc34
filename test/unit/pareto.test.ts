import fs from 'node:fs';
import { csvParse } from 'd3';
import { beforeAll, describe, expect, it } from 'vitest';
import { customerTable, DEFAULT_PARETO, pareto, whale } from '../../src/analysis/pareto';
import type { Engine } from '../../src/data/engine';
import { bufferSource, fileSource, hasShared, load, shared } from '../helpers/files';
import { nodeEngine } from '../helpers/node-engine';
import { paretoRef, sumsByCustomer, whaleRef } from '../helpers/reference';

let engine: Engine;
beforeAll(async () => {
  engine = await nodeEngine();
});

const csv = (rows: (string | number)[][]) =>
  bufferSource('t.csv', new TextEncoder().encode(rows.map((r) => r.join(',')).join('\n')));

async function loadValues(values: number[]) {
  await load(engine, csv([['customer', 'sales'], ...values.map((v, i) => [`c${String(i).padStart(3, '0')}`, v])]));
}

describe('published check values (R ineq)', () => {
  it('Gini of nine 10s and one 100 is 0.4263158', async () => {
    await loadValues([10, 10, 10, 10, 10, 10, 10, 10, 10, 100]);
    const r = await pareto(engine, {}, DEFAULT_PARETO);
    expect(r?.gini).toBeCloseTo(0.4263158, 6);
  });

  it('the ten-value vector: Gini 0.462091, HHI 1840.8, ABC 5/3/2', async () => {
    const x = [541, 1463, 2445, 3438, 4437, 5401, 6392, 8304, 11904, 22261];
    await loadValues(x);
    const r = await pareto(engine, {}, DEFAULT_PARETO);
    expect(r?.gini).toBeCloseTo(0.462091, 6);
    expect(r?.hhi).toBeCloseTo(1840.8, 1);
    expect(r?.classes.map((c) => [c.cls, c.customers])).toEqual([
      ['A', 5],
      ['B', 3],
      ['C', 2],
    ]);
    const ref = paretoRef(x);
    expect(r?.customersFor80).toBe(ref.k80);
    expect(r?.top20Share).toBeCloseTo(ref.top20, 10);
  });
});

describe('threshold changes', () => {
  it('run no query: the ranked arrays, totals and the >= 10% list are kept per customer table', async () => {
    await loadValues([5000, 1200, 900, 400, 300, 200, 100, 50, 25, 10]);
    const first = await pareto(engine, {}, DEFAULT_PARETO);
    // Caches are kept per engine object, so the calls are counted on the same one.
    const seen: string[] = [];
    const { query, numbers, exec } = engine;
    const counted =
      <T>(f: (sql: string) => T) =>
      (sql: string) => {
        seen.push(sql);
        return f(sql);
      };
    Object.assign(engine, { query: counted(query), numbers: counted(numbers), exec: counted(exec) });
    const other = await pareto(engine, {}, { ...DEFAULT_PARETO, a: 0.7, b: 0.9 }).finally(() =>
      Object.assign(engine, { query, numbers, exec }),
    );
    expect(seen).toEqual([]);
    expect(other?.flagged.map((f) => f.customer)).toEqual(first?.flagged.map((f) => f.customer));
    expect(other?.classes.map((c) => c.customers)).not.toEqual(first?.classes.map((c) => c.customers));
  });
});

describe('edge cases give defined results', () => {
  it('a single customer', async () => {
    await loadValues([500]);
    const r = await pareto(engine, {}, DEFAULT_PARETO);
    expect(r).toMatchObject({ customers: 1, customersFor80: 1, top20Share: 1, gini: 0, hhi: 10000 });
  });
  it('all-equal amounts', async () => {
    await loadValues([7, 7, 7, 7, 7]);
    const r = await pareto(engine, {}, DEFAULT_PARETO);
    expect(r?.gini).toBeCloseTo(0, 12);
    expect(r?.customersFor80).toBe(4);
    expect(r?.hhi).toBeCloseTo(2000, 6);
  });
  it('an all-zero file has no Pareto and lists the excluded customers', async () => {
    await loadValues([0, 0, 0]);
    expect(await pareto(engine, {}, DEFAULT_PARETO)).toBeNull();
  });
  it('negative customers are excluded and counted', async () => {
    await loadValues([100, 50, -30, 0]);
    const r = await pareto(engine, {}, DEFAULT_PARETO);
    expect(r?.customers).toBe(2);
    expect(r?.excluded).toEqual({ customers: 2, metric: -30 });
  });
});

describe.skipIf(!hasShared)('Superstore 2023 CSV against an independent computation', () => {
  it('matches DESIGN/SOURCES figures and a plain-TS implementation', async () => {
    await load(engine, fileSource(shared('superstore_2023/Sample - Superstore.csv')));
    const { rows, rev, prof } = sumsByCustomer(
      shared('superstore_2023/Sample - Superstore.csv'),
      'Customer ID',
      'Sales',
      'Profit',
    );
    const ref = paretoRef([...rev.values()]);
    const wref = whaleRef([...prof.values()]);
    const r = await pareto(engine, {}, DEFAULT_PARETO);
    const w = await whale(engine, {});
    expect(r?.customers).toBe(804);
    expect(r?.customersFor80).toBe(396);
    expect(r?.customersFor80).toBe(ref.k80);
    expect(r?.customersFor80Share).toBeCloseTo(0.492537, 6);
    expect(r?.top20Share).toBeCloseTo(0.484794, 6);
    expect(r?.top20Share).toBeCloseTo(ref.top20, 9);
    expect(r?.gini).toBeCloseTo(0.448106, 6);
    expect(r?.gini).toBeCloseTo(ref.gini, 9);
    expect(r?.hhi).toBeCloseTo(22.886, 3);
    expect(r?.hhi).toBeCloseTo(ref.hhi, 6);
    expect(r?.classes.map((c) => c.customers)).toEqual([ref.cls.A, ref.cls.B, ref.cls.C]);
    expect(w?.peakShare).toBeCloseTo(1.244769, 6);
    expect(w?.peakShare).toBeCloseTo(wref.peak, 9);
    expect(w?.unprofitable).toBe(159);
    expect(w?.unprofitableLoss).toBeCloseTo(-71545.089, 3);
    expect(w?.unprofitableLoss).toBeCloseTo(wref.loss, 6);
    // The ten worst customers by profit, with the names the file gives them.
    const names = new Map(rows.map((x) => [x['Customer ID'], x['Customer Name']]));
    const worst = [...prof].sort((a, b) => a[1] - b[1]).slice(0, 10);
    expect(w?.worst.map((x) => [x.customer, x.label])).toEqual(worst.map(([id]) => [id, names.get(id)]));
    expect(w?.worst[0]?.profit).toBeCloseTo(worst[0]?.[1] ?? 0, 6);
    // The drawn curve passes exactly through the annotated 80% point.
    expect(r?.curve.find((p) => p.k === 396)?.y).toBeGreaterThanOrEqual(0.8);
    expect(r?.curve.find((p) => p.k === 395)?.y ?? 0).toBeLessThan(0.8);
    const t = await customerTable(engine, {}, DEFAULT_PARETO, { search: 'powers', limit: 10 });
    expect(t.rows.every((x) => x.label.toLowerCase().includes('powers'))).toBe(true);
  });

  it('ranks by profit and by volume too, each against a plain-TS computation', async () => {
    const file = shared('superstore_2023/Sample - Superstore.csv');
    await load(engine, fileSource(file));
    const { prof } = sumsByCustomer(file, 'Customer ID', 'Sales', 'Profit');
    const { rev: qty } = sumsByCustomer(file, 'Customer ID', 'Quantity');
    for (const [metric, values] of [
      ['profit', prof],
      ['quantity', qty],
    ] as const) {
      const ref = paretoRef([...values.values()]);
      const r = await pareto(engine, {}, { ...DEFAULT_PARETO, metric });
      expect(r?.customers).toBe(ref.n);
      expect(r?.customersFor80).toBe(ref.k80);
      expect(r?.gini).toBeCloseTo(ref.gini, 9);
      expect(r?.hhi).toBeCloseTo(ref.hhi, 6);
      expect(r?.classes.map((c) => c.customers)).toEqual([ref.cls.A, ref.cls.B, ref.cls.C]);
      // Loss-making customers are left out of a profit ranking, and counted.
      expect(r?.excluded.customers).toBe(values.size - ref.n);
    }
    expect((await pareto(engine, {}, { ...DEFAULT_PARETO, metric: 'profit' }))?.excluded.customers).toBeGreaterThan(
      100,
    );
  });

  it('sales_data_sample matches SOURCES.md', async () => {
    await load(engine, fileSource(shared('sales_data_sample/sales_data_sample.csv')));
    const r = await pareto(engine, {}, DEFAULT_PARETO);
    expect(r?.customers).toBe(92);
    expect(r?.customersFor80).toBe(57);
    expect(r?.top20Share).toBeCloseTo(0.423011, 6);
    expect(r?.gini).toBeCloseTo(0.331349, 6);
    expect(r?.hhi).toBeCloseTo(218.705, 3);
    expect(await whale(engine, {})).toBeNull();
  });
});

describe.skipIf(!hasShared)('every real file: SQL figures equal a plain-TS computation from the raw rows', () => {
  /** Per-customer sums read straight from the file's rows (d3 for CSV, the format's own reader otherwise). */
  const cases: [string, () => Promise<{ key: string; amount: number; profit: number | null }[]>][] = [
    [
      'superstore_xlsx/Sample - Superstore.xlsx',
      async () => {
        const { default: readExcelFile } = await import('read-excel-file/universal');
        const buf = fs.readFileSync(shared('superstore_xlsx/Sample - Superstore.xlsx'));
        const sheets = await readExcelFile(
          buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer,
        );
        const [header, ...rows] = (sheets.find((s) => s.sheet === 'Orders')?.data ?? []) as unknown[][];
        const at = (n: string) => (header as string[]).indexOf(n);
        return rows.map((r) => ({
          key: String(r[at('Customer ID')]),
          amount: Number(r[at('Sales')]),
          profit: Number(r[at('Profit')]),
        }));
      },
    ],
    [
      'superstore_parquet/superstore_w_profit.parquet',
      async () => {
        const { parquetReadObjects } = await import('hyparquet');
        const { compressors } = await import('hyparquet-compressors');
        const buf = fs.readFileSync(shared('superstore_parquet/superstore_w_profit.parquet'));
        const rows = await parquetReadObjects({
          file: buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer,
          compressors,
        });
        return rows.map((r) => ({ key: String(r['Customer ID']), amount: Number(r.Sales), profit: Number(r.Profit) }));
      },
    ],
    [
      'sales_data_sample/sales_data_sample.csv',
      async () => {
        const text = new TextDecoder('latin1').decode(
          fs.readFileSync(shared('sales_data_sample/sales_data_sample.csv')),
        );
        return csvParse(text).map((r) => ({ key: String(r.CUSTOMERNAME), amount: Number(r.SALES), profit: null }));
      },
    ],
  ];
  it.each(cases)('%s', async (file, reference) => {
    const { convert } = await import('../../src/data/readers/convert');
    const r = await convert(file.split('/').pop() as string, new Uint8Array(fs.readFileSync(shared(file))));
    await load(engine, bufferSource(r.name, r.kind === 'table' ? r.csv : r.bytes));
    const rows = await reference();
    const rev = new Map<string, number>();
    const prof = new Map<string, number>();
    for (const x of rows) {
      rev.set(x.key, (rev.get(x.key) ?? 0) + x.amount);
      if (x.profit !== null) prof.set(x.key, (prof.get(x.key) ?? 0) + x.profit);
    }
    const ref = paretoRef([...rev.values()]);
    const p = await pareto(engine, {}, DEFAULT_PARETO);
    expect(p?.customers).toBe(ref.n);
    expect(p?.customersFor80).toBe(ref.k80);
    expect(p?.top20Share).toBeCloseTo(ref.top20, 9);
    expect(p?.gini).toBeCloseTo(ref.gini, 9);
    expect(p?.hhi).toBeCloseTo(ref.hhi, 6);
    expect(p?.classes.map((c) => c.customers)).toEqual([ref.cls.A, ref.cls.B, ref.cls.C].filter((n) => n > 0));
    const w = await whale(engine, {});
    if (prof.size) {
      const wref = whaleRef([...prof.values()]);
      expect(w?.peakShare).toBeCloseTo(wref.peak, 9);
      expect(w?.unprofitable).toBe(wref.losers);
      expect(w?.unprofitableLoss).toBeCloseTo(wref.loss, 6);
    } else expect(w).toBeNull();
  });
});
