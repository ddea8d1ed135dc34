/**
 * Customer value matrix: revenue (log x) against margin % (y), split into four named quadrants.
 * Default splits follow DESIGN.md: the A-class revenue boundary on x and the portfolio margin on y.
 */
import type { Engine } from '../data/engine';
import { str } from '../data/parse';
import { cachedTable } from './cache';
import { customerFull, customerOrders } from './customers';
import { andWhere, type Filters, whereSql } from './filters';
import { rankedTable } from './pareto';
import {
  abcClassSql,
  defaultSplitsSql,
  LABEL_SQL,
  type MarginKind,
  num,
  POCKET_SQL,
  profitColumn as profitCol,
  type Quadrant,
  quadrantSql,
  rankedSql,
  SHARE_BEFORE,
} from './rules';

export type { MarginKind, Quadrant };

export const QUADRANTS: Record<Quadrant, { name: string; advice: string }> = {
  core: {
    name: 'Core: protect',
    advice: 'High revenue at a high margin. Keep service levels and defend the relationship.',
  },
  volume: {
    name: 'Volume: fix price and cost-to-serve',
    advice: 'High revenue at a low margin. Review discounts, rebates and the cost of serving them.',
  },
  develop: { name: 'Develop', advice: 'High margin but small. Grow share of wallet.' },
  serve: { name: 'Serve efficiently', advice: 'Small and low margin. Move to low-cost channels and standard terms.' },
};

export interface MatrixOptions {
  margin: MarginKind;
  /** ABC boundaries (fractions): a is the default revenue split, and both colour the bubbles. */
  a: number;
  b: number;
  /** Explicit splits; default when absent. */
  xSplit?: number;
  ySplit?: number;
  /** Above this many customers the crowd is binned and only the top accounts are drawn as bubbles. */
  maxBubbles?: number;
}

export interface MatrixPoint {
  customer: string;
  label: string;
  revenue: number;
  margin: number;
  profit: number;
  orders: number;
  cls: 'A' | 'B' | 'C';
  quadrant: Quadrant;
}

export interface MatrixBin {
  /** log10 revenue bin centre and margin bin centre. */
  x: number;
  y: number;
  count: number;
}

export interface QuadrantSummary {
  quadrant: Quadrant;
  customers: number;
  revenue: number;
  profit: number;
  margin: number | null;
  revenueShare: number;
}

export interface MatrixResult {
  margin: MarginKind;
  xSplit: number;
  ySplit: number;
  /** Customers with positive revenue and a known margin: the population of the quadrants. */
  customers: number;
  /** Customers with positive revenue but no cost or profit data. */
  marginUnknown: number;
  /** Customers with zero or negative revenue, listed apart. */
  nonPositive: { customer: string; label: string; revenue: number; profit: number | null }[];
  nonPositiveCount: number;
  summary: QuadrantSummary[];
  points: MatrixPoint[];
  /** Filled only when there are more customers than maxBubbles. */
  bins: MatrixBin[];
  lossMakingBigAccounts: number;
  lossMakingBig: MatrixPoint[];
  /** The table of every classified customer (for the full list of a quadrant). */
  table: string;
}

/**
 * SQL: every customer with revenue > 0 and known margin, with class and quadrant, over customers already ranked
 * by revenue (`cum`, `t`: see rankedSql), so the matrix shares the Pareto's ranking instead of sorting again.
 */
export function matrixSql(ranked: string, o: MatrixOptions, xSplit: number, ySplit: number, orders?: string): string {
  const p = profitCol(o.margin);
  return `SELECT customer, label, revenue, ${p} AS profit, ${p} / revenue AS margin,
      ${orders ? `coalesce((SELECT orders FROM ${orders} o WHERE o.customer = r.customer), 0)` : '0'} AS orders,
      ${abcClassSql(SHARE_BEFORE, o.a, o.b)} AS cls,
      ${quadrantSql('revenue', `${p} / revenue`, xSplit, ySplit)} AS quadrant
    FROM ${ranked} r WHERE profit_lines > 0`;
}

/** Default splits: the smallest A-class revenue, and the portfolio margin (over customers ranked by revenue). */
export async function defaultSplits(
  engine: Engine,
  ranked: string,
  o: MatrixOptions,
): Promise<{ x: number; y: number } | null> {
  const [s] = await engine.query<{ x: number | null; y: number | null }>(defaultSplitsSql(ranked, o.a, o.margin));
  if (s?.x == null || s.y == null) return null;
  return { x: s.x, y: s.y };
}

export async function valueMatrix(engine: Engine, filters: Filters, o: MatrixOptions): Promise<MatrixResult | null> {
  const cust = await customerFull(engine, filters);
  const ranked = await rankedTable(engine, cust, { metric: 'revenue' });
  const splits = await defaultSplits(engine, ranked, o);
  if (!splits) return null;
  const xSplit = o.xSplit ?? splits.x;
  const ySplit = o.ySplit ?? splits.y;
  const orders = await customerOrders(engine, filters);
  const table = await cachedTable(engine, 'matrix', matrixSql(ranked, o, xSplit, ySplit, orders));
  const summary = await engine.query<QuadrantSummary>(`SELECT q.quadrant, count(m.customer) AS customers,
      coalesce(sum(m.revenue), 0) AS revenue, coalesce(sum(m.profit), 0) AS profit,
      sum(m.profit) / NULLIF(sum(m.revenue), 0) AS margin,
      coalesce(sum(m.revenue), 0) / NULLIF((SELECT sum(revenue) FROM ${table}), 0) AS "revenueShare"
    FROM (SELECT unnest(['core', 'volume', 'develop', 'serve']) AS quadrant) q
    LEFT JOIN ${table} m USING (quadrant) GROUP BY q.quadrant
    ORDER BY array_position(['core', 'volume', 'develop', 'serve'], q.quadrant)`);
  const [counts] = await engine.query<{ n: number; unknown: number; nonpos: number }>(`SELECT
      (SELECT count(*) FROM ${table}) AS n,
      (SELECT count(*) FROM ${cust} WHERE revenue > 0 AND profit_lines = 0) AS unknown,
      (SELECT count(*) FROM ${cust} WHERE revenue <= 0 OR revenue IS NULL) AS nonpos`);
  const nonPositive = await engine.query<MatrixResult['nonPositive'][number]>(
    `SELECT customer, label, revenue, profit FROM ${cust} WHERE revenue <= 0 OR revenue IS NULL ORDER BY revenue LIMIT 50`,
  );
  const max = o.maxBubbles ?? 5000;
  const n = counts?.n ?? 0;
  const points = await engine.query<MatrixPoint>(
    `SELECT * FROM ${table} ORDER BY revenue DESC, customer ${n > max ? 'LIMIT 300' : ''}`,
  );
  // Above maxBubbles, the crowd is counted per cell of a 60 x 40 grid (log revenue x margin clamped to ±100%).
  const bins =
    n > max
      ? await engine.query<MatrixBin>(`WITH b AS (SELECT log10(revenue) AS lx, greatest(-1, least(1, margin)) AS m FROM ${table}),
          e AS (SELECT min(lx) AS lo, max(lx) AS hi FROM b)
          SELECT lo + (floor((lx - lo) / NULLIF(hi - lo, 0) * 59.999) + 0.5) * (hi - lo) / 60 AS x,
            -1 + (floor((m + 1) / 2 * 39.999) + 0.5) * 2 / 40 AS y, count(*) AS count
          FROM b, e GROUP BY ALL ORDER BY count DESC`)
      : [];
  const lossMakingBig = await engine.query<MatrixPoint>(`SELECT m.* FROM ${table} m JOIN ${cust} c USING (customer)
    WHERE m.cls = 'A' AND c.customer_profit < 0 ORDER BY c.customer_profit`);
  return {
    margin: o.margin,
    xSplit,
    ySplit,
    customers: n,
    marginUnknown: counts?.unknown ?? 0,
    nonPositive,
    nonPositiveCount: counts?.nonpos ?? 0,
    summary,
    points,
    bins,
    lossMakingBigAccounts: lossMakingBig.length,
    lossMakingBig,
    table,
  };
}

export interface Move {
  customer: string;
  label: string;
  from: Quadrant;
  to: Quadrant;
  revenueBefore: number;
  revenueAfter: number;
  marginBefore: number;
  marginAfter: number;
}

export interface Movement {
  before: { from: string; to: string };
  after: { from: string; to: string };
  /** Customers in another quadrant than in the period before. */
  moved: number;
  /** Of those, the ones that lost the high-revenue or the high-margin side. */
  worseCount: number;
  /** The first of them by the size of their revenue change (at most WORSE_LISTED). */
  worse: Move[];
}

/** How many of the customers that moved into a worse quadrant are listed. */
export const WORSE_LISTED = 25;

/**
 * Quadrant of every customer in two equal periods that end at the last date (a quarter or a year each),
 * each with its own default splits so that a seasonal quarter is compared on its own terms.
 */
export async function movement(
  engine: Engine,
  filters: Filters,
  o: MatrixOptions,
  period: 'quarter' | 'year',
): Promise<Movement | null> {
  // The two periods end where the filtered data (and the chosen period) ends, and reach back before its start.
  const { from: _from, to, ...rest } = filters;
  const history = whereSql(rest);
  const [d] = await engine.query<{ last: string | null }>(
    `SELECT strftime(max(date), '%Y-%m-%d') AS last FROM sales ${to ? andWhere(history, `date <= DATE ${str(to)}`) : history}`,
  );
  if (!d?.last) return null;
  const [b] = await engine.query<{
    a0: string;
    a1: string;
    b0: string;
    b1: string;
  }>(`WITH l AS (SELECT date_trunc('${period}', DATE '${d.last}') AS s)
    SELECT strftime(s - INTERVAL 1 ${period}, '%Y-%m-%d') AS a0, strftime(s - INTERVAL 1 DAY, '%Y-%m-%d') AS a1,
      strftime(s, '%Y-%m-%d') AS b0, strftime(s + INTERVAL 1 ${period} - INTERVAL 1 DAY, '%Y-%m-%d') AS b1 FROM l`);
  if (!b) return null;
  // One pass over the lines of both periods, then each period's own splits and quadrants.
  const base = await cachedTable(
    engine,
    'move',
    `SELECT customer, CASE WHEN date <= DATE '${b.a1}' THEN 0 ELSE 1 END AS period,
      ${LABEL_SQL} AS label, sum(amount) AS revenue, sum(profit) AS profit,
      sum(customer_profit) AS customer_profit, sum(profit_lines) AS profit_lines
    FROM sales ${andWhere(history, `date BETWEEN DATE '${b.a0}' AND DATE '${b.b1}'`)} GROUP BY 1, 2`,
  );
  const tables: string[] = [];
  for (const i of [0, 1]) {
    const rel = `(${rankedSql(`(SELECT * EXCLUDE (period) FROM ${base} WHERE period = ${i})`, 'revenue')})`;
    const s = await defaultSplits(engine, rel, o);
    if (!s) return null;
    tables.push(await cachedTable(engine, 'movep', matrixSql(rel, o, s.x, s.y)));
  }
  // Counted in SQL and only the first few listed: with 500k customers, reading every move back took the page's
  // thread 150 ms.
  const highRev = (q: string) => `${q} IN ('core', 'volume')`;
  const highMargin = (q: string) => `${q} IN ('core', 'develop')`;
  const moves = `(SELECT a.customer, a.label, a.quadrant AS "from", b.quadrant AS "to",
      a.revenue AS "revenueBefore", b.revenue AS "revenueAfter", a.margin AS "marginBefore", b.margin AS "marginAfter",
      (${highRev('a.quadrant')} AND NOT ${highRev('b.quadrant')}) OR (${highMargin('a.quadrant')} AND NOT ${highMargin('b.quadrant')}) AS worse
    FROM ${tables[0]} a JOIN ${tables[1]} b USING (customer) WHERE a.quadrant <> b.quadrant)`;
  const [n] = await engine.query<{ moved: number; worse: number }>(
    `SELECT count(*) AS moved, count(*) FILTER (WHERE worse) AS worse FROM ${moves}`,
  );
  const worse = await engine.query<Move>(`SELECT * EXCLUDE (worse) FROM ${moves} WHERE worse
    ORDER BY abs("revenueAfter" - "revenueBefore") DESC, customer LIMIT ${WORSE_LISTED}`);
  return {
    before: { from: b.a0, to: b.a1 },
    after: { from: b.b0, to: b.b1 },
    moved: n?.moved ?? 0,
    worseCount: n?.worse ?? 0,
    worse,
  };
}

export type ShapiroQuadrant = 'passive' | 'carriage' | 'bargain' | 'aggressive';

export const SHAPIRO: Record<ShapiroQuadrant, { name: string; advice: string }> = {
  carriage: {
    name: 'Carriage trade',
    advice: 'Costly to serve and paying well for it: keep the service worth the price.',
  },
  passive: {
    name: 'Passive',
    advice: 'Cheap to serve and paying close to list: low-maintenance profit, do not neglect.',
  },
  aggressive: {
    name: 'Aggressive',
    advice: 'Costly to serve and paying little: renegotiate price or service level first.',
  },
  bargain: {
    name: 'Bargain basement',
    advice: 'Cheap to serve but paying little: price-driven, keep the terms standard.',
  },
};

export interface ShapiroPoint {
  customer: string;
  label: string;
  revenue: number;
  /** Cost-to-serve (freight, and other service costs) as a share of net revenue. */
  serveShare: number;
  /** Pocket price over list. */
  realisation: number;
  quadrant: ShapiroQuadrant;
}

export interface ShapiroResult {
  xSplit: number;
  ySplit: number;
  points: ShapiroPoint[];
  counts: Record<ShapiroQuadrant, number>;
}

/**
 * Shapiro's view of a customer portfolio, when list prices and cost-to-serve are known: cost-to-serve as % of
 * revenue against net price realisation (pocket / list). Splits are the portfolio's own ratios.
 */
export async function shapiro(engine: Engine, filters: Filters, maxPoints = 5000): Promise<ShapiroResult | null> {
  const where = whereSql(filters);
  const table = await cachedTable(
    engine,
    'shapiro',
    `SELECT customer, ${LABEL_SQL} AS label, sum(amount) AS revenue, count(freight) AS freight_lines,
      sum(coalesce(freight, 0)) / sum(amount) AS "serveShare", (${POCKET_SQL}) / NULLIF(sum(gross), 0) AS realisation,
      sum(coalesce(freight, 0)) AS serve, ${POCKET_SQL} AS pocket, sum(gross) AS list
    FROM sales ${andWhere(where, 'gross IS NOT NULL')} GROUP BY customer HAVING sum(amount) > 0 AND sum(gross) > 0`,
  );
  const [sp] = await engine.query<{ x: number; y: number; n: number }>(
    `SELECT sum(serve) / sum(revenue) AS x, sum(pocket) / sum(list) AS y, sum(freight_lines) AS n FROM ${table}`,
  );
  // Without list prices (no customer row) or without any freight, there is no cost-to-serve axis.
  if (!sp?.n) return null;
  const q = `CASE WHEN "serveShare" >= ${num(sp.x)} THEN (CASE WHEN realisation >= ${num(sp.y)} THEN 'carriage' ELSE 'aggressive' END)
    ELSE (CASE WHEN realisation >= ${num(sp.y)} THEN 'passive' ELSE 'bargain' END) END`;
  const points =
    await engine.query<ShapiroPoint>(`SELECT customer, label, revenue, "serveShare", realisation, ${q} AS quadrant
    FROM ${table} ORDER BY revenue DESC LIMIT ${maxPoints}`);
  const rows = await engine.query<{ quadrant: ShapiroQuadrant; n: number }>(
    `SELECT ${q} AS quadrant, count(*) AS n FROM ${table} GROUP BY 1`,
  );
  const counts = { passive: 0, carriage: 0, bargain: 0, aggressive: 0 };
  for (const r of rows) counts[r.quadrant] = r.n;
  return { xSplit: sp.x, ySplit: sp.y, points, counts };
}
