/**
 * Per-customer aggregates for a set of filters, materialised once and shared by every customer-level analysis
 * (Pareto, ABC, whale, value matrix, segments, tables). A threshold change then re-reads thousands of customer
 * rows, not millions of order lines. Tables are keyed by their SQL (analysis/cache.ts).
 */
import { hasCostToServe } from '../data/canonical';
import type { Engine } from '../data/engine';
import { str } from '../data/parse';
import { cachedTable } from './cache';
import { andWhere, type Filters, whereSql } from './filters';
import { INCENTIVE_LINES_SQL, INCENTIVES_SQL, LABEL_SQL } from './rules';

/**
 * The numbers per customer that the headline figures read (one GROUP BY over the order lines, on the path to
 * "ready"). Every aggregate costs ~10 ms per million lines in the wasm engine, so only what a headline needs is
 * here; names, segments and the other sums come in one later pass (customerDetail).
 */
export function customerBase(engine: Engine, filters: Filters): Promise<string> {
  // Without a cost-to-serve column customer profit is gross profit: DuckDB computes a repeated aggregate once.
  const customerProfit = hasCostToServe(engine) ? 'sum(customer_profit)' : 'sum(profit)';
  return cachedTable(
    engine,
    'cust',
    `SELECT customer, sum(amount) AS revenue, sum(profit) AS profit, ${customerProfit} AS customer_profit,
        sum(profit_lines) AS profit_lines, sum(lines) AS lines
      FROM sales ${whereSql(filters)} GROUP BY customer`,
  );
}

/** Each customer's name (label), segment, volume, gross sales, incentive spend and first and last order date. */
function customerDetail(engine: Engine, filters: Filters): Promise<string> {
  return cachedTable(
    engine,
    'detail',
    `SELECT customer, ${LABEL_SQL} AS label, any_value(segment) AS segment,
        sum(quantity) AS quantity, sum(gross) AS gross, ${INCENTIVES_SQL} AS incentives,
        ${INCENTIVE_LINES_SQL} AS incentive_lines, min(date) AS first_date, max(date) AS last_date
      FROM sales ${whereSql(filters)} GROUP BY customer`,
  );
}

/** The customer table with every per-customer figure, name and segment: lists, tables, value matrix, incentives. */
export async function customerFull(engine: Engine, filters: Filters): Promise<string> {
  const [base, detail] = await Promise.all([customerBase(engine, filters), customerDetail(engine, filters)]);
  return cachedTable(
    engine,
    'full',
    `SELECT b.*, d.* EXCLUDE (customer) FROM ${base} b JOIN ${detail} d USING (customer)`,
  );
}

/** Names of a few customers (a list of the largest or the worst), without building the full table. */
export async function labelsOf(engine: Engine, filters: Filters, ids: string[]): Promise<Map<string, string>> {
  if (!ids.length) return new Map();
  const rows = await engine.query<{ customer: string; label: string }>(
    `SELECT customer, ${LABEL_SQL} AS label
     FROM sales ${andWhere(whereSql(filters), `customer IN (${ids.map(str).join(', ')})`)} GROUP BY customer`,
  );
  return new Map(rows.map((r) => [r.customer, r.label]));
}

/**
 * Distinct orders per customer, apart from the customer table: counting distinct order IDs costs more than all
 * the sums together, and only the value matrix (bubble size) and the overview's order count need it.
 */
export function customerOrders(engine: Engine, filters: Filters): Promise<string> {
  return cachedTable(
    engine,
    'orders',
    `SELECT customer, count(*) AS orders
      FROM (SELECT DISTINCT customer, order_id FROM sales ${andWhere(whereSql(filters), 'order_id IS NOT NULL')})
      GROUP BY customer`,
  );
}
