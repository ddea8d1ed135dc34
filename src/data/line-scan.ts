/**
 * One pass over a delimited file's bytes that follows quotes the way the CSV reader does, for what the reader does
 * not say: where a quote opens that never closes, and the physical line of each record: empty lines between records
 * (DuckDB skips them without a trace) and line breaks inside quoted fields move every later record down, in columns
 * the load may not have read. Quotes, delimiters and line breaks
 * are ASCII in every encoding read here but UTF-16, which the callers leave out.
 */
import type { SourceFile } from './ingest';

export interface LineScan {
  /** The physical line (1-based) where a quote opens and is never closed, or 0. */
  unclosed: number;
  /**
   * Where records move down: [index of a record (0-based), lines it and every later record move down by], for a
   * run of empty lines before it or quoted line breaks in the record before it. Ascending, one entry per index.
   */
  shifts: [number, number][];
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
  let inner = 0;
  const shifts: [number, number][] = [];
  const endLine = () => {
    if (line > o.headerLines) {
      if (!content) pending++;
      else {
        if (pending) shifts.push([record, pending]);
        pending = 0;
        record++;
        if (inner) shifts.push([record, inner]);
        inner = 0;
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
          else if (b === 0x0a) {
            line++;
            if (line > o.headerLines + 1) inner++;
          }
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
  // A record's inner breaks and the empty lines after it move the same next record.
  const merged: [number, number][] = [];
  for (const [r, n] of shifts) {
    const last = merged[merged.length - 1];
    if (last && last[0] === r) last[1] += n;
    else merged.push([r, n]);
  }
  return { unclosed: inQuote && !afterQuote ? openLine : 0, shifts: merged };
}
