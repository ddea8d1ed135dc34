/** CSV export that is safe to open in Excel: cells that could run as formulas are neutralised. */
import { downloadBlob } from './download';

export type Cell = string | number | boolean | null | undefined;

/** A leading = + - @ (or tab/CR) makes spreadsheets evaluate the cell; prefix it with an apostrophe. */
export function safeCell(v: Cell): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  let s = String(v);
  if (/^[=+\-@\t\r]/.test(s) && !/^[-+]?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

export function toCsv(columns: string[], rows: Cell[][]): string {
  return [columns.map(safeCell).join(','), ...rows.map((r) => r.map(safeCell).join(','))].join('\r\n');
}

/** A CSV download with a byte-order mark, so that Excel opens accented and Chinese names correctly. */
export function downloadText(name: string, text: string, type = 'text/csv;charset=utf-8'): void {
  downloadBlob(name, new Blob(['\uFEFF', text], { type }));
}
