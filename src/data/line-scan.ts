/**
 * One pass over a delimited file's bytes that follows quotes the way the CSV reader does, for what the reader does
 * not say: where a quote opens that never closes, and where empty lines sit between records (DuckDB skips them
 * without a trace, so a row number after one is not the line an editor shows). Quotes, delimiters and line breaks
 * are ASCII in every encoding read here but UTF-16, which the callers leave out.
 */
import type { SourceFile } from './ingest';

export interface LineScan {
  /** The physical line (1-based) where a quote opens and is never closed, or 0. */
  unclosed: number;
  /** Runs of empty lines between records: [index of the record after the run (0-based), length of the run]. */
  blanks: [number, number][];
}

const CHUNK = 8 * 1024 * 1024;

export interface ScanOptions {
  bom: number;
  quote: string;
  delimiter: string;
  headerLines: number;
}

/** Runs the scan: in the page's worker in the browser (a pass over the whole file), in-process in tests. */
export type LineScanner = (source: SourceFile, o: ScanOptions) => Promise<LineScan>;

export async function scanLines(source: SourceFile, o: ScanOptions): Promise<LineScan> {
  const quote = o.quote.charCodeAt(0);
  const delim = o.delimiter.charCodeAt(0);
  let line = 1;
  let inQuote = false;
  let afterQuote = false;
  let openLine = 0;
  let fieldStart = true;
  let content = false;
  let record = 0;
  let pending = 0;
  const blanks: [number, number][] = [];
  const endLine = () => {
    if (line > o.headerLines) {
      if (!content) pending++;
      else {
        if (pending) blanks.push([record, pending]);
        pending = 0;
        record++;
      }
    }
    content = false;
    fieldStart = true;
  };
  for (let pos = o.bom; pos < source.size; pos += CHUNK) {
    const bytes = await source.slice(pos, Math.min(source.size, pos + CHUNK));
    for (let i = 0; i < bytes.length; i++) {
      const b = bytes[i] as number;
      if (inQuote) {
        if (afterQuote) {
          afterQuote = false;
          // A doubled quote is a quote inside the field; a single one closes it.
          if (b === quote) continue;
          inQuote = false;
        } else {
          if (b === quote) afterQuote = true;
          else if (b === 0x0a) line++;
          continue;
        }
      }
      if (b === 0x0a) {
        endLine();
        line++;
        continue;
      }
      if (b === 0x0d) continue;
      content = true;
      if (b === quote && fieldStart) {
        inQuote = true;
        openLine = line;
      }
      fieldStart = b === delim;
    }
  }
  if (content) endLine();
  return { unclosed: inQuote && !afterQuote ? openLine : 0, blanks };
}
