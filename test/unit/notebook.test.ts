/**
 * The benchmark's side-by-side runs an Arquero notebook pipeline against the app: its figures must be the app's,
 * or the timing compares different work. Checked on the bundled sample through the real pipeline and DuckDB.
 */
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { valueMatrix } from '../../src/analysis/matrix';
import { pareto } from '../../src/analysis/pareto';
import { notebookFigures } from '../../src/bench/notebook';
import type { Engine } from '../../src/data/engine';
import { bufferSource, load } from '../helpers/files';
import { nodeEngine } from '../helpers/node-engine';

let engine: Engine;
const SAMPLE = path.resolve(__dirname, '../../data/sample_sales.csv');
beforeAll(async () => {
  engine = await nodeEngine();
  await load(engine, bufferSource('sample_sales.csv', new Uint8Array(fs.readFileSync(SAMPLE))));
});

it('the Arquero notebook pipeline gives the app Pareto and value-matrix figures', async () => {
  const nb = notebookFigures(fs.readFileSync(SAMPLE, 'utf8'), {
    customer: 'customer_id',
    amount: 'net_sales',
    cost: 'cogs',
  });
  const p = await pareto(engine, {}, { metric: 'revenue', a: 0.8, b: 0.95 });
  expect(nb).toMatchObject({
    customers: p?.customers,
    customersFor80: p?.customersFor80,
    customersFor80Share: p?.customersFor80Share,
  });
  expect(nb.top20Share).toBeCloseTo(p?.top20Share ?? Number.NaN, 12);
  const m = await valueMatrix(engine, {}, { margin: 'gross', a: 0.8, b: 0.95 });
  for (const q of m?.summary ?? []) {
    expect(nb.quadrants[q.quadrant].customers, q.quadrant).toBe(q.customers);
    expect(nb.quadrants[q.quadrant].revenue).toBeCloseTo(q.revenue, 6);
  }
  expect(Object.values(nb.quadrants).reduce((s, q) => s + q.customers, 0)).toBe(m?.customers);
});
