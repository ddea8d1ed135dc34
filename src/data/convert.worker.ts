/// <reference lib="webworker" />
/** Runs the Excel, Parquet, JSON and archive readers off the main thread. */
import { type AsyncBuffer, asyncBufferFromUrl, type FileMetaData } from 'hyparquet';
import initParquetWasm, { ParquetFile } from 'parquet-wasm/esm';
import parquetWasmUrl from 'parquet-wasm/esm/parquet_wasm_bg.wasm?url';
import { convert } from './readers/convert';
import { parquetColumns, parquetToArrow, wasmDecoder } from './readers/parquet-arrow';
import { ReaderError } from './readers/table';

type Request = { file: Blob; name: string; choice?: string };
/** Parquet read as typed columns: its footer, or some of its columns as an Arrow IPC stream. */
type ParquetRequest = {
  parquet: 'columns' | 'arrow';
  file?: Blob;
  url?: string;
  /** The file's size and footer, when an earlier request read them: not fetched again. */
  size?: number;
  meta?: FileMetaData;
  columns?: string[];
};

/** A Blob read by ranges, as hyparquet reads a remote file: only the footer and the column chunks asked for. */
const blobBuffer = (file: Blob): AsyncBuffer => ({
  byteLength: file.size,
  slice: (start, end) => file.slice(start, end).arrayBuffer(),
});

let parquetWasm: Promise<unknown> | null = null;
/** parquet-wasm's module, fetched from the site and compiled once per worker. */
const wasmReady = () => {
  parquetWasm ??= initParquetWasm({ module_or_path: parquetWasmUrl });
  return parquetWasm;
};

/** The dropped file read by ranges by parquet-wasm. */
async function openWasm(file: Blob) {
  await wasmReady();
  return ParquetFile.fromFile(file);
}

async function parquet(req: ParquetRequest) {
  const buffer = req.file
    ? blobBuffer(req.file)
    : await asyncBufferFromUrl({ url: req.url as string, byteLength: req.size });
  if (req.parquet === 'columns') {
    // The columns are asked of this worker next: compile the decoder while the footer is read and the page looks
    // at it (a failure here is met again, and falls back, when the columns are decoded).
    if (req.file) wasmReady().catch(() => {});
    const cols = await parquetColumns(buffer);
    return self.postMessage({ type: 'done', cols: { ...cols, size: buffer.byteLength } });
  }
  // Each batch goes to the page as it is decoded, for DuckDB to insert while the next one is.
  const file = req.file;
  const { decoder } = await parquetToArrow(
    buffer,
    req.columns ?? [],
    req.meta,
    // A file on the site is decoded by hyparquet, which asks the server for the footer and the chunks of the
    // columns wanted only (parquet-wasm's reader of a URL asked for more bytes than the file has).
    file ? wasmDecoder(() => openWasm(file)) : undefined,
    (ipc, fresh) => self.postMessage({ type: 'chunk', ipc, fresh }, { transfer: [ipc.buffer] }),
  );
  self.postMessage({ type: 'done', decoder });
}

self.onmessage = async (ev: MessageEvent<Request | ParquetRequest>) => {
  const req = ev.data;
  try {
    if ('parquet' in req) return await parquet(req);
    const r = await convert(req.name, new Uint8Array(await req.file.arrayBuffer()), req.choice);
    const bytes = r.kind === 'table' ? r.csv : r.bytes;
    const { name, note, choice } = r;
    // As a File made here: the page gets a handle to the bytes, not a copy to make on its own thread (~80 ms for
    // the CSV of a million rows).
    const csv = new File([bytes as BlobPart], name, { type: 'text/csv' });
    self.postMessage({ type: 'done', csv, name, note, choice });
  } catch (e) {
    const hint = e instanceof ReaderError ? e.hint : 'Save the data as CSV and drop that instead.';
    self.postMessage({ type: 'error', message: String((e as Error)?.message ?? e), hint });
  }
};
