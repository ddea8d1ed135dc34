/** The small query API every analysis uses. Browser and Node tests provide implementations over the same DuckDB. */

export type Value = string | number | boolean | null;
export type Row = Record<string, Value>;

export interface Engine {
  query<T extends object = Row>(sql: string): Promise<T[]>;
  exec(sql: string): Promise<void>;
  /** Registers bytes already in memory (a transcoded file, the bundled sample). */
  registerBuffer(name: string, bytes: Uint8Array): Promise<void>;
  /** Registers a dropped file without copying it into JS memory. Absent in Node. */
  registerFile?(name: string, file: File): Promise<void>;
  dropFile(name: string): Promise<void>;
}

/** Settings applied on every new connection: no query may ever try to download an extension. */
export const SAFE_SETTINGS = ['SET autoload_known_extensions=false', 'SET autoinstall_known_extensions=false'];

interface ArrowLike {
  toArray(): { toJSON(): Record<string, unknown> }[];
}

function plain(v: unknown): Value {
  if (v === null || v === undefined) return null;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') return v;
  if (v instanceof Date) return v.toISOString();
  return String(v);
}

/** Arrow result -> plain JS rows (BIGINT becomes number). */
export function arrowToRows<T extends object = Row>(table: ArrowLike): T[] {
  return table.toArray().map((r) => {
    const o: Record<string, Value> = {};
    for (const [k, v] of Object.entries(r.toJSON())) o[k] = plain(v);
    return o as T;
  });
}

/** Errors after which DuckDB-WASM's instance is unusable and must be recreated. */
export function isFatalEngineError(e: unknown): boolean {
  const m = String((e as Error)?.message ?? e);
  return /memory access out of bounds|RuntimeError|unreachable|table index is out of bounds|Out of Memory|out of memory/i.test(
    m,
  );
}
