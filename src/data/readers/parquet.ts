/** Parquet through hyparquet (pure JS, snappy/zstd/gzip via hyparquet-compressors): no DuckDB extension needed. */
import { type AsyncBuffer, type FileMetaData, parquetMetadataAsync, parquetRead, type SchemaElement } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import type { ColumnProfile } from '../roles';
import { CsvBytes } from './csv-bytes';
import { type Cell, ReaderError } from './table';

/** pandas writes its index as a column; it is not data. */
const IGNORED = /^__index_level_\d+__$/;

/** Footer bytes asked for first: a remote file's footer in one request, without fetching its data pages. */
const FOOTER_FETCH = 64 * 1024;

/** A column as the role guesser sees it, from its Parquet type alone (no value is read). */
export function profileOf(s: SchemaElement, rows: number): ColumnProfile {
  const t = s.logical_type?.type;
  const date = t === 'DATE' || t === 'TIMESTAMP' || /^(DATE|TIMESTAMP)/.test(s.converted_type ?? '');
  const numeric = !date && s.type !== 'BYTE_ARRAY' && s.type !== 'BOOLEAN';
  // Text may hold numbers or dates: let an exact header name decide, not a loose one.
  const text = s.type === 'BYTE_ARRAY';
  return {
    name: s.name,
    numericShare: numeric ? 1 : text ? 0.6 : 0,
    dateShare: date ? 1 : text ? 0.6 : 0,
    nonEmpty: rows,
  };
}

/** The footer of a Parquet file and its flat columns; a cut-short, damaged or nested file is refused. */
export async function openParquet(
  file: ArrayBuffer | AsyncBuffer,
  known?: FileMetaData,
): Promise<{ meta: FileMetaData; top: SchemaElement[]; length: number }> {
  let meta: FileMetaData;
  try {
    meta = known ?? (await parquetMetadataAsync(file, { initialFetchSize: FOOTER_FETCH }));
  } catch (e) {
    // A Parquet file ends with its footer and the magic bytes "PAR1": without them it was cut short.
    const size = file.byteLength;
    const tail =
      file instanceof ArrayBuffer
        ? new Uint8Array(file, Math.max(0, size - 4))
        : new Uint8Array(
            await Promise.resolve(file.slice(Math.max(0, size - 4), size)).catch(() => new ArrayBuffer(0)),
          );
    const cut = tail.length > 0 && String.fromCharCode(...tail) !== 'PAR1';
    throw new ReaderError(
      cut
        ? 'The Parquet file is cut short: it ends before its footer (the part that says where the columns are).'
        : `The Parquet file is damaged: ${String((e as Error).message ?? e).slice(0, 200)}`,
      'Copy or download the file again (it was not saved completely), or export it again.',
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
  return { meta, top, length: Number(meta.num_rows) };
}

/**
 * The file as UTF-8 CSV for the common pipeline. Decoded column by column with text left as bytes and written
 * straight into the output: no JavaScript string per value, row array per line or re-encoding of the whole CSV,
 * which were most of the time of a million-row file. `mappedOnly` reads just the columns whose names the role
 * guesser maps (all of them when that is not enough to load): a remote file is then read in ranges, not whole.
 */
/** The footer metadata key under which `npm run summarize` writes a summary's provenance. */
export const SUMMARY_KEY = 'kal_summary';

export async function parquetToCsv(file: ArrayBuffer | AsyncBuffer): Promise<{ csv: Uint8Array; note: string }> {
  const buffer = file;
  const { meta, top, length } = await openParquet(file);
  // Its rows are groups of order lines, not lines: as text they would be counted as lines without a word.
  if (meta.key_value_metadata?.some((m) => m.key === SUMMARY_KEY))
    throw new ReaderError(
      'The Parquet file is a summary made by "npm run summarize": it can only be read on its own, as a summary.',
      'Drop the summary alone (not inside an archive or with other files).',
    );
  const header = top.map((s) => s.name);
  const chunks = new Map<string, { rowStart: number; data: ArrayLike<Cell | Uint8Array> }[]>(
    header.map((h) => [h, []]),
  );
  await parquetRead({
    file: buffer,
    metadata: meta,
    compressors,
    columns: header,
    // Text stays the file's UTF-8 bytes, copied into the CSV as they are.
    parsers: { stringFromBytes: (b: Uint8Array) => b },
    onChunk: (c) => chunks.get(c.columnName)?.push({ rowStart: c.rowStart, data: c.columnData as ArrayLike<Cell> }),
  });
  const columns = header.map((h) => joinChunks(chunks.get(h) ?? [], length));
  chunks.clear();
  const out = new CsvBytes(Math.max(1 << 16, buffer.byteLength * 4));
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
  assertUtf8(csv);
  return { csv, note: `${length} rows, ${header.length} columns` };
}

/**
 * Text is copied as the file's bytes: a column of binary data that is not UTF-8 would reach DuckDB as an encoding
 * error. Checking the bytes once costs a fraction of decoding every value.
 */
export function assertUtf8(bytes: Uint8Array): void {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new ReaderError(
      'The Parquet file has a text column whose bytes are not UTF-8 text (binary data).',
      'Export the file without binary columns, or as CSV.',
    );
  }
}

/** One column's chunks (one per row group, in any order) as one array of `length` values. */
export function joinChunks<T>(chunks: { rowStart: number; data: ArrayLike<T> }[], length: number): ArrayLike<T> {
  chunks.sort((a, b) => a.rowStart - b.rowStart);
  if (chunks.length === 1 && chunks[0]?.data.length === length) return chunks[0].data;
  const out: T[] = new Array(length);
  for (const { rowStart, data } of chunks) for (let i = 0; i < data.length; i++) out[rowStart + i] = data[i] as T;
  return out;
}
