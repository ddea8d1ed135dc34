/**
 * Pareto, ABC, Lorenz/Gini, HHI, concentration flags, stress test and the profit whale curve.
 * Definitions follow DESIGN.md exactly: customers with metric <= 0 are left out of Pareto/Gini/HHI and
 * reported separately; the whale curve uses every customer's profit.
 */
import type { Engine } from '../data/engine';
import { str as sqlText } from '../data/parse';
import { customerBase } from './customers';
import type { Filters } from './filters';

export type ParetoMetric = 'revenue' | 'profit' | 'customer_profit' | 'quantity';

export interface ParetoOptions {
  metric: ParetoMetric;
  /** ABC class boundaries as cumulative shares, a < b. */
  a: number;
  b: number;
  /** Maximum number of points per curve sent to the page. */
  maxPoints?: number;
}

export const DEFAULT_PARETO: ParetoOptions = { metric: 'revenue', a: 0.8, b: 0.95 };

/** Column of the customer table (analysis/customers.ts) that holds each metric. */
const METRIC_COLUMN: Record<ParetoMetric, string> = {
  revenue: 'revenue',
  profit: 'profit',
  customer_profit: 'customer_profit',
  quantity: 'quantity',
};

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

/** Customers with rank and cumulative share by one metric, as SQL over the customer table. */
export function rankedSql(customers: string, metric: ParetoMetric): string {
  return `WITH pos AS (SELECT *, ${METRIC_COLUMN[metric]} AS m FROM ${customers} WHERE ${METRIC_COLUMN[metric]} > 0),
  r AS (SELECT *, row_number() OVER w AS k, count(*) OVER () AS n, sum(m) OVER () AS t,
      sum(m) OVER (w ROWS UNBOUNDED PRECEDING) AS cum
    FROM pos WINDOW w AS (ORDER BY m DESC, customer))
  SELECT *, m / t AS share, cum / t AS cum_share FROM r`;
}

/** The ranked table with its ABC class for thresholds a and b: a threshold change re-ranks nothing. */
export function withClass(ranked: string, o: ParetoOptions): string {
  return `(SELECT *, CASE WHEN (cum - m) / t < ${o.a} - 1e-12 THEN 'A' WHEN (cum - m) / t < ${o.b} - 1e-12 THEN 'B' ELSE 'C' END AS cls FROM ${ranked})`;
}

const rankedKeys = new WeakMap<Engine, string>();

/**
 * The ranked customers of a customer table for some options, materialised as `cache_ranked` and shared by the
 * Pareto figures, the segment breakdown and the customer table (dropped with the other caches on a new load).
 */
export async function rankedTable(engine: Engine, cust: string, o: ParetoOptions): Promise<string> {
  const key = `${cust}|${o.metric}`;
  if (rankedKeys.get(engine) === key) {
    const [t] = await engine.query<{ n: number }>(
      "SELECT count(*) AS n FROM duckdb_tables() WHERE table_name = 'cache_ranked'",
    );
    if (t?.n) return 'cache_ranked';
  }
  await engine.exec(`CREATE OR REPLACE TABLE cache_ranked AS ${rankedSql(cust, o.metric)}`);
  rankedKeys.set(engine, key);
  return 'cache_ranked';
}

export async function pareto(engine: Engine, filters: Filters, o: ParetoOptions): Promise<ParetoResult | null> {
  const cust = await customerBase(engine, filters);
  // Rank once; the figures below are cheap scans of this small table.
  const x = await rankedTable(engine, cust, o);
  const maxPoints = o.maxPoints ?? 800;
  const [s] = await engine.query<Record<string, number | null>>(`SELECT any_value(n) AS n, any_value(t) AS t,
      min(k) FILTER (WHERE cum_share >= 0.8 - 1e-12) AS k80,
      CAST(ceil(0.2 * any_value(n)) AS INTEGER) AS k20,
      max(cum_share) FILTER (WHERE k = CAST(ceil(0.2 * n) AS INTEGER)) AS top20,
      2 * sum((n - k + 1) * m) / (any_value(n) * any_value(t)) - (any_value(n) + 1) / any_value(n) AS gini,
      sum(power(100 * share, 2)) AS hhi, 1 / sum(share * share) AS eff,
      any_value(rev) AS rev, any_value(prof) AS prof, any_value(ex_n) AS ex_n, any_value(ex_m) AS ex_m
    FROM ${x}, (SELECT sum(revenue) AS rev, sum(profit) AS prof,
      count(*) FILTER (WHERE NOT coalesce(${METRIC_COLUMN[o.metric]} > 0, false)) AS ex_n,
      coalesce(sum(${METRIC_COLUMN[o.metric]}) FILTER (WHERE ${METRIC_COLUMN[o.metric]} <= 0), 0) AS ex_m FROM ${cust})`);
  if (!s?.n) return null;
  const n = s.n as number;
  const tops = [1, 5, 10, 20].filter((t) => t <= n);
  // The largest 20 customers answer the top-N shares and the stress test.
  const head = await engine.query<{ k: number; cum_share: number; revenue: number; profit: number | null }>(
    `SELECT k, cum_share, revenue, profit FROM ${x} WHERE k <= 20 ORDER BY k`,
  );
  const upTo = (k: number, f: (r: (typeof head)[number]) => number | null) =>
    head.filter((r) => r.k <= k).reduce((a, r) => a + (f(r) ?? 0), 0);
  const totalRev = (s.rev as number | null) ?? 0;
  const totalProf = s.prof as number | null;
  const topRows = tops.map((t) => ({
    n: t,
    ms: head.find((r) => r.k === t)?.cum_share ?? 0,
    ps: totalProf ? upTo(t, (r) => r.profit) / totalProf : null,
  }));
  const flagged = await engine.query<FlaggedCustomer>(
    `SELECT customer, label, share, m AS metric FROM ${x} WHERE share >= 0.1 - 1e-12 ORDER BY k`,
  );
  const stress = [1, 3]
    .filter((l) => l <= n)
    .map((lost) => ({
      lost,
      revenue: totalRev - upTo(lost, (r) => r.revenue),
      profit: totalProf === null ? null : totalProf - upTo(lost, (r) => r.profit),
    }));
  const ex = { customers: s.ex_n as number, metric: s.ex_m as number };
  const classes = await engine.query<AbcClass>(`SELECT cls, count(*) AS customers, sum(m) AS metric,
      sum(revenue) AS revenue, sum(profit) AS profit, sum(profit) / NULLIF(sum(revenue), 0) AS margin
    FROM ${withClass(x, o)} GROUP BY cls ORDER BY cls`);
  const step = Math.max(1, Math.ceil(n / maxPoints));
  const k80 = s.k80 ?? n;
  const k20 = s.k20 ?? 1;
  // Keep every step-th customer plus the annotated ones, so the drawn curve is exact where it is labelled.
  const curve = await engine.query<CurvePoint>(`SELECT k / n AS x, cum_share AS y, k FROM ${x}
    WHERE k % ${step} = 0 OR k IN (1, ${k80}, ${k20}, n) ORDER BY k`);
  // The Lorenz curve is the Pareto curve seen from the small end: after the top k, the rest hold 1 - C_k.
  const lorenz = [...curve].reverse().map((p) => ({ x: 1 - p.x, y: 1 - p.y, k: n - p.k }));
  return {
    metric: o.metric,
    customers: n,
    total: s.t as number,
    excluded: ex,
    customersFor80: k80,
    customersFor80Share: k80 / n,
    top20Count: k20,
    top20Share: s.top20 as number,
    gini: Math.max(0, s.gini as number),
    hhi: s.hhi as number,
    effectiveCustomers: s.eff as number,
    topShares: topRows.map((r) => ({ n: r.n, metricShare: r.ms, profitShare: r.ps })),
    flagged,
    stress: stress.map((r) => ({
      lost: r.lost,
      revenue: r.revenue,
      profit: totalProf === null ? null : r.profit,
      revenueDrop: totalRev ? 1 - r.revenue / totalRev : 0,
      profitDrop: totalProf ? 1 - (r.profit ?? 0) / totalProf : null,
    })),
    classes,
    curve: [{ x: 0, y: 0, k: 0 }, ...curve],
    lorenz: [...lorenz, { x: 1, y: 1, k: n }],
  };
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
  // Ranked once into a temporary table that the three queries below read.
  await engine.exec(`CREATE OR REPLACE TEMP TABLE whale_ranked AS
    WITH c AS (SELECT customer, customer_profit AS p FROM ${cust} WHERE profit_lines > 0),
    r AS (SELECT *, row_number() OVER w AS k, sum(p) OVER (w ROWS UNBOUNDED PRECEDING) AS cum
      FROM c WINDOW w AS (ORDER BY p DESC, customer))
    SELECT r.*, n, t FROM r, (SELECT count(*) AS n, sum(p) AS t FROM c)`);
  const base = 'WITH r AS (SELECT * FROM whale_ranked)';
  const [s] = await engine.query<Record<string, number | null>>(`${base}
    SELECT any_value(n) AS n, any_value(t) AS t, max(cum / t) AS peak, arg_max(k, cum) AS peak_k,
      count(*) FILTER (WHERE p < 0) AS losers, coalesce(sum(p) FILTER (WHERE p < 0), 0) AS loss FROM r`);
  if (!s?.n || !s.t || (s.t as number) <= 0) return null;
  const n = s.n as number;
  const step = Math.max(1, Math.ceil(n / maxPoints));
  const curve = await engine.query<CurvePoint>(`${base}
    SELECT k / n AS x, cum / t AS y, k FROM r WHERE k % ${step} = 0 OR k IN (1, ${s.peak_k}, n) ORDER BY k`);
  const worst = await engine.query<WhaleResult['worst'][number]>(`${base}
    SELECT customer, label, p AS profit, revenue FROM r JOIN ${cust} USING (customer)
    WHERE p < 0 ORDER BY p, customer LIMIT 10`);
  return {
    customers: n,
    totalProfit: s.t as number,
    peakShare: s.peak as number,
    peakAt: s.peak_k as number,
    peakAtShare: (s.peak_k as number) / n,
    unprofitable: s.losers as number,
    unprofitableLoss: s.loss as number,
    worst,
    curve: [{ x: 0, y: 0, k: 0 }, ...curve],
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
  const ranked = await rankedTable(engine, await customerBase(engine, filters), o);
  const rows = await engine.query<CustomerRow>(`WITH x AS (SELECT * FROM ${withClass(ranked, o)})
    SELECT k, customer, label, m, revenue, profit, share, cum_share, cls FROM x ${w}
    ORDER BY ${col} ${dir} NULLS LAST, k LIMIT ${Math.min(q.limit ?? 200, 5000)}`);
  const [t] = await engine.query<{ total: number; revenue: number; profit: number | null; m: number }>(
    `WITH x AS (SELECT * FROM ${withClass(ranked, o)}) SELECT count(*) AS total, coalesce(sum(revenue), 0) AS revenue, sum(profit) AS profit, coalesce(sum(m), 0) AS m FROM x ${w}`,
  );
  return { rows, total: t?.total ?? 0, totals: { revenue: t?.revenue ?? 0, profit: t?.profit ?? null, m: t?.m ?? 0 } };
}
