/**
 * Pareto, ABC, Lorenz/Gini, HHI, concentration flags, stress test and the profit whale curve.
 * Definitions follow DESIGN.md exactly: customers with metric <= 0 are left out of Pareto/Gini/HHI and
 * reported separately; the whale curve uses every customer's profit.
 */
import type { Engine } from '../data/engine';
import { str as sqlText } from '../data/parse';
import { cachedTable, memo } from './cache';
import { customerBase, customerFull, labelsOf } from './customers';
import type { Filters } from './filters';
import { abcClassSql, type ParetoMetric, rankedSql, SHARE_BEFORE } from './rules';

export type { ParetoMetric };

export interface ParetoOptions {
  metric: ParetoMetric;
  /** ABC class boundaries as cumulative shares, a < b. */
  a: number;
  b: number;
  /** Maximum number of points per curve sent to the page. */
  maxPoints?: number;
}

export const DEFAULT_PARETO: ParetoOptions = { metric: 'revenue', a: 0.8, b: 0.95 };

export interface CurvePoint {
  /** Cumulative share of customers, k/N. */
  x: number;
  /** Cumulative share of the metric. */
  y: number;
  k: number;
}

export interface AbcClass {
  cls: 'A' | 'B' | 'C';
  customers: number;
  metric: number;
  revenue: number;
  profit: number | null;
  margin: number | null;
}

export interface FlaggedCustomer {
  customer: string;
  label: string;
  share: number;
  metric: number;
}

export interface ParetoResult {
  metric: ParetoMetric;
  /** Customers with a positive metric: the population of every figure below. */
  customers: number;
  total: number;
  excluded: { customers: number; metric: number };
  customersFor80: number;
  customersFor80Share: number;
  top20Count: number;
  top20Share: number;
  gini: number;
  hhi: number;
  effectiveCustomers: number;
  topShares: { n: number; metricShare: number; profitShare: number | null }[];
  flagged: FlaggedCustomer[];
  stress: { lost: number; revenue: number; profit: number | null; revenueDrop: number; profitDrop: number | null }[];
  classes: AbcClass[];
  curve: CurvePoint[];
  lorenz: CurvePoint[];
}

/** The ranked table with its ABC class for thresholds a and b: a threshold change re-ranks nothing. */
export function withClass(ranked: string, o: ParetoOptions): string {
  return `(SELECT *, ${abcClassSql(SHARE_BEFORE, o.a, o.b)} AS cls FROM ${ranked})`;
}

/**
 * The ranked customers of a customer table for a metric, materialised and shared by the Pareto figures, the
 * segment breakdown and the customer table.
 */
export function rankedTable(engine: Engine, cust: string, o: Pick<ParetoOptions, 'metric'>): Promise<string> {
  return cachedTable(engine, 'ranked', rankedSql(cust, o.metric));
}

/**
 * One metric of every customer with a positive value, ranked in SQL (metric descending, then customer ID), with
 * revenue and profit beside it: the Pareto figures are running sums over these arrays. Kept per customer table
 * and metric, so a threshold change costs no query.
 */
interface RankedValues {
  m: Float64Array;
  revenue: Float64Array;
  /** NaN where the customer's profit is unknown. */
  profit: Float64Array;
  /** Over every customer, ranked or not. */
  totals: { revenue: number; profit: number | null };
  /** Customers left out of the ranking (metric zero, negative or unknown) and the sum of their non-positive metric. */
  excluded: { customers: number; metric: number };
  /** Customers with 10% or more of the metric, with their names. */
  flagged: FlaggedCustomer[];
}
function rankedByMetric(engine: Engine, filters: Filters, cust: string, metric: ParetoMetric): Promise<RankedValues> {
  return memo(engine, `ranked|${cust}|${metric}|${JSON.stringify(filters)}`, () =>
    readRanked(engine, filters, cust, metric),
  );
}

async function readRanked(engine: Engine, filters: Filters, cust: string, metric: ParetoMetric): Promise<RankedValues> {
  const col = metric;
  // Every customer, so the totals and the excluded ones come from the same read: unranked ones sort last. Each
  // column once: moving 100k doubles out of the worker costs ~15 ms a column. The ≥ 10% list is asked alongside:
  // the worker answers it while this thread reads the arrays.
  const cols = [...new Set(['revenue', 'profit', col])];
  const [r, flaggedRows] = await Promise.all([
    engine.numbers(`SELECT ${cols.join(', ')} FROM ${cust} ORDER BY ${col} DESC NULLS LAST, customer`),
    engine.query<Omit<FlaggedCustomer, 'label'>>(
      `WITH t AS (SELECT sum(${col}) AS t FROM ${cust} WHERE ${col} > 0)
       SELECT customer, ${col} / t AS share, ${col} AS metric FROM ${cust}, t
       WHERE ${col} > 0 AND ${col} / t >= 0.1 - 1e-12 ORDER BY ${col} DESC, customer`,
    ),
  ]);
  const empty = new Float64Array();
  const all = { m: r[col] ?? empty, revenue: r.revenue ?? empty, profit: r.profit ?? empty };
  let n = 0;
  while (n < all.m.length && (all.m[n] as number) > 0) n++;
  let exMetric = 0;
  for (let i = n; i < all.m.length; i++) if ((all.m[i] as number) <= 0) exMetric += all.m[i] as number;
  const values: RankedValues = {
    m: all.m.subarray(0, n),
    revenue: all.revenue.subarray(0, n),
    profit: all.profit.subarray(0, n),
    totals: { revenue: knownSum(all.revenue, 0, all.m.length) ?? 0, profit: knownSum(all.profit, 0, all.m.length) },
    excluded: { customers: all.m.length - n, metric: exMetric },
    flagged: await withLabels(engine, filters, flaggedRows),
  };
  return values;
}

/** The few customers of a list with their names. */
async function withLabels<T extends { customer: string }>(
  engine: Engine,
  filters: Filters,
  rows: T[],
): Promise<(T & { label: string })[]> {
  const names = await labelsOf(
    engine,
    filters,
    rows.map((r) => r.customer),
  );
  return rows.map((r) => ({ ...r, label: names.get(r.customer) ?? r.customer }));
}

/** Sum of the known (non-NaN) values; null when none is known, as SQL's sum() of NULLs. */
function knownSum(xs: Float64Array, from: number, to: number): number | null {
  let s = 0;
  let any = false;
  for (let i = from; i < to; i++) {
    const x = xs[i] as number;
    if (!Number.isNaN(x)) {
      s += x;
      any = true;
    }
  }
  return any ? s : null;
}

export async function pareto(engine: Engine, filters: Filters, o: ParetoOptions): Promise<ParetoResult | null> {
  // Volume is not a headline figure: it is in the full customer table only.
  const cust = await (o.metric === 'quantity' ? customerFull : customerBase)(engine, filters);
  // Kept per customer table and metric: a threshold change runs no query.
  const { m, revenue, profit, totals, excluded, flagged } = await rankedByMetric(engine, filters, cust, o.metric);
  const n = m.length;
  if (!n) return null;
  // Running sums in rank order: cum[k-1] is the metric of the top k customers.
  const cum = new Float64Array(n);
  let t = 0;
  for (let i = 0; i < n; i++) {
    t += m[i] as number;
    cum[i] = t;
  }
  let k80 = n;
  let giniSum = 0;
  let sq = 0;
  for (let i = 0; i < n; i++) {
    if (k80 === n && (cum[i] as number) / t >= 0.8 - 1e-12) k80 = i + 1;
    giniSum += (n - i) * (m[i] as number);
    sq += ((m[i] as number) / t) ** 2;
  }
  const k20 = Math.ceil(0.2 * n);
  const cumShare = (k: number) => (cum[k - 1] as number) / t;
  const totalRev = totals.revenue;
  const totalProf = totals.profit;
  const topProfit = (k: number) => knownSum(profit, 0, k) ?? 0;
  const topRevenue = (k: number) => knownSum(revenue, 0, k) ?? 0;
  // ABC classes by the cumulative share before each customer (DESIGN.md: A while it is below a, and so on).
  const classes: AbcClass[] = [];
  for (const [cls, lo, hi] of classRanges(cum, m, t, o)) {
    if (hi <= lo) continue;
    const metric = (cum[hi - 1] as number) - (lo ? (cum[lo - 1] as number) : 0);
    const rev = knownSum(revenue, lo, hi) ?? 0;
    const prof = knownSum(profit, lo, hi);
    classes.push({
      cls,
      customers: hi - lo,
      metric,
      revenue: rev,
      profit: prof,
      margin: prof === null || rev === 0 ? null : prof / rev,
    });
  }
  const step = Math.max(1, Math.ceil(n / (o.maxPoints ?? 800)));
  // Every step-th customer plus the annotated ones, so the drawn curve is exact where it is labelled.
  const curve: CurvePoint[] = [];
  for (let k = 1; k <= n; k++) {
    if (k % step === 0 || k === 1 || k === k80 || k === k20 || k === n) curve.push({ x: k / n, y: cumShare(k), k });
  }
  // The Lorenz curve is the Pareto curve seen from the small end: after the top k, the rest hold 1 - C_k.
  const lorenz = [...curve].reverse().map((p) => ({ x: 1 - p.x, y: 1 - p.y, k: n - p.k }));
  const tops = [1, 5, 10, 20].filter((k) => k <= n);
  return {
    metric: o.metric,
    customers: n,
    total: t,
    excluded,
    customersFor80: k80,
    customersFor80Share: k80 / n,
    top20Count: k20,
    top20Share: cumShare(k20),
    gini: Math.max(0, (2 * giniSum) / (n * t) - (n + 1) / n),
    hhi: 10_000 * sq,
    effectiveCustomers: 1 / sq,
    topShares: tops.map((k) => ({
      n: k,
      metricShare: cumShare(k),
      profitShare: totalProf ? topProfit(k) / totalProf : null,
    })),
    flagged,
    stress: [1, 3]
      .filter((lost) => lost <= n)
      .map((lost) => {
        const rest = totalRev - topRevenue(lost);
        const restProfit = totalProf === null ? null : totalProf - topProfit(lost);
        return {
          lost,
          revenue: rest,
          profit: restProfit,
          revenueDrop: totalRev ? 1 - rest / totalRev : 0,
          profitDrop: totalProf ? 1 - (restProfit ?? 0) / totalProf : null,
        };
      }),
    classes,
    curve: [{ x: 0, y: 0, k: 0 }, ...curve],
    lorenz: [...lorenz, { x: 1, y: 1, k: n }],
  };
}

/** [class, first index, end index] of the ranked customers in each ABC class. */
function classRanges(
  cum: Float64Array,
  m: Float64Array,
  t: number,
  o: ParetoOptions,
): ['A' | 'B' | 'C', number, number][] {
  const n = m.length;
  let a = 0;
  let b = 0;
  // The cumulative share before customer i is (cum[i] - m[i]) / t, which grows with i.
  while (a < n && ((cum[a] as number) - (m[a] as number)) / t < o.a - 1e-12) a++;
  b = a;
  while (b < n && ((cum[b] as number) - (m[b] as number)) / t < o.b - 1e-12) b++;
  return [
    ['A', 0, a],
    ['B', a, b],
    ['C', b, n],
  ];
}

export interface WhaleResult {
  customers: number;
  totalProfit: number;
  peakShare: number;
  peakAt: number;
  peakAtShare: number;
  unprofitable: number;
  unprofitableLoss: number;
  worst: { customer: string; label: string; profit: number; revenue: number }[];
  curve: CurvePoint[];
}

/**
 * Kaplan's whale curve: cumulative customer profit (gross profit less rebates, co-op and freight where known),
 * customers sorted by it, most profitable first.
 */
export async function whale(engine: Engine, filters: Filters, maxPoints = 800): Promise<WhaleResult | null> {
  const cust = await customerBase(engine, filters);
  // Ranked in SQL on the number alone: the order of equal profits cannot change a running sum (sorting 500k
  // customers on the page's thread took 60 ms). The sum, its peak and the losses are one pass over the array.
  const [{ p }, worstRows] = await Promise.all([
    engine.numbers(`SELECT customer_profit AS p FROM ${cust} WHERE profit_lines > 0 ORDER BY p DESC`),
    engine.query<Omit<WhaleResult['worst'][number], 'label'>>(
      `SELECT customer, customer_profit AS profit, revenue FROM ${cust}
       WHERE profit_lines > 0 AND customer_profit < 0 ORDER BY customer_profit, customer LIMIT 10`,
    ),
  ]);
  const n = p?.length ?? 0;
  if (!p || !n) return null;
  let t = 0;
  let peak = Number.NEGATIVE_INFINITY;
  let peakK = 0;
  let losers = 0;
  let loss = 0;
  const cum = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const x = p[i] as number;
    t += x;
    cum[i] = t;
    if (t > peak) {
      peak = t;
      peakK = i + 1;
    }
    if (x < 0) {
      losers++;
      loss += x;
    }
  }
  if (t <= 0) return null;
  const step = Math.max(1, Math.ceil(n / maxPoints));
  const curve: CurvePoint[] = [{ x: 0, y: 0, k: 0 }];
  for (let k = 1; k <= n; k++) {
    if (k % step === 0 || k === 1 || k === peakK || k === n) curve.push({ x: k / n, y: (cum[k - 1] as number) / t, k });
  }
  const worst = await withLabels(engine, filters, worstRows);
  return {
    customers: n,
    totalProfit: t,
    peakShare: peak / t,
    peakAt: peakK,
    peakAtShare: peakK / n,
    unprofitable: losers,
    unprofitableLoss: loss,
    worst,
    curve,
  };
}

export interface CustomerRow {
  k: number;
  customer: string;
  label: string;
  m: number;
  revenue: number;
  profit: number | null;
  share: number;
  cum_share: number;
  cls: 'A' | 'B' | 'C';
}

export type SortKey = 'k' | 'label' | 'revenue' | 'profit' | 'margin';

/** One page of the ranked customer table, searched and sorted in SQL. */
export async function customerTable(
  engine: Engine,
  filters: Filters,
  o: ParetoOptions,
  q: { search?: string; sort?: SortKey; desc?: boolean; limit?: number; cls?: string } = {},
): Promise<{ rows: CustomerRow[]; total: number; totals: { revenue: number; profit: number | null; m: number } }> {
  const where: string[] = [];
  if (q.search)
    where.push(`(label ILIKE '%' || ${sqlText(q.search)} || '%' OR customer ILIKE '%' || ${sqlText(q.search)} || '%')`);
  if (q.cls && /^[ABC]$/.test(q.cls)) where.push(`cls = '${q.cls}'`);
  const w = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const col = { k: 'k', label: 'label', revenue: 'revenue', profit: 'profit', margin: 'profit / NULLIF(revenue, 0)' }[
    q.sort ?? 'k'
  ];
  const dir = q.desc ? 'DESC' : 'ASC';
  const ranked = await rankedTable(engine, await customerFull(engine, filters), o);
  const rows = await engine.query<CustomerRow>(`WITH x AS (SELECT * FROM ${withClass(ranked, o)})
    SELECT k, customer, label, m, revenue, profit, share, cum_share, cls FROM x ${w}
    ORDER BY ${col} ${dir} NULLS LAST, k LIMIT ${Math.min(q.limit ?? 200, 5000)}`);
  const [t] = await engine.query<{ total: number; revenue: number; profit: number | null; m: number }>(
    `WITH x AS (SELECT * FROM ${withClass(ranked, o)}) SELECT count(*) AS total, coalesce(sum(revenue), 0) AS revenue, sum(profit) AS profit, coalesce(sum(m), 0) AS m FROM x ${w}`,
  );
  return { rows, total: t?.total ?? 0, totals: { revenue: t?.revenue ?? 0, profit: t?.profit ?? null, m: t?.m ?? 0 } };
}
