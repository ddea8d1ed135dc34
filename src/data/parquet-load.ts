/**
 * Parquet into the common pipeline as typed columns: the columns worth reading are decoded into Arrow (in a worker
 * in the browser), inserted into DuckDB as a table, and loaded like a joined relation, with no CSV text written or
 * parsed again. The other columns are decoded when something asks for them (file-columns.ts).
 */

import { homeOf, type Projection, projectionSql, SUMMARY_CARRIED } from './canonical';
import { dropEverywhere, type Engine } from './engine';
import type { FileSource } from './file-columns';
import {
  compresses,
  type DatasetInfo,
  headerSignature,
  IngestError,
  type IngestOptions,
  ingestRelation,
  NeedsMapping,
  tooLarge,
} from './ingest';
import { ident } from './parse';
import {
  type ArrowSink,
  type Decoder,
  type ParquetColumns,
  SUMMARY_FORMAT,
  type SummaryProvenance,
} from './readers/parquet-arrow';
import type { Mapping, Role } from './roles';

/**
 * A Parquet file, wherever it is read: its footer, and any of its columns as Arrow IPC streams of consecutive rows,
 * handed to `sink` as they are decoded (a stream marked fresh starts the rows over).
 */
export interface ParquetReader {
  name: string;
  size: number;
  columns(): Promise<ParquetColumns>;
  /** Resolves to the decoder that made the streams. */
  arrow(columns: string[], sink: ArrowSink): Promise<Decoder>;
}

/**
 * Decodes `columns` into table `table`, inserting each stream as it comes (DuckDB inserts one batch while the next
 * is decoded), in the compressed database for a large load.
 */
async function insertDecoded(
  engine: Engine,
  table: string,
  reader: ParquetReader,
  columns: string[],
  compressed: boolean,
): Promise<{ table: string; decoder: Decoder }> {
  await engine.exec(dropEverywhere(engine, table));
  let chain = Promise.resolve();
  let failed: unknown = null;
  const insert = async (ipc: Uint8Array, fresh: boolean) => {
    if (fresh) await engine.exec(dropEverywhere(engine, table));
    await engine.insertArrow(table, ipc, { append: !fresh, compressed });
  };
  let decoder: Decoder = 'hyparquet';
  try {
    decoder = await reader.arrow(columns, (ipc, fresh) => {
      chain = chain
        .then(() => (failed ? undefined : insert(ipc, fresh)))
        .catch((e) => {
          failed ??= e;
        });
    });
  } finally {
    await chain;
  }
  if (failed) throw failed;
  return { table, decoder };
}

const dropDecoded = (engine: Engine, table: string) => engine.exec(dropEverywhere(engine, table)).catch(() => {});

/** A column of an inserted Arrow table as the pipeline reads it, by its DuckDB type. */
function asPipeline(name: string, type: string): Projection['columns'][number] {
  const c = ident(name);
  if (/^(DOUBLE|DATE|VARCHAR)$/.test(type)) return { name, sql: c, type: type as 'DOUBLE' | 'DATE' | 'VARCHAR' };
  // Unsigned counts and decimals as numbers; a timestamp as the UTC day it falls on (the analyses work by day).
  if (/^(FLOAT|DECIMAL|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT)/.test(type))
    return { name, sql: `CAST(${c} AS DOUBLE)`, type: 'DOUBLE' };
  if (type.startsWith('TIMESTAMP')) return { name, sql: `CAST(CAST(${c} AS TIMESTAMP) AS DATE)`, type: 'DATE' };
  return { name, sql: `CAST(${c} AS VARCHAR)`, type: 'VARCHAR' };
}

/**
 * The table of Arrow columns as the pipeline reads it: doubles and dates typed, integers and booleans as text (an
 * id stays "10001"; a quantity is parsed as any text number is), text as text.
 */
export async function typedRelation(engine: Engine, from: string, order: string[]): Promise<Projection> {
  const desc = await engine.query<{ column_name: string; column_type: string }>(`DESCRIBE SELECT * FROM ${from}`);
  const type = new Map(desc.map((d) => [d.column_name, d.column_type]));
  const names = order.length ? order.filter((n) => type.has(n)) : desc.map((d) => d.column_name);
  return { table: from, columns: names.map((n) => asPipeline(n, type.get(n) ?? '')) };
}

/**
 * A Parquet file as a table of text columns, for several files dropped together (related.ts appends and joins text
 * tables, a CSV beside a Parquet file among them): every column decoded as typed columns and written as the text the
 * pipeline reads (a date as YYYY-MM-DD, a timestamp as its UTC day, a number as its shortest text), with no CSV
 * written or parsed.
 */
export async function parquetTextTable(engine: Engine, reader: ParquetReader, table: string): Promise<void> {
  const cols = await reader.columns();
  const compressed = compresses(cols.rows * cols.all.length, {});
  const { table: from } = await insertDecoded(engine, `${table}_pq`, reader, cols.all, compressed);
  try {
    const text = (await typedRelation(engine, from, cols.all)).columns.map((c) => {
      const x = c.sql;
      // A whole number as a CSV export writes it ("43", not DuckDB's "43.0"), so that a line repeated in a CSV
      // export of the same system is seen as the same line.
      const v =
        c.type === 'DOUBLE'
          ? `CASE WHEN NOT isfinite(${x}) THEN NULL WHEN ${x} = trunc(${x}) AND abs(${x}) < 1e15 THEN CAST(CAST(${x} AS BIGINT) AS VARCHAR) ELSE CAST(${x} AS VARCHAR) END`
          : c.type === 'DATE'
            ? `CAST(${x} AS VARCHAR)`
            : x;
      return `${v} AS ${ident(c.name)}`;
    });
    await engine.exec(`CREATE OR REPLACE TABLE ${table} AS SELECT ${text.join(', ')} FROM ${from}`);
  } finally {
    await dropDecoded(engine, from);
  }
}

function parquetSource(engine: Engine, reader: ParquetReader, all: string[]): FileSource {
  return {
    columns: all,
    relation: async (columns) => {
      // Beside the lines, compressed as they are.
      const compressed = (await homeOf(engine, 'raw')) !== '';
      const { table } = await insertDecoded(engine, 'pq_more', reader, columns, compressed);
      return { sql: projectionSql(await typedRelation(engine, table, columns)), drop: [table] };
    },
    release: async () => {},
  };
}

/** A summary's columns by role (the date is made from its year and month). */
const SUMMARY_ROLES: [Role, string][] = [
  ['customer_name', 'customer_name'],
  ['region', 'region'],
  ['segment', 'segment'],
  ['category', 'category'],
  ['rep', 'rep'],
  ['quantity', 'quantity'],
  ['gross', 'gross'],
  ['discount', 'discount_amount'],
  ['cost', 'cost'],
  ['profit', 'profit'],
  ['rebate', 'rebate'],
  ['promo', 'promo'],
  ['freight', 'freight'],
];
/** The summary columns the pipeline carries per group (canonical.ts SUMMARY_CARRIED), in that order. */
const SUMMARY_COUNTS = ['lines', 'loss_lines', 'profit_lines', 'discount_band', 'customer_profit'];

/** The grain in words, without the filter columns the source did not have (no rep, say). */
export function grainText(p: SummaryProvenance, mapping: Mapping): string {
  const filters = new Set(['region', 'segment', 'category', 'rep']);
  return p.grain
    .filter((g) => !filters.has(g) || mapping[g as Role])
    .map((g) => (g === 'discount_band' ? 'discount band' : g === 'rep' ? 'sales rep' : String(g)))
    .join(' × ');
}

function summaryRefused(name: string, p: SummaryProvenance, missing: string[]): IngestError {
  return new IngestError(
    name,
    p.format > SUMMARY_FORMAT
      ? `${name} is a summary of format ${p.format}, newer than this site reads (${SUMMARY_FORMAT}).`
      : `${name} says it is a summary made by "npm run summarize" but lacks its column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}.`,
    'Make the summary again with the "npm run summarize" of this version of the site (README, "Past one tab").',
  );
}

/**
 * A summary (`npm run summarize`): groups of order lines, each row carrying its line counts. Loaded through the
 * same pipeline as lines, with its date the first day of its month and its counts carried beside the sums, so the
 * views count lines as sum(lines) and compute every figure defined at the summary's grain with their own SQL.
 */
async function ingestSummary(
  engine: Engine,
  reader: ParquetReader,
  cols: ParquetColumns,
  p: SummaryProvenance,
  opts: IngestOptions,
): Promise<DatasetInfo> {
  const progress = opts.progress ?? (() => {});
  const missing = ['customer', 'year', 'month', 'amount', ...SUMMARY_COUNTS].filter((c) => !cols.all.includes(c));
  if (missing.length || p.format > SUMMARY_FORMAT) throw summaryRefused(reader.name, p, missing);
  const large = tooLarge(reader.name, cols.rows, cols.all.length, cols.all.length, '', {
    rows: 'groups',
    advice:
      'Summarise again with fewer groups: "npm run summarize -- <files> --without discount_band,rep" (or region, segment, category), or one summary per year.',
  });
  if (large && !opts.unbounded) throw large;
  progress('decode', `Decoding the summary ${reader.name}`, 0.05);
  const compressed = compresses(cols.rows * cols.all.length, opts);
  const { table: from, decoder } = await insertDecoded(engine, 'pq_in', reader, cols.all, compressed);
  try {
    const offered = SUMMARY_ROLES.filter(([, c]) => cols.all.includes(c));
    // A column no group has a value in (no rep in the source, say) gets no role: no empty filter, no 0 shown.
    const [filled] = await engine.query<Record<string, number>>(
      `SELECT sum(lines) AS lines, ${offered.map(([, c]) => `count(${ident(c)}) AS ${ident(c)}`).join(', ') || '0 AS none'} FROM ${from}`,
    );
    const kept = offered.filter(([, c]) => Number(filled?.[c] ?? 0) > 0);
    const mapping: Mapping = { customer: 'customer', date: 'month', amount: 'amount' };
    for (const [r, c] of kept) mapping[r] = c;
    const text = new Set<Role>(['customer_name', 'region', 'segment', 'category', 'rep']);
    const rel = `(SELECT CAST(customer AS VARCHAR) AS customer,
        make_date(CAST(year AS INTEGER), CAST(month AS INTEGER), 1) AS month, CAST(amount AS DOUBLE) AS amount,
        ${kept.map(([r, c]) => `CAST(${ident(c)} AS ${text.has(r) ? 'VARCHAR' : 'DOUBLE'}) AS ${ident(c)}`).join(', ')}${kept.length ? ',' : ''}
        ${SUMMARY_COUNTS.map((c, i) => `${ident(c)} AS ${ident(SUMMARY_CARRIED[i] as string)}`).join(', ')}
      FROM ${from})`;
    const info = await ingestRelation(
      engine,
      rel,
      {
        name: reader.name,
        size: reader.size || (cols.size ?? 0),
        encoding: { encoding: 'utf-8', bom: 0, reason: `Parquet summary, decoded by ${decoder} into typed columns` },
        dialect: { delimiter: ',', quote: '"', header: true, columns: cols.all.length },
      },
      { ...opts, mapping, formats: { discountKind: 'amount' }, remembered: undefined },
    );
    const total = (k: 'rowsRead' | 'rowsRejected' | 'rowsSkipped') =>
      p.sources.reduce((s, x) => s + (Number(x[k]) || 0), 0);
    const n = (x: number) => x.toLocaleString('en-US');
    const lines = Number(filled?.lines ?? 0);
    const files = p.sources.map((x) => String(x.file)).join(', ');
    const said = `${reader.name} is a summary made by "npm run summarize"${p.created ? ` on ${String(p.created).slice(0, 10)}` : ''}: ${n(lines)} order lines of ${files} summed into ${n(info.rowsLoaded)} groups of ${grainText(p, mapping)}. Every figure is computed from those sums. Not available from a summary: distinct orders, gaps between orders (the overdue alert), single days (a date range counts the months whose first day it holds; the last month counts as whole) and products.`;
    return {
      ...info,
      warnings: [said, ...info.warnings],
      typed: 'parquet',
      columnsRead: info.columns.length,
      summary: { provenance: p, groups: info.rowsLoaded },
      // The lines the groups hold, and those the summarize run left out (counted in its sources, not listed here).
      rowsLoaded: lines,
      rowsRead: total('rowsRead'),
      rowsRejected: total('rowsRejected'),
      rowsSkipped: total('rowsSkipped'),
      rejectedByReason: [],
      skippedByReason: [],
    };
  } finally {
    await dropDecoded(engine, from);
  }
}

export async function ingestParquet(
  engine: Engine,
  reader: ParquetReader,
  opts: IngestOptions = {},
): Promise<DatasetInfo> {
  const progress = opts.progress ?? (() => {});
  progress('sniff', `Reading the columns of ${reader.name}`, 0);
  const cols = await reader.columns();
  if (cols.summary) return ingestSummary(engine, reader, cols, cols.summary, opts);
  // A mapping remembered for this header may give a role to a column the guess from types would leave out.
  const memory = opts.mapping ? undefined : opts.remembered?.(headerSignature(cols.all));
  const named = new Set<string>(Object.values(opts.mapping ?? memory?.mapping ?? {}));
  const guessed = cols.all.filter((c) => cols.guessed.includes(c) || named.has(c));
  // Known from the footer before anything is decoded.
  const large = opts.unbounded ? null : tooLarge(reader.name, cols.rows, cols.all.length, guessed.length);
  if (large) throw large;
  // Every column of the file, for the mapping dialog and "More filters…"; those not decoded carry no samples.
  const withAll = (info: DatasetInfo): DatasetInfo => {
    const read = new Map(info.columns.map((c) => [c.name, c]));
    return { ...info, columns: cols.all.map((n, i) => read.get(n) ?? (cols.profiles[i] as DatasetInfo['columns'][0])) };
  };
  const load = async (want: string[]): Promise<DatasetInfo> => {
    progress('decode', `Decoding ${want.length} of ${cols.all.length} columns of ${reader.name}`, 0.05);
    const compressed = compresses(cols.rows * want.length, opts);
    const { table, decoder } = await insertDecoded(engine, 'pq_in', reader, want, compressed);
    try {
      const meta = {
        name: reader.name,
        size: reader.size || (cols.size ?? 0),
        encoding: {
          encoding: 'utf-8' as const,
          bom: 0,
          reason: `Parquet, decoded by ${decoder} into typed columns (no text conversion)`,
        },
        dialect: { delimiter: ',', quote: '"', header: true, columns: want.length },
      };
      const source = want.length < cols.all.length ? parquetSource(engine, reader, cols.all) : null;
      const info = await ingestRelation(
        engine,
        await typedRelation(engine, table, want),
        meta,
        { ...opts, remembered: memory ? () => memory : opts.remembered },
        source,
      );
      return { ...withAll(info), columnsRead: want.length, typed: 'parquet' };
    } finally {
      await dropDecoded(engine, table);
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
