/** Headline figures of the loaded data: rows, customers, revenue, profit, incentive spend, date range. */
import type { Engine } from '../data/engine';
import { customerBase, customerOrders } from './customers';
import type { Filters } from './filters';

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

/** Everything comes from the shared customer table: one pass over the order lines serves every headline. */
export async function overview(engine: Engine, filters: Filters = {}): Promise<Overview> {
  const cust = await customerBase(engine, filters);
  const [r] = await engine.query<Overview>(`SELECT CAST(coalesce(sum(lines), 0) AS BIGINT) AS rows,
      count(*) AS customers, coalesce(sum(revenue), 0) AS revenue,
      CASE WHEN sum(profit_lines) > 0 THEN sum(profit) END AS profit,
      CASE WHEN sum(profit_lines) > 0 THEN sum(profit) / NULLIF(sum(revenue), 0) END AS "marginPct",
      CASE WHEN sum(incentive_lines) > 0 THEN sum(incentives) END AS incentives, sum(gross) AS gross,
      strftime(min(first_date), '%Y-%m-%d') AS "dateMin", strftime(max(last_date), '%Y-%m-%d') AS "dateMax"
    FROM ${cust}`);
  if (!r) throw new Error('overview returned no row');
  return r;
}

/** Distinct orders (null when the file has no order ID). */
export async function orderCount(engine: Engine, filters: Filters = {}): Promise<number | null> {
  const [r] = await engine.query<{ n: number | null }>(
    `SELECT CAST(sum(orders) AS BIGINT) AS n FROM ${await customerOrders(engine, filters)}`,
  );
  return r?.n || null;
}
