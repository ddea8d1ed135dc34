/** Browser side of the format readers: runs them in a worker and returns a CSV source for the pipeline. */

import { type FileSource, fileSource } from './browser-source';
import ConvertWorker from './convert.worker?worker';
import { IngestError } from './ingest';
import { needsConversion } from './readers/convert';
import type { Choice } from './readers/table';

/** What a reader made of a file: its CSV as a File, and what to tell the user. */
interface ConvertedFile {
  csv: File;
  name: string;
  note?: string;
  choice?: Choice;
}

function convertInWorker(
  request: { file: Blob; name: string; choice?: string } | { url: string; name: string },
): Promise<ConvertedFile> {
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

/** A Parquet file on the site's own origin, read by range requests: only what the analyses use is fetched. */
export async function resolveRemoteParquet(url: string, name: string): Promise<Resolved> {
  const r = await convertInWorker({ url, name });
  return { source: fileSource(r.csv), note: r.note };
}
