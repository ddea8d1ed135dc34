/** Recognises what a file really is from its first bytes, and the dialect of delimited text. */

export interface Magic {
  kind: 'text' | 'binary';
  /** A human name for a recognised binary format, e.g. "a PNG image". */
  what?: string;
  format?: 'xlsx' | 'xls' | 'parquet' | 'gzip' | 'zip' | 'image' | 'pdf' | 'other';
}

const SIGNATURES: [number[], string, Magic['format']][] = [
  [[0x89, 0x50, 0x4e, 0x47], 'a PNG image', 'image'],
  [[0xff, 0xd8, 0xff], 'a JPEG image', 'image'],
  [[0x47, 0x49, 0x46, 0x38], 'a GIF image', 'image'],
  [[0x25, 0x50, 0x44, 0x46], 'a PDF document', 'pdf'],
  [[0x50, 0x41, 0x52, 0x31], 'a Parquet file', 'parquet'],
  [[0x1f, 0x8b], 'a gzip archive', 'gzip'],
  [[0x50, 0x4b, 0x03, 0x04], 'a zip archive (or an Excel .xlsx workbook)', 'zip'],
  [[0xd0, 0xcf, 0x11, 0xe0], 'a legacy Office file (Excel .xls)', 'xls'],
];

export function sniffMagic(head: Uint8Array): Magic {
  for (const [sig, what, format] of SIGNATURES) {
    if (sig.every((b, i) => head[i] === b)) return { kind: 'binary', what, format };
  }
  // UTF-16 text has many zero bytes but no other control characters; binary data has both.
  const n = Math.min(head.length, 8192);
  let zeros = 0;
  let control = 0;
  for (let i = 0; i < n; i++) {
    const b = head[i] as number;
    if (b === 0) zeros++;
    else if (b < 0x09 || (b > 0x0d && b < 0x20 && b !== 0x1b)) control++;
  }
  const utf16 = (head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff) || zeros > n * 0.3;
  if (control > n * 0.01 || (zeros > 0 && !utf16)) return { kind: 'binary', what: 'binary data', format: 'other' };
  return { kind: 'text' };
}

export interface Dialect {
  delimiter: string;
  quote: string;
  header: boolean;
  /** Field count of the first rows, used to name headerless columns. */
  columns: number;
  /** Title lines above the header (a report name, a run date), skipped when reading. */
  skip?: number;
}

/** The physical lines before the first data row: title lines and the header. */
export const headerLines = (d: Dialect) => (d.skip ?? 0) + (d.header ? 1 : 0);

const DELIMITERS = [',', ';', '\t', '|'];

/** Splits one line into fields, honouring double quotes. Good enough for sniffing, not for loading. */
export function splitLine(line: string, delimiter: string, quote = '"'): string[] {
  const out: string[] = [];
  let field = '';
  let inQuotes = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (inQuotes) {
      if (c === quote && line[i + 1] === quote) {
        field += quote;
        i++;
      } else if (c === quote) inQuotes = false;
      else field += c;
    } else if (c === quote && field.trim() === '') inQuotes = true;
    else if (c === delimiter) {
      out.push(field);
      field = '';
    } else field += c;
  }
  out.push(field);
  return out;
}

/** The first non-blank lines of a sample with their physical index (0-based), the cut last line left out. */
function sampleLines(text: string, max = 60): { line: string; at: number }[] {
  const lines = text.split(/\r\n|\n|\r/);
  // The last line of a sample is usually cut short.
  if (lines.length > 2) lines.pop();
  return lines
    .map((line, at) => ({ line, at }))
    .filter((l) => l.line.trim() !== '')
    .slice(0, max);
}

/** The most common field count of at least 2 (the larger on a tie), or 0. */
function modeOf(counts: number[]): number {
  const freq = new Map<number, number>();
  for (const c of counts) if (c >= 2) freq.set(c, (freq.get(c) ?? 0) + 1);
  let best = 0;
  let n = 0;
  for (const [c, f] of freq) if (f > n || (f === n && c > best)) [best, n] = [c, f];
  return best;
}

const looksNumeric = (s: string) => /^\s*[-+(]?\s*[$€£¥￥]?\s*\d[\d.,\s]*%?\)?\s*(元)?\s*$/.test(s);
const looksDate = (s: string) => /^\s*\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}/.test(s);

export function detectDialect(text: string): Dialect {
  const sample = sampleLines(text);
  const lines = sample.map((l) => l.line);
  if (lines.length === 0) return { delimiter: ',', quote: '"', header: true, columns: 0 };
  let best = { delimiter: ',', score: -1, columns: 1 };
  for (const d of DELIMITERS) {
    const counts = lines.map((l) => splitLine(l, d).length);
    // The table's width is the most common field count: title lines above the header have fewer fields.
    const mode = modeOf(counts);
    if (!mode) continue;
    const consistent = counts.filter((c) => c === mode).length / counts.length;
    const score = consistent * 100 + Math.min(mode, 50);
    if (score > best.score) best = { delimiter: d, score, columns: mode };
  }
  if (best.score < 0) {
    // Fixed-width or space-separated exports ("00001 20240101 3 15.50"): fields split by runs of blanks.
    const counts = lines.map((l) => splitBlanks(l).length);
    const first = counts[0] as number;
    if (first >= 2 && counts.filter((c) => c === first).length >= counts.length * 0.9) {
      const rows = lines.map(splitBlanks);
      return { delimiter: WHITESPACE, quote: '"', header: hasHeader(rows), columns: first };
    }
  }
  const rows = lines.map((l) => splitLine(l, best.delimiter));
  // Title lines: the first lines, fewer fields wide than the table, above the first line as wide as it.
  const start = rows.findIndex((r) => r.length >= best.columns);
  const titled = start > 0 && start <= 10 && best.score >= 0;
  const skip = titled ? (sample[start] as { at: number }).at : 0;
  return {
    delimiter: best.delimiter,
    quote: '"',
    header: hasHeader(titled ? rows.slice(start) : rows),
    columns: best.columns,
    ...(skip ? { skip } : {}),
  };
}

/** The dialect delimiter of text whose fields are separated by runs of spaces or tabs. */
export const WHITESPACE = 'whitespace';

const splitBlanks = (line: string) => line.trim().split(/[ \t]+/);

/** Rewrites blank-separated lines as CSV, so DuckDB's reader can take them. Carries a cut last line over. */
export function blanksToCsv(text: string, final = true): { csv: string; rest: string } {
  const lines = text.split(/\r?\n/);
  const rest = final ? '' : (lines.pop() ?? '');
  const csv = lines
    .filter((l) => l.trim() !== '')
    .map((l) =>
      splitBlanks(l)
        .map((f) => (/[",]/.test(f) ? `"${f.replaceAll('"', '""')}"` : f))
        .join(','),
    )
    .join('\n');
  return { csv: csv ? `${csv}\n` : '', rest };
}

/** A first row is a header when none of its cells look like data that the rows below hold as numbers/dates. */
function hasHeader(rows: string[][]): boolean {
  const first = rows[0] ?? [];
  if (rows.length < 2) return first.every((c) => !looksNumeric(c) && !looksDate(c));
  const body = rows.slice(1);
  let dataLike = 0;
  let headerLike = 0;
  first.forEach((cell, j) => {
    const col = body.map((r) => r[j] ?? '').filter((v) => v.trim() !== '');
    const numericBelow =
      col.length > 0 && col.filter((v) => looksNumeric(v) || looksDate(v)).length >= col.length * 0.8;
    if (looksNumeric(cell) || looksDate(cell)) dataLike++;
    else if (numericBelow && cell.trim() !== '') headerLike++;
  });
  if (dataLike > 0 && dataLike >= headerLike) return false;
  const distinct = new Set(first.map((c) => c.trim().toLowerCase())).size === first.length;
  return headerLike > 0 || (distinct && dataLike === 0);
}
