/** Filters shared by every analysis: one WHERE clause over the canonical `sales` table. */
import { str } from '../data/parse';

export interface Filters {
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
  return parts.length ? `WHERE ${parts.join(' AND ')}` : '';
}
