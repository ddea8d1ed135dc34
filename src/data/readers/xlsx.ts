/** Excel .xlsx through read-excel-file (maintained; the `xlsx` package on npm is an old release with advisories). */
import readExcelFile from 'read-excel-file/universal';
import { type Cell, type Choice, cleanHeader, findHeaderRow, ReaderError, type TextTable } from './table';

/** Reads one sheet: the one asked for, else the one with the most rows (the others are offered as a choice). */
export async function readXlsx(input: Blob | ArrayBuffer, sheet?: string): Promise<TextTable> {
  let sheets: { sheet: string; data: Cell[][] }[];
  try {
    sheets = (await readExcelFile(input)) as { sheet: string; data: Cell[][] }[];
  } catch (e) {
    throw new ReaderError(
      `The workbook could not be read: ${String((e as Error).message ?? e).slice(0, 200)}`,
      'Open it in Excel, check it is not password-protected, and save it again as .xlsx or as "CSV UTF-8".',
    );
  }
  const withData = sheets.filter((s) => s.data.some((r) => r.some((c) => c !== null && c !== '')));
  if (!withData.length)
    throw new ReaderError('Every sheet of the workbook is empty.', 'Export a sheet that holds the sales lines.');
  const largest = withData.reduce((a, b) => (b.data.length > a.data.length ? b : a));
  const chosen = sheet ? withData.find((s) => s.sheet === sheet) : largest;
  if (!chosen) throw new ReaderError(`The workbook has no sheet named "${sheet}".`, 'Pick one of its sheets.');
  const at = findHeaderRow(chosen.data);
  const headerRow = fillMerged(chosen.data[at] ?? [], chosen.data[at - 1]);
  const header = cleanHeader(headerRow);
  const rows = chosen.data.slice(at + 1).filter((r) => r.some((c) => c !== null && c !== ''));
  const note = at > 0 ? `header found on row ${at + 1}, below ${at} title row${at > 1 ? 's' : ''}` : undefined;
  const choice: Choice | undefined =
    withData.length > 1 ? { what: 'sheet', options: withData.map((s) => s.sheet), chosen: chosen.sheet } : undefined;
  return { header, rows, note, choice };
}

/**
 * A merged header cell is read as a value followed by blanks: a blank header takes the group name from the
 * row above when there is one ("Q1" over "Revenue" and "Profit"), else stays blank for cleanHeader to name.
 */
function fillMerged(row: Cell[], above: Cell[] | undefined): Cell[] {
  let group: Cell = null;
  return row.map((c, i) => {
    const a = above?.[i];
    if (a !== null && a !== undefined && a !== '') group = a;
    if (c === null || c === undefined || c === '') return group ? `${group} ${i + 1}` : c;
    return c;
  });
}
