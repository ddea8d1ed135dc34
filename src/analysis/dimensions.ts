/** The values of a column the filter bar offers: the most frequent first, or those matching a search. */
import type { Engine } from '../data/engine';
import { readColumns } from '../data/file-columns';
import { ident, str } from '../data/parse';
import { fileColumn } from './filters';

const LIMIT = 200;

export async function dimensionValues(
  engine: Engine,
  column: string,
  file: boolean,
  search = '',
): Promise<{ rows: { value: string; lines: number }[]; more: boolean }> {
  // A column the load left out is read from the file the first time it is asked for.
  if (file) await readColumns(engine, [column]);
  const col = file ? fileColumn(column) : ident(column);
  const q = search.trim().toLowerCase();
  const rows = await engine.query<{ value: string; lines: number }>(
    `SELECT CAST(${col} AS VARCHAR) AS value, sum(lines) AS lines FROM sales
     WHERE ${col} IS NOT NULL AND CAST(${col} AS VARCHAR) <> ''${q ? ` AND contains(lower(CAST(${col} AS VARCHAR)), ${str(q)})` : ''}
     GROUP BY 1 ORDER BY lines DESC, value LIMIT ${LIMIT + 1}`,
  );
  return { rows: rows.slice(0, LIMIT), more: rows.length > LIMIT };
}

/**
 * The data's first and last date, whatever the filters: periods are named relative to it. A summary's dates are
 * months (their first day): its data ends on the last day of its last month.
 */
export async function dateRange(engine: Engine, months = false): Promise<{ from: string; to: string } | null> {
  const last = months ? 'max(date) + INTERVAL 1 MONTH - INTERVAL 1 DAY' : 'max(date)';
  const [r] = await engine.query<{ from: string | null; to: string | null }>(
    `SELECT strftime(min(date), '%Y-%m-%d') AS "from", strftime(${last}, '%Y-%m-%d') AS "to" FROM sales`,
  );
  return r?.from && r.to ? { from: r.from, to: r.to } : null;
}
