/**
 * Every non-CSV format is read into a plain table of text cells and written out as UTF-8 CSV, so that one
 * pipeline (roles, conventions, rejected rows, the typed load) serves them all.
 */

export type Cell = string | number | boolean | bigint | Date | null | undefined;

export interface TextTable {
  header: string[];
  rows: Cell[][];
  /** Said to the user, e.g. "header found on row 3". */
  note?: string;
  /** The file held several sheets or files: which one was read, and the others the user can switch to. */
  choice?: Choice;
}

/** Several sheets in a workbook, or several data files in a zip: the one read and the alternatives. */
export interface Choice {
  what: 'sheet' | 'file';
  options: string[];
  chosen: string;
}

export class ReaderError extends Error {
  constructor(
    message: string,
    readonly hint: string,
  ) {
    super(message);
  }
}

/** A date as the CSV pipeline reads it; empty when invalid. */
export function dateText(v: Date): string {
  if (Number.isNaN(v.getTime())) return '';
  const iso = v.toISOString();
  // Dates without a time of day stay plain dates, so the date detector sees YYYY-MM-DD.
  return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso.slice(0, 19).replace('T', ' ');
}

function cellText(v: Cell): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return dateText(v);
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  return String(v);
}

const quote = (s: string) => (/[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s);

/**
 * RFC 4180 CSV, UTF-8, header first. Written for a million rows: numbers need no quoting, a date column repeats
 * a few hundred days (each formatted once), and one array is reused for every line.
 */
export function tableToCsv(t: TextTable): Uint8Array {
  const width = t.header.length;
  const dates = new Map<number, string>();
  const cell = (v: Cell): string => {
    if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
    if (typeof v === 'string') return quote(v);
    if (v instanceof Date) {
      const ms = v.getTime();
      let s = dates.get(ms);
      if (s === undefined) {
        s = cellText(v);
        dates.set(ms, s);
      }
      return s;
    }
    return quote(cellText(v));
  };
  const out: string[] = [t.header.map((h) => quote(h)).join(',')];
  const line: string[] = new Array(width);
  for (const r of t.rows) {
    for (let i = 0; i < width; i++) line[i] = cell(r[i]);
    out.push(line.join(','));
  }
  return new TextEncoder().encode(`${out.join('\n')}\n`);
}

/** Unique, non-empty header names: blanks become "column N", repeats get " (2)". */
export function cleanHeader(cells: Cell[]): string[] {
  const seen = new Map<string, number>();
  return cells.map((c, i) => {
    let name = cellText(c).replace(/\s+/g, ' ').trim() || `column ${i + 1}`;
    const n = seen.get(name.toLowerCase()) ?? 0;
    seen.set(name.toLowerCase(), n + 1);
    if (n) name = `${name} (${n + 1})`;
    return name;
  });
}

/**
 * Finds the header row of a sheet that may carry title rows above it: the first row, among the first 30, that
 * fills most of the table's width with text and has data below.
 */
export function findHeaderRow(rows: Cell[][]): number {
  const width = Math.max(0, ...rows.slice(0, 50).map((r) => r.filter((c) => cellText(c) !== '').length));
  for (let i = 0; i < Math.min(rows.length - 1, 30); i++) {
    const r = rows[i] ?? [];
    const filled = r.filter((c) => cellText(c) !== '');
    const texty = filled.filter((c) => typeof c === 'string' && !/^[-+]?[\d.,]+$/.test(c)).length;
    if (filled.length >= Math.max(2, width * 0.6) && texty >= filled.length * 0.8) return i;
  }
  return 0;
}
