/** Filters shared by every analysis: one WHERE clause over the canonical `sales` table. */
import { str } from '../data/parse';

export type Quadrant = 'core' | 'volume' | 'develop' | 'serve';
export type MarginKind = 'gross' | 'customer';

export const profitColumn = (m: MarginKind) => (m === 'customer' ? 'customer_profit' : 'profit');

/** A value-matrix quadrant chosen by clicking it; the other views filter to its customers. */
export interface QuadrantFilter {
  quadrant: Quadrant;
  /** Revenue and margin splits in force when it was chosen. */
  x: number;
  y: number;
  margin: MarginKind;
}

export interface Filters {
  quadrant?: QuadrantFilter;
  /** Restrict to these customer keys (cross-filter from another view). */
  customers?: string[];
  segment?: string[];
  region?: string[];
  dateFrom?: string;
  dateTo?: string;
}

const inList = (col: string, values: string[]) => `${col} IN (${values.map(str).join(', ')})`;

export function whereSql(f: Filters = {}): string {
  const parts: string[] = [];
  if (f.customers?.length) parts.push(inList('customer', f.customers));
  if (f.segment?.length) parts.push(inList('segment', f.segment));
  if (f.region?.length) parts.push(inList('region', f.region));
  if (f.dateFrom && /^\d{4}-\d{2}-\d{2}$/.test(f.dateFrom)) parts.push(`date >= DATE ${str(f.dateFrom)}`);
  if (f.dateTo && /^\d{4}-\d{2}-\d{2}$/.test(f.dateTo)) parts.push(`date <= DATE ${str(f.dateTo)}`);
  if (f.quadrant) parts.push(quadrantSql(f.quadrant));
  return parts.length ? `WHERE ${parts.join(' AND ')}` : '';
}

/** A WHERE clause (or none) with one more condition. */
export const andWhere = (where: string, cond: string) => `${where ? `${where} AND` : 'WHERE'} ${cond}`;

/** Keeps the order lines of the customers in one quadrant (over the whole period, like the matrix itself). */
function quadrantSql(q: QuadrantFilter): string {
  const p = profitColumn(q.margin);
  const hiRev = q.quadrant === 'core' || q.quadrant === 'volume';
  const hiMargin = q.quadrant === 'core' || q.quadrant === 'develop';
  const num = (v: number) => (Number.isFinite(v) ? String(v) : '0');
  return `customer IN (SELECT customer FROM (SELECT customer, sum(amount) AS r, sum(${p}) AS p, count(${p}) AS n
    FROM sales GROUP BY customer) WHERE r > 0 AND n > 0 AND r ${hiRev ? '>=' : '<'} ${num(q.x)} AND p / r ${hiMargin ? '>=' : '<'} ${num(q.y)})`;
}
