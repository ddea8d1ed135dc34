/** Browser side of the format readers: runs them in a worker and returns a CSV source for the pipeline. */

import type { FileMetaData } from 'hyparquet';
import { type FileSource, fileSource } from './browser-source';
import ConvertWorker from './convert.worker?worker';
import { IngestError } from './ingest';
import type { ParquetReader } from './parquet-load';
import { needsConversion } from './readers/convert';
import type { ArrowSink, Decoder, ParquetColumns } from './readers/parquet-arrow';
import type { Choice } from './readers/table';
import { sniffMagic } from './sniff';

/** What a reader made of a file: its CSV as a File, and what to tell the user. */
interface ConvertedFile {
  csv: File;
  name: string;
  note?: string;
  choice?: Choice;
}

function convertInWorker(request: { file: Blob; name: string; choice?: string }): Promise<ConvertedFile> {
  const name = request.name;
  return new Promise((resolve, reject) => {
    const w = new ConvertWorker();
    w.onmessage = (ev) => {
      w.terminate();
      if (ev.data.type === 'done') resolve(ev.data);
      else reject(new IngestError(name, `${name}: ${ev.data.message}`, ev.data.hint));
    };
    w.onerror = (e) => {
      w.terminate();
      reject(new IngestError(name, `${name} could not be read: ${e.message}`, 'Save the data as CSV and drop that.'));
    };
    w.postMessage(request);
  });
}

export interface Resolved {
  source: FileSource;
  /** Which sheet or file of the original was read, with the alternatives. */
  choice?: Choice;
  note?: string;
}

/**
 * A dropped file as a source the CSV pipeline can read: itself when it is delimited text, else the CSV that its
 * reader produced, from the sheet or archive entry asked for (default: the largest).
 */
export async function resolveSource(own: FileSource, choice?: string): Promise<Resolved> {
  const file = own.file;
  const head = new Uint8Array(await file.slice(0, 8192).arrayBuffer());
  if (!needsConversion(file.name, head)) return { source: own };
  const r = await convertInWorker({ file, name: file.name, choice });
  return { source: fileSource(r.csv), choice: r.choice, note: r.note };
}

/** How long a Parquet worker waits, after reading the footer, for the request to decode columns. */
const PARQUET_IDLE_MS = 60_000;

/**
 * A convert worker for one Parquet file: the footer and then the columns are asked of the same worker, which
 * starts compiling its WebAssembly decoder while it reads the footer (~0.6 s off the load). A request made while
 * another is under way gets a worker of its own. The columns' Arrow streams go to `sink` as they are sent.
 */
function parquetWorker(name: string) {
  let kept: Worker | null = null;
  let busy = false;
  let idle: ReturnType<typeof setTimeout> | undefined;
  const stop = (w: Worker) => {
    w.terminate();
    if (w === kept) kept = null;
  };
  return <T>(request: { parquet: 'columns' | 'arrow'; [k: string]: unknown }, sink?: ArrowSink): Promise<T> =>
    new Promise((resolve, reject) => {
      clearTimeout(idle);
      const shared = !busy;
      if (shared) {
        kept ??= new ConvertWorker();
        busy = true;
      }
      const w = shared && kept ? kept : new ConvertWorker();
      const settle = () => {
        if (shared) busy = false;
        // After the footer the worker stays for the columns; after the columns its memory is let go.
        if (shared && request.parquet === 'columns') idle = setTimeout(() => stop(w), PARQUET_IDLE_MS);
        else stop(w);
      };
      w.onmessage = (ev) => {
        if (ev.data.type === 'chunk') return sink?.(ev.data.ipc, ev.data.fresh);
        settle();
        if (ev.data.type === 'done') resolve(ev.data as T);
        else reject(new IngestError(name, `${name}: ${ev.data.message}`, ev.data.hint));
      };
      w.onerror = (e) => {
        settle();
        stop(w);
        reject(new IngestError(name, `${name} could not be read: ${e.message}`, 'Save the data as CSV and drop that.'));
      };
      w.postMessage(request);
    });
}

/**
 * A dropped Parquet file (or one on the site, by range requests) read as typed columns in a worker. The footer is
 * read once: later requests send it along, so a remote file is asked only for the column chunks they need.
 */
export function parquetReader(input: { name: string; size: number; file?: File; url?: string }): ParquetReader {
  const where = input.file ? { file: input.file } : { url: input.url };
  const ask = parquetWorker(input.name);
  let footer: Promise<ParquetColumns & { meta: FileMetaData; size: number }> | null = null;
  const columns = () => {
    footer ??= ask<{ cols: ParquetColumns & { meta: FileMetaData; size: number } }>({
      parquet: 'columns',
      ...where,
    }).then((r) => r.cols);
    return footer;
  };
  return {
    name: input.name,
    size: input.size,
    columns,
    // One worker: with parquet-wasm a second one decoding half the columns was slower (each compiles the module,
    // on two cores they compete with DuckDB inserting, and the halves are joined again).
    arrow: async (wanted, sink) => {
      const { meta, size } = await columns();
      const r = await ask<{ decoder: Decoder }>({ parquet: 'arrow', columns: wanted, meta, size, ...where }, sink);
      return r.decoder;
    },
  };
}

/** Whether a dropped file is Parquet (by its magic bytes, whatever its name). */
export async function isParquet(file: Blob): Promise<boolean> {
  return sniffMagic(new Uint8Array(await file.slice(0, 8).arrayBuffer())).format === 'parquet';
}
