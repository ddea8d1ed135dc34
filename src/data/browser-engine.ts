/** DuckDB-WASM in a Web Worker, with self-hosted bundles: no CDN, no extension downloads. */
import * as duckdb from '@duckdb/duckdb-wasm';
import ehWorker from '@duckdb/duckdb-wasm/dist/duckdb-browser-eh.worker.js?url';
import mvpWorker from '@duckdb/duckdb-wasm/dist/duckdb-browser-mvp.worker.js?url';
import ehWasm from '@duckdb/duckdb-wasm/dist/duckdb-eh.wasm?url';
import mvpWasm from '@duckdb/duckdb-wasm/dist/duckdb-mvp.wasm?url';
import {
  type ArrowTarget,
  arrowInsertOptions,
  arrowToNumbers,
  arrowToRows,
  type Engine,
  isFatalEngineError,
  type Row,
  SAFE_SETTINGS,
  TAB_DBS,
  TAB_STORAGE,
} from './engine';

const BUNDLES: duckdb.DuckDBBundles = {
  mvp: { mainModule: mvpWasm, mainWorker: mvpWorker },
  eh: { mainModule: ehWasm, mainWorker: ehWorker },
};

export class BrowserEngine implements Engine {
  private db: duckdb.AsyncDuckDB | null = null;
  private conn: duckdb.AsyncDuckDBConnection | null = null;
  private worker: Worker | null = null;
  private starting: Promise<void> | null = null;
  /** Called after the engine had to be recreated, so the app can reload its data and tell the user. */
  onRestart: ((reason: string) => void) | null = null;
  /** DuckDB's own progress (0..100) while a long query runs, posted by the worker mid-query. */
  onProgress: ((percentage: number) => void) | null = null;
  readonly storage = TAB_DBS;

  start(): Promise<void> {
    this.starting ??= this.boot();
    return this.starting;
  }

  private async boot(): Promise<void> {
    const bundle = await duckdb.selectBundle(BUNDLES);
    this.worker = new Worker(bundle.mainWorker as string);
    const db = new duckdb.AsyncDuckDB(new duckdb.VoidLogger(), this.worker);
    await db.instantiate(bundle.mainModule, bundle.pthreadWorker);
    await db.open({ query: { castBigIntToDouble: false } });
    // duckdb-wasm posts PROGRESS_UPDATE messages while a query runs but offers no public way to listen.
    const listeners = (db as unknown as { _onExecutionProgress?: ((p: { percentage: number }) => void)[] })
      ._onExecutionProgress;
    listeners?.push((p) => this.onProgress?.(p.percentage));
    this.conn = await db.connect();
    for (const s of [...SAFE_SETTINGS, ...TAB_STORAGE]) await this.conn.query(s);
    await this.conn.query('SET enable_progress_bar = true');
    await this.conn.query('SET enable_progress_bar_print = true');
    await this.conn.query('SET progress_bar_time = 100');
    this.db = db;
  }

  /** When set (the bench's `?bench`), every call's start, duration and SQL head are appended here. */
  log: [number, number, string][] | null = null;

  private async guard<T>(
    f: (c: duckdb.AsyncDuckDBConnection, db: duckdb.AsyncDuckDB) => Promise<T>,
    what = '',
  ): Promise<T> {
    await this.start();
    const t0 = performance.now();
    try {
      return await f(this.conn as duckdb.AsyncDuckDBConnection, this.db as duckdb.AsyncDuckDB);
    } catch (e) {
      if (isFatalEngineError(e)) await this.restart(String((e as Error).message ?? e));
      throw e;
    } finally {
      this.log?.push([Math.round(t0), Math.round(performance.now() - t0), what.replace(/\s+/g, ' ')]);
    }
  }

  async restart(reason: string): Promise<void> {
    this.worker?.terminate();
    this.db = null;
    this.conn = null;
    this.starting = null;
    await this.start();
    this.onRestart?.(reason);
  }

  async query<T extends object = Row>(sql: string): Promise<T[]> {
    return this.guard(async (c) => arrowToRows<T>(await c.query(sql)), sql);
  }

  async numbers(sql: string): Promise<Record<string, Float64Array>> {
    return this.guard(async (c) => arrowToNumbers(await c.query(sql)), sql);
  }

  async exec(sql: string): Promise<void> {
    await this.guard((c) => c.query(sql), sql);
  }

  async registerBuffer(name: string, bytes: Uint8Array): Promise<void> {
    await this.guard((_, db) => db.registerFileBuffer(name, bytes));
  }

  async registerFile(name: string, file: File): Promise<void> {
    await this.guard((_, db) => db.registerFileHandle(name, file, duckdb.DuckDBDataProtocol.BROWSER_FILEREADER, true));
  }

  async dropFile(name: string): Promise<void> {
    await this.guard((_, db) => db.dropFile(name));
  }

  async insertArrow(name: string, ipc: Uint8Array, to?: ArrowTarget): Promise<void> {
    const options = arrowInsertOptions(this, name, to);
    await this.guard((c) => c.insertArrowFromIPCStream(ipc, options), `insert Arrow into ${name}`);
  }
}
