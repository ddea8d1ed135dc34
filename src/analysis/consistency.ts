/** Checks that the file's own columns agree with each other, shown in the data-quality panel. */
import type { Engine } from '../data/engine';
import type { Mapping } from '../data/roles';

export interface Consistency {
  /** Lines whose net amount differs from unit price x quantity by more than a cent (and 0.5%). */
  amountVsPrice: number | null;
  /** Lines priced above list. */
  aboveList: number | null;
  lines: number;
  /** Appended files: each with its lines used and its first and last date. */
  files: { file: string; lines: number; first: string | null; last: string | null }[];
}

/** `sourceFile`: the column that names each line's file when several files were appended. */
export async function consistency(engine: Engine, mapping: Mapping, sourceFile?: string): Promise<Consistency> {
  const checks: string[] = ['sum(lines) AS lines'];
  if (mapping.amount && mapping.unit_price && mapping.quantity && !mapping.discount) {
    checks.push(
      'count(*) FILTER (WHERE abs(amount - unit_price * quantity) > greatest(0.01, 0.005 * abs(amount))) AS "amountVsPrice"',
    );
  }
  if (mapping.list_price && mapping.unit_price)
    checks.push('count(*) FILTER (WHERE unit_price > list_price) AS "aboveList"');
  const [r] = await engine.query<Partial<Consistency> & { lines: number }>(`SELECT ${checks.join(', ')} FROM sales`);
  const col = sourceFile ? `"file:${sourceFile.replaceAll('"', '""')}"` : null;
  const files = col
    ? await engine.query<Consistency['files'][number]>(
        `SELECT ${col} AS file, sum(lines) AS lines, strftime(min(date), '%Y-%m-%d') AS first,
          strftime(max(date), '%Y-%m-%d') AS last FROM sales GROUP BY 1 ORDER BY min(line)`,
      )
    : [];
  return {
    amountVsPrice: r?.amountVsPrice ?? null,
    aboveList: r?.aboveList ?? null,
    lines: r?.lines ?? 0,
    files: files.map((f) => ({ ...f, lines: Number(f.lines) })),
  };
}
