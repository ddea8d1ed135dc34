/**
 * Per-customer aggregates for a set of filters, materialised once and shared by every customer-level analysis
 * (Pareto, ABC, whale, value matrix, segments, tables). A threshold change then re-reads thousands of customer
 * rows, not millions of order lines. Tables are named `cache_*`; loading new data drops them all.
 */
import { dataVersion, hasCostToServe } from '../data/canonical';
import type { Engine } from '../data/engine';
import { str } from '../data/parse';
import { andWhere, type Filters, whereSql } from './filters';

const built = new WeakMap<Engine, Map<string, number>>();
const versionOf = new WeakMap<Engine, number>();
const inFlight = new WeakMap<Engine, Map<string, Promise<string>>>();
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
  // Committing a load drops every cache table (data/canonical.ts) and counts a new data version.
  const version = dataVersion(engine);
  if (versionOf.get(engine) !== version) {
    built.delete(engine);
    versionOf.set(engine, version);
  }
  const seen = built.get(engine) ?? new Map<string, number>();
  built.set(engine, seen);
  if (seen.has(name)) return name;
  // Two sections asking at once share one build.
  const building = inFlight.get(engine) ?? new Map<string, Promise<string>>();
  inFlight.set(engine, building);
  const key = `${version}|${name}`;
  const running = building.get(key);
  if (running) return running;
  const build = buildTable(engine, seen, name, sql);
  building.set(key, build);
  try {
    return await build;
  } finally {
    building.delete(key);
  }
}

async function buildTable(engine: Engine, seen: Map<string, number>, name: string, sql: string): Promise<string> {
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

/**
 * The numbers per customer that the headline figures read (one GROUP BY over the order lines, on the path to
 * "ready"). Every aggregate costs ~10 ms per million lines in the wasm engine, so only what a headline needs is
 * here; names, segments and the other sums come in one later pass (customerDetail).
 */
export function customerBase(engine: Engine, filters: Filters): Promise<string> {
  const where = whereSql(filters);
  // Without a cost-to-serve column customer profit is gross profit: DuckDB computes a repeated aggregate once.
  const customerProfit = hasCostToServe(engine) ? 'sum(customer_profit)' : 'sum(profit)';
  return cached(
    engine,
    `cache_cust_${hash(where)}`,
    `SELECT customer, sum(amount) AS revenue, sum(profit) AS profit, ${customerProfit} AS customer_profit,
        count(profit) AS profit_lines, count(*) AS lines
      FROM sales ${where} GROUP BY customer`,
  );
}

/** Each customer's name (label), segment, volume, gross sales, incentive spend and first and last order date. */
function customerDetail(engine: Engine, filters: Filters): Promise<string> {
  const where = whereSql(filters);
  return cached(
    engine,
    `cache_detail_${hash(where)}`,
    `SELECT customer, coalesce(any_value(customer_name), customer) AS label, any_value(segment) AS segment,
        sum(quantity) AS quantity, sum(gross) AS gross, ${INCENTIVES} AS incentives,
        ${INCENTIVE_LINES} AS incentive_lines, min(date) AS first_date, max(date) AS last_date
      FROM sales ${where} GROUP BY customer`,
  );
}

/** Incentive cost of a set of lines (DESIGN.md): discounts + rebates + promotions, whichever the file has. */
export const INCENTIVES = 'sum(coalesce(discount_amount, 0) + coalesce(rebate, 0) + coalesce(promo, 0))';
/** How many incentive figures the lines carry: zero means the file has no incentive column at all. */
export const INCENTIVE_LINES = 'count(discount_amount) + count(rebate) + count(promo)';

/** The customer table with every per-customer figure, name and segment: lists, tables, value matrix, incentives. */
export async function customerFull(engine: Engine, filters: Filters): Promise<string> {
  const where = whereSql(filters);
  const base = await customerBase(engine, filters);
  const detail = await customerDetail(engine, filters);
  return cached(
    engine,
    `cache_full_${hash(where)}_${buildOf(engine, base)}`,
    `SELECT b.*, d.* EXCLUDE (customer) FROM ${base} b JOIN ${detail} d USING (customer)`,
  );
}

/** Names of a few customers (a list of the largest or the worst), without building the full table. */
export async function labelsOf(engine: Engine, filters: Filters, ids: string[]): Promise<Map<string, string>> {
  if (!ids.length) return new Map();
  const rows = await engine.query<{ customer: string; label: string }>(
    `SELECT customer, coalesce(any_value(customer_name), customer) AS label
     FROM sales ${andWhere(whereSql(filters), `customer IN (${ids.map(str).join(', ')})`)} GROUP BY customer`,
  );
  return new Map(rows.map((r) => [r.customer, r.label]));
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
      FROM (SELECT DISTINCT customer, order_id FROM sales ${andWhere(where, 'order_id IS NOT NULL')})
      GROUP BY customer`,
  );
}
