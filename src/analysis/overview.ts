/** Headline figures of the loaded data: rows, customers, revenue, profit, date range. */
import type { Engine } from '../data/engine';
import { customerBase } from './customers';
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
  // Customer-level sums come from the shared customer table; only the dates need the order lines.
  const cust = await customerBase(engine, filters);
  const [r] = await engine.query<Overview>(`SELECT c.*, d.* FROM
    (SELECT CAST(coalesce(sum(lines), 0) AS BIGINT) AS rows, count(*) AS customers, coalesce(sum(revenue), 0) AS revenue,
      CASE WHEN sum(profit_lines) > 0 THEN sum(profit) END AS profit,
      CASE WHEN sum(profit_lines) > 0 THEN sum(profit) / NULLIF(sum(revenue), 0) END AS "marginPct",
      CASE WHEN sum(orders) > 0 THEN CAST(sum(orders) AS BIGINT) END AS orders FROM ${cust}) c,
    (SELECT strftime(min(date), '%Y-%m-%d') AS "dateMin", strftime(max(date), '%Y-%m-%d') AS "dateMax"
      FROM sales ${whereSql(filters)}) d`);
  if (!r) throw new Error('overview returned no row');
  return r;
}
