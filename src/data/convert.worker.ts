/// <reference lib="webworker" />
/** Runs the Excel, Parquet, JSON and archive readers off the main thread. */
import { convert } from './readers/convert';
import { ReaderError } from './readers/table';

self.onmessage = async (ev: MessageEvent<{ file: Blob; name: string; choice?: string }>) => {
  const { file, name, choice } = ev.data;
  try {
    const r = await convert(name, new Uint8Array(await file.arrayBuffer()), choice);
    const transfer = r.kind === 'table' ? [r.csv.buffer] : r.kind === 'text' ? [r.bytes.buffer] : [];
    self.postMessage({ type: 'done', result: r }, transfer as Transferable[]);
  } catch (e) {
    const hint = e instanceof ReaderError ? e.hint : 'Save the data as CSV and drop that instead.';
    self.postMessage({ type: 'error', message: String((e as Error)?.message ?? e), hint });
  }
};
