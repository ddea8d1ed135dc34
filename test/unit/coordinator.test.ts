/**
 * The views as clients of one state, through the coordinator, on the real engine and the bundled sample: which
 * views a state change reloads, and what they then show, against a plain-TS computation of the rules.
 */
import fs from 'node:fs';
import path from 'node:path';
import { csvParse } from 'd3';
import { beforeAll, describe, expect, it } from 'vitest';
import { dateRange } from '../../src/analysis/dimensions';
import type { MatrixResult } from '../../src/analysis/matrix';
import type { Overview } from '../../src/analysis/overview';
import { caps } from '../../src/analysis/rules';
import type { Engine } from '../../src/data/engine';
import type { DatasetInfo } from '../../src/data/ingest';
import { type AppState, defaultState, type Tab } from '../../src/state/app-state';
import { Coordinator } from '../../src/views/coordinator';
import { incentivesView } from '../../src/views/incentives';
import type { MatrixData } from '../../src/views/matrix';
import { matrixView } from '../../src/views/matrix';
import type { OverviewData } from '../../src/views/overview';
import { overviewView } from '../../src/views/overview';
import { type ParetoData, paretoView } from '../../src/views/pareto';
import { qualityView } from '../../src/views/quality';
import type { View } from '../../src/views/view';
import { fileSource, load } from '../helpers/files';
import { nodeEngine } from '../helpers/node-engine';
import { matrixRef } from '../helpers/reference';

const SAMPLE = path.resolve(__dirname, '../../data/sample_sales.csv');

let engine: Engine;
let info: DatasetInfo;
const shown = new Map<Tab, unknown>();
let coordinator: Coordinator;

/** Per customer: net revenue and customer profit (net - COGS - rebate - co-op - freight), summed here. */
const customers = new Map<string, { r: number; p: number }>();

beforeAll(async () => {
  engine = await nodeEngine();
  info = await load(engine, fileSource(SAMPLE));
  for (const row of csvParse(fs.readFileSync(SAMPLE, 'utf8'))) {
    const c = customers.get(row.customer_id as string) ?? { r: 0, p: 0 };
    const net = Number(row.net_sales);
    c.r += net;
    c.p += net - Number(row.cogs) - Number(row.rebate) - Number(row.coop_cost) - Number(row.freight);
    customers.set(row.customer_id as string, c);
  }
  coordinator = new Coordinator(
    [overviewView, paretoView, matrixView, incentivesView, qualityView] as View<unknown>[],
    {
      shown: (id, data) => shown.set(id, data),
      failed: (id, e) => {
        throw new Error(`${id}: ${e}`);
      },
    },
  );
  coordinator.setEnv({ engine, info, caps: caps(info.mapping), dates: await dateRange(engine) });
});

/** The matrix of the sample in plain TS, by customer margin (reference.ts). */
function matrixOfSample(a: number, b: number) {
  const rev = new Map([...customers].map(([id, c]) => [id, c.r]));
  const prof = new Map([...customers].map(([id, c]) => [id, c.p]));
  const ref = matrixRef(rev, prof, a, b);
  const count = (m: Map<string, string>, v: string) => [...m.values()].filter((x) => x === v).length;
  return { ...ref, count };
}

async function step(s: AppState): Promise<Tab[]> {
  const { first, rest, changed } = coordinator.update(s);
  await first;
  await rest;
  return changed;
}

const matrixOf = () => (shown.get('matrix') as MatrixData).r as MatrixResult;
const overviewOf = () => (shown.get('overview') as OverviewData).o as Overview;

describe('the coordinator', () => {
  it('loads every view once for new data, and nothing again for the same state', async () => {
    const s = defaultState();
    const { first, rest } = coordinator.update(s, { all: true });
    await first;
    await rest;
    expect([...shown.keys()].sort()).toEqual(['incentives', 'matrix', 'overview', 'pareto', 'quality']);
    expect(await step(s)).toEqual([]);
    expect(coordinator.plan({ ...s, tab: 'matrix' })).toEqual([]);
  });

  it('an ABC threshold change reloads the Pareto and the matrix, whose split, colours and loss-making A follow', async () => {
    const s = defaultState();
    const before = matrixOf();
    const ref80 = matrixOfSample(0.8, 0.95);
    expect(before.xSplit).toBeCloseTo(ref80.xSplit, 6);
    const next: AppState = { ...s, pareto: { ...s.pareto, a: 70, b: 90 } };
    expect(await step(next)).toEqual(['pareto', 'matrix']);
    const ref = matrixOfSample(0.7, 0.9);
    const m = matrixOf();
    expect(m.xSplit).toBeCloseTo(ref.xSplit, 6);
    expect(m.xSplit).not.toBeCloseTo(before.xSplit, 0);
    // Bubble colours follow A and B: the B threshold reached the matrix (it was fixed at 95% before).
    for (const k of ['A', 'B', 'C']) expect(m.points.filter((p) => p.cls === k).length, k).toBe(ref.count(ref.cls, k));
    expect(m.points.filter((p) => p.cls === 'B').length).not.toBe(ref80.count(ref80.cls, 'B'));
    for (const q of ['core', 'volume', 'develop', 'serve'])
      expect(m.summary.find((x) => x.quadrant === q)?.customers, q).toBe(ref.count(ref.quadrant, q));
    expect(m.lossMakingBig.map((p) => p.customer).sort()).toEqual(ref.lossA.sort());
    expect((shown.get('pareto') as ParetoData).r?.classes.find((c) => c.cls === 'A')?.customers).toBe(
      ref.count(ref.cls, 'A'),
    );
  });

  it('a quadrant chip made before a threshold change follows the new split; the matrix stays whole', async () => {
    const s = defaultState();
    await step(s);
    const chip: AppState = { ...s, clauses: [{ source: 'matrix', kind: 'quadrant', value: 'core' }] };
    // Every view but the matrix (whose own clause it is) and the data quality is filtered by it; the matrix
    // reloads only to show which quadrant is picked.
    expect(await step(chip)).toEqual(['overview', 'pareto', 'matrix', 'incentives']);
    const ref80 = matrixOfSample(0.8, 0.95);
    expect(overviewOf().customers).toBe(ref80.count(ref80.quadrant, 'core'));
    expect(matrixOf().summary.reduce((t, q) => t + q.customers, 0)).toBe(customers.size);
    const moved: AppState = { ...chip, pareto: { ...chip.pareto, a: 70, b: 90 } };
    expect(await step(moved)).toEqual(['overview', 'pareto', 'matrix', 'incentives']);
    const ref = matrixOfSample(0.7, 0.9);
    expect(ref.count(ref.quadrant, 'core')).not.toBe(ref80.count(ref80.quadrant, 'core'));
    expect(overviewOf().customers).toBe(ref.count(ref.quadrant, 'core'));
    const coreRevenue = [...ref.quadrant]
      .filter(([, q]) => q === 'core')
      .reduce((t, [id]) => t + (customers.get(id)?.r ?? 0), 0);
    expect(overviewOf().revenue).toBeCloseTo(coreRevenue, 4);
    expect(matrixOf().summary.reduce((t, q) => t + q.customers, 0)).toBe(customers.size);
  });

  it('a period reloads every view that follows filters, and compare adds the previous figures', async () => {
    await step(defaultState());
    const s: AppState = { ...defaultState(), filters: { ...defaultState().filters, period: '2025Q2' } };
    expect(await step(s)).toEqual(['overview', 'pareto', 'matrix', 'incentives']);
    const rows = csvParse(fs.readFileSync(SAMPLE, 'utf8'));
    const sum = (from: string, to: string) =>
      rows
        .filter((r) => (r.order_date as string) >= from && (r.order_date as string) <= to)
        .reduce((t, r) => t + Number(r.net_sales), 0);
    expect(overviewOf().revenue).toBeCloseTo(sum('2025-04-01', '2025-06-30'), 4);
    expect(await step({ ...s, compare: 'yoy' })).toEqual(['overview', 'pareto', 'matrix', 'incentives']);
    expect((shown.get('overview') as OverviewData).prev?.revenue).toBeCloseTo(sum('2024-04-01', '2024-06-30'), 4);
    // The tab on screen is not an input of any view.
    expect(coordinator.plan({ ...s, compare: 'yoy', tab: 'incentives' })).toEqual([]);
  });

  it('a view that needs the date range waits for it while it is read, then loads once with it', async () => {
    const loads: (string | undefined)[] = [];
    const dated: View<string> = {
      id: 'key-accounts',
      reads: () => null,
      dated: true,
      load: async (input) => {
        loads.push(input.env.periods.data?.to);
        return 'drawn';
      },
      render: () => {
        throw new Error('not drawn in Node');
      },
    };
    const c = new Coordinator([overviewView, dated] as View<unknown>[], {
      shown: () => {},
      failed: (id, e) => {
        throw new Error(`${id}: ${e}`);
      },
    });
    c.setEnv({ engine, info, caps: caps(info.mapping), dates: null, datesPending: true });
    const s = defaultState();
    const before = c.update(s, { all: true });
    expect(before.waiting).toEqual(['key-accounts']);
    await before.first;
    await before.rest;
    expect(loads).toEqual([]);
    c.patchEnv({ dates: await dateRange(engine), datesPending: false });
    const after = c.update(s);
    expect(after.changed).toEqual(['key-accounts']);
    await after.first;
    await after.rest;
    expect(loads).toEqual(['2025-12-28']);
    expect(c.update(s).changed).toEqual([]);
  });
});
