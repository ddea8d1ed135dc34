/// <reference lib="webworker" />
/** Runs the Excel, Parquet, JSON and archive readers off the main thread. */
import { asyncBufferFromUrl } from 'hyparquet';
import { convert } from './readers/convert';
import { parquetToCsv } from './readers/parquet';
import { ReaderError } from './readers/table';

type Request = { file: Blob; name: string; choice?: string } | { url: string; name: string };

self.onmessage = async (ev: MessageEvent<Request>) => {
  const req = ev.data;
  try {
    let bytes: Uint8Array;
    let name = req.name;
    let note: string | undefined;
    let choice: unknown;
    if ('url' in req) {
      // A Parquet file of the site: its footer, then only the column chunks the analyses use, by range requests.
      const r = await parquetToCsv(await asyncBufferFromUrl({ url: req.url }), { mappedOnly: true });
      bytes = r.csv;
      note = r.note;
    } else {
      const r = await convert(req.name, new Uint8Array(await req.file.arrayBuffer()), req.choice);
      bytes = r.kind === 'table' ? r.csv : r.bytes;
      name = r.name;
      note = r.note;
      choice = r.choice;
    }
    // As a File made here: the page gets a handle to the bytes, not a copy to make on its own thread (~80 ms for
    // the CSV of a million rows).
    const csv = new File([bytes as BlobPart], name, { type: 'text/csv' });
    self.postMessage({ type: 'done', csv, name, note, choice });
  } catch (e) {
    const hint = e instanceof ReaderError ? e.hint : 'Save the data as CSV and drop that instead.';
    self.postMessage({ type: 'error', message: String((e as Error)?.message ?? e), hint });
  }
};
