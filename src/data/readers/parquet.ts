/** Parquet through hyparquet (pure JS, snappy/zstd/gzip via hyparquet-compressors): no DuckDB extension needed. */
import { parquetMetadataAsync, parquetRead } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { type Cell, ReaderError, type TextTable } from './table';

/** pandas writes its index as a column; it is not data. */
const IGNORED = /^__index_level_\d+__$/;

export async function readParquet(buffer: ArrayBuffer): Promise<TextTable> {
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
  // Rows as arrays in header order: a million rows as objects would cost more than the decoding.
  const rows = await new Promise<Cell[][]>((resolve, reject) => {
    parquetRead({ file: buffer, compressors, columns: header, onComplete: (r) => resolve(r as Cell[][]) }).catch(
      reject,
    );
  });
  return { header, rows, note: `${rows.length} rows, ${header.length} columns` };
}
