/**
 * ABC migration between two periods (DESIGN.md): classes computed in each period on its own revenue, with the same
 * thresholds and the share-before rule. A customer with no positive revenue in the earlier period is "new", in the
 * later one "lost".
 */
import type { Engine } from '../data/engine';
import { cachedTable } from './cache';
import { conditionSql, type Filters } from './filters';
import { abcClassSql, LABEL_SQL, rankedSql, SHARE_BEFORE } from './rules';

export const FROM = ['A', 'B', 'C', 'new'] as const;
export const TO = ['A', 'B', 'C', 'lost'] as const;
export type From = (typeof FROM)[number];
export type To = (typeof TO)[number];

export interface Migration {
  /** Customers per cell, every cell present (zero when empty). */
  cells: { from: From; to: To; customers: number; before: number; after: number }[];
  /** The table of every customer with its two classes and revenues, for a cell's list. */
  table: string;
}

export interface MigrationCustomer {
  customer: string;
  label: string;
  from: From;
  to: To;
  before: number;
  after: number;
}

/** Each period's customers with their class, from the per-customer sums of both periods (`r0`, `r1`). */
function classesSql(sums: string, col: 'r0' | 'r1', a: number, b: number): string {
  const period = `(SELECT customer, ${col} AS revenue FROM ${sums})`;
  return `SELECT customer, revenue, ${abcClassSql(SHARE_BEFORE, a, b)} AS cls FROM (${rankedSql(period, 'revenue')})`;
}

export async function abcMigration(
  engine: Engine,
  earlier: Filters,
  later: Filters,
  a: number,
  b: number,
): Promise<Migration> {
  // One scan of the lines for both periods.
  const [e, l] = [conditionSql(earlier), conditionSql(later)];
  const sums = `(SELECT customer, sum(amount) FILTER (WHERE ${e}) AS r0, sum(amount) FILTER (WHERE ${l}) AS r1
    FROM sales WHERE (${e}) OR (${l}) GROUP BY customer)`;
  const table = await cachedTable(
    engine,
    'migration',
    `WITH s AS MATERIALIZED ${sums}
    SELECT customer, coalesce(p.cls, 'new') AS "from", coalesce(q.cls, 'lost') AS "to",
        coalesce(p.revenue, 0) AS before, coalesce(q.revenue, 0) AS after
      FROM (${classesSql('s', 'r0', a, b)}) p FULL OUTER JOIN (${classesSql('s', 'r1', a, b)}) q USING (customer)`,
  );
  const rows = await engine.query<{ from: From; to: To; customers: number; before: number; after: number }>(
    `SELECT "from", "to", count(*) AS customers, sum(before) AS before, sum(after) AS after FROM ${table} GROUP BY 1, 2`,
  );
  const cells = FROM.flatMap((from) =>
    TO.map((to) => rows.find((r) => r.from === from && r.to === to) ?? { from, to, customers: 0, before: 0, after: 0 }),
  ).filter((c) => !(c.from === 'new' && c.to === 'lost'));
  return { cells, table };
}

/**
 * The customers of some cells (every `from` to every `to`), largest change first, with their names: one scan of the
 * lines, for their names only.
 */
export function migrationCustomers(
  engine: Engine,
  m: Migration,
  from: From | From[],
  to: To | To[],
  limit = 200,
): Promise<MigrationCustomer[]> {
  const froms = (Array.isArray(from) ? from : [from]).filter((f) => FROM.includes(f));
  const tos = (Array.isArray(to) ? to : [to]).filter((t) => TO.includes(t));
  if (!froms.length || !tos.length) return Promise.resolve([]);
  const list = (xs: string[]) => xs.map((x) => `'${x}'`).join(', ');
  return engine.query<MigrationCustomer>(`WITH cell AS (SELECT * FROM ${m.table}
      WHERE "from" IN (${list(froms)}) AND "to" IN (${list(tos)})
      ORDER BY abs(after - before) DESC, customer LIMIT ${Math.min(limit, 10_000)})
    SELECT cell.customer, coalesce(n.label, cell.customer) AS label, cell."from", cell."to", cell.before, cell.after
    FROM cell LEFT JOIN (SELECT customer, ${LABEL_SQL} AS label FROM sales
      WHERE customer IN (SELECT customer FROM cell) GROUP BY customer) n USING (customer)
    ORDER BY abs(cell.after - cell.before) DESC, cell.customer`);
}
