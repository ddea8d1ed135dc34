/**
 * Per-customer aggregates for a set of filters, materialised once and shared by every customer-level analysis
 * (Pareto, ABC, whale, value matrix, segments, tables). A threshold change then re-reads thousands of customer
 * rows, not millions of order lines. Tables are named `cache_*`; loading new data drops them all.
 */
import type { Engine } from '../data/engine';
import { type Filters, whereSql } from './filters';

const built = new WeakMap<Engine, Map<string, string>>();
const KEEP = 6;

function hash(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(16);
}

export async function customerBase(engine: Engine, filters: Filters): Promise<string> {
  const where = whereSql(filters);
  const name = `cache_cust_${hash(where)}`;
  const seen = built.get(engine) ?? new Map<string, string>();
  built.set(engine, seen);
  if (seen.has(name)) {
    const [t] = await engine.query<{ n: number }>(
      `SELECT count(*) AS n FROM duckdb_tables() WHERE table_name = '${name}'`,
    );
    // Loading a file drops the cache tables, so absence means the data changed.
    if (t?.n) return name;
    seen.delete(name);
  }
  const and = where ? `${where} AND` : 'WHERE';
  await engine.exec(`CREATE OR REPLACE TABLE ${name} AS
    WITH o AS (SELECT customer, count(*) AS orders
      FROM (SELECT DISTINCT customer, order_id FROM sales ${and} order_id IS NOT NULL) GROUP BY customer)
    SELECT c.*, coalesce(o.orders, 0) AS orders FROM (
      SELECT customer, coalesce(any_value(customer_name), customer) AS label, sum(amount) AS revenue,
        sum(profit) AS profit, sum(customer_profit) AS customer_profit, sum(quantity) AS quantity,
        count(profit) AS profit_lines, count(*) AS lines, any_value(segment) AS segment,
        sum(gross) AS gross, sum(coalesce(discount_amount, 0) + coalesce(rebate, 0) + coalesce(promo, 0)) AS incentives
      FROM sales ${where} GROUP BY customer) c LEFT JOIN o USING (customer)`);
  seen.set(name, where);
  if (seen.size > KEEP) {
    const oldest = seen.keys().next().value as string;
    seen.delete(oldest);
    await engine.exec(`DROP TABLE IF EXISTS ${oldest}`);
  }
  return name;
}
