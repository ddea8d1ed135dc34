/** Browser loading: ingest + commit, with remembered mappings, as one call the app can await. */

import { recall } from '../state/mapping-memory';
import type { BrowserEngine } from './browser-engine';
import { browserRegistrar, workerScan } from './browser-source';
import type { Formats } from './canonical';
import {
  commitStage,
  type DatasetInfo,
  discardStage,
  type IngestOptions,
  ingestFile,
  ingestRelation,
  NeedsMapping,
  type PartialInfo,
  type Progress,
  remap,
  type SourceFile,
} from './ingest';
import { ingestParquet, type ParquetReader } from './parquet-load';
import type { Mapping } from './roles';

export type LoadOutcome =
  | { kind: 'loaded'; info: DatasetInfo; note?: string }
  | { kind: 'needs-mapping'; needs: NeedsMapping };

export function bufferSourceOf(name: string, bytes: Uint8Array): SourceFile & { file: File } {
  const file = new File([bytes as BlobPart], name, { type: 'text/csv' });
  return { name, size: bytes.length, file, slice: async (a, b) => bytes.subarray(a, b) };
}

/** Commits a successful ingest; a file that needs its roles chosen is an outcome, not a failure. */
async function commitOutcome(engine: BrowserEngine, ingest: () => Promise<DatasetInfo>): Promise<LoadOutcome> {
  try {
    const info = await ingest();
    await commitStage(engine, info);
    return { kind: 'loaded', info };
  } catch (e) {
    if (e instanceof NeedsMapping) return { kind: 'needs-mapping', needs: e };
    await discardStage(engine).catch(() => {});
    throw e;
  }
}

export function loadSource(
  engine: BrowserEngine,
  source: SourceFile,
  cb: {
    onStage: Progress;
    onBytes: (done: number, size: number) => void;
    remembered?: IngestOptions['remembered'];
    encoding?: IngestOptions['encoding'];
  },
): Promise<LoadOutcome> {
  return commitOutcome(engine, () =>
    ingestFile(engine, source, browserRegistrar(engine, cb.onBytes), {
      remembered: cb.remembered ?? ((sig) => recall(sig)),
      progress: cb.onStage,
      encoding: cb.encoding,
      scan: workerScan,
    }),
  );
}

/** Loads a Parquet file as typed columns (parquet-load.ts). */
export function loadParquet(
  engine: BrowserEngine,
  reader: ParquetReader,
  cb: { onStage: Progress; remembered?: IngestOptions['remembered'] },
): Promise<LoadOutcome> {
  return commitOutcome(engine, () =>
    ingestParquet(engine, reader, { remembered: cb.remembered ?? ((sig) => recall(sig)), progress: cb.onStage }),
  );
}

export async function remapAndCommit(
  engine: BrowserEngine,
  partial: PartialInfo,
  mapping: Mapping,
  formats: Partial<Formats>,
  source: 'raw' | 'raw_pending',
): Promise<DatasetInfo> {
  try {
    const info = await remap(engine, partial, mapping, formats, source);
    await commitStage(engine, info);
    return info;
  } catch (e) {
    await engine.exec('DROP TABLE IF EXISTS raw_next; DROP TABLE IF EXISTS raw_redo').catch(() => {});
    throw e;
  }
}

/** Loads the joined relation of several related files (`joined_next`) like a dropped file. */
export function loadJoined(engine: BrowserEngine, name: string, cb: { onStage: Progress }): Promise<LoadOutcome> {
  const meta = {
    name,
    size: 0,
    encoding: { encoding: 'utf-8' as const, bom: 0, reason: 'joined from related files' },
    dialect: { delimiter: ',', quote: '"', header: true, columns: 0 },
  };
  return commitOutcome(engine, () =>
    ingestRelation(engine, 'joined_next', meta, { remembered: (sig) => recall(sig), progress: cb.onStage }),
  );
}
