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

/** Customers with rank, cumulative share and ABC class, as SQL over the customer table. */
export function rankedSql(customers: string, o: ParetoOptions): string {
  return `WITH pos AS (SELECT *, ${METRIC_COLUMN[o.metric]} AS m FROM ${customers} WHERE ${METRIC_COLUMN[o.metric]} > 0),
  r AS (SELECT *, row_number() OVER w AS k, count(*) OVER () AS n, sum(m) OVER () AS t,
      sum(m) OVER (w ROWS UNBOUNDED PRECEDING) AS cum
    FROM pos WINDOW w AS (ORDER BY m DESC, customer))
  SELECT *, m / t AS share, cum / t AS cum_share,
    CASE WHEN (cum - m) / t < ${o.a} - 1e-12 THEN 'A' WHEN (cum - m) / t < ${o.b} - 1e-12 THEN 'B' ELSE 'C' END AS cls
  FROM r`;
}

export async function pareto(engine: Engine, filters: Filters, o: ParetoOptions): Promise<ParetoResult | null> {
  const cust = await customerBase(engine, filters);
  // Rank once; the figures below are cheap scans of this small table.
  await engine.exec(`CREATE OR REPLACE TEMP TABLE ranked_cache AS ${rankedSql(cust, o)}`);
  const ranked = 'SELECT * FROM ranked_cache';
  const maxPoints = o.maxPoints ?? 800;
  const [s] = await engine.query<Record<string, number | null>>(`WITH x AS (${ranked})
    SELECT any_value(n) AS n, any_value(t) AS t,
      min(k) FILTER (WHERE cum_share >= 0.8 - 1e-12) AS k80,
      CAST(ceil(0.2 * any_value(n)) AS INTEGER) AS k20,
      max(cum_share) FILTER (WHERE k = CAST(ceil(0.2 * n) AS INTEGER)) AS top20,
      2 * sum((n - k + 1) * m) / (any_value(n) * any_value(t)) - (any_value(n) + 1) / any_value(n) AS gini,
      sum(power(100 * share, 2)) AS hhi, 1 / sum(share * share) AS eff,
      sum(revenue) AS rev, sum(profit) AS prof
    FROM x`);
  if (!s?.n) return null;
  const n = s.n as number;
  const [ex] = await engine.query<{
    customers: number;
    metric: number;
  }>(`SELECT count(*) AS customers, coalesce(sum(m), 0) AS metric
    FROM (SELECT ${METRIC_COLUMN[o.metric]} AS m FROM ${cust}) WHERE m <= 0 OR m IS NULL`);
  const tops = [1, 5, 10, 20].filter((t) => t <= n);
  const topRows = await engine.query<{ n: number; ms: number; ps: number | null }>(`WITH x AS (${ranked}),
    all_c AS (SELECT sum(profit) AS ptot FROM ${cust})
    SELECT t.n, max(cum_share) FILTER (WHERE k = t.n) AS ms,
      sum(profit) FILTER (WHERE k <= t.n) / NULLIF(any_value(ptot), 0) AS ps
    FROM (SELECT unnest([${tops.join(',')}]) AS n) t, x, all_c GROUP BY t.n ORDER BY t.n`);
  const flagged = await engine.query<FlaggedCustomer>(`WITH x AS (${ranked})
    SELECT customer, label, share, m AS metric FROM x WHERE share >= 0.1 - 1e-12 ORDER BY k`);
  const stress = await engine.query<{ lost: number; revenue: number; profit: number | null }>(`WITH x AS (${ranked}),
    tot AS (SELECT sum(revenue) AS rev, sum(profit) AS prof FROM ${cust})
    SELECT t.lost, any_value(rev) - coalesce(sum(revenue) FILTER (WHERE k <= t.lost), 0) AS revenue,
      any_value(prof) - coalesce(sum(profit) FILTER (WHERE k <= t.lost), 0) AS profit
    FROM (SELECT unnest([1, 3]) AS lost) t, x, tot WHERE t.lost <= ${n} GROUP BY t.lost ORDER BY t.lost`);
  const [tot] = await engine.query<{ rev: number; prof: number | null }>(
    `SELECT sum(revenue) AS rev, sum(profit) AS prof FROM ${cust}`,
  );
  const classes = await engine.query<AbcClass>(`WITH x AS (${ranked})
    SELECT cls, count(*) AS customers, sum(m) AS metric, sum(revenue) AS revenue, sum(profit) AS profit,
      sum(profit) / NULLIF(sum(revenue), 0) AS margin FROM x GROUP BY cls ORDER BY cls`);
  const step = Math.max(1, Math.ceil(n / maxPoints));
  const k80 = s.k80 ?? n;
  const k20 = s.k20 ?? 1;
  // Keep every step-th customer plus the annotated ones, so the drawn curve is exact where it is labelled.
  const curve = await engine.query<CurvePoint>(`WITH x AS (${ranked})
    SELECT k / n AS x, cum_share AS y, k FROM x WHERE k % ${step} = 0 OR k IN (1, ${k80}, ${k20}, n) ORDER BY k`);
  const lorenz = await engine.query<CurvePoint>(`WITH x AS (${ranked}),
    a AS (SELECT n - k + 1 AS i, n, sum(m) OVER (ORDER BY k DESC ROWS UNBOUNDED PRECEDING) / t AS y FROM x)
    SELECT i / n AS x, y, i AS k FROM a WHERE i % ${step} = 0 OR i = n ORDER BY i`);
  const totalRev = tot?.rev ?? 0;
  const totalProf = tot?.prof ?? null;
  return {
    metric: o.metric,
    customers: n,
    total: s.t as number,
    excluded: { customers: ex?.customers ?? 0, metric: ex?.metric ?? 0 },
    customersFor80: k80,
    customersFor80Share: k80 / n,
    top20Count: k20,
    top20Share: s.top20 as number,
    gini: Math.max(0, s.gini as number),
    hhi: s.hhi as number,
    effectiveCustomers: s.eff as number,
    topShares: topRows.map((r) => ({ n: r.n, metricShare: r.ms, profitShare: totalProf === null ? null : r.ps })),
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
    lorenz: [{ x: 0, y: 0, k: 0 }, ...lorenz],
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
  const base = `WITH c AS (SELECT customer, label, customer_profit AS p, revenue FROM ${cust} WHERE profit_lines > 0),
    r AS (SELECT *, row_number() OVER w AS k, count(*) OVER () AS n, sum(p) OVER () AS t,
      sum(p) OVER (w ROWS UNBOUNDED PRECEDING) AS cum FROM c WINDOW w AS (ORDER BY p DESC, customer))`;
  const [s] = await engine.query<Record<string, number | null>>(`${base}
    SELECT any_value(n) AS n, any_value(t) AS t, max(cum / t) AS peak, arg_max(k, cum) AS peak_k,
      count(*) FILTER (WHERE p < 0) AS losers, coalesce(sum(p) FILTER (WHERE p < 0), 0) AS loss FROM r`);
  if (!s?.n || !s.t || (s.t as number) <= 0) return null;
  const n = s.n as number;
  const step = Math.max(1, Math.ceil(n / maxPoints));
  const curve = await engine.query<CurvePoint>(`${base}
    SELECT k / n AS x, cum / t AS y, k FROM r WHERE k % ${step} = 0 OR k IN (1, ${s.peak_k}, n) ORDER BY k`);
  const worst = await engine.query<WhaleResult['worst'][number]>(`${base}
    SELECT customer, label, p AS profit, revenue FROM r WHERE p < 0 ORDER BY p LIMIT 10`);
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
  const cust = await customerBase(engine, filters);
  const rows = await engine.query<CustomerRow>(`WITH x AS (${rankedSql(cust, o)})
    SELECT k, customer, label, m, revenue, profit, share, cum_share, cls FROM x ${w}
    ORDER BY ${col} ${dir} NULLS LAST, k LIMIT ${Math.min(q.limit ?? 200, 5000)}`);
  const [t] = await engine.query<{ total: number; revenue: number; profit: number | null; m: number }>(
    `WITH x AS (${rankedSql(cust, o)}) SELECT count(*) AS total, coalesce(sum(revenue), 0) AS revenue, sum(profit) AS profit, coalesce(sum(m), 0) AS m FROM x ${w}`,
  );
  return { rows, total: t?.total ?? 0, totals: { revenue: t?.revenue ?? 0, profit: t?.profit ?? null, m: t?.m ?? 0 } };
}
