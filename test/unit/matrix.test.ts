import { beforeAll, describe, expect, it } from 'vitest';
import { customerBridge } from '../../src/analysis/bridge';
import { movement, valueMatrix } from '../../src/analysis/matrix';
import { pareto } from '../../src/analysis/pareto';
import type { Engine } from '../../src/data/engine';
import { bufferSource, fileSource, hasShared, load, shared } from '../helpers/files';
import { nodeEngine } from '../helpers/node-engine';
import { matrixRef, sumsByCustomer } from '../helpers/reference';

let engine: Engine;
beforeAll(async () => {
  engine = await nodeEngine();
});

describe.skipIf(!hasShared)('value matrix on Superstore 2023', () => {
  it('quadrants match an independent computation and sum to the customers', async () => {
    const file = shared('superstore_2023/Sample - Superstore.csv');
    await load(engine, fileSource(file));
    const { rev, prof } = sumsByCustomer(file, 'Customer ID', 'Sales', 'Profit');
    const ref = matrixRef(rev, prof);
    const m = await valueMatrix(engine, {}, { margin: 'gross', a: 0.8, b: 0.95 });
    expect(m?.xSplit).toBeCloseTo(ref.xSplit, 6);
    expect(m?.ySplit).toBeCloseTo(ref.ySplit, 9);
    const got = Object.fromEntries(m?.summary.map((s) => [s.quadrant, s.customers]) ?? []);
    expect(got).toEqual(ref.counts);
    expect(Object.values(got).reduce((s, v) => s + v, 0)).toBe(804);
    // Cross-filter: the Pareto over the core quadrant sees exactly its customers.
    const core = await pareto(
      engine,
      { clauses: [{ kind: 'quadrant', quadrant: 'core', base: {}, a: 0.8, margin: 'gross' }] },
      { metric: 'revenue', a: 0.8, b: 0.95 },
    );
    expect(core?.customers).toBe(ref.counts.core);
  });
});

describe('movement between periods', () => {
  it('counts who changed quadrant, lists who moved into a worse one, largest change first', async () => {
    // Q1 and Q2 2024. Big customers sell 1,000 a quarter at a 50% margin, small ones 10 at 10%. b0 and b1 shrink and
    // thin out in Q2 (core -> serve, core -> volume), s0 grows (serve -> core): three moves, two of them worse.
    const q = (date: string, c: string, sales: number, margin: number) =>
      `${c},${date},${sales},${sales * (1 - margin)}`;
    const lines = ['customer,date,sales,cogs'];
    for (const c of ['b0', 'b1', 'b2', 'b3', 'b4']) lines.push(q('2024-02-15', c, 1000, 0.5));
    for (const c of ['s0', 's1', 's2', 's3', 's4']) lines.push(q('2024-02-15', c, 10, 0.1));
    lines.push(q('2024-05-15', 'b0', 10, 0.1), q('2024-05-15', 'b1', 1200, 0.1), q('2024-05-15', 's0', 1000, 0.5));
    for (const c of ['b2', 'b3', 'b4']) lines.push(q('2024-05-15', c, 1000, 0.5));
    for (const c of ['s1', 's2', 's3', 's4']) lines.push(q('2024-05-15', c, 10, 0.1));
    await load(engine, bufferSource('moves.csv', new TextEncoder().encode(lines.join('\n'))));
    const m = await movement(engine, {}, { margin: 'gross', a: 0.8, b: 0.95 }, 'quarter');
    expect(m?.before).toEqual({ from: '2024-01-01', to: '2024-03-31' });
    expect(m?.after).toEqual({ from: '2024-04-01', to: '2024-06-30' });
    expect(m?.moved).toBe(3);
    expect(m?.worseCount).toBe(2);
    expect(m?.worse.map((x) => [x.customer, x.from, x.to])).toEqual([
      ['b0', 'core', 'serve'],
      ['b1', 'core', 'volume'],
    ]);
  });
});

describe('planted loss-making big accounts', () => {
  it('are found after cost-to-serve, and the bridge adds up', async () => {
    const lines = ['customer,date,sales,cogs,rebate,freight'];
    // 20 customers; BIG1 and BIG2 are the largest and lose money only once rebates and freight are counted.
    for (let i = 0; i < 18; i++) lines.push(`small${i},2024-01-0${(i % 9) + 1},${100 + i * 10},${60 + i * 5},0,5`);
    lines.push('BIG1,2024-02-01,5000,3500,900,1000', 'BIG1,2024-05-01,5000,3500,900,1000');
    lines.push('BIG2,2024-03-01,4000,2900,600,700');
    await load(engine, bufferSource('planted.csv', new TextEncoder().encode(lines.join('\n'))));
    const gross = await valueMatrix(engine, {}, { margin: 'gross', a: 0.8, b: 0.95 });
    expect(gross?.lossMakingBigAccounts).toBe(2);
    expect(gross?.lossMakingBig.map((p) => p.customer).sort()).toEqual(['BIG1', 'BIG2']);
    // With gross margin they look healthy (30%, 27.5%) ...
    expect(gross?.points.find((p) => p.customer === 'BIG1')?.margin).toBeCloseTo(0.3, 9);
    // ... with customer margin they do not.
    const cust = await valueMatrix(engine, {}, { margin: 'customer', a: 0.8, b: 0.95 });
    expect(cust?.points.find((p) => p.customer === 'BIG1')?.margin).toBeCloseTo(
      (10000 - 7000 - 1800 - 2000) / 10000,
      9,
    );
    const b = await customerBridge(engine, {}, 'BIG1');
    expect(b?.steps.map((s) => [s.label, s.value])).toEqual([
      ['Net revenue', 10000],
      ['COGS', -7000],
      ['Gross profit', 3000],
      ['Rebates and promotions', -1800],
      ['Freight and cost-to-serve', -2000],
      ['Customer profit', -800],
    ]);
    expect(b?.quarters.map((q) => q.quarter)).toEqual(['2024-Q1', '2024-Q2']);
  });

  it('customers without any cost are "margin unknown", not 0%', async () => {
    const csv = 'customer,sales,cogs\nA,100,60\nB,50,\nC,-20,5\n';
    await load(engine, bufferSource('unknown.csv', new TextEncoder().encode(csv)));
    const m = await valueMatrix(engine, {}, { margin: 'gross', a: 0.8, b: 0.95 });
    expect(m?.customers).toBe(1);
    expect(m?.marginUnknown).toBe(1);
    expect(m?.nonPositiveCount).toBe(1);
    expect(m?.nonPositive[0]?.customer).toBe('C');
  });

  it('uses the density raster above the bubble limit', async () => {
    const lines = ['customer,sales,profit'];
    for (let i = 0; i < 400; i++) lines.push(`c${i},${10 + i * 3},${(i % 7) - 2}`);
    await load(engine, bufferSource('many.csv', new TextEncoder().encode(lines.join('\n'))));
    const m = await valueMatrix(engine, {}, { margin: 'gross', a: 0.8, b: 0.95, maxBubbles: 100 });
    expect(m?.points.length).toBe(300);
    expect(m?.bins.reduce((s, b) => s + b.count, 0)).toBe(400);
  });
});

describe("Shapiro's view", () => {
  it('places customers by cost-to-serve share and price realisation around the portfolio ratios', async () => {
    const csv = [
      'customer,gross_sales,net_sales,freight',
      // Carriage trade: costly to serve, pays near list.
      'CARR,1000,950,150',
      // Passive: cheap to serve, pays near list.
      'PASS,1000,960,5',
      // Aggressive: costly to serve, deep discount.
      'AGGR,1000,600,120',
      // Bargain basement: cheap to serve, deep discount.
      'BARG,1000,620,4',
    ].join('\n');
    await load(engine, bufferSource('sh.csv', new TextEncoder().encode(csv)));
    const { shapiro } = await import('../../src/analysis/matrix');
    const r = await shapiro(engine, {});
    const q = Object.fromEntries(r?.points.map((p) => [p.customer, p.quadrant]) ?? []);
    expect(q).toEqual({ CARR: 'carriage', PASS: 'passive', AGGR: 'aggressive', BARG: 'bargain' });
    // Splits are the portfolio ratios: freight / net and pocket / list.
    expect(r?.xSplit).toBeCloseTo(279 / 3130, 12);
    expect(r?.ySplit).toBeCloseTo((3130 - 279) / 4000, 12);
    expect(r?.counts).toEqual({ passive: 1, carriage: 1, bargain: 1, aggressive: 1 });
  });
});
