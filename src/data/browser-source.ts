/** Browser side of ingest: a dropped File as a SourceFile, registered with DuckDB without copying when UTF-8. */
import type { BrowserEngine } from './browser-engine';
import { needsPrep, type TextPrep } from './encoding';
import type { Registrar, SourceFile } from './ingest';
import { type LineScan, type ScanOptions, scanLines } from './line-scan';
import LineScanWorker from './line-scan.worker?worker';
import TranscodeWorker from './transcode.worker?worker';

export interface FileSource extends SourceFile {
  file: File;
}

export function fileSource(file: File): FileSource {
  return {
    file,
    name: file.name,
    size: file.size,
    slice: async (a, b) => new Uint8Array(await file.slice(a, b).arrayBuffer()),
    handle: true,
  };
}

function transcode(file: Blob, prep: TextPrep, onBytes: (done: number, size: number) => void): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const w = new TranscodeWorker();
    w.onmessage = (ev) => {
      const m = ev.data;
      if (m.type === 'progress') onBytes(m.done, m.size);
      else {
        w.terminate();
        if (m.type === 'done') resolve(m.bytes);
        else reject(new Error(m.message));
      }
    };
    w.onerror = (e) => {
      w.terminate();
      reject(new Error(e.message));
    };
    w.postMessage({ file, prep });
  });
}

export function browserRegistrar(engine: BrowserEngine, onBytes: (done: number, size: number) => void): Registrar {
  return async (source, dbName, prep) => {
    const file = (source as FileSource).file;
    // DuckDB reads UTF-8 CSV (BOM included) straight from the File handle: no copy into JS memory.
    if (!needsPrep(prep)) return engine.registerFile(dbName, file);
    const bytes = await transcode(file, prep, onBytes);
    return engine.registerBuffer(dbName, bytes);
  };
}

/** The line scan of a dropped file in a worker; anything else (a buffer) in-process. */
export function workerScan(source: SourceFile, o: ScanOptions): Promise<LineScan> {
  const file = (source as Partial<FileSource>).file;
  if (!file) return scanLines(source, o);
  return new Promise((resolve, reject) => {
    const w = new LineScanWorker();
    w.onmessage = (ev) => {
      w.terminate();
      if (ev.data.type === 'done') resolve(ev.data.scan);
      else reject(new Error(ev.data.message));
    };
    w.onerror = (e) => {
      w.terminate();
      reject(new Error(e.message));
    };
    w.postMessage({ file, o });
  });
}
