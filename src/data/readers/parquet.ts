/** Parquet through hyparquet (pure JS, snappy/zstd/gzip via hyparquet-compressors): no DuckDB extension needed. */
import { parquetMetadataAsync, parquetRead } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { CsvBytes } from './csv-bytes';
import { type Cell, ReaderError } from './table';

/** pandas writes its index as a column; it is not data. */
const IGNORED = /^__index_level_\d+__$/;

/**
 * The file as UTF-8 CSV for the common pipeline. Decoded column by column with text left as bytes and written
 * straight into the output: no JavaScript string per value, row array per line or re-encoding of the whole CSV,
 * which were most of the time of a million-row file.
 */
export async function parquetToCsv(buffer: ArrayBuffer): Promise<{ csv: Uint8Array; note: string }> {
  let meta: Awaited<ReturnType<typeof parquetMetadataAsync>>;
  try {
    meta = await parquetMetadataAsync(buffer);
  } catch (e) {
    throw new ReaderError(
      `The Parquet file could not be read: ${String((e as Error).message ?? e).slice(0, 200)}`,
      'Check that the file is complete; export it again if it was cut short.',
    );
  }
  const top = meta.schema.slice(1).filter((s) => !IGNORED.test(s.name));
  const nested = top.filter((s) => (s.num_children ?? 0) > 0);
  if (nested.length) {
    throw new ReaderError(
      `The Parquet file has nested columns (${nested.map((s) => s.name).join(', ')}), which a sales table cannot hold.`,
      'Export it with flat columns (one value per cell), for example with pandas json_normalize.',
    );
  }
  const header = top.map((s) => s.name);
  const length = Number(meta.num_rows);
  const chunks = new Map<string, { rowStart: number; data: ArrayLike<Cell | Uint8Array> }[]>(
    header.map((h) => [h, []]),
  );
  await parquetRead({
    file: buffer,
    compressors,
    columns: header,
    // Text stays the file's UTF-8 bytes, copied into the CSV as they are.
    parsers: { stringFromBytes: (b: Uint8Array) => b },
    onChunk: (c) => chunks.get(c.columnName)?.push({ rowStart: c.rowStart, data: c.columnData as ArrayLike<Cell> }),
  });
  const columns = header.map((h) => joinChunks(chunks.get(h) ?? [], length));
  chunks.clear();
  const out = new CsvBytes(buffer.byteLength * 4);
  header.forEach((h, i) => {
    if (i) out.comma();
    out.text(h);
  });
  out.newline();
  const width = header.length;
  for (let r = 0; r < length; r++) {
    for (let i = 0; i < width; i++) {
      if (i) out.comma();
      out.cell((columns[i] as ArrayLike<Cell | Uint8Array>)[r]);
    }
    out.newline();
  }
  const csv = out.done();
  // Text was copied as the file's bytes: a column of binary data that is not UTF-8 would reach the CSV reader as
  // an encoding error. Checking the whole output once costs a fraction of decoding every value.
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(csv);
  } catch {
    throw new ReaderError(
      'The Parquet file has a text column whose bytes are not UTF-8 text (binary data).',
      'Export the file without binary columns, or as CSV.',
    );
  }
  return { csv, note: `${length} rows, ${header.length} columns` };
}

/** One column's chunks (one per row group, in any order) as one array of `length` values. */
function joinChunks<T>(chunks: { rowStart: number; data: ArrayLike<T> }[], length: number): ArrayLike<T> {
  chunks.sort((a, b) => a.rowStart - b.rowStart);
  if (chunks.length === 1 && chunks[0]?.data.length === length) return chunks[0].data;
  const out: T[] = new Array(length);
  for (const { rowStart, data } of chunks) for (let i = 0; i < data.length; i++) out[rowStart + i] = data[i] as T;
  return out;
}
