/**
 * ABC migration between two periods (DESIGN.md): classes computed in each period on its own revenue, with the same
 * thresholds and the share-before rule. A customer with no positive revenue in the earlier period is "new", in the
 * later one "lost".
 */
import type { Engine } from '../data/engine';
import { cachedTable } from './cache';
import { type Filters, whereSql } from './filters';
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

function classesSql(f: Filters, a: number, b: number): string {
  const sums = `(SELECT customer, sum(amount) AS revenue FROM sales ${whereSql(f)} GROUP BY customer)`;
  return `SELECT customer, revenue, ${abcClassSql(SHARE_BEFORE, a, b)} AS cls FROM (${rankedSql(sums, 'revenue')})`;
}

export async function abcMigration(
  engine: Engine,
  earlier: Filters,
  later: Filters,
  a: number,
  b: number,
): Promise<Migration> {
  const table = await cachedTable(
    engine,
    'migration',
    `SELECT customer, coalesce(p.cls, 'new') AS "from", coalesce(q.cls, 'lost') AS "to",
        coalesce(p.revenue, 0) AS before, coalesce(q.revenue, 0) AS after
      FROM (${classesSql(earlier, a, b)}) p FULL OUTER JOIN (${classesSql(later, a, b)}) q USING (customer)`,
  );
  const rows = await engine.query<{ from: From; to: To; customers: number; before: number; after: number }>(
    `SELECT "from", "to", count(*) AS customers, sum(before) AS before, sum(after) AS after FROM ${table} GROUP BY 1, 2`,
  );
  const cells = FROM.flatMap((from) =>
    TO.map((to) => rows.find((r) => r.from === from && r.to === to) ?? { from, to, customers: 0, before: 0, after: 0 }),
  ).filter((c) => !(c.from === 'new' && c.to === 'lost'));
  return { cells, table };
}

/** The customers of one cell, largest change first, with their names. */
export function migrationCustomers(
  engine: Engine,
  m: Migration,
  from: From,
  to: To,
  limit = 200,
): Promise<MigrationCustomer[]> {
  if (!FROM.includes(from) || !TO.includes(to)) return Promise.resolve([]);
  return engine.query<MigrationCustomer>(`SELECT m.customer, coalesce(n.label, m.customer) AS label, m."from", m."to",
      m.before, m.after
    FROM ${m.table} m LEFT JOIN (SELECT customer, ${LABEL_SQL} AS label FROM sales GROUP BY customer) n USING (customer)
    WHERE m."from" = '${from}' AND m."to" = '${to}'
    ORDER BY abs(m.after - m.before) DESC, m.customer LIMIT ${Math.min(limit, 10_000)}`);
}
