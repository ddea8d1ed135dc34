/** Headline figures of the loaded data: rows, customers, revenue, profit, date range. */
import type { Engine } from '../data/engine';
import { type Filters, whereSql } from './filters';

export interface Overview {
  rows: number;
  customers: number;
  revenue: number;
  /** Null when the file has neither profit nor cost. */
  profit: number | null;
  marginPct: number | null;
  dateMin: string | null;
  dateMax: string | null;
  orders: number | null;
}

export async function overview(engine: Engine, filters: Filters = {}): Promise<Overview> {
  const [r] = await engine.query<Overview>(`SELECT count(*) AS rows, count(DISTINCT customer) AS customers,
    coalesce(sum(amount), 0) AS revenue, sum(profit) AS profit, sum(profit) / NULLIF(sum(amount), 0) AS "marginPct",
    strftime(min(date), '%Y-%m-%d') AS "dateMin", strftime(max(date), '%Y-%m-%d') AS "dateMax",
    CASE WHEN count(order_id) > 0 THEN count(DISTINCT order_id) END AS orders
    FROM sales ${whereSql(filters)}`);
  if (!r) throw new Error('overview returned no row');
  return r;
}
