/**
 * Filtered figures on the real Superstore file against an independent computation in plain TypeScript: a region
 * and a year, several values, a file column without a role, a customer search, a compare period and cross-filters.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { type Filters, prepareFilters } from '../../src/analysis/filters';
import { overview } from '../../src/analysis/overview';
import { pareto, whale } from '../../src/analysis/pareto';
import { comparePeriod, resolvePeriod } from '../../src/analysis/periods';
import { caps } from '../../src/analysis/rules';
import { filtersFor } from '../../src/analysis/view-filters';
import type { Engine } from '../../src/data/engine';
import { unreadColumns } from '../../src/data/file-columns';
import type { DatasetInfo } from '../../src/data/ingest';
import { type AppState, defaultState } from '../../src/state/app-state';
import { fileSource, hasShared, load, shared } from '../helpers/files';
import { nodeEngine } from '../helpers/node-engine';
import { figuresOf, type SuperstoreLine, superstoreLines } from '../helpers/reference';

const FILE = shared('superstore_2023/Sample - Superstore.csv');
const DATA = { from: '2019-01-03', to: '2022-12-30' };

let engine: Engine;
let info: DatasetInfo;
type Row = SuperstoreLine;
let rows: Row[] = [];

beforeAll(async () => {
  if (!hasShared) return;
  engine = await nodeEngine();
  info = await load(engine, fileSource(FILE));
  rows = superstoreLines(FILE);
});

function state(patch: (s: AppState) => AppState): AppState {
  return patch(defaultState());
}

/** The filters the Pareto view gets for a state, over its resolved period (or its compare period). */
function filtersOf(s: AppState, compare = false): Filters {
  const cur = resolvePeriod(s.filters, DATA);
  const period = compare && cur && s.compare !== 'none' ? comparePeriod(cur, s.compare) : cur;
  return filtersFor(s, 'pareto', period, caps(info.mapping));
}

const reference = (keep: (r: Row) => boolean) => figuresOf(rows.filter(keep));

async function expectFigures(given: Filters, ref: ReturnType<typeof reference>) {
  // What the coordinator does before a view loads: a filter on a column the load left out reads it first.
  const f = await prepareFilters(engine, given);
  const o = await overview(engine, f);
  expect(o.rows).toBe(ref.lines);
  expect(o.customers).toBe(ref.customers);
  expect(o.revenue).toBeCloseTo(ref.revenue, 6);
  expect(o.profit).toBeCloseTo(ref.profit, 6);
  const p = await pareto(engine, f, { metric: 'revenue', a: 0.8, b: 0.95 });
  expect(p?.customersFor80).toBe(ref.pareto.k80);
  expect(p?.top20Share).toBeCloseTo(ref.pareto.top20, 9);
  expect(p?.gini).toBeCloseTo(ref.pareto.gini, 9);
  expect(p?.hhi).toBeCloseTo(ref.pareto.hhi, 6);
  const w = await whale(engine, f);
  expect(w?.peakShare).toBeCloseTo(ref.whale.peak, 9);
  expect(w?.unprofitable).toBe(ref.whale.losers);
}

describe.skipIf(!hasShared)('filtered figures on Superstore, against a plain-TS computation', () => {
  it('a region and a year', async () => {
    const s = state((s) => ({ ...s, filters: { ...s.filters, period: '2021', region: ['West'] } }));
    const ref = reference((r) => r.region === 'West' && r.date.startsWith('2021'));
    expect(ref.customers).toBeGreaterThan(100);
    await expectFigures(filtersOf(s), ref);
  });

  it('two regions, a quarter, a segment, and compared with the same quarter a year earlier', async () => {
    const s = state((s) => ({
      ...s,
      compare: 'yoy',
      filters: { ...s.filters, period: '2022Q3', region: ['East', 'Central'], segment: ['Consumer'] },
    }));
    const keep = (from: string, to: string) => (r: Row) =>
      (r.region === 'East' || r.region === 'Central') && r.segment === 'Consumer' && r.date >= from && r.date <= to;
    await expectFigures(filtersOf(s), reference(keep('2022-07-01', '2022-09-30')));
    await expectFigures(filtersOf(s, true), reference(keep('2021-07-01', '2021-09-30')));
  });

  it('a column without a role (Ship Mode), a customer search and a custom range', async () => {
    const s = state((s) => ({
      ...s,
      filters: {
        ...s.filters,
        from: '2020-02-15',
        to: '2020-11-30',
        extra: [{ column: 'Ship Mode', values: ['First Class', 'Same Day'] }],
        search: 'an',
      },
    }));
    const ref = reference(
      (r) =>
        (r.ship === 'First Class' || r.ship === 'Same Day') &&
        r.date >= '2020-02-15' &&
        r.date <= '2020-11-30' &&
        (r.customer.toLowerCase().includes('an') || r.name.toLowerCase().includes('an')),
    );
    expect(ref.customers).toBeGreaterThan(20);
    // The load read the columns with a role and the first; Ship Mode is read when the filter asks for it.
    expect(await unreadColumns(engine, ['Ship Mode'])).toEqual(['Ship Mode']);
    await expectFigures(filtersOf(s), ref);
    expect(await unreadColumns(engine, ['Ship Mode'])).toEqual([]);
  });

  it('cross-filters: a category clause filters the others, an ABC clause selects that class of the period', async () => {
    const s = state((s) => ({
      ...s,
      filters: { ...s.filters, period: '2020' },
      clauses: [{ source: 'pareto', kind: 'abc', value: 'A' }],
    }));
    // The class is computed over the period's customers by the Pareto rule.
    const year = reference((r) => r.date.startsWith('2020'));
    const byRevenue = new Map<string, number>();
    for (const r of rows.filter((r) => r.date.startsWith('2020')))
      byRevenue.set(r.customer, (byRevenue.get(r.customer) ?? 0) + r.sales);
    const ranked = [...byRevenue].sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1));
    const total = ranked.reduce((t, [, v]) => t + v, 0);
    let cum = 0;
    const classA = new Set<string>();
    for (const [id, v] of ranked) {
      if (cum / total < 0.8 - 1e-12) classA.add(id);
      cum += v;
    }
    expect(classA.size).toBe(year.pareto.cls.A);
    // The Pareto view is not filtered by its own clause; the overview is.
    const own = await overview(engine, filtersOf(s));
    expect(own.customers).toBe(year.customers);
    const other = filtersFor(s, 'overview', resolvePeriod(s.filters, DATA), caps(info.mapping));
    await expectFigures(
      other,
      reference((r) => r.date.startsWith('2020') && classA.has(r.customer)),
    );
  });
});
