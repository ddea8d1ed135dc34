/**
 * Per-customer aggregates for a set of filters, materialised once and shared by every customer-level analysis
 * (Pareto, ABC, whale, value matrix, segments, tables). A threshold change then re-reads thousands of customer
 * rows, not millions of order lines. Tables are named `cache_*`; loading new data drops them all.
 */
import type { Engine } from '../data/engine';
import { type Filters, whereSql } from './filters';

const built = new WeakMap<Engine, Map<string, number>>();
// Customer and order tables for a handful of filters.
const KEEP = 10;

function hash(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(16);
}

let builds = 0;

/** A `cache_*` table built by `sql` once per data and name; the newest few are kept. */
async function cached(engine: Engine, name: string, sql: string): Promise<string> {
  const seen = built.get(engine) ?? new Map<string, number>();
  built.set(engine, seen);
  if (seen.has(name)) {
    const [t] = await engine.query<{ n: number }>(
      `SELECT count(*) AS n FROM duckdb_tables() WHERE table_name = '${name}'`,
    );
    // Loading a file drops the cache tables, so absence means the data changed.
    if (t?.n) return name;
    seen.delete(name);
  }
  await engine.exec(`CREATE OR REPLACE TABLE ${name} AS ${sql}`);
  seen.set(name, ++builds);
  if (seen.size > KEEP) {
    const oldest = seen.keys().next().value as string;
    seen.delete(oldest);
    await engine.exec(`DROP TABLE IF EXISTS ${oldest}`);
  }
  return name;
}

/** Which build of a cache table this is: results derived from it can be kept while it stays the same. */
export function buildOf(engine: Engine, name: string): number {
  return built.get(engine)?.get(name) ?? 0;
}

export function customerBase(engine: Engine, filters: Filters): Promise<string> {
  const where = whereSql(filters);
  return cached(
    engine,
    `cache_cust_${hash(where)}`,
    `SELECT customer, coalesce(any_value(customer_name), customer) AS label, sum(amount) AS revenue,
        sum(profit) AS profit, sum(customer_profit) AS customer_profit, sum(quantity) AS quantity,
        count(profit) AS profit_lines, count(*) AS lines, any_value(segment) AS segment,
        sum(gross) AS gross, sum(coalesce(discount_amount, 0) + coalesce(rebate, 0) + coalesce(promo, 0)) AS incentives,
        count(discount_amount) + count(rebate) + count(promo) AS incentive_lines,
        min(date) AS first_date, max(date) AS last_date
      FROM sales ${where} GROUP BY customer`,
  );
}

/**
 * Distinct orders per customer, apart from the customer table: counting distinct order IDs costs more than all
 * the sums together, and only the value matrix (bubble size) and the overview's order count need it.
 */
export function customerOrders(engine: Engine, filters: Filters): Promise<string> {
  const where = whereSql(filters);
  return cached(
    engine,
    `cache_orders_${hash(where)}`,
    `SELECT customer, count(*) AS orders
      FROM (SELECT DISTINCT customer, order_id FROM sales ${where ? `${where} AND` : 'WHERE'} order_id IS NOT NULL)
      GROUP BY customer`,
  );
}
