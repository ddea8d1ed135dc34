/**
 * Per-customer aggregates for the current filters, materialised once and shared by every customer-level
 * analysis (Pareto, ABC, whale, segments, tables). A threshold change then re-reads thousands of customer rows,
 * not millions of order lines.
 */
import type { Engine } from '../data/engine';
import { type Filters, whereSql } from './filters';

export const CUSTOMER_TABLE = 'cust_cache';
const built = new WeakMap<Engine, string>();

export async function customerBase(engine: Engine, filters: Filters): Promise<string> {
  const key = whereSql(filters);
  if (built.get(engine) === key) {
    const [t] = await engine.query<{ n: number }>(
      `SELECT count(*) AS n FROM duckdb_tables() WHERE table_name = '${CUSTOMER_TABLE}'`,
    );
    // Loading a file drops the cache table, so its absence means the data changed.
    if (t?.n) return CUSTOMER_TABLE;
  }
  await engine.exec(`CREATE OR REPLACE TABLE ${CUSTOMER_TABLE} AS
    SELECT customer, coalesce(any_value(customer_name), customer) AS label, sum(amount) AS revenue,
      sum(profit) AS profit, sum(customer_profit) AS customer_profit, sum(quantity) AS quantity,
      count(profit) AS profit_lines, count(*) AS lines, any_value(segment) AS segment
    FROM sales ${key} GROUP BY customer`);
  built.set(engine, key);
  return CUSTOMER_TABLE;
}
