/**
 * Key-account monitoring through the coordinator, on the real engine: a seeded file with planted cases (a 35% drop,
 * an account turning loss-making, one that stops ordering, one entering class A, one leaving it), and Superstore's
 * ABC migration and seasonal index against a plain-TS computation.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { dateRange } from '../../src/analysis/dimensions';
import { type AccountType, alertsOnKeys, keyAccountsFromSegments, typeOf } from '../../src/analysis/key-accounts';
import { caps } from '../../src/analysis/rules';
import type { Engine } from '../../src/data/engine';
import type { DatasetInfo } from '../../src/data/ingest';
import { loadTargets } from '../../src/data/targets';
import { type AppState, defaultState } from '../../src/state/app-state';
import { listFromCsv } from '../../src/state/key-account-memory';
import { Coordinator } from '../../src/views/coordinator';
import { type KeyAccountData, keyAccountsView } from '../../src/views/key-accounts';
import type { View } from '../../src/views/view';
import { bufferSource, fileSource, hasShared, load, nodeRegistrar, shared } from '../helpers/files';
import { nodeEngine } from '../helpers/node-engine';
import { superstoreLines } from '../helpers/reference';

let engine: Engine;
beforeAll(async () => {
  engine = await nodeEngine();
});

/** Loads a file and returns the key-account view's data for a state, as the page would. */
async function viewData(info: DatasetInfo, s: AppState): Promise<KeyAccountData> {
  let got: KeyAccountData | null = null;
  const c = new Coordinator([keyAccountsView as View<unknown>], {
    shown: (_, d) => {
      got = d as KeyAccountData;
    },
    failed: (_, e) => {
      throw e;
    },
  });
  c.setEnv({ engine, info, caps: caps(info.mapping), dates: await dateRange(engine) });
  const { first, rest } = c.update({ ...s, tab: 'key-accounts' }, { all: true });
  await first;
  await rest;
  if (!got) throw new Error('no data');
  return got;
}

const iso = (t: number) => new Date(t).toISOString().slice(0, 10);
const day = (d: string, n: number) => iso(Date.parse(`${d}T00:00:00Z`) + n * 864e5);

/**
 * 2024 Q1 and Q2 (the data ends 30 June, so Q2 is the last complete quarter). Twenty fillers of 200 a quarter
 * stay in classes B and C; BIG1..BIG3 (5,000 a quarter) and the planted accounts make class A.
 */
function plantedFile() {
  const lines = ['customer,customer_type,date,net_sales,cost'];
  const add = (c: string, type: string, date: string, sales: number, cost: number) =>
    lines.push(`${c},${type},${date},${sales},${cost}`);
  const weekly = (c: string, type: string, from: string, to: string, perQuarter: number, margin: number) => {
    const days: string[] = [];
    for (let d = from; d <= to; d = day(d, 7)) days.push(d);
    for (const d of days) {
      const q = d < '2024-04-01' ? 0 : 1;
      const weeks = days.filter((x) => (x < '2024-04-01' ? 0 : 1) === q).length;
      const sales = perQuarter / weeks;
      add(c, type, d, Number(sales.toFixed(4)), Number((sales * (1 - margin)).toFixed(4)));
    }
  };
  for (let i = 0; i < 20; i++) {
    weekly(`F${String(i).padStart(2, '0')}`, 'Dealer', '2024-01-02', '2024-03-26', 200, 0.3);
    weekly(`F${String(i).padStart(2, '0')}`, 'Dealer', '2024-04-02', '2024-06-25', 200, 0.3);
  }
  for (const b of ['BIG1', 'BIG2', 'BIG3']) {
    weekly(b, 'Distributor', '2024-01-03', '2024-03-27', 5000, 0.3);
    weekly(b, 'Distributor', '2024-04-03', '2024-06-26', 5000, 0.3);
  }
  // Drops 35%: 6,000 -> 3,900.
  weekly('DROP', 'Strategic account', '2024-01-04', '2024-03-28', 6000, 0.3);
  weekly('DROP', 'Strategic account', '2024-04-04', '2024-06-27', 3900, 0.3);
  // Turns loss-making: a 30% margin, then -10%.
  weekly('LOSS', 'Group buyer', '2024-01-05', '2024-03-29', 5000, 0.3);
  weekly('LOSS', 'Group buyer', '2024-04-05', '2024-06-28', 5000, -0.1);
  // Orders every 7 days, the last on 8 April: 83 days before the end of the data (30 June).
  weekly('STOP', 'Strategic account', '2024-01-01', '2024-03-25', 5000, 0.3);
  weekly('STOP', 'Strategic account', '2024-04-01', '2024-04-12', 4500, 0.3);
  // Enters A: small in Q1, large in Q2 (not a key account: a candidate).
  weekly('RISE', 'Dealer', '2024-01-06', '2024-03-30', 500, 0.3);
  weekly('RISE', 'Dealer', '2024-04-06', '2024-06-29', 9000, 0.3);
  // Leaves A: large in Q1, small in Q2 (a key account).
  weekly('FALL', 'Strategic account', '2024-01-07', '2024-03-31', 9000, 0.3);
  weekly('FALL', 'Strategic account', '2024-04-07', '2024-06-30', 600, 0.3);
  return lines.join('\n');
}

describe('key accounts on a file with planted cases', () => {
  let info: DatasetInfo;
  const keys = ['DROP', 'LOSS', 'STOP', 'FALL', 'BIG1'];
  beforeAll(async () => {
    info = await load(engine, bufferSource('planted.csv', new TextEncoder().encode(plantedFile())));
  });

  it('the customer-type column names the key accounts to start from', async () => {
    const { list, named } = await keyAccountsFromSegments(engine);
    expect(named).toBe(4);
    expect(list.map((k) => `${k.customer}:${k.type}`).sort()).toEqual([
      'DROP:strategic',
      'FALL:strategic',
      'LOSS:group',
      'STOP:strategic',
    ]);
    // The largest first, at most the limit asked for.
    expect((await keyAccountsFromSegments(engine, 2)).list.map((k) => k.customer)).toEqual(['LOSS', 'DROP']);
    expect(typeOf('大客户')).toBe('major');
    expect(typeOf('Regional agent')).toBeNull();
  });

  it('raises each planted alert once, with its reason and figure, and no other account alert', async () => {
    const s = defaultState();
    const d = await viewData(info, {
      ...s,
      keys: { ...s.keys, list: keys.map((customer) => ({ customer, type: 'strategic' as AccountType })) },
    });
    expect(d.later).toMatchObject({ from: '2024-04-01', to: '2024-06-30' });
    expect(d.earlier).toMatchObject({ from: '2024-01-01', to: '2024-03-31' });
    const by = (kind: string) => d.alerts.filter((a) => a.kind === kind).map((a) => a.customer);
    // STOP is down 10%: not more than the 20% threshold.
    expect(by('drop').sort()).toEqual(['DROP', 'FALL']);
    const drop = d.alerts.find((a) => a.kind === 'drop' && a.customer === 'DROP');
    expect(drop?.figure).toBeCloseTo(3900 / 6000 - 1, 6);
    expect(drop?.reason).toMatch(/−35\.0% against 2024 Q1/);
    expect(by('loss')).toEqual(['LOSS']);
    expect(d.alerts.find((a) => a.kind === 'loss')?.figure).toBeCloseTo(-500, 2);
    expect(by('overdue')).toEqual(['STOP']);
    // From its last order (8 April) to 30 June; its usual gap is 7 days.
    expect(d.alerts.find((a) => a.kind === 'overdue')?.figure).toBe(83);
    expect(d.alerts.find((a) => a.kind === 'overdue')?.reason).toMatch(/last 2024-04-08.*every 7 days/);
    expect(by('enteredA')).toEqual(['RISE']);
    expect(by('leftA')).toEqual(['FALL']);
    expect(d.alerts.length).toBe(6);
    // On the key list: all but RISE's entry into class A (RISE is not on it); what the headline and summary count.
    expect(keys).not.toContain('RISE');
    expect(alertsOnKeys(d.alerts, d.keys)).toHaveLength(5);
  });

  it('the alert threshold follows the state, and the migration counts every customer once', async () => {
    const s = defaultState();
    const d = await viewData(info, {
      ...s,
      keys: { ...s.keys, drop: 40, list: keys.map((customer) => ({ customer, type: 'major' as AccountType })) },
    });
    expect(
      d.alerts
        .filter((a) => a.kind === 'drop')
        .map((a) => a.customer)
        .sort(),
    ).toEqual(['FALL']);
    const total = d.migration.cells.reduce((t, c) => t + c.customers, 0);
    expect(total).toBe(28);
    const cell = (f: string, t: string) => d.migration.cells.find((c) => c.from === f && c.to === t)?.customers;
    expect(cell('A', 'A')).toBeGreaterThan(0);
    expect(cell('B', 'A') ?? 0).toBeGreaterThanOrEqual(0);
  });

  it('a plan file: attainment per key account, run rate for a period still running, alerts below plan', async () => {
    const plan = [
      'Customer ID;Period;Target revenue',
      'DROP;2024q2;5.000,00',
      'BIG1;2024-04;1.000',
      'BIG1;2024-05;1.000',
      'BIG1;2024-06;1.000',
      'FALL;2024;20.000',
      'NOBODY;2024Q2;10',
      'BIG2;soon;100',
    ].join('\n');
    const r = await loadTargets(
      engine,
      bufferSource('plan.csv', new TextEncoder().encode(plan)),
      nodeRegistrar(engine),
    );
    expect(r).toMatchObject({ rows: 7, rejected: 1, customers: 4, unmatched: 1 });
    const s = defaultState();
    const keysOf = (list: string[]) => ({
      ...s.keys,
      list: list.map((customer) => ({ customer, type: 'major' as AccountType })),
    });
    // Over the whole data, plans are read on the quarter that holds the last date: 2024 Q2, complete.
    const q2 = await viewData(info, { ...s, keys: keysOf(['DROP', 'BIG1', 'FALL']) });
    expect(q2.planPeriod).toBe('2024 Q2');
    const drop = q2.plan.find((p) => p.customer === 'DROP');
    expect(drop?.target).toBe(5000);
    expect(drop?.attainment).toBeCloseTo(3900 / 5000, 6);
    expect(drop?.runRate).toBeNull();
    expect(q2.plan.find((p) => p.customer === 'BIG1')?.target).toBe(3000);
    expect(q2.plan.find((p) => p.customer === 'FALL')).toBeUndefined();
    expect(q2.alerts.filter((a) => a.kind === 'plan').map((a) => a.customer)).toEqual(['DROP']);
    // 2024, still running on 30 June (182 of 366 days): FALL's 9,600 runs to 96.5% of its 20,000.
    const y = await viewData(info, { ...s, filters: { ...s.filters, period: '2024' }, keys: keysOf(['FALL', 'DROP']) });
    const fall = y.plan.find((p) => p.customer === 'FALL');
    expect(fall?.revenue).toBeCloseTo(9600, 2);
    expect(fall?.runRate).toBeCloseTo((9600 * 366) / 182 / 20000, 4);
    expect(y.alerts.filter((a) => a.kind === 'plan').map((a) => a.customer)).toEqual(['FALL']);
  });

  it('reads a list back from its CSV export, formula-safe cells included', () => {
    const csv =
      '\uFEFFcustomer,name,type\r\nDROP,Drop Co,strategic\r\n\'=EVIL,"Evil, Inc",group\r\nX,,Major economic (volume)\r\n';
    expect(listFromCsv(csv, { major: 'Major economic (volume)' })).toEqual([
      { customer: 'DROP', type: 'strategic' },
      { customer: '=EVIL', type: 'group' },
      { customer: 'X', type: 'major' },
    ]);
  });
});

describe.skipIf(!hasShared)('Superstore: ABC migration and seasonality against plain TS', () => {
  let info: DatasetInfo;
  const FILE = shared('superstore_2023/Sample - Superstore.csv');
  beforeAll(async () => {
    info = await load(engine, fileSource(FILE));
  });

  it('period=2022&compare=prev: the migration between 2021 and 2022, and the seasonal index', async () => {
    const s = defaultState();
    const d = await viewData(info, { ...s, compare: 'prev', filters: { ...s.filters, period: '2022' } });
    // The data ends on 30 December 2022: the year is shown to date and compared to the same date of 2021.
    expect(d.later).toMatchObject({ from: '2022-01-01', to: '2022-12-30' });
    expect(d.earlier).toMatchObject({ from: '2021-01-01', to: '2021-12-30' });
    const lines = superstoreLines(FILE);
    const classes = (year: string) => {
      const rev = new Map<string, number>();
      for (const r of lines)
        if (r.date.startsWith(year) && r.date.slice(5) <= '12-30')
          rev.set(r.customer, (rev.get(r.customer) ?? 0) + r.sales);
      const ranked = [...rev].filter(([, v]) => v > 0).sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1));
      const total = ranked.reduce((t, [, v]) => t + v, 0);
      let cum = 0;
      const out = new Map<string, string>();
      for (const [id, v] of ranked) {
        out.set(id, cum / total < 0.8 - 1e-12 ? 'A' : cum / total < 0.95 - 1e-12 ? 'B' : 'C');
        cum += v;
      }
      return out;
    };
    const a = classes('2021');
    const b = classes('2022');
    const expected = new Map<string, number>();
    for (const id of new Set([...a.keys(), ...b.keys()])) {
      const key = `${a.get(id) ?? 'new'}_${b.get(id) ?? 'lost'}`;
      expected.set(key, (expected.get(key) ?? 0) + 1);
    }
    for (const c of d.migration.cells)
      expect(c.customers, `${c.from}_${c.to}`).toBe(expected.get(`${c.from}_${c.to}`) ?? 0);
    // Seasonality over the period in view (2022, a whole year): each month's total over the mean month.
    const months = Array.from({ length: 12 }, (_, i) =>
      lines.filter((r) => r.date.startsWith(`2022-${String(i + 1).padStart(2, '0')}`)).reduce((t, r) => t + r.sales, 0),
    );
    const mean = months.reduce((t, v) => t + v, 0) / 12;
    expect(d.season?.years).toEqual([2022]);
    for (const [i, m] of (d.season?.months ?? []).entries())
      expect(m.index).toBeCloseTo((months[i] as number) / mean, 9);
    const peak = months.indexOf(Math.max(...months)) + 1;
    expect(d.season?.peakMonth).toBe(peak);
  });

  it('over the whole data, the four whole calendar years are used', async () => {
    const d = await viewData(info, defaultState());
    expect(d.season?.years).toEqual([2019, 2020, 2021, 2022]);
    const lines = superstoreLines(FILE);
    const months = Array.from({ length: 12 }, (_, i) =>
      lines.filter((r) => Number(r.date.slice(5, 7)) === i + 1).reduce((t, r) => t + r.sales, 0),
    );
    const mean = months.reduce((t, v) => t + v, 0) / 12;
    for (const [i, m] of (d.season?.months ?? []).entries())
      expect(m.index).toBeCloseTo((months[i] as number) / mean, 9);
    // No key accounts: the migration and seasonality still show, no account alert.
    expect(d.alerts.every((a) => a.customer === null || a.kind === 'enteredA' || a.kind === 'leftA')).toBe(true);
  });
});
