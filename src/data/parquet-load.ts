/**
 * Parquet into the common pipeline as typed columns: the columns worth reading are decoded into Arrow (in a worker
 * in the browser), inserted into DuckDB as a table, and loaded like a joined relation, with no CSV text written or
 * parsed again. The other columns are decoded when something asks for them (file-columns.ts).
 */
import type { Engine } from './engine';
import type { FileSource } from './file-columns';
import {
  type DatasetInfo,
  headerSignature,
  IngestError,
  type IngestOptions,
  ingestRelation,
  NeedsMapping,
} from './ingest';
import { ident } from './parse';
import type { ParquetColumns, SummaryProvenance } from './readers/parquet-arrow';

/**
 * A Parquet file, wherever it is read: its footer, and any of its columns as Arrow IPC streams, one per group of
 * columns decoded side by side (their rows line up).
 */
export interface ParquetReader {
  name: string;
  size: number;
  columns(): Promise<ParquetColumns>;
  arrow(columns: string[]): Promise<Uint8Array[]>;
}

/** Inserts the streams as tables `${prefix}_0`, `_1`, … and returns them, for a positional join. */
async function insertParts(engine: Engine, prefix: string, parts: Uint8Array[]): Promise<string[]> {
  const tables = parts.map((_, i) => `${prefix}_${i}`);
  await engine.exec(tables.map((t) => `DROP TABLE IF EXISTS ${t}`).join('; '));
  for (const [i, ipc] of parts.entries()) await engine.insertArrow(tables[i] as string, ipc);
  return tables;
}

const dropAll = (engine: Engine, tables: string[]) =>
  engine.exec(tables.map((t) => `DROP TABLE IF EXISTS ${t}`).join('; ')).catch(() => {});

/**
 * The table of Arrow columns as the pipeline reads it: doubles and dates typed, integers as text (an id stays
 * "10001"; a quantity is parsed as any text number is), text as text.
 */
export async function typedRelation(engine: Engine, tables: string[], order: string[]): Promise<string> {
  const from = tables.join(' POSITIONAL JOIN ');
  const desc = await engine.query<{ column_name: string; column_type: string }>(`DESCRIBE SELECT * FROM ${from}`);
  const type = new Map(desc.map((d) => [d.column_name, d.column_type]));
  const cols = (order.length ? order.filter((n) => type.has(n)) : desc.map((d) => d.column_name)).map((n) =>
    /^(DOUBLE|DATE|VARCHAR)$/.test(type.get(n) ?? '') ? ident(n) : `CAST(${ident(n)} AS VARCHAR) AS ${ident(n)}`,
  );
  return `(SELECT ${cols.join(', ')} FROM ${from})`;
}

function parquetSource(engine: Engine, reader: ParquetReader, all: string[]): FileSource {
  return {
    columns: all,
    relation: async (columns) => {
      const tables = await insertParts(engine, 'pq_more', await reader.arrow(columns));
      return { sql: `(SELECT * FROM ${tables.join(' POSITIONAL JOIN ')})`, drop: tables };
    },
    release: async () => {},
  };
}

/**
 * A summary's groups are not order lines: loaded as lines, every count (lines, orders, customers per line) would be
 * wrong without a word. Until the views compute from a summary, it is refused, saying what it is.
 */
function summaryNotYet(name: string, p: SummaryProvenance): IngestError {
  const lines = p.sources.reduce((s, x) => s + (Number(x.rowsLoaded) || 0), 0);
  const files = p.sources.map((x) => x.file).join(', ');
  return new IngestError(
    name,
    `${name} is a summary made by "npm run summarize" (${lines.toLocaleString('en-US')} order lines of ${files}, summed per ${p.grain.join(' × ')}, ${p.created.slice(0, 10)}), not a file of order lines. This version of the site cannot analyse a summary yet.`,
    'Drop the order lines themselves (up to about 10 million lines of 11 columns), or query the summary with DuckDB; see the README, "Past one tab".',
  );
}

export async function ingestParquet(
  engine: Engine,
  reader: ParquetReader,
  opts: IngestOptions = {},
): Promise<DatasetInfo> {
  const progress = opts.progress ?? (() => {});
  progress('sniff', `Reading the columns of ${reader.name}`, 0);
  const cols = await reader.columns();
  if (cols.summary) throw summaryNotYet(reader.name, cols.summary);
  // A mapping remembered for this header may give a role to a column the guess from types would leave out.
  const memory = opts.mapping ? undefined : opts.remembered?.(headerSignature(cols.all));
  const named = new Set<string>(Object.values(opts.mapping ?? memory?.mapping ?? {}));
  const guessed = cols.all.filter((c) => cols.guessed.includes(c) || named.has(c));
  // Every column of the file, for the mapping dialog and "More filters…"; those not decoded carry no samples.
  const withAll = (info: DatasetInfo): DatasetInfo => {
    const read = new Map(info.columns.map((c) => [c.name, c]));
    return { ...info, columns: cols.all.map((n, i) => read.get(n) ?? (cols.profiles[i] as DatasetInfo['columns'][0])) };
  };
  const load = async (want: string[]): Promise<DatasetInfo> => {
    progress('decode', `Decoding ${want.length} of ${cols.all.length} columns of ${reader.name}`, 0.05);
    const tables = await insertParts(engine, 'pq_in', await reader.arrow(want));
    try {
      const meta = {
        name: reader.name,
        size: reader.size || (cols.size ?? 0),
        encoding: { encoding: 'utf-8' as const, bom: 0, reason: 'Parquet, read as typed columns (no text conversion)' },
        dialect: { delimiter: ',', quote: '"', header: true, columns: want.length },
      };
      const source = want.length < cols.all.length ? parquetSource(engine, reader, cols.all) : null;
      const info = await ingestRelation(
        engine,
        await typedRelation(engine, tables, want),
        meta,
        { ...opts, remembered: memory ? () => memory : opts.remembered },
        source,
      );
      return { ...withAll(info), columnsRead: want.length, typed: 'parquet' };
    } finally {
      await dropAll(engine, tables);
    }
  };
  try {
    return await load(guessed);
  } catch (e) {
    // The roles could not be told from the columns decoded: decode all of them for the mapping dialog.
    if (e instanceof NeedsMapping && guessed.length < cols.all.length) return load(cols.all);
    throw e;
  }
}
