import fs from 'node:fs';
import path from 'node:path';
import { prepareText } from '../../src/data/encoding';
import type { Engine } from '../../src/data/engine';
import {
  commitStage,
  type DatasetInfo,
  type IngestOptions,
  ingestFile,
  type Registrar,
  type SourceFile,
} from '../../src/data/ingest';

export const SHARED = path.resolve(__dirname, '../../../shared/data');
export const hasShared = fs.existsSync(SHARED);
export const shared = (rel: string) => path.join(SHARED, rel);

export function bufferSource(name: string, bytes: Uint8Array): SourceFile {
  return { name, size: bytes.length, slice: async (a, b) => bytes.subarray(a, b) };
}

export function fileSource(file: string): SourceFile {
  return bufferSource(path.basename(file), new Uint8Array(fs.readFileSync(file)));
}

/** Loads a file through the real pipeline into the live `sales` table. */
export async function load(engine: Engine, src: SourceFile, opts: IngestOptions = {}): Promise<DatasetInfo> {
  const info = await ingestFile(engine, src, nodeRegistrar(engine), opts);
  await commitStage(engine, info);
  return info;
}

/** What the browser's worker does, in-process: transcode to UTF-8 and rewrite blank-separated text as CSV. */
export function nodeRegistrar(engine: Engine): Registrar {
  return async (s, dbName, prep) => engine.registerBuffer(dbName, prepareText(await s.slice(0, s.size), prep));
}
