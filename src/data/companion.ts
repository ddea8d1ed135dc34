/**
 * A companion file beside the sales data (a programme file, a plan file): read as text into a table of its own, its
 * columns recognised by their normalised header names.
 */
import type { Engine } from './engine';
import { type Registrar, readCsvSql, type SourceFile, sniffText } from './ingest';
import { normaliseHeader } from './roles';

/** Reads `source` into the temporary table `table` and says which header serves each field (if any). */
export async function readCompanion<F extends string>(
  engine: Engine,
  source: SourceFile,
  register: Registrar,
  table: string,
  fields: Record<F, readonly string[]>,
): Promise<Record<F, string | undefined>> {
  const { encoding, dialect } = await sniffText(source);
  const dbName = `${table}_${Date.now()}.csv`;
  await register(source, dbName, { encoding, blanks: false });
  try {
    await engine.exec(`CREATE OR REPLACE TEMP TABLE ${table} AS SELECT * FROM ${readCsvSql(dbName, dialect)}`);
  } finally {
    await engine.dropFile(dbName).catch(() => {});
  }
  const cols = (await engine.query<{ column_name: string }>(`DESCRIBE ${table}`)).map((c) => c.column_name);
  const pick = (f: F) => cols.find((c) => fields[f].includes(normaliseHeader(c)));
  return Object.fromEntries((Object.keys(fields) as F[]).map((f) => [f, pick(f)])) as Record<F, string | undefined>;
}
