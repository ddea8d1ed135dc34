import fs from 'node:fs';
import path from 'node:path';
import { transcodeToUtf8 } from '../../src/data/encoding';
import type { Engine } from '../../src/data/engine';
import { commitStage, type DatasetInfo, type IngestOptions, ingestFile, type SourceFile } from '../../src/data/ingest';

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
  const info = await ingestFile(
    engine,
    src,
    async (s, dbName, enc) => engine.registerBuffer(dbName, transcodeToUtf8(await s.slice(0, s.size), enc)),
    opts,
  );
  await commitStage(engine, info);
  return info;
}
