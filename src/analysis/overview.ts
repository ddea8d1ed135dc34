/** Headline figures of the loaded data: rows, customers, revenue, profit, incentive spend, date range. */
import type { Engine } from '../data/engine';
import { customerBase, customerOrders } from './customers';
import { type Filters, whereSql } from './filters';
import { INCENTIVE_LINES_SQL, INCENTIVES_SQL } from './rules';

export interface Overview {
  rows: number;
  customers: number;
  revenue: number;
  /** Null when the file has neither profit nor cost. */
  profit: number | null;
  marginPct: number | null;
  /** Discounts + rebates + promotions; null when the file has none of them. */
  incentives: number | null;
  gross: number | null;
  dateMin: string | null;
  dateMax: string | null;
}

/**
 * Customer figures come from the shared customer table; spend, gross sales and dates from one plain aggregate over
 * the lines, which costs a fraction of adding them to the per-customer GROUP BY.
 */
export async function overview(engine: Engine, filters: Filters = {}): Promise<Overview> {
  const cust = await customerBase(engine, filters);
  const [[c], [l]] = await Promise.all([
    engine.query<Pick<Overview, 'rows' | 'customers' | 'revenue' | 'profit' | 'marginPct'>>(
      `SELECT CAST(coalesce(sum(lines), 0) AS BIGINT) AS rows,
      count(*) AS customers, coalesce(sum(revenue), 0) AS revenue,
      CASE WHEN sum(profit_lines) > 0 THEN sum(profit) END AS profit,
      CASE WHEN sum(profit_lines) > 0 THEN sum(profit) / NULLIF(sum(revenue), 0) END AS "marginPct"
    FROM ${cust}`,
    ),
    engine.query<Pick<Overview, 'incentives' | 'gross' | 'dateMin' | 'dateMax'>>(
      `SELECT CASE WHEN ${INCENTIVE_LINES_SQL} > 0 THEN ${INCENTIVES_SQL} END AS incentives, sum(gross) AS gross,
      strftime(min(date), '%Y-%m-%d') AS "dateMin", strftime(max(date), '%Y-%m-%d') AS "dateMax"
    FROM sales ${whereSql(filters)}`,
    ),
  ]);
  if (!c || !l) throw new Error('overview returned no row');
  return { ...c, ...l };
}

/** Distinct orders (null when the file has no order ID). */
export async function orderCount(engine: Engine, filters: Filters = {}): Promise<number | null> {
  const [r] = await engine.query<{ n: number | null }>(
    `SELECT CAST(sum(orders) AS BIGINT) AS n FROM ${await customerOrders(engine, filters)}`,
  );
  return r?.n || null;
}
