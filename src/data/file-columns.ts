/**
 * A load reads only the columns the analysis uses (the mapped ones and the first); the file stays registered, so a
 * column left out is read from it when something asks for it: a filter on it, a remap onto it, the download of
 * rejected rows with every column. Reading 11 of 41 columns halves the load; asking for another column later costs
 * one more pass over the file, for that column only.
 */
import { fileColumnsOf, widenRaw } from './canonical';
import type { Engine } from './engine';
import { ident } from './parse';

export interface FileSource {
  /** Every column of the file, in its order. */
  columns: string[];
  /**
   * A relation holding `columns` of the file, in its row order: the read_csv(...) call over a registered CSV, or a
   * join of tables of Parquet columns decoded for the purpose (`drop` then names them, to drop once read).
   */
  relation(columns: string[]): Promise<{ sql: string; drop?: string[] }>;
  /** Lets the file go (a registered CSV is dropped from DuckDB's file system). */
  release(): Promise<void>;
}

/** A CSV registered in DuckDB, read with `rel` (a read_csv(...) call that reads it as text). */
export function csvSource(engine: Engine, dbName: string, rel: string, columns: string[]): FileSource {
  return {
    columns,
    relation: async () => ({ sql: rel }),
    release: () => engine.dropFile(dbName).catch(() => {}),
  };
}

interface Sources {
  staged: FileSource | null;
  live: FileSource | null;
  /** Reads of columns run one at a time: two filters asking for the same column read it once. */
  queue: Promise<unknown>;
}

const sources = new WeakMap<Engine, Sources>();
const of = (engine: Engine): Sources => {
  const s = sources.get(engine) ?? { staged: null, live: null, queue: Promise.resolve() };
  sources.set(engine, s);
  return s;
};

const forget = (s: FileSource | null) => s?.release();

/** The file behind the load being staged (null: every column it has was read, nothing to keep). */
export async function stageSource(engine: Engine, source: FileSource | null): Promise<void> {
  const s = of(engine);
  if (s.staged && s.staged !== s.live && s.staged !== source) await forget(s.staged);
  s.staged = source;
}

/** The staged load went live: its file is the one to read columns from; the previous one is let go. */
export async function promoteSource(engine: Engine): Promise<void> {
  const s = of(engine);
  if (s.live && s.live !== s.staged) await forget(s.live);
  s.live = s.staged;
}

/** The staged load was abandoned: its file is let go, unless it is the live one (a remap that failed). */
export async function discardSource(engine: Engine): Promise<void> {
  const s = of(engine);
  if (s.staged && s.staged !== s.live) await forget(s.staged);
  s.staged = s.live;
}

/** The file behind the live data, when some of its columns were not read. */
export const liveSource = (engine: Engine): FileSource | null => of(engine).live;

/** Which of `wanted` (columns of the file) the live data has not read yet. */
export async function unreadColumns(engine: Engine, wanted: string[] | 'all'): Promise<string[]> {
  const live = of(engine).live;
  if (!live) return [];
  const have = new Set(await fileColumnsOf(engine, 'raw'));
  // In the file's order, which the columns added to `raw` then keep.
  return live.columns.filter((c) => !have.has(c) && (wanted === 'all' || wanted.includes(c)));
}

/**
 * Reads the columns of `wanted` the load left out, from the registered file, and adds them to `raw` and its views.
 * Resolves to how many were read.
 */
export function readColumns(engine: Engine, wanted: string[] | 'all'): Promise<number> {
  const s = of(engine);
  const run = s.queue.then(async () => {
    const live = s.live;
    const missing = await unreadColumns(engine, wanted);
    if (!live || !missing.length) return 0;
    let drop: string[] = [];
    try {
      const rel = await live.relation(missing);
      drop = rel.drop ?? [];
      const cols = missing.map((c) => `CAST(${ident(c)} AS VARCHAR) AS ${ident(c)}`);
      await engine.exec(`CREATE OR REPLACE TABLE raw_more AS SELECT ${cols.join(', ')} FROM ${rel.sql}`);
      await widenRaw(engine, 'raw_more');
    } catch (e) {
      await engine.exec('DROP TABLE IF EXISTS raw_more; DROP TABLE IF EXISTS raw_wide').catch(() => {});
      throw new Error(
        `The column${missing.length === 1 ? '' : 's'} ${missing.map((c) => `"${c}"`).join(', ')} could not be read again from the file: ${(e as Error).message}. Drop the file again.`,
      );
    } finally {
      for (const t of drop) await engine.exec(`DROP TABLE IF EXISTS ${ident(t)}`).catch(() => {});
    }
    return missing.length;
  });
  s.queue = run.catch(() => {});
  return run;
}
