import { beforeAll, describe, expect, it } from 'vitest';
import { incentiveSpend } from '../../src/analysis/incentives';
import { comparePeriod, periodChoices, type ResolvedPeriod, resolvePeriod } from '../../src/analysis/periods';
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

describe('periods named in a link, relative to the data', () => {
  const data = { from: '2019-01-03', to: '2022-11-15' };
  const p = (period: string, fy = 1, from: string | null = null, to: string | null = null) =>
    resolvePeriod({ period, from, to, fy }, data);

  it('calendar year, quarter and month; a period the data ends inside is shown to date', () => {
    expect(p('2020')).toMatchObject({ from: '2020-01-01', to: '2020-12-31', partial: false, label: '2020' });
    expect(p('2020Q2')).toMatchObject({ from: '2020-04-01', to: '2020-06-30', partial: false, label: '2020 Q2' });
    expect(p('2020-02')).toMatchObject({ from: '2020-02-01', to: '2020-02-29', label: 'Feb 2020' });
    expect(p('2022Q4')).toMatchObject({ from: '2022-10-01', to: '2022-11-15', partial: true });
    expect(p('2022Q4')?.label).toBe('2022 Q4 (to 15 Nov 2022)');
    expect(p('all')).toMatchObject({ ...data, all: true });
  });

  it('relative periods end at the last date of the data, never today', () => {
    expect(p('ytd')).toMatchObject({ from: '2022-01-01', to: '2022-11-15', partial: true });
    expect(p('last4q')).toMatchObject({ from: '2022-01-01', to: '2022-11-15', partial: true });
    expect(
      resolvePeriod({ period: 'last4q', from: null, to: null, fy: 1 }, { from: '2019-01-03', to: '2022-09-30' }),
    ).toMatchObject({ from: '2021-10-01', to: '2022-09-30', partial: false });
  });

  it('fiscal years are named by the year they end in', () => {
    expect(p('FY2020', 4)).toMatchObject({ from: '2019-04-01', to: '2020-03-31', label: 'FY2020' });
    expect(p('FY2020Q1', 4)).toMatchObject({ from: '2019-04-01', to: '2019-06-30' });
    expect(p('FY2020Q4', 7)).toMatchObject({ from: '2020-04-01', to: '2020-06-30' });
    expect(p('FY2020', 1)).toMatchObject({ from: '2020-01-01', to: '2020-12-31' });
    // Year to date in a fiscal year starting in April: from 1 April 2022.
    expect(p('ytd', 4)).toMatchObject({ from: '2022-04-01', to: '2022-11-15' });
  });

  it('compare: the previous period of equal length, or a year earlier; to date when the period is partial', () => {
    const q2 = p('2020Q2');
    expect(comparePeriod(q2 as ResolvedPeriod, 'prev')).toMatchObject({ from: '2020-01-01', to: '2020-03-31' });
    expect(comparePeriod(q2 as ResolvedPeriod, 'yoy')).toMatchObject({ from: '2019-04-01', to: '2019-06-30' });
    // 2022 Q4 to 15 Nov: 46 days. The previous quarter to its 46th day, and the same days a year earlier.
    const q4 = p('2022Q4') as ResolvedPeriod;
    expect(comparePeriod(q4, 'prev')).toMatchObject({ from: '2022-07-01', to: '2022-08-15' });
    expect(comparePeriod(q4, 'yoy')).toMatchObject({ from: '2021-10-01', to: '2021-11-15' });
    expect(comparePeriod(p('2020-03') as ResolvedPeriod, 'prev')).toMatchObject({
      from: '2020-02-01',
      to: '2020-02-29',
    });
    expect(comparePeriod(p('2020') as ResolvedPeriod, 'prev')).toMatchObject({ from: '2019-01-01', to: '2019-12-31' });
    expect(comparePeriod(p('ytd') as ResolvedPeriod, 'prev')).toMatchObject({ from: '2021-01-01', to: '2021-11-15' });
    // A custom range: the same number of days just before it, or the same dates a year earlier.
    const custom = p('all', 1, '2020-03-10', '2020-03-19') as ResolvedPeriod;
    expect(comparePeriod(custom, 'prev')).toMatchObject({ from: '2020-02-29', to: '2020-03-09' });
    expect(comparePeriod(custom, 'yoy')).toMatchObject({ from: '2019-03-10', to: '2019-03-19' });
    expect(comparePeriod(p('all') as ResolvedPeriod, 'prev')).toBeNull();
  });

  it('the picker offers the years, quarters and months the data touches, newest first', () => {
    const [years, quarters, months] = periodChoices({ from: '2021-11-20', to: '2022-02-03' }, 1);
    expect(years.map((y) => y.value)).toEqual(['2022', '2021']);
    expect(quarters.map((q) => q.value)).toEqual(['2022Q1', '2021Q4']);
    expect(months.map((m) => m.value)).toEqual(['2022-02', '2022-01', '2021-12', '2021-11']);
    expect(periodChoices({ from: '2021-11-20', to: '2022-02-03' }, 4)[0].map((y) => y.value)).toEqual(['FY2022']);
  });
});
