import { beforeAll, describe, expect, it } from 'vitest';
import { incentiveSpend } from '../../src/analysis/incentives';
import { monthly } from '../../src/analysis/trend';
import type { Engine } from '../../src/data/engine';
import { bufferSource, load } from '../helpers/files';
import { nodeEngine } from '../helpers/node-engine';

let engine: Engine;
beforeAll(async () => {
  engine = await nodeEngine();
});

describe('series by calendar period, against sums made here', () => {
  // Lines on the first and last day of months and quarters, across a year end, with a gap month (2024-02).
  const lines: [string, number, number, number, number][] = [
    // date, net, cost, discount, rebate
    ['2023-12-31', 100, 60, 10, 0],
    ['2024-01-01', 200, 150, 0, 5],
    ['2024-01-31', 50, 20, 5, 0],
    ['2024-03-31', 300, 200, 30, 7],
    ['2024-04-01', 400, 380, 0, 0],
    ['2024-06-30', 10, 2, 1, 1],
    ['2024-10-15', 1000, 700, 100, 20],
  ];
  beforeAll(async () => {
    const csv = ['customer,date,net_sales,cost,discount,rebate']
      .concat(lines.map(([d, n, c, disc, reb], i) => `c${i % 3},${d},${n},${c},${disc},${reb}`))
      .join('\n');
    await load(engine, bufferSource('periods.csv', new TextEncoder().encode(csv)));
  });

  it('months: one point per month with lines, first day as the label, in order, with customers and spend', async () => {
    const byMonth = new Map<string, { revenue: number; profit: number; customers: Set<string>; incentives: number }>();
    lines.forEach(([d, n, c, disc, reb], i) => {
      const m = `${d.slice(0, 7)}-01`;
      const x = byMonth.get(m) ?? { revenue: 0, profit: 0, customers: new Set<string>(), incentives: 0 };
      x.customers.add(`c${i % 3}`);
      byMonth.set(m, {
        revenue: x.revenue + n,
        profit: x.profit + n - c,
        customers: x.customers,
        incentives: x.incentives + disc + reb,
      });
    });
    const got = await monthly(engine, {});
    expect(got.map((p) => p.month)).toEqual([...byMonth.keys()]);
    for (const p of got) {
      const x = byMonth.get(p.month);
      expect(p.revenue).toBeCloseTo(x?.revenue ?? Number.NaN, 9);
      expect(p.profit).toBeCloseTo(x?.profit ?? Number.NaN, 9);
      expect(p.customers).toBe(x?.customers.size);
      expect(p.incentives).toBeCloseTo(x?.incentives ?? Number.NaN, 9);
    }
  });

  it('quarters: incentive spend by type, labelled YYYY-Qn, in order', async () => {
    const s = await incentiveSpend(engine, {});
    const q = (d: string) => `${d.slice(0, 4)}-Q${Math.floor((Number(d.slice(5, 7)) - 1) / 3) + 1}`;
    const quarters = [...new Set(lines.map(([d]) => q(d)))];
    expect(quarters).toEqual(['2023-Q4', '2024-Q1', '2024-Q2', '2024-Q4']);
    const sum = (quarter: string, k: 3 | 4) => lines.filter(([d]) => q(d) === quarter).reduce((t, l) => t + l[k], 0);
    const got = (quarter: string, type: RegExp) =>
      s?.byQuarter.find((x) => x.quarter === quarter && type.test(x.type))?.cost;
    expect([...new Set(s?.byQuarter.map((x) => x.quarter))]).toEqual(quarters);
    for (const quarter of quarters) {
      expect(got(quarter, /discount/i)).toBeCloseTo(sum(quarter, 3), 9);
      expect(got(quarter, /rebate/i)).toBeCloseTo(sum(quarter, 4), 9);
    }
  });
});
