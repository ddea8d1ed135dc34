/** Concentration by quarter in one SQL query, against the Pareto figures of each quarter computed on their own. */
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { concentrationByQuarter } from '../../src/analysis/concentration';
import { pareto } from '../../src/analysis/pareto';
import type { Engine } from '../../src/data/engine';
import { fileSource, load } from '../helpers/files';
import { nodeEngine } from '../helpers/node-engine';

let engine: Engine;
beforeAll(async () => {
  engine = await nodeEngine();
  await load(engine, fileSource(path.resolve(__dirname, '../../data/sample_sales.csv')));
});

const end = (start: string) => {
  const d = new Date(`${start}T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + 3);
  d.setUTCDate(0);
  return d.toISOString().slice(0, 10);
};

describe('concentration by quarter', () => {
  it('equals the Pareto figures of each quarter, and follows the filters', async () => {
    const quarters = await concentrationByQuarter(engine, {});
    expect(quarters.map((q) => q.quarter)).toEqual([
      '2024-Q1',
      '2024-Q2',
      '2024-Q3',
      '2024-Q4',
      '2025-Q1',
      '2025-Q2',
      '2025-Q3',
      '2025-Q4',
    ]);
    for (const q of quarters) {
      const p = await pareto(engine, { from: q.start, to: end(q.start) }, { metric: 'revenue', a: 0.8, b: 0.95 });
      expect(q.customers, q.quarter).toBe(p?.customers);
      expect(q.revenue).toBeCloseTo(p?.total ?? 0, 6);
      expect(q.top1).toBeCloseTo(p?.topShares.find((t) => t.n === 1)?.metricShare ?? 0, 9);
      expect(q.top10).toBeCloseTo(p?.topShares.find((t) => t.n === 10)?.metricShare ?? 0, 9);
      expect(q.top20Share).toBeCloseTo(p?.top20Share ?? 0, 9);
      expect(q.hhi).toBeCloseTo(p?.hhi ?? 0, 6);
      expect(q.gini).toBeCloseTo(p?.gini ?? 0, 9);
      expect(q.customersFor80Share).toBeCloseTo(p?.customersFor80Share ?? 0, 9);
    }
    const north = await concentrationByQuarter(engine, { dims: [{ column: 'region', values: ['North'] }] });
    expect(north[0]?.customers).toBeLessThan(quarters[0]?.customers ?? 0);
  });
});
