/**
 * The ingest pipeline: one entry point for every dropped file, one reader per format behind it.
 * Stages load into `*_stage` tables and only replace the live tables when everything succeeded,
 * so a bad file never destroys the data the user already has.
 */

import { dsvFormat } from 'd3';
import {
  type BuildResult,
  buildTyped,
  commitTyped,
  DUPLICATE_OF,
  dateCandidate,
  detectFormats,
  type Formats,
  fileColumnsOf,
  homeOf,
  lineSql,
  NUMBER_ROLES,
  type Projection,
  placeScannedLines,
  projectionSql,
  SUMMARY_CARRIED,
  shapeOf,
  TEXT_ROLES,
  typedColumns,
} from './canonical';
import {
  chosenEncoding,
  detectEncoding,
  type Encoding,
  type EncodingGuess,
  legacyEncoding,
  makeDecoder,
  mostlyUtf8,
  needsPrep,
  type TextPrep,
  utf8Census,
} from './encoding';
import { dropEverywhere, type Engine, isFatalEngineError } from './engine';
import {
  csvSource,
  discardSource,
  type FileSource,
  liveSource,
  promoteSource,
  readColumns,
  stageSource,
} from './file-columns';
import { type LineScanner, scanLines } from './line-scan';
import { DATE_CANDIDATES, ident, looksLikeNumber, str } from './parse';
import type { SummaryProvenance } from './readers/parquet-arrow';
import { type ColumnProfile, guessMapping, type Mapping, missingRequired, ROLES } from './roles';
import { blanksToCsv, type Dialect, detectDialect, headerLines, sniffMagic, WHITESPACE } from './sniff';

/** What the pipeline needs from a file: its name, size and byte ranges. */
export interface SourceFile {
  name: string;
  size: number;
  slice(start: number, end: number): Promise<Uint8Array>;
  /** DuckDB reads it from the file itself (a dropped File) when it is UTF-8: its bytes are never in the wasm heap. */
  handle?: boolean;
}

/** Puts the file into DuckDB's virtual file system as UTF-8 bytes, transcoding when needed. */
export type Registrar = (source: SourceFile, dbName: string, prep: TextPrep) => Promise<void>;

export type Stage = 'sniff' | 'decode' | 'read' | 'map' | 'parse' | 'done';
/** `rows`: while reading, the number of rows the file is expected to hold (from the density of its head). */
export type Progress = (stage: Stage, detail: string, fraction?: number, rows?: number) => void;

export class IngestError extends Error {
  constructor(
    readonly file: string,
    message: string,
    readonly hint: string,
    readonly line?: number,
    readonly column?: string,
  ) {
    super(message);
  }
}

/** The file can be read but its roles must be chosen by the user. */
export class NeedsMapping extends Error {
  constructor(
    readonly partial: PartialInfo,
    readonly missing: string[],
    readonly mapping: Mapping,
  ) {
    super(`${partial.fileName}: no column could be recognised as ${missing.join(' or ')}.`);
  }
}

/** What is known about a file once it is read, before its roles are mapped. */
export type PartialInfo = Pick<
  DatasetInfo,
  'fileName' | 'fileSize' | 'encoding' | 'dialect' | 'columns' | 'samples' | 'rowsRead'
>;

export interface DatasetInfo {
  fileName: string;
  fileSize: number;
  encoding: EncodingGuess;
  dialect: Dialect;
  columns: ColumnProfile[];
  /** A few values per column, for the mapping dialog. */
  samples: Record<string, string[]>;
  mapping: Mapping;
  formats: Formats;
  rowsRead: number;
  rowsLoaded: number;
  rowsRejected: number;
  rejectedByReason: { reason: string; rows: number }[];
  /** Lines that are not order lines (blank, total, repeated header): left out, counted, downloadable. */
  rowsSkipped: number;
  skippedByReason: { reason: string; rows: number }[];
  /** What the user must know about how the file was read (repaired bytes, title lines, mixed dates). */
  warnings: string[];
  /** How many of the file's columns the load read (the rest are read when asked for: file-columns.ts). */
  columnsRead?: number;
  /** Set for a file read as typed columns (Parquet): it has no encoding or separator to report. */
  typed?: 'parquet';
  /**
   * Set for a summary (`npm run summarize`): its rows are groups of order lines (`groups` of them), `rowsLoaded`
   * the lines they hold; what needs single lines or days is not available.
   */
  summary?: { provenance: SummaryProvenance; groups: number };
}

/**
 * Above this the wasm heap (4 GB at most) cannot hold a file's bytes beside its parsed lines: the limit for a file
 * held in memory (transcoded, converted, from an archive). A UTF-8 file DuckDB reads from its handle is limited by
 * its values (MAX_VALUES) alone.
 */
export const MAX_FILE_BYTES = 1.2 * 1024 ** 3;
/**
 * Values (lines × columns) a tab can analyse, measured (BENCHMARKS.md, session 7, compressed tables): 20M lines of
 * 11 columns (220M values) load and every view works; at 25M (275M) the typed read runs DuckDB out of its 3.1 GiB.
 */
export const MAX_VALUES = 220e6;

/**
 * Values (lines × columns read) from which the lines are written compressed (engine.ts TAB_STORAGE): ~5.5M lines
 * of 11 columns, ~760 MB plain. Below it a load is written twice as fast and fits; session 6 loaded 10M plain lines.
 */
export const COMPRESS_FROM = 60e6;

/** Whether a load of `values` (lines × columns read) is written compressed. */
export const compresses = (values: number, opts: IngestOptions): boolean =>
  values >= (opts.compressFrom ?? COMPRESS_FROM);

/**
 * Refuses, before reading it, a file whose lines × columns (lines estimated from the density of its head) are
 * more than a tab can hold: told now, rather than after a minute of loading and a failed engine.
 */
function refuseWhatCannotFit(source: SourceFile, head: Uint8Array, text: string, d: Dialect): void {
  if (source.size <= head.length) return;
  const lines = (text.match(/\n/g)?.length ?? 0) || 1;
  const estimate = Math.round((lines / head.length) * source.size);
  const read = columnsToRead(text, d);
  const error = tooLarge(source.name, estimate, d.columns, read, 'about ');
  if (error) throw error;
}

/**
 * The refusal of a file of `lines` rows whose `read` columns (of `columns`) are more values than a tab holds, or
 * null when it fits. `what` names a summary's rows (groups) and says how to make fewer.
 */
export function tooLarge(
  name: string,
  lines: number,
  columns: number,
  read: number,
  about = '',
  what: { rows: string; advice: string } = {
    rows: 'lines',
    advice:
      'Export a shorter period or only the columns the analysis uses (customer, date, amount, cost, discount and the ones you filter on), or split the file by year and drop one part at a time; past a tab, summarise it natively (README, "Past one tab").',
  },
): IngestError | null {
  const values = lines * Math.max(1, read);
  if (values <= MAX_VALUES) return null;
  const n = (x: number) => x.toLocaleString('en-US', { maximumSignificantDigits: 3 });
  return new IngestError(
    name,
    `${name} holds ${about}${n(lines)} ${what.rows} of ${columns} columns${read < columns ? `, ${read} of them used` : ''} (${n(values / 1e6)} million values); a browser tab can analyse about ${n(MAX_VALUES / 1e6)} million (20 million lines of 11 columns load, 25 million do not).`,
    what.advice,
  );
}
const HEAD_BYTES = 256 * 1024;

/**
 * How many columns a load of this file will read, judged before it is read from the header names alone: those the
 * role guesser maps by name, and the first. Every column when the names do not give the required roles (the values
 * may; the mapping dialog then needs them all).
 */
export function columnsToRead(text: string, d: Dialect): number {
  if (!d.header || d.delimiter === WHITESPACE) return d.columns;
  const line = text.split(/\r\n|\n|\r/, (d.skip ?? 0) + 1)[d.skip ?? 0] ?? '';
  const names = dsvFormat(d.delimiter).parseRows(line)[0] ?? [];
  const mapping = guessMapping(names.map((name) => ({ name, numericShare: 1, dateShare: 1, nonEmpty: 1 })));
  if (missingRequired(mapping).length) return d.columns;
  return Math.min(d.columns, new Set([names[0], ...Object.values(mapping)]).size);
}

const UNSUPPORTED: Record<string, string> = {
  // Workbooks, Parquet and archives dropped as sales data are converted before they get here; these messages are
  // for the places that take delimited text only (a programme file, say).
  xlsx: 'Only delimited text is read here: save the sheet as "CSV UTF-8" and use the CSV.',
  xls: 'Legacy Excel .xls files are not readable: save the sheet as .xlsx or "CSV UTF-8" and drop that.',
  parquet: 'Only delimited text is read here: export the table as CSV and use that.',
  gzip: 'Only delimited text is read here: unpack the file and use the CSV inside.',
  zip: 'Only delimited text is read here: unpack the archive, or save the workbook sheet as CSV.',
  image: 'This is an image, not a sales export: drop the CSV or text export from your ERP or CRM.',
  pdf: 'A PDF report cannot be analysed: export the underlying data as CSV instead.',
  other: 'This does not look like a text export: drop a CSV, TSV or other delimited text file.',
};

/** A fingerprint of the header row: files with the same header reuse the same mapping. */
export function headerSignature(columns: string[]): string {
  return columns.map((c) => c.trim().toLowerCase()).join('\u241f');
}

export interface IngestOptions {
  /** A mapping (and formats) the user chose earlier for the same header, if any. */
  remembered?: (signature: string) => { mapping: Mapping; formats?: Partial<Formats> } | undefined;
  /** An explicit mapping (from the mapping dialog): skips detection and the remembered one. */
  mapping?: Mapping;
  formats?: Partial<Formats>;
  progress?: Progress;
  /** The encoding the user chose in the mapping dialog, instead of the detected one. */
  encoding?: Encoding;
  /** Runs the pass over the file's lines (line-scan.ts); the browser runs it in a worker. */
  scan?: LineScanner;
  /** Native DuckDB (the summarize command) spills to disk: a tab's size limits do not apply. */
  unbounded?: boolean;
  /** Values (lines × columns read) from which the lines are written compressed; COMPRESS_FROM unless set. */
  compressFrom?: number;
}

const mb = (n: number) => `${(n / 1024 ** 2).toFixed(1)} MB`;

export async function ingestFile(
  engine: Engine,
  source: SourceFile,
  register: Registrar,
  opts: IngestOptions = {},
): Promise<DatasetInfo> {
  const progress = opts.progress ?? (() => {});
  const name = source.name;
  progress('sniff', `Checking ${name} (${mb(source.size)})`, 0);
  const { head, encoding, text, dialect } = await sniffText(source, opts.encoding, opts.unbounded);
  if (!opts.unbounded) refuseWhatCannotFit(source, head, text, dialect);
  const dbName = `upload_${Date.now()}_${Math.random().toString(36).slice(2)}.csv`;
  progress('decode', `Reading ${name} (${encoding.reason})`, 0.05);
  await register(source, dbName, { encoding, blanks: dialect.delimiter === WHITESPACE });
  // The decoded head, cut at its last full line, is the sample that roles and conventions are recognised from.
  const headName = `${dbName}.head.csv`;
  const complete = source.size <= head.length;
  await engine.registerBuffer(
    headName,
    new TextEncoder().encode(headText(complete ? text : text.slice(0, text.lastIndexOf('\n') + 1), dialect)),
  );
  const ctx: ReadContext = {
    engine,
    name,
    size: source.size,
    encoding,
    dialect,
    opts,
    rel: readCsvSql(dbName, dialect),
    headRel: readCsvSql(headName, dialect),
    typedRel: (plan) => readCsvSql(dbName, dialect, plan),
  };
  let keep = false;
  try {
    let info: DatasetInfo;
    try {
      info = await readTyped(ctx);
    } catch (e) {
      // The sampled head was valid UTF-8 but a later byte is not: look at the whole file.
      if (encoding.encoding !== 'utf-8' || encoding.repaired || !/unicode|utf-?8/i.test(String((e as Error).message)))
        throw e;
      await engine.dropFile(dbName);
      progress('decode', `Checking the encoding of ${name}: a byte further in is not UTF-8`, 0.06);
      ctx.encoding = await laterEncoding(source, encoding.bom);
      await register(source, dbName, { encoding: ctx.encoding, blanks: dialect.delimiter === WHITESPACE });
      info = await readTyped(ctx);
    }
    // Line numbers are shown for rejected and skipped rows and repaired bytes only: the file is scanned for the
    // empty lines the reader skipped when one of those exists, not on every load.
    if (
      (info.rowsRejected || info.rowsSkipped || ctx.encoding.repaired) &&
      !ctx.encoding.encoding.startsWith('utf-16') &&
      dialect.delimiter !== WHITESPACE
    ) {
      const { shifts } = await (opts.scan ?? scanLines)(source, {
        ...dialect,
        bom: ctx.encoding.bom,
        headerLines: headerLines(dialect),
      });
      await placeScannedLines(engine, shifts);
    }
    if (ctx.encoding.repaired) info.warnings.push(await repairedLines(engine, info));
    if (dialect.skip) info.warnings.unshift(titleWarning(name, text, dialect.skip));
    // Columns left out of the load are read from the file when asked for: it stays registered until replaced.
    const names = info.columns.map((c) => c.name);
    info.columnsRead = (await fileColumnsOf(engine, 'raw_next')).length;
    keep = info.columnsRead < names.length;
    await stageSource(engine, keep ? csvSource(engine, dbName, ctx.rel, names) : null);
    return info;
  } catch (e) {
    if (e instanceof IngestError || e instanceof NeedsMapping) throw e;
    throw (await unclosedQuote(source, ctx.encoding, dialect, opts.scan ?? scanLines)) ?? csvError(name, e);
  } finally {
    if (!keep) await engine.dropFile(dbName).catch(() => {});
    await engine.dropFile(headName).catch(() => {});
    await engine.exec('DROP TABLE IF EXISTS raw_sample').catch(() => {});
  }
}

/**
 * The encoding of a file whose head is UTF-8 but whose later bytes are not: UTF-8 with a few bytes replaced when
 * nearly all of its non-ASCII bytes are valid UTF-8, else the legacy code page that reads the bytes around the first
 * invalid one best.
 */
async function laterEncoding(source: SourceFile, bom: number): Promise<EncodingGuess> {
  const CHUNK = 8 * 1024 * 1024;
  let valid = 0;
  let invalid = 0;
  let around: Uint8Array | null = null;
  for (let pos = bom; pos < source.size; pos += CHUNK - 4) {
    const bytes = await source.slice(pos, Math.min(source.size, pos + CHUNK));
    const c = utf8Census(pos + CHUNK >= source.size ? bytes : bytes.subarray(0, bytes.length - 4));
    valid += c.valid;
    invalid += c.invalid;
    if (!around && c.firstInvalid >= 0)
      around = bytes.subarray(Math.max(0, c.firstInvalid - 4096), c.firstInvalid + HEAD_BYTES);
  }
  if (mostlyUtf8({ valid, invalid }))
    return {
      encoding: 'utf-8',
      bom,
      reason: `UTF-8; ${invalid.toLocaleString('en-US')} invalid byte${invalid === 1 ? '' : 's'} replaced`,
      repaired: true,
    };
  const legacy = legacyEncoding(around ?? new Uint8Array());
  return { ...legacy, reason: `${legacy.reason} (not UTF-8 further in)` };
}

/** Says which lines above the header were taken for a title and left out. */
function titleWarning(name: string, text: string, skip: number): string {
  const titles = text
    .split(/\r\n|\n|\r/, skip)
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => `"${l.length > 60 ? `${l.slice(0, 60)}…` : l}"`);
  return `The header of ${name} is on line ${skip + 1}: the line${skip === 1 ? '' : 's'} above it (${titles.join(', ')}) ${skip === 1 ? 'is a title' : 'are a title'} and ${skip === 1 ? 'was' : 'were'} not read.`;
}

/** Which lines held bytes that are not UTF-8 (now U+FFFD), for the warning. */
async function repairedLines(engine: Engine, info: DatasetInfo): Promise<string> {
  const names = await fileColumnsOf(engine, 'raw_next');
  const cols = names.map((c) => `coalesce(CAST(${ident(c)} AS VARCHAR), '')`).join(', ');
  const rows = await engine.query<{ line: number; n: number }>(
    `SELECT ${lineSql(await shapeOf(engine, 'raw_next', names), headerLines(info.dialect))} AS line, count(*) OVER () AS n FROM raw_next
     WHERE contains(concat(${cols}), '\uFFFD') ORDER BY rowid LIMIT 5`,
  );
  const n = rows[0]?.n ?? 0;
  const lines = rows.map((r) => r.line).join(', ');
  return n
    ? `${n.toLocaleString('en-US')} line${n === 1 ? '' : 's'} of ${info.fileName} held bytes that are not valid UTF-8 (line${n === 1 ? '' : 's'} ${lines}${n > 5 ? ', …' : ''}): those characters show as \uFFFD. Every other character was read as UTF-8. If names look wrong, choose the encoding in the column mapping.`
    : `${info.fileName} held bytes that are not valid UTF-8 outside the columns analysed; they were replaced.`;
}

const headText = (text: string, d: Dialect) => (d.delimiter === WHITESPACE ? blanksToCsv(text).csv : text);

export interface SniffedText {
  head: Uint8Array;
  encoding: EncodingGuess;
  /** The head decoded to text. */
  text: string;
  dialect: Dialect;
}

/** Refuses what is not delimited text (empty, too large, binary, one column) and detects encoding and dialect. */
export async function sniffText(source: SourceFile, forced?: Encoding, unbounded = false): Promise<SniffedText> {
  const name = source.name;
  if (source.size === 0)
    throw new IngestError(name, `${name} is empty (0 bytes).`, 'Export the data again and drop the new file.');
  const tooManyBytes = () =>
    new IngestError(
      name,
      `${name} is ${mb(source.size)}, more than this browser tab can hold (about ${mb(MAX_FILE_BYTES)}).`,
      'Export a shorter period or fewer columns, or split the file by year, and drop the parts one at a time.',
    );
  const big = source.size > MAX_FILE_BYTES && !unbounded;
  if (big && !source.handle) throw tooManyBytes();
  const head = await source.slice(0, Math.min(source.size, HEAD_BYTES));
  const magic = sniffMagic(head);
  const ext = name.toLowerCase().split('.').pop() ?? '';
  const nul = strayNul(head);
  if (nul) {
    throw new IngestError(
      name,
      `${name} contains ${nul.count} NUL (zero) byte${nul.count === 1 ? '' : 's'}, the first on line ${nul.line}: a text export never holds one, so the file is damaged there.`,
      'Export the data again. If the new file has them too, open it in a text editor, delete the NUL characters on that line and save it as UTF-8.',
      nul.line,
    );
  }
  if (magic.kind === 'binary') {
    const format = magic.format === 'zip' && ext === 'xlsx' ? 'xlsx' : (magic.format ?? 'other');
    throw new IngestError(
      name,
      `${name} is ${magic.what ?? 'binary data'}, not delimited text${ext === 'csv' || ext === 'txt' ? ` (despite its .${ext} name)` : ''}.`,
      UNSUPPORTED[format] ?? (UNSUPPORTED.other as string),
    );
  }
  const encoding = forced ? chosenEncoding(forced, head) : detectEncoding(head, source.size > head.length);
  const text = makeDecoder(encoding.encoding).decode(head.subarray(encoding.bom), false);
  if (source.size <= head.length && text.trim() === '') {
    throw new IngestError(
      name,
      `${name} is empty: it holds ${encoding.bom ? 'only a byte-order mark' : 'only blank lines'}${encoding.bom && text ? ' and blank lines' : ''}, no header and no data.`,
      'Export the data again and drop the new file.',
    );
  }
  if (/^\s*<(!doctype\s+html|html[\s>]|head[\s>]|body[\s>])/i.test(text)) {
    const title = text.match(/<title[^>]*>([^<]{1,120})<\/title>/i)?.[1]?.trim();
    throw new IngestError(
      name,
      `${name} is a web page (HTML), not a data export${title ? `: "${title}"` : ''}. It is probably an error or sign-in page that was saved in place of the file.`,
      'Download the export again from your ERP or CRM (signed in), check that it opens as a table, and drop that file.',
    );
  }
  const dialect = detectDialect(text);
  // Read from its handle only as UTF-8 text: transcoded or rewritten, it is held in the heap.
  if (big && needsPrep({ encoding, blanks: dialect.delimiter === WHITESPACE })) throw tooManyBytes();
  if (dialect.columns < 2) {
    throw new IngestError(
      name,
      `${name} has only one column: no comma, semicolon, tab or pipe separates its fields.`,
      'Export it as CSV or tab-separated text with one column per field.',
      1,
    );
  }
  return { head, encoding, text, dialect };
}

/**
 * A few NUL bytes in otherwise plain text (not UTF-16, not binary): the count and the line of the first.
 */
function strayNul(head: Uint8Array): { count: number; line: number } | null {
  let count = 0;
  let first = -1;
  let control = 0;
  for (let i = 0; i < head.length; i++) {
    const b = head[i] as number;
    if (b === 0) {
      count++;
      if (first < 0) first = i;
    } else if (b < 0x09 || (b > 0x0d && b < 0x20 && b !== 0x1b)) control++;
  }
  if (!count || count > Math.max(16, head.length / 1000) || control > head.length / 1000) return null;
  let line = 1;
  for (let i = 0; i < first; i++) if (head[i] === 0x0a) line++;
  return { count, line };
}

/**
 * Loads a relation already inside DuckDB (the join of several related files) through the same pipeline as a
 * dropped file: roles, conventions, typed columns, rejected rows.
 */
export async function ingestRelation(
  engine: Engine,
  relation: string | Projection,
  meta: { name: string; size: number; encoding: EncodingGuess; dialect: Dialect },
  opts: IngestOptions = {},
  source: FileSource | null = null,
): Promise<DatasetInfo> {
  const rel = typeof relation === 'string' ? relation : projectionSql(relation);
  const projection = typeof relation === 'string' ? undefined : relation;
  try {
    const info = await readTyped({
      engine,
      ...meta,
      opts,
      rel,
      projection,
      headRel: `(SELECT * FROM ${rel} LIMIT 20000)`,
    });
    await stageSource(engine, source);
    return info;
  } finally {
    await engine.exec('DROP TABLE IF EXISTS raw_sample').catch(() => {});
  }
}

interface ReadContext {
  engine: Engine;
  name: string;
  size: number;
  encoding: EncodingGuess;
  dialect: Dialect;
  opts: IngestOptions;
  /** The read_csv(...) call over the registered file. */
  rel: string;
  /** The same over the first 256 KB only. */
  headRel: string;
  /** The read_csv(...) call with some columns typed by DuckDB (files only, not joined relations). */
  typedRel?: (plan: TypedRead) => string;
  /** `rel` as the projection of a table the caller drops after the load, which the build may take over. */
  projection?: Projection;
}

/**
 * Columns read_csv can type itself, because every sampled value was a plain number or a date of one exact
 * shape. A later value that does not fit makes the read fail, and the file is then read as text instead.
 */
export interface TypedRead {
  /** Every column of the file, in order, with its type. */
  columns: [string, 'VARCHAR' | 'DOUBLE' | 'DATE'][];
  dateformat?: string;
}

export function readCsvSql(dbName: string, d: Dialect, typed?: TypedRead): string {
  // Blank-separated files were rewritten as CSV when registered.
  const delim = d.delimiter === WHITESPACE ? ',' : d.delimiter;
  const names = d.header
    ? ''
    : `, names=[${Array.from({ length: d.columns }, (_, i) => str(`column ${i + 1}`)).join(', ')}]`;
  const types = typed
    ? `columns={${typed.columns.map(([n, t]) => `${str(n)}: '${t}'`).join(', ')}}${typed.dateformat ? `, dateformat=${str(typed.dateformat)}` : ''}`
    : `all_varchar=true${names}`;
  const skip = d.skip ? `, skip=${d.skip}` : '';
  return `read_csv(${str(dbName)}, delim=${str(delim)}, quote=${str(d.quote)}, escape=${str(d.quote)}, header=${d.header}${skip}, ${types}, null_padding=true, strict_mode=false)`;
}

/**
 * Which text columns can be read typed, judged on the sample in `raw_sample` (null: none); `typed` are columns that
 * already have their type (a relation's), left as they are.
 */
async function typedReadPlan(
  engine: Engine,
  names: string[],
  mapping: Mapping,
  formats: Formats,
  typed: ReadonlySet<string> = new Set(),
): Promise<TypedRead | null> {
  const types = new Map<string, 'DOUBLE' | 'DATE'>();
  for (const r of NUMBER_ROLES) {
    const f = formats.numbers[r];
    if (mapping[r] && f?.plain && !f.percent && !typed.has(mapping[r])) types.set(mapping[r], 'DOUBLE');
  }
  let dateformat: string | undefined;
  const cand = dateCandidate(formats.date);
  if (
    mapping.date &&
    !typed.has(mapping.date) &&
    cand &&
    cand.format !== 'excel' &&
    !formats.dateAlternatives?.length &&
    !formats.dateMixed?.length
  ) {
    const col = `trim(${ident(mapping.date)})`;
    const [r] = await engine.query<{ bad: number }>(
      `SELECT count(*) FILTER (WHERE NOT regexp_full_match(${col}, ${str(cand.shape)})) AS bad FROM raw_sample WHERE ${col} <> ''`,
    );
    if (r?.bad === 0) {
      types.set(mapping.date, 'DATE');
      dateformat = cand.id === 'ymd' ? undefined : cand.format;
    }
  }
  // A column that also serves as text (customer, product, ...) stays text.
  for (const r of TEXT_ROLES) if (mapping[r]) types.delete(mapping[r]);
  if (!types.size) return null;
  return { columns: names.map((n) => [n, types.get(n) ?? 'VARCHAR']), dateformat };
}

/**
 * A quote that opens a field and is never closed swallows the rest of the file: find the line where it opens.
 * Run only after a read failed, over the whole file (quotes and line breaks are ASCII in every encoding read here
 * but UTF-16, whose files this skips).
 */
async function unclosedQuote(
  source: SourceFile,
  encoding: EncodingGuess,
  d: Dialect,
  scan: LineScanner,
): Promise<IngestError | null> {
  if (encoding.encoding.startsWith('utf-16') || d.delimiter === WHITESPACE) return null;
  const { unclosed: openLine } = await scan(source, { ...d, bom: encoding.bom, headerLines: headerLines(d) });
  if (!openLine) return null;
  return new IngestError(
    source.name,
    `${source.name} has a quote (${d.quote}) that opens a field on line ${openLine} and is never closed: every line after it would be read as part of that one field.`,
    `Open the file in a text editor and close or remove the quote on line ${openLine} (a quote inside a value must be doubled, as in 12${d.quote}${d.quote} pipe), then drop it again.`,
    openLine,
  );
}

function csvError(file: string, e: unknown): IngestError {
  // DuckDB names its own copy of the file ("upload_…csv"): the user knows it by its name.
  const msg = String((e as Error)?.message ?? e).replace(/upload_\d+_[a-z0-9]+\.csv(\.head\.csv)?/g, file);
  const line = Number(msg.match(/line[: ]+(\d+)/i)?.[1]) || undefined;
  return new IngestError(
    file,
    `${file} could not be read as delimited text${line ? ` at line ${line}` : ''}: ${msg.split('\n')[0]?.slice(0, 300)}`,
    'Check that the file is a complete CSV export (quotes balanced, one record per line) and try again.',
    line,
  );
}

/**
 * Reads a sample to recognise roles and conventions, then reads the whole file once into `raw_next`
 * with its typed columns. A file whose roles cannot be recognised is kept as `raw_pending` for the dialog.
 */
async function readTyped(ctx: ReadContext): Promise<DatasetInfo> {
  const { engine, name, dialect, opts, rel } = ctx;
  const progress = opts.progress ?? (() => {});
  try {
    await engine.exec(`CREATE OR REPLACE TABLE raw_sample AS SELECT * FROM ${ctx.headRel}`);
  } catch {
    // The cut fell inside a quoted field that spans lines: sample the file itself instead.
    await engine.exec(`CREATE OR REPLACE TABLE raw_sample AS SELECT * FROM ${rel} LIMIT 20000`);
  }
  const [{ n } = { n: 0 }] = await engine.query<{ n: number }>('SELECT count(*) AS n FROM raw_sample');
  if (n === 0) {
    throw new IngestError(
      name,
      `${name} has a header but no data rows.`,
      'Export the data again with its rows, then drop the new file.',
      2,
    );
  }
  progress('map', 'Recognising columns', 0.08);
  const { columns, samples } = await profileColumns(engine, 'raw_sample');
  const { dup, summary } = await shapeOf(engine, 'raw_sample', []);
  const names = columns.map((c) => c.name);
  const memory = opts.mapping ? undefined : opts.remembered?.(headerSignature(names));
  const mapping = { ...(opts.mapping ?? memory?.mapping ?? guessMapping(columns)) };
  const keepFormats = opts.formats ?? memory?.formats ?? {};
  // A remembered or explicit mapping may name columns this file lacks.
  for (const r of ROLES) if (mapping[r] && !names.includes(mapping[r])) delete mapping[r];
  const partial: PartialInfo = {
    fileName: name,
    fileSize: ctx.size,
    encoding: ctx.encoding,
    dialect,
    columns,
    samples,
    rowsRead: n,
  };
  const missing = missingRequired(mapping);
  const headBytes = Math.min(ctx.size, HEAD_BYTES);
  const expected = ctx.size > HEAD_BYTES ? Math.round((n / headBytes) * ctx.size) : n;
  // A relation already in the engine (Parquet's columns, joined files) is counted; a file is estimated from its head.
  const rows = ctx.typedRel
    ? expected
    : Number((await engine.query<{ n: number }>(`SELECT count(*) AS n FROM ${rel}`))[0]?.n ?? expected);
  if (missing.length) {
    progress('read', `Loading ${mb(ctx.size)} for the column mapping`, 0.1);
    const into = compresses(rows * names.length, opts) && engine.storage ? `${engine.storage.compressed}.main.` : '';
    await engine.exec(
      `${dropEverywhere(engine, 'raw_pending')}; CREATE TABLE ${into}raw_pending AS SELECT * FROM ${rel}`,
    );
    const [c] = await engine.query<{ n: number }>('SELECT count(*) AS n FROM raw_pending');
    throw new NeedsMapping({ ...partial, rowsRead: c?.n ?? n }, missing, mapping);
  }
  // A relation of typed columns (Parquet through Arrow) is used as it is typed; a file is text until read_csv types it.
  const typedIn = ctx.typedRel ? new Set<string>() : await typedColumns(engine, 'raw_sample', names);
  const formats = await detectFormats(engine, 'raw_sample', mapping, keepFormats, typedIn);
  progress('read', `Loading ${mb(ctx.size)} into the engine`, 0.1, rows);
  const plan = await typedReadPlan(engine, names, mapping, formats, typedIn);
  // A relation's text columns that hold plain numbers or dates of one shape (Parquet's text dates, say) are cast
  // as read_csv would type them, rather than parsed by the pipeline's SQL for every value.
  const typedRel = ctx.typedRel ?? ((p: TypedRead) => castRelation(rel, p));
  // A file is read for the columns with a role and its first (where total labels sit); the rest when asked for
  // (file-columns.ts). A joined relation is already in the engine: it is copied whole.
  const mapped = new Set(Object.values(mapping));
  const read = ctx.typedRel ? names.filter((c, i) => i === 0 || mapped.has(c)) : names;
  const compress = compresses(rows * read.length, opts);
  let built: BuildResult | null = null;
  const projected = ctx.projection && plan ? castProjection(ctx.projection, plan) : ctx.projection;
  if (plan || projected) {
    const typed = new Set([...typedIn, ...(plan?.columns ?? []).filter(([, t]) => t !== 'VARCHAR').map(([n]) => n)]);
    // A value read_csv cannot type (a decorated number, a blank, another date shape further in) fails the
    // typed read; the text read below then parses and reports every row.
    built = await buildTyped(
      engine,
      projected ?? typedRel(plan as TypedRead),
      read,
      mapping,
      formats,
      keepFormats,
      typed,
      { dup, summary },
      compress,
    ).catch(async (e) => {
      // A crashed engine is not a value that failed to fit: that goes to the caller; nor is a failure after the
      // projected table became `raw_next`, which leaves nothing to read as text.
      if (isFatalEngineError(e)) throw e;
      if (projected && !(await engine.query(`DESCRIBE ${projected.table}`).catch(() => null))) throw e;
      return null;
    });
    if (!built)
      progress(
        'read',
        `Reading ${mb(ctx.size)} again as text: a value further in does not fit the number or date format of the first rows`,
        0.1,
        rows,
      );
  }
  built ??= await buildTyped(engine, rel, read, mapping, formats, keepFormats, typedIn, { dup, summary }, compress);
  return finish(partial, mapping, built);
}

/** A value cast as the plan types its column (a value that does not fit fails the read, as read_csv's would). */
function castSql(v: string, t: 'DOUBLE' | 'DATE', plan: TypedRead): string {
  if (t === 'DOUBLE') return `CAST(${v} AS DOUBLE)`;
  return plan.dateformat ? `CAST(strptime(trim(${v}), ${str(plan.dateformat)}) AS DATE)` : `CAST(trim(${v}) AS DATE)`;
}

function castRelation(rel: string, plan: TypedRead): string {
  const cols = plan.columns.flatMap(([n, t]) =>
    t === 'VARCHAR' ? [] : [`${castSql(ident(n), t, plan)} AS ${ident(n)}`],
  );
  return `(SELECT * REPLACE (${cols.join(', ')}) FROM ${rel})`;
}

function castProjection(p: Projection, plan: TypedRead): Projection {
  const type = new Map(plan.columns);
  return {
    ...p,
    columns: p.columns.map((c) => {
      const t = type.get(c.name);
      return !t || t === 'VARCHAR' ? c : { ...c, sql: castSql(c.sql, t, plan), type: t };
    }),
  };
}

function finish(partial: PartialInfo, mapping: Mapping, built: BuildResult): DatasetInfo {
  if (built.rowsLoaded === 0) {
    const top = built.rejectedByReason[0];
    throw new IngestError(
      partial.fileName,
      `None of the ${built.rowsRead.toLocaleString('en-US')} rows of ${partial.fileName} can be used${top ? `: ${top.reason}` : ''}.`,
      'Open the column mapping and check which column holds the customer and the net revenue.',
      headerLines(partial.dialect) + 1,
    );
  }
  return { ...partial, mapping, ...built };
}

/**
 * Re-parses a loaded table with a mapping chosen in the dialog, into `raw_next`:
 * `raw` for the live file, `raw_pending` for a new file that could not be mapped automatically.
 */
export async function remap(
  engine: Engine,
  info: PartialInfo,
  mapping: Mapping,
  formats: Partial<Formats> | undefined,
  source: 'raw' | 'raw_pending',
): Promise<DatasetInfo> {
  const missing = missingRequired(mapping);
  if (missing.length) throw new NeedsMapping(info, missing, mapping);
  // A role moved onto a column the load left out: read it from the file first.
  if (source === 'raw') await readColumns(engine, Object.values(mapping) as string[]);
  const names = await fileColumnsOf(
    engine,
    source,
    info.columns.map((c) => c.name),
  );
  const typed = await typedColumns(engine, source, names);
  let select = names.map(ident);
  // A date column read typed holds no text to re-parse. When another date format is chosen for it, its text is
  // written back in the format it was read with (every value had that exact shape) and parsed again.
  const readWith = dateCandidate((info as Partial<DatasetInfo>).formats?.date);
  if (mapping.date && typed.has(mapping.date) && formats?.date && readWith && formats.date !== readWith.id) {
    typed.delete(mapping.date);
    select = names.map((n) =>
      n === mapping.date ? `strftime(${ident(n)}, ${str(readWith.format)}) AS ${ident(n)}` : ident(n),
    );
  }
  const f = await detectFormats(engine, source, mapping, formats, typed);
  const { dup, lined, summary } = await shapeOf(engine, source, names);
  if (dup) select.push(ident(DUPLICATE_OF));
  if (lined) select.push(ident('__kal_line'));
  if (summary) select.push(...SUMMARY_CARRIED.map(ident));
  const built = await buildTyped(
    engine,
    `(SELECT ${select.join(', ')} FROM ${source})`,
    names,
    mapping,
    f,
    formats,
    typed,
    { dup, lined, summary },
    (await homeOf(engine, source)) !== '',
  );
  // The file behind `raw` stays the one to read further columns from; a file mapped from `raw_pending` was read whole.
  await stageSource(engine, source === 'raw' ? liveSource(engine) : null);
  return finish(info, mapping, built);
}

/** Makes the staged table live. Only called when a load fully succeeded. */
export async function commitStage(engine: Engine, info: DatasetInfo): Promise<void> {
  await commitTyped(
    engine,
    info.columns.map((c) => c.name),
    info.mapping,
    info.formats,
    headerLines(info.dialect),
  );
  await promoteSource(engine);
  await engine.exec('DROP TABLE IF EXISTS raw_pending');
}

/** Drops whatever a failed or abandoned load left behind; the live tables are untouched. */
export async function discardStage(engine: Engine): Promise<void> {
  await discardSource(engine);
  await engine.exec(
    ['raw_next', 'raw_redo', 'raw_pending', 'raw_sample'].map((t) => dropEverywhere(engine, t)).join('; '),
  );
}

async function profileColumns(engine: Engine, table: string) {
  const desc = await engine.query<{ column_name: string }>(`DESCRIBE ${table}`);
  // The duplicate marker of appended files and a summary's counts are the pipeline's, not columns of the file.
  const names = desc.map((d) => d.column_name).filter((n) => !n.startsWith('__kal_'));
  // As text, as a CSV's columns are: a typed column (Parquet) is profiled by what it reads as.
  const rows = await engine.query<Record<string, string | null>>(
    `SELECT ${names.map((n) => `CAST(${ident(n)} AS VARCHAR) AS ${ident(n)}`).join(', ')} FROM ${table} LIMIT 2000`,
  );
  // One alternation instead of a test per candidate: this loop sees every value of 2,000 rows.
  const dateShape = new RegExp(DATE_CANDIDATES.map((c) => `(?:${c.shape})`).join('|'));
  const samples: Record<string, string[]> = {};
  const columns: ColumnProfile[] = names.map((name) => {
    const vals = rows.map((r) => (r[name] ?? '').trim()).filter((v) => v !== '');
    const tokens = vals.map((v) => v.split(/[ T]/)[0] as string);
    samples[name] = [...new Set(vals)].slice(0, 5);
    const num = vals.filter(looksLikeNumber).length;
    // Excel serials count as date-like here; only a date-named header makes them the date role.
    const dates = tokens.filter((v) => dateShape.test(v)).length;
    return {
      name,
      nonEmpty: vals.length,
      numericShare: vals.length ? num / vals.length : 0,
      dateShare: vals.length ? dates / vals.length : 0,
    };
  });
  return { columns, samples };
}
