/** Browser side of the format readers: runs them in a worker and returns a CSV source for the pipeline. */

import type { FileMetaData } from 'hyparquet';
import { type FileSource, fileSource } from './browser-source';
import ConvertWorker from './convert.worker?worker';
import { IngestError } from './ingest';
import type { ParquetReader } from './parquet-load';
import { needsConversion } from './readers/convert';
import { type ParquetColumns, splitColumns } from './readers/parquet-arrow';
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

/** Asks a convert worker for a Parquet file's footer or some of its columns (one worker per request). */
function parquetInWorker<T>(name: string, request: object): Promise<T> {
  return new Promise((resolve, reject) => {
    const w = new ConvertWorker();
    w.onmessage = (ev) => {
      w.terminate();
      if (ev.data.type === 'done') resolve(ev.data as T);
      else reject(new IngestError(name, `${name}: ${ev.data.message}`, ev.data.hint));
    };
    w.onerror = (e) => {
      w.terminate();
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
  let footer: Promise<ParquetColumns & { meta: FileMetaData; size: number }> | null = null;
  const columns = () => {
    footer ??= parquetInWorker<{ cols: ParquetColumns & { meta: FileMetaData; size: number } }>(input.name, {
      parquet: 'columns',
      ...where,
    }).then((r) => r.cols);
    return footer;
  };
  return {
    name: input.name,
    size: input.size,
    columns,
    arrow: async (wanted) => {
      const { meta, size } = await columns();
      // One worker per core, each decoding its share of the columns.
      const parts = splitColumns(wanted, meta, Math.min(4, navigator.hardwareConcurrency || 2));
      const decoded = parts.map((part) =>
        parquetInWorker<{ ipc: Uint8Array }>(input.name, { parquet: 'arrow', columns: part, meta, size, ...where }),
      );
      return (await Promise.all(decoded)).map((r) => r.ipc);
    },
  };
}

/** Whether a dropped file is Parquet (by its magic bytes, whatever its name). */
export async function isParquet(file: Blob): Promise<boolean> {
  return sniffMagic(new Uint8Array(await file.slice(0, 8).arrayBuffer())).format === 'parquet';
}
