/** The small query API every analysis uses. Browser and Node tests provide implementations over the same DuckDB. */

export type Value = string | number | boolean | null;
export type Row = Record<string, Value>;

export interface Engine {
  query<T extends object = Row>(sql: string): Promise<T[]>;
  /**
   * Every column of the result as doubles, straight from the Arrow vectors: for tens of thousands of rows this is
   * many times cheaper than row objects. NULL arrives as NaN.
   */
  numbers(sql: string): Promise<Record<string, Float64Array>>;
  exec(sql: string): Promise<void>;
  /** Registers bytes already in memory (a transcoded file, the bundled sample). */
  registerBuffer(name: string, bytes: Uint8Array): Promise<void>;
  /** Registers a dropped file without copying it into JS memory. Absent in Node. */
  registerFile?(name: string, file: File): Promise<void>;
  dropFile(name: string): Promise<void>;
  /**
   * Creates table `name` from an Arrow IPC stream (typed columns read by a JS reader: Parquet), in the compressed
   * database where `to.compressed` (and the engine has one), or appends the stream's rows to it (`to.append`).
   */
  insertArrow(name: string, ipc: Uint8Array, to?: ArrowTarget): Promise<void>;
  /** The tab's databases (TAB_STORAGE), where the engine has them; native DuckDB keeps one database file. */
  storage?: typeof TAB_DBS;
}

export interface ArrowTarget {
  append?: boolean;
  compressed?: boolean;
}

/** DuckDB-WASM's options for an Arrow insert into `name` (a database name as the schema resolves to its main). */
export const arrowInsertOptions = (engine: Engine, name: string, to: ArrowTarget = {}) => ({
  name,
  create: !to.append,
  ...(to.compressed && engine.storage ? { schema: engine.storage.compressed } : {}),
});

/** Settings applied on every new connection: no query may ever try to download an extension. */
export const SAFE_SETTINGS = ['SET autoload_known_extensions=false', 'SET autoinstall_known_extensions=false'];

/**
 * Where the tables live in the tab. The loaded lines of a large load go to an in-memory database that compresses
 * its tables as DuckDB's files do: they take ~6x less of the wasm heap (1M bench lines: 140 MB plain, 24 MB
 * compressed), but writing them takes about twice as long (read_csv of 1M lines 0.9-1.3 s plain, 2.0 s
 * compressed; BENCHMARKS.md, session 8). So a load compresses only when its size needs it (ingest.ts
 * COMPRESS_FROM); everything else stays in the plain default database. Unqualified names resolve in both.
 */
export const TAB_DBS = { plain: 'memory', compressed: 'kal' } as const;
export const TAB_STORAGE = [
  `ATTACH ':memory:' AS ${TAB_DBS.compressed} (COMPRESS)`,
  `USE ${TAB_DBS.plain}`,
  `SET search_path = '${TAB_DBS.plain}.main,${TAB_DBS.compressed}.main'`,
];

/** Drops table `name` from whichever of the tab's databases holds it (an engine without them: its own). */
export const dropEverywhere = (engine: Engine, name: string): string =>
  engine.storage
    ? `DROP TABLE IF EXISTS ${engine.storage.plain}.main.${name}; DROP TABLE IF EXISTS ${engine.storage.compressed}.main.${name}`
    : `DROP TABLE IF EXISTS ${name}`;

export function plain(v: unknown): Value {
  if (v === null || v === undefined) return null;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') return v;
  if (v instanceof Date) return v.toISOString();
  return String(v);
}

/**
 * Arrow result -> plain JS rows (BIGINT becomes number). Read column by column: Arrow's row proxies
 * (toArray().map(toJSON)) cost several times more on the thousands of rows a profile or a table reads.
 */
export function arrowToRows<T extends object = Row>(table: ArrowTableLike): T[] {
  const n = table.numRows;
  const rows: Record<string, Value>[] = Array.from({ length: n }, () => ({}));
  for (const { name } of table.schema.fields) {
    const v = table.getChild(name);
    const text = v ? utf8Values(v) : null;
    if (text) for (let i = 0; i < n; i++) (rows[i] as Record<string, Value>)[name] = text[i] ?? null;
    else for (let i = 0; i < n; i++) (rows[i] as Record<string, Value>)[name] = plain(v?.get(i));
  }
  return rows as T[];
}

interface ArrowData {
  length: number;
  offset: number;
  nullCount: number;
  values: Uint8Array;
  valueOffsets: Int32Array;
  getValid(i: number): boolean;
}
interface ArrowVectorLike {
  get(i: number): unknown;
  nullCount: number;
  toArray(): ArrayLike<unknown>;
  type?: unknown;
  data?: readonly ArrowData[];
}
interface ArrowTableLike {
  numRows: number;
  schema: { fields: { name: string }[] };
  getChild(name: string): ArrowVectorLike | null;
}

const utf8 = new TextDecoder();

/**
 * A text column's values, decoding each record batch's bytes once: Arrow's get() runs a TextDecoder per value,
 * which was most of the cost of reading a few thousand rows (the column profile of every load). Null when the
 * column is not text.
 */
function utf8Values(v: ArrowVectorLike): (string | null)[] | null {
  if (String(v.type) !== 'Utf8' || !v.data) return null;
  const out: (string | null)[] = [];
  for (const d of v.data) {
    const offs = d.valueOffsets;
    const start = offs[d.offset] as number;
    const bytes = d.values.subarray(start, offs[d.offset + d.length]);
    const all = utf8.decode(bytes);
    // Only ASCII decodes to one UTF-16 unit per byte (DuckDB's strings are valid UTF-8), so byte offsets index it.
    const ascii = all.length === bytes.length;
    for (let i = 0; i < d.length; i++) {
      if (d.nullCount && !d.getValid(i)) {
        out.push(null);
        continue;
      }
      const a = offs[d.offset + i] as number;
      const b = offs[d.offset + i + 1] as number;
      out.push(ascii ? all.slice(a - start, b - start) : utf8.decode(d.values.subarray(a, b)));
    }
  }
  return out;
}

/** Arrow result -> one Float64Array per column (BIGINT and DECIMAL converted, NULL as NaN). */
export function arrowToNumbers(table: ArrowTableLike): Record<string, Float64Array> {
  const out: Record<string, Float64Array> = {};
  const n = table.numRows;
  for (const { name } of table.schema.fields) {
    const v = table.getChild(name);
    const raw = v && v.nullCount === 0 ? v.toArray() : null;
    // Doubles are used as Arrow gives them (one chunk's view, or its copy of several chunks): no second copy.
    if (raw instanceof Float64Array && raw.length === n) {
      out[name] = raw;
      continue;
    }
    const a = new Float64Array(n);
    if (raw) for (let i = 0; i < n; i++) a[i] = Number(raw[i]);
    else {
      for (let i = 0; i < n; i++) {
        const x = v?.get(i);
        a[i] = x === null || x === undefined ? Number.NaN : Number(x);
      }
    }
    out[name] = a;
  }
  return out;
}

/** Errors after which DuckDB-WASM's instance is unusable and must be recreated. */
export function isFatalEngineError(e: unknown): boolean {
  const m = String((e as Error)?.message ?? e);
  return /memory access out of bounds|RuntimeError|unreachable|table index is out of bounds|Out of Memory|out of memory/i.test(
    m,
  );
}
