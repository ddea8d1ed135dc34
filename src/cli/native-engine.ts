/**
 * The Engine of the analyses over native DuckDB (@duckdb/node-api, the release line of the wasm build): every
 * core, and larger than memory (it spills to a temporary folder). Files are "registered" by a link or a copy in a
 * folder of its own that DuckDB resolves relative names in.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { type Engine, plain, type Row, SAFE_SETTINGS } from '../data/engine';
import { str } from '../data/parse';

export interface NativeEngine extends Engine {
  /** Where registered names live: a link to a file on disk makes it readable under that name without a copy. */
  folder: string;
  close(): void;
}

export async function nativeEngine(): Promise<NativeEngine> {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'kal-summarize-'));
  // A database file, not memory: tables larger than the memory limit live on disk, and the limit leaves the rest of
  // the machine room (the default, 80% of RAM, took 21 GB of 24 for 50M lines held in memory).
  const memory = `${Math.max(1, Math.floor((os.totalmem() / 1024 ** 3) * 0.5))}GB`;
  const instance = await DuckDBInstance.create(path.join(folder, 'work.duckdb'), {
    temp_directory: path.join(folder, 'spill'),
    memory_limit: memory,
  });
  const conn = await instance.connect();
  for (const s of [...SAFE_SETTINGS, `SET file_search_path = ${str(folder)}`]) await conn.run(s);
  return {
    folder,
    async query<T extends object = Row>(sql: string) {
      const r = await conn.runAndReadAll(sql);
      return r
        .getRowObjectsJS()
        .map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, plain(v)]))) as T[];
    },
    async numbers(sql: string) {
      const r = await conn.runAndReadAll(sql);
      const cols = r.getColumnsObjectJS();
      return Object.fromEntries(
        Object.entries(cols).map(([k, vs]) => [k, Float64Array.from(vs, (v) => (v == null ? Number.NaN : Number(v)))]),
      );
    },
    async exec(sql: string) {
      await conn.run(sql);
    },
    async registerBuffer(name: string, bytes: Uint8Array) {
      fs.writeFileSync(path.join(folder, name), bytes);
    },
    async dropFile(name: string) {
      fs.rmSync(path.join(folder, name), { force: true });
    },
    async insertArrow() {
      throw new Error('Native DuckDB reads Parquet itself.');
    },
    close() {
      conn.closeSync();
      fs.rmSync(folder, { recursive: true, force: true });
    },
  };
}
