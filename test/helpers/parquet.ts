/** parquet-wasm in Node, read by ranges of a Blob as the browser's convert worker reads a dropped file. */
import { ParquetFile } from 'parquet-wasm';
import { type WasmDecode, wasmDecoder } from '../../src/data/readers/parquet-arrow';

export const wasmDecode = (buf: ArrayBuffer): WasmDecode => wasmDecoder(() => ParquetFile.fromFile(new Blob([buf])));
