/**
 * Parquet columns as an Arrow IPC stream that DuckDB inserts as a typed table: no CSV text is written or parsed
 * again. Only the columns asked for are decoded (a remote file is then read by ranges, not whole). parquet-wasm
 * (Rust's Parquet reader compiled to WebAssembly) decodes where it is given and its Arrow types are ones the
 * pipeline reads (parquet-load.ts typedRelation); hyparquet (JavaScript, several times slower) decodes the rest:
 * binary columns, dictionaries, large or view strings, times. Its numbers stay doubles, integers integers, dates
 * days; text stays the file's UTF-8 bytes, copied once into the Arrow buffer.
 */
import {
  Batch,
  Column,
  dateDay,
  float64,
  int32,
  int64,
  type Table,
  Type,
  tableFromColumns,
  tableFromIPC,
  tableToIPC,
  utf8,
} from '@uwdata/flechette';
import { type AsyncBuffer, type FileMetaData, parquetRead, type SchemaElement } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { type ColumnProfile, guessMapping, missingRequired } from '../roles';
import { assertUtf8, joinChunks, openParquet, profileOf, SUMMARY_KEY } from './parquet';
import { ReaderError } from './table';

type Kind = 'text' | 'float' | 'int32' | 'int64' | 'date';

/** How a Parquet column is carried to DuckDB, from its physical and logical types. */
function kindOf(s: SchemaElement): Kind {
  const ct = s.converted_type ?? '';
  const lt = s.logical_type?.type;
  if (ct === 'DECIMAL' || lt === 'DECIMAL' || s.type === 'FLOAT' || s.type === 'DOUBLE') return 'float';
  if (ct === 'DATE' || lt === 'DATE' || s.type === 'INT96' || /^TIMESTAMP/.test(ct) || lt === 'TIMESTAMP')
    return 'date';
  if (
    ct.startsWith('UINT') ||
    (lt === 'INTEGER' && s.logical_type && 'isSigned' in s.logical_type && !s.logical_type.isSigned)
  )
    return 'float';
  if (s.type === 'INT32') return 'int32';
  if (s.type === 'INT64') return 'int64';
  return 'text';
}

const DAY_MS = 864e5;
// Dates arrive as days, timestamps as the day they fall on: the analyses work by day.
const parsers = {
  dateFromDays: (d: number) => d,
  timestampFromMilliseconds: (v: bigint) => Math.floor(Number(v) / DAY_MS),
  timestampFromMicroseconds: (v: bigint) => Math.floor(Number(v) / (DAY_MS * 1e3)),
  timestampFromNanoseconds: (v: bigint) => Math.floor(Number(v) / (DAY_MS * 1e6)),
  stringFromBytes: (b: Uint8Array) => b,
  jsonFromBytes: (b: Uint8Array) => b,
};

export interface ParquetColumns {
  /** Every column of the file, in its order. */
  all: string[];
  /** Each column as the role guesser sees it from its type (for the columns left undecoded). */
  profiles: ColumnProfile[];
  rows: number;
  /** The columns the role guesser maps from the schema, with the first; every column when that cannot load. */
  guessed: string[];
  /** The file's size in bytes, when the reader learnt it (a remote file's, from the server). */
  size?: number;
  /** The provenance of a summary written by `npm run summarize` (its `kal_summary` metadata), if this is one. */
  summary?: SummaryProvenance;
}

/** Bumped when a summary's columns change; the summary file carries it (analysis/summary.ts writes it). */
export const SUMMARY_FORMAT = 1;

export interface SummaryProvenance {
  format: number;
  grain: string[];
  /** Rejected and skipped are null for a result of sql/summary.sql stamped by `summarize --stamp`. */
  sources: {
    file: string;
    rowsRead: number;
    rowsLoaded: number;
    rowsRejected: number | null;
    rowsSkipped: number | null;
  }[];
  engine: string;
  created: string;
}

/**
 * A summary is known by the metadata its writer put in the footer, never by its column names. A file that carries
 * the key but not a readable provenance is refused: read as order lines, each group would count as a line.
 */
function summaryOf(meta: FileMetaData): SummaryProvenance | undefined {
  const entry = meta.key_value_metadata?.find((m) => m.key === SUMMARY_KEY);
  if (!entry) return undefined;
  let p: Partial<SummaryProvenance> | null = null;
  try {
    p = JSON.parse(entry.value ?? '') as Partial<SummaryProvenance>;
  } catch {}
  const ok =
    typeof p?.format === 'number' &&
    Array.isArray(p.grain) &&
    p.grain.every((g) => typeof g === 'string') &&
    Array.isArray(p.sources) &&
    p.sources.every((x) => x && typeof x === 'object');
  if (!ok)
    throw new ReaderError(
      'The Parquet file says it is a summary made by "npm run summarize", but its description of itself (its provenance) cannot be read.',
      'Make the summary again with "npm run summarize" (README, "Past one tab"), or drop the order lines themselves.',
    );
  return p as SummaryProvenance;
}

/** The file's columns and the ones worth decoding, from its footer alone. */
export async function parquetColumns(
  file: AsyncBuffer | ArrayBuffer,
): Promise<ParquetColumns & { meta: FileMetaData }> {
  const { meta, top, length } = await openParquet(file);
  const all = top.map((s) => s.name);
  const profiles = top.map((s) => profileOf(s, length));
  const mapping = guessMapping(profiles);
  const used = new Set(Object.values(mapping));
  const guessed = missingRequired(mapping).length ? all : all.filter((c, i) => i === 0 || used.has(c));
  return { all, profiles, rows: length, guessed, meta, summary: summaryOf(meta) };
}

export type Decoder = 'parquet-wasm' | 'hyparquet';

/** Takes the Arrow IPC streams of a decode in row order; `fresh` starts the rows over (a decoder was replaced). */
export type ArrowSink = (ipc: Uint8Array, fresh: boolean) => void;

/**
 * Decodes the named columns of the file (in file order) with parquet-wasm into Arrow IPC streams of consecutive
 * rows, batch by batch, each handed to `emit` as it is made; `plain` is asked about the first batch before anything
 * is emitted. False when that batch is not plain.
 */
export type WasmDecode = (
  columns: string[],
  plain: (ipc: Uint8Array) => boolean,
  emit: (ipc: Uint8Array) => void,
) => Promise<boolean>;

/** What the decoder needs of parquet-wasm's ParquetFile (the browser's and Node's builds open it differently). */
export interface WasmParquetFile {
  stream(options: { columns: string[]; batchSize: number }): Promise<ReadableStream>;
  free(): void;
}

/**
 * Rows per Arrow batch. Decoding batch by batch keeps parquet-wasm's memory to a batch (a whole 1M-line table made
 * its WebAssembly memory grow to 550 MB, and touching that fresh memory took longer than the decoding), and lets
 * DuckDB insert one batch while the next is decoded.
 */
const WASM_BATCH = 1 << 17;

/** A WasmDecode reading the file `open` gives. */
export function wasmDecoder(open: () => Promise<WasmParquetFile>): WasmDecode {
  return async (columns, plain, emit) => {
    const file = await open();
    try {
      const reader = (await file.stream({ columns, batchSize: WASM_BATCH })).getReader();
      for (let first = true; ; first = false) {
        const { done, value } = await reader.read();
        if (done) return true;
        const ipc = (value as { intoIPCStream(): Uint8Array }).intoIPCStream();
        if (first && !plain(ipc)) {
          await reader.cancel();
          return false;
        }
        emit(ipc);
      }
    } finally {
      file.free();
    }
  };
}

/** Arrow types parquet-wasm gives that DuckDB inserts and typedRelation turns into the pipeline's types. */
const PLAIN: ReadonlySet<number> = new Set([
  Type.Null,
  Type.Int,
  Type.Float,
  Type.Utf8,
  Type.Bool,
  Type.Decimal,
  Type.Date,
  Type.Timestamp,
]);

/** Whether a stream holds exactly `columns`, each of a plain type (reads its schema, not its values). */
export function plainArrow(ipc: Uint8Array, columns: string[]): boolean {
  const fields = tableFromIPC(ipc).schema.fields;
  return fields.length === columns.length && fields.every((f, i) => f.name === columns[i] && PLAIN.has(f.type.typeId));
}

/**
 * Decodes `columns` of the file into Arrow IPC streams of consecutive rows (file order kept), handed to `sink` as
 * they are made (without one, returned): with `wasm` where it can, else (or where it fails or gives another type)
 * with hyparquet, whose errors name what is wrong with the file, its one stream starting the rows over.
 */
export async function parquetToArrow(
  file: AsyncBuffer | ArrayBuffer,
  columns: string[],
  known?: FileMetaData,
  wasm?: WasmDecode,
  sink?: ArrowSink,
): Promise<{ ipc: Uint8Array[]; columns: string[]; decoder: Decoder }> {
  const { meta, top, length } = await openParquet(file, known);
  const wanted = top.filter((s) => columns.includes(s.name));
  const names = wanted.map((s) => s.name);
  const kept: Uint8Array[] = [];
  const emit: ArrowSink =
    sink ??
    ((ipc, fresh) => {
      if (fresh) kept.length = 0;
      kept.push(ipc);
    });
  if (wasm) {
    let n = 0;
    const whole = await wasm(
      names,
      (first) => plainArrow(first, names),
      (ipc) => emit(ipc, n++ === 0),
    ).catch(() => false);
    if (whole && n > 0) return { ipc: kept, columns: names, decoder: 'parquet-wasm' };
  }
  const chunks = new Map<string, { rowStart: number; data: ArrayLike<unknown> }[]>(wanted.map((s) => [s.name, []]));
  await parquetRead({
    file,
    metadata: meta,
    compressors,
    columns: wanted.map((s) => s.name),
    parsers,
    onChunk: (c) => chunks.get(c.columnName)?.push({ rowStart: c.rowStart, data: c.columnData as ArrayLike<unknown> }),
  });
  const cols: [string, Column<unknown>][] = wanted.map((s) => {
    const data = joinChunks(chunks.get(s.name) ?? [], length);
    chunks.delete(s.name);
    return [s.name, new Column([batchOf(kindOf(s), data, length)])];
  });
  const table: Table = tableFromColumns(cols);
  const ipc = tableToIPC(table, { format: 'stream' });
  if (!ipc) throw new Error('The Parquet columns could not be written as Arrow.');
  emit(ipc, true);
  return { ipc: kept, columns: names, decoder: 'hyparquet' };
}

const TYPES = { float: float64, int32, int64, date: dateDay, text: utf8 } as const;

/** One Arrow batch of `length` values: a validity bitmap only when a value is missing. */
function batchOf(kind: Kind, data: ArrayLike<unknown>, length: number): Batch<unknown> {
  const type = TYPES[kind]();
  let nullCount = 0;
  for (let i = 0; i < length; i++) if (data[i] == null) nullCount++;
  const validity = new Uint8Array(nullCount ? (length + 7) >> 3 : 0);
  if (nullCount)
    for (let i = 0; i < length; i++)
      if (data[i] != null) validity[i >> 3] = (validity[i >> 3] as number) | (1 << (i & 7));
  if (kind === 'text') {
    const enc = new TextEncoder();
    const bytes: (Uint8Array | null)[] = new Array(length);
    let total = 0;
    for (let i = 0; i < length; i++) {
      const v = data[i];
      const b = v == null ? null : v instanceof Uint8Array ? v : enc.encode(String(v));
      bytes[i] = b;
      total += b?.length ?? 0;
    }
    const offsets = new Int32Array(length + 1);
    const values = new Uint8Array(total);
    let at = 0;
    for (let i = 0; i < length; i++) {
      const b = bytes[i];
      if (b) {
        values.set(b, at);
        at += b.length;
      }
      offsets[i + 1] = at;
    }
    assertUtf8(values);
    return new Batch({ length, nullCount, type, validity, offsets, values });
  }
  const Arr = kind === 'float' ? Float64Array : kind === 'int64' ? BigInt64Array : Int32Array;
  if (!nullCount && data instanceof Arr && data.length === length)
    return new Batch({ length, nullCount, type, validity, values: data });
  const values = new Arr(length);
  for (let i = 0; i < length; i++) {
    const v = data[i];
    if (v == null) continue;
    if (values instanceof BigInt64Array) values[i] = typeof v === 'bigint' ? v : BigInt(Math.trunc(Number(v)));
    else values[i] = Number(v);
  }
  return new Batch({ length, nullCount, type, validity, values });
}
