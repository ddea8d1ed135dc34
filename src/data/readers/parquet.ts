/** Parquet through hyparquet (pure JS, snappy/zstd/gzip via hyparquet-compressors): no DuckDB extension needed. */
import { parquetMetadataAsync, parquetReadObjects } from 'hyparquet';
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
  const objects = (await parquetReadObjects({ file: buffer, compressors, columns: header })) as Record<string, Cell>[];
  return {
    header,
    rows: objects.map((o) => header.map((h) => o[h])),
    note: `${objects.length} rows, ${header.length} columns`,
  };
}
