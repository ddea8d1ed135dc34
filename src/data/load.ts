/** Browser loading: ingest + commit, with remembered mappings, as one call the app can await. */

import { recall } from '../state/mapping-memory';
import type { BrowserEngine } from './browser-engine';
import { browserRegistrar } from './browser-source';
import type { Formats } from './canonical';
import {
  commitStage,
  type DatasetInfo,
  discardStage,
  ingestFile,
  NeedsMapping,
  type PartialInfo,
  remap,
  type SourceFile,
  type Stage,
} from './ingest';
import type { Mapping } from './roles';

export type LoadOutcome =
  | { kind: 'loaded'; info: DatasetInfo; note?: string }
  | { kind: 'needs-mapping'; needs: NeedsMapping };

export function bufferSourceOf(name: string, bytes: Uint8Array): SourceFile & { file: File } {
  const file = new File([bytes as BlobPart], name, { type: 'text/csv' });
  return { name, size: bytes.length, file, slice: async (a, b) => bytes.subarray(a, b) };
}

export async function loadSource(
  engine: BrowserEngine,
  source: SourceFile,
  cb: { onStage: (s: Stage, detail: string, f?: number) => void; onBytes: (done: number, size: number) => void },
): Promise<LoadOutcome> {
  try {
    const info = await ingestFile(engine, source, browserRegistrar(engine, cb.onBytes), {
      remembered: (sig) => recall(sig),
      progress: cb.onStage,
    });
    await commitStage(engine, info);
    return { kind: 'loaded', info };
  } catch (e) {
    if (e instanceof NeedsMapping) return { kind: 'needs-mapping', needs: e };
    await discardStage(engine).catch(() => {});
    throw e;
  }
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
