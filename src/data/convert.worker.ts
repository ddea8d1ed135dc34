/// <reference lib="webworker" />
/** Runs the Excel, Parquet, JSON and archive readers off the main thread. */
import { convert } from './readers/convert';
import { ReaderError } from './readers/table';

self.onmessage = async (ev: MessageEvent<{ file: Blob; name: string; choice?: string }>) => {
  const { file, name, choice } = ev.data;
  try {
    const r = await convert(name, new Uint8Array(await file.arrayBuffer()), choice);
    // As a File made here: the page gets a handle to the bytes, not a copy to make on its own thread (~80 ms for
    // the CSV of a million rows).
    const bytes = r.kind === 'table' ? r.csv : r.bytes;
    const csv = new File([bytes as BlobPart], r.name, { type: 'text/csv' });
    self.postMessage({ type: 'done', csv, name: r.name, note: r.note, choice: r.choice });
  } catch (e) {
    const hint = e instanceof ReaderError ? e.hint : 'Save the data as CSV and drop that instead.';
    self.postMessage({ type: 'error', message: String((e as Error)?.message ?? e), hint });
  }
};
