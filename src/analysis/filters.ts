/**
 * Filters shared by every analysis: one WHERE clause over the canonical `sales` view. Global filters (period,
 * dimension values, customer search) and cross-filter clauses made by clicking in a view. A clause that selects
 * customers by a rule (a quadrant, an ABC class) is evaluated over the global filters only, with the rule's current
 * settings, so it follows a threshold change; `prepareFilters` materialises those customer sets once.
 */
import type { Engine } from '../data/engine';
import { readColumns } from '../data/file-columns';
import { ident, str } from '../data/parse';
import { cachedTable } from './cache';
import {
  abcClassSql,
  bandSql,
  defaultSplitsSql,
  type MarginKind,
  num,
  type ParetoMetric,
  profitColumn,
  type Quadrant,
  quadrantSql,
  rankedSql,
  SHARE_BEFORE,
} from './rules';

export type { MarginKind, Quadrant };
export { profitColumn };

/** A column of the file that is not mapped to a role is reachable in `sales` under this name. */
export const fileColumn = (name: string) => ident(`file:${name}`);

export interface DimensionFilter {
  /** A canonical column of `sales` (region, segment, …) or, with `file`, a column of the file. */
  column: string;
  file?: boolean;
  values: string[];
}

export type ClauseFilter =
  | {
      kind: 'quadrant';
      quadrant: Quadrant;
      base: Filters;
      a: number;
      margin: MarginKind;
      xSplit?: number | null;
      ySplit?: number | null;
    }
  | { kind: 'abc'; cls: 'A' | 'B' | 'C'; base: Filters; metric: ParetoMetric; a: number; b: number }
  | { kind: 'segment'; value: string }
  | { kind: 'band'; band: number }
  | { kind: 'month'; month: string }
  /** A customer set already materialised (see prepareFilters). */
  | { kind: 'set'; table: string };

export interface Filters {
  /** Inclusive ISO dates. */
  from?: string;
  to?: string;
  dims?: DimensionFilter[];
  /** Customers whose key or name contains this text. */
  search?: string;
  /** Only these customers (the key accounts, one account). */
  customers?: string[];
  clauses?: ClauseFilter[];
}

const ISO = /^\d{4}-\d{2}-\d{2}$/;
const inList = (col: string, values: string[]) => `${col} IN (${values.map(str).join(', ')})`;

export function whereSql(f: Filters = {}): string {
  const parts: string[] = [];
  if (f.from && ISO.test(f.from)) parts.push(`date >= DATE ${str(f.from)}`);
  if (f.to && ISO.test(f.to)) parts.push(`date <= DATE ${str(f.to)}`);
  for (const d of f.dims ?? []) {
    if (d.values.length) parts.push(inList(d.file ? fileColumn(d.column) : ident(d.column), d.values));
  }
  if (f.customers) parts.push(f.customers.length ? inList('customer', f.customers) : 'false');
  if (f.search?.trim()) {
    const s = str(f.search.trim().toLowerCase());
    // contains() takes the text literally: a % or _ typed in the search is not a wildcard.
    parts.push(`(contains(lower(customer), ${s}) OR contains(lower(coalesce(customer_name, '')), ${s}))`);
  }
  for (const c of f.clauses ?? []) parts.push(clauseSql(c));
  return parts.length ? `WHERE ${parts.join(' AND ')}` : '';
}

/** The condition of a WHERE clause ("true" for none), to combine several sets of filters in one scan. */
export function conditionSql(f: Filters = {}): string {
  return whereSql(f).replace(/^WHERE /, '') || 'true';
}

/** A WHERE clause (or none) with one more condition. */
export const andWhere = (where: string, cond: string) => `${where ? `${where} AND` : 'WHERE'} ${cond}`;

function clauseSql(c: ClauseFilter): string {
  switch (c.kind) {
    case 'segment':
      return `segment = ${str(c.value)}`;
    case 'band':
      return `${bandSql('discount_rate')} = ${Math.trunc(c.band)}`;
    case 'month': {
      const m = /^\d{4}-\d{2}$/.test(c.month) ? c.month : '1970-01';
      return `date >= DATE '${m}-01' AND date < DATE '${m}-01' + INTERVAL 1 MONTH`;
    }
    case 'set':
      return `customer IN (SELECT customer FROM ${c.table})`;
    default:
      return `customer IN (${customerSetSql(c)})`;
  }
}

/** Per-customer sums over some lines: what a rule that classifies customers reads. */
export function customerSumsSql(f: Filters): string {
  return `(SELECT customer, sum(amount) AS revenue, sum(profit) AS profit, sum(customer_profit) AS customer_profit,
      sum(quantity) AS quantity, sum(profit_lines) AS profit_lines FROM sales ${whereSql(f)} GROUP BY customer)`;
}

/** The customers a quadrant or class clause selects, as a query with one column, `customer`. */
function customerSetSql(c: Extract<ClauseFilter, { kind: 'quadrant' | 'abc' }>): string {
  if (c.kind === 'abc') {
    const ranked = `(${rankedSql(customerSumsSql(c.base), c.metric)})`;
    return `SELECT customer FROM ${ranked} WHERE ${abcClassSql(SHARE_BEFORE, c.a, c.b)} = '${c.cls}'`;
  }
  const p = profitColumn(c.margin);
  const ranked = `(${rankedSql(customerSumsSql(c.base), 'revenue')})`;
  const x = c.xSplit != null ? num(c.xSplit) : 's.x';
  const y = c.ySplit != null ? num(c.ySplit) : 's.y';
  // The same population and rule as the matrix: positive revenue and a known margin.
  return `SELECT customer FROM ${ranked} r, (${defaultSplitsSql(ranked, c.a, c.margin)}) s
    WHERE r.profit_lines > 0 AND ${quadrantSql('r.revenue', `r.${p} / r.revenue`, x, y)} = '${c.quadrant}'`;
}

/**
 * The same filters with every rule-based customer set built once as a table, so the many queries of a view read a
 * list of customers instead of classifying every customer again.
 */
export async function prepareFilters(engine: Engine, f: Filters): Promise<Filters> {
  // A filter on a column the load left out (a link's, or one just picked) reads it from the file first.
  const fileDims = [...(f.dims ?? []), ...(f.clauses ?? []).flatMap((c) => ('base' in c ? (c.base.dims ?? []) : []))]
    .filter((d) => d.file && d.values.length)
    .map((d) => d.column);
  if (fileDims.length) await readColumns(engine, fileDims);
  const long = (f.customers?.length ?? 0) > 50;
  if (!long && !f.clauses?.some((c) => c.kind === 'quadrant' || c.kind === 'abc')) return f;
  const clauses: ClauseFilter[] = [];
  for (const c of f.clauses ?? []) {
    if (c.kind === 'quadrant' || c.kind === 'abc') {
      clauses.push({ kind: 'set', table: await cachedTable(engine, 'sel', customerSetSql(c)) });
    } else clauses.push(c);
  }
  const { customers, ...rest } = f;
  // A long list of customers (the key accounts) as one table rather than thousands of keys in every query.
  if (long && customers)
    clauses.push({ kind: 'set', table: await cachedTable(engine, 'keys', customerListSql(customers)) });
  return { ...(long ? rest : f), clauses };
}

/** A list of customer keys as a relation of one column, `customer`. */
export function customerListSql(ids: string[]): string {
  return `SELECT DISTINCT unnest([${ids.map(str).join(', ')}]::VARCHAR[]) AS customer`;
}
