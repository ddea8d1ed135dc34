/**
 * Business rules written once, as SQL fragments every analysis (and every cross-filter) uses: the ABC class, the
 * value-matrix quadrant and its default splits, the customer label, the pocket price, and what a file can show.
 */
import type { Mapping } from '../data/roles';

/** Customers within this of a threshold share count as below it: a running sum of doubles carries noise. */
const EPS = '1e-12';

/**
 * ABC class from the cumulative share *before* a customer (DESIGN.md: the customer that crosses `a` is A). `a` and
 * `b` are fractions; `before` is an SQL expression of the share before the customer.
 */
export function abcClassSql(before: string, a: number, b: number): string {
  return `CASE WHEN ${before} < ${num(a)} - ${EPS} THEN 'A' WHEN ${before} < ${num(b)} - ${EPS} THEN 'B' ELSE 'C' END`;
}

/** The share before a customer, over a relation ranked by rankedSql (m, cum, t). */
export const SHARE_BEFORE = '(cum - m) / t';

export type Quadrant = 'core' | 'volume' | 'develop' | 'serve';
export type MarginKind = 'gross' | 'customer';

export const profitColumn = (m: MarginKind) => (m === 'customer' ? 'customer_profit' : 'profit');

/** The quadrant of a customer with revenue `revenue` and margin `margin` against splits `x` (revenue) and `y`. */
export function quadrantSql(revenue: string, margin: string, x: string | number, y: string | number): string {
  return `CASE WHEN ${revenue} >= ${x} THEN (CASE WHEN ${margin} >= ${y} THEN 'core' ELSE 'volume' END)
    ELSE (CASE WHEN ${margin} >= ${y} THEN 'develop' ELSE 'serve' END) END`;
}

/**
 * The matrix's default splits over customers ranked by revenue (rankedSql with metric revenue): the smallest A-class
 * revenue on x, and the portfolio margin (customers with a known margin) on y.
 */
export function defaultSplitsSql(ranked: string, a: number, margin: MarginKind): string {
  const p = profitColumn(margin);
  return `SELECT min(revenue) FILTER (WHERE ${SHARE_BEFORE} < ${num(a)} - ${EPS}) AS x,
      sum(${p}) FILTER (WHERE profit_lines > 0) / NULLIF(sum(revenue) FILTER (WHERE profit_lines > 0), 0) AS y
    FROM ${ranked}`;
}

/** A customer's name for lists: its name column where the file has one, else its key. */
export const LABEL_SQL = 'coalesce(any_value(customer_name), customer)';

/** Invoice value less rebates, promotions and freight (Marn and Rosiello's pocket price), summed over lines. */
export const POCKET_SQL =
  'sum(gross - discount_amount) - coalesce(sum(rebate), 0) - coalesce(sum(promo), 0) - coalesce(sum(freight), 0)';

/** Incentive cost of a set of lines (DESIGN.md): discounts + rebates + promotions, whichever the file has. */
export const INCENTIVES_SQL = 'sum(coalesce(discount_amount, 0) + coalesce(rebate, 0) + coalesce(promo, 0))';
/** How many incentive figures the lines carry: zero means the file has no incentive column at all. */
export const INCENTIVE_LINES_SQL = 'count(discount_amount) + count(rebate) + count(promo)';

/** What the mapped columns make possible. */
export interface Caps {
  profit: boolean;
  /** Rebates, promotions or freight: customer profit differs from gross profit. */
  costToServe: boolean;
  quantity: boolean;
  date: boolean;
  /**
   * Single lines and days are there (not a summary's groups): order rhythm and gaps, day-level dates and the
   * checks of one line against itself need them.
   */
  lines: boolean;
}

export function caps(mapping: Mapping, summary = false): Caps {
  const profit = Boolean(mapping.profit || mapping.cost);
  return {
    profit,
    costToServe: Boolean(mapping.rebate || mapping.promo || mapping.freight),
    quantity: Boolean(mapping.quantity),
    date: Boolean(mapping.date),
    lines: !summary,
  };
}

/** A number as SQL: NaN and infinities cannot reach a query. */
export function num(v: number): string {
  return Number.isFinite(v) ? String(v) : '0';
}

export type ParetoMetric = 'revenue' | 'profit' | 'customer_profit' | 'quantity';

/**
 * Customers with rank and cumulative share by one metric, as SQL over a customer table (one row per customer with
 * a column named like the metric): m, k, n, t, cum, share, cum_share.
 */
export function rankedSql(customers: string, metric: ParetoMetric): string {
  return `WITH pos AS (SELECT *, ${metric} AS m FROM ${customers} WHERE ${metric} > 0),
  r AS (SELECT *, row_number() OVER w AS k, count(*) OVER () AS n, sum(m) OVER () AS t,
      sum(m) OVER (w ROWS UNBOUNDED PRECEDING) AS cum
    FROM pos WINDOW w AS (ORDER BY m DESC, customer))
  SELECT *, m / t AS share, cum / t AS cum_share FROM r`;
}

/** Discount depth bands of DESIGN.md, upper-inclusive: 0 | (0,5%] | (5,10%] | (10,20%] | (20,30%] | >30%. */
export const BANDS = ['0%', '0–5%', '5–10%', '10–20%', '20–30%', '> 30%'] as const;

/** The band (0-5) of a discount rate expression. */
export function bandSql(rate: string): string {
  // A rate computed from amounts carries float noise: 0.2000000001 still belongs to (10%, 20%].
  const e = 1e-9;
  return `CASE WHEN ${rate} <= ${e} THEN 0 WHEN ${rate} <= 0.05 + ${e} THEN 1 WHEN ${rate} <= 0.10 + ${e} THEN 2
    WHEN ${rate} <= 0.20 + ${e} THEN 3 WHEN ${rate} <= 0.30 + ${e} THEN 4 ELSE 5 END`;
}
