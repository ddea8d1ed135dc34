/** The same DuckDB-WASM engine the browser runs, in Node, for unit tests (never a mock). */
import { createRequire } from 'node:module';
import * as duck from '@duckdb/duckdb-wasm/blocking';
import {
  type ArrowTarget,
  arrowInsertOptions,
  arrowToNumbers,
  arrowToRows,
  type Engine,
  type Row,
  SAFE_SETTINGS,
  TAB_DBS,
  TAB_STORAGE,
} from '../../src/data/engine';

const require = createRequire(import.meta.url);

export async function nodeEngine(): Promise<Engine> {
  const bundles = {
    mvp: { mainModule: require.resolve('@duckdb/duckdb-wasm/dist/duckdb-mvp.wasm'), mainWorker: '' },
    eh: { mainModule: require.resolve('@duckdb/duckdb-wasm/dist/duckdb-eh.wasm'), mainWorker: '' },
  };
  const db = await duck.createDuckDB(bundles, new duck.VoidLogger(), duck.NODE_RUNTIME);
  await db.instantiate();
  const conn = db.connect();
  // The browser's storage, so tests read and write tables as the page does.
  for (const s of [...SAFE_SETTINGS, ...TAB_STORAGE]) conn.query(s);
  const engine: Engine = {
    storage: TAB_DBS,
    async query<T extends object = Row>(sql: string) {
      return arrowToRows<T>(conn.query(sql));
    },
    async numbers(sql: string) {
      return arrowToNumbers(conn.query(sql));
    },
    async exec(sql: string) {
      conn.query(sql);
    },
    async registerBuffer(name: string, bytes: Uint8Array) {
      db.registerFileBuffer(name, bytes);
    },
    async dropFile(name: string) {
      db.dropFile(name);
    },
    async insertArrow(name: string, ipc: Uint8Array, to?: ArrowTarget) {
      conn.insertArrowFromIPCStream(ipc, arrowInsertOptions(engine, name, to));
    },
  };
  return engine;
}
