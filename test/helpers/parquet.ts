/** parquet-wasm in Node, read by ranges of a Blob as the browser's convert worker reads a dropped file. */
import { ParquetFile } from 'parquet-wasm';
import type { ParquetReader } from '../../src/data/parquet-load';
import { parquetColumns, parquetToArrow, type WasmDecode, wasmDecoder } from '../../src/data/readers/parquet-arrow';

export const wasmDecode = (buf: ArrayBuffer): WasmDecode => wasmDecoder(() => ParquetFile.fromFile(new Blob([buf])));

/**
 * What the browser's worker does, in-process (`wasm` false: with hyparquet alone, as for the types it leaves;
 * a function: that decoder instead).
 */
export function reader(
  name: string,
  buf: ArrayBuffer,
  log: string[][] = [],
  wasm: boolean | WasmDecode = true,
  decoders: string[] = [],
): ParquetReader {
  return {
    name,
    size: buf.byteLength,
    columns: () => parquetColumns(buf),
    arrow: async (columns, sink) => {
      log.push(columns);
      const { meta } = await parquetColumns(buf);
      const decode = wasm === true ? wasmDecode(buf) : wasm || undefined;
      const { decoder } = await parquetToArrow(buf, columns, meta, decode, sink);
      decoders.push(decoder);
      return decoder;
    },
  };
}
