/**
 * One reader per format behind one entry point: decides what a file is from its first bytes and its name,
 * and turns Excel, Parquet, JSON and archives into CSV for the common pipeline. Plain delimited text is left
 * alone (the pipeline reads it straight from the file handle).
 */
import { sniffMagic } from '../sniff';
import { gunzip, unzipEntry } from './archive';
import { readJson } from './json';
import { parquetToCsv } from './parquet';
import { type Choice, ReaderError, type TextTable, tableToCsv } from './table';
import { readXlsx } from './xlsx';

export type Converted =
  | { kind: 'table'; name: string; csv: Uint8Array; note?: string; choice?: Choice }
  /** Delimited text that came out of an archive: the CSV pipeline reads it, encodings and all. */
  | { kind: 'text'; name: string; bytes: Uint8Array; note?: string; choice?: Choice };

const ext = (name: string) => name.toLowerCase().split('.').pop() ?? '';

/** Whether a file must go through convert() rather than straight to the CSV reader. */
export function needsConversion(name: string, head: Uint8Array): boolean {
  const m = sniffMagic(head);
  if (m.kind === 'binary') return m.format === 'gzip' || m.format === 'zip' || m.format === 'parquet';
  if (['json', 'ndjson', 'jsonl'].includes(ext(name))) return true;
  const first = new TextDecoder()
    .decode(head.subarray(0, 64))
    .replace(/^\uFEFF/, '')
    .trimStart()[0];
  return first === '[' || first === '{';
}

export async function convert(name: string, bytes: Uint8Array, choice?: string, depth = 0): Promise<Converted> {
  const m = sniffMagic(bytes.subarray(0, 8192));
  const copy = () => bytes.slice().buffer as ArrayBuffer;
  if (m.format === 'gzip') {
    const inner = name.replace(/\.gz$/i, '') || 'data.csv';
    return depth > 2
      ? fail()
      : wrap(await convert(inner, await gunzip(bytes), choice, depth + 1), `unpacked from ${name}`);
  }
  if (m.format === 'zip') {
    if (ext(name) === 'xlsx' || hasWorkbook(bytes)) return table(name, await readXlsx(copy(), choice));
    const entry = unzipEntry(bytes, choice);
    if (depth > 2) fail();
    const inner = wrap(await convert(entry.name, entry.bytes, undefined, depth + 1), `from ${name}`);
    return { ...inner, choice: entry.choice ?? inner.choice };
  }
  if (m.format === 'parquet') {
    const { csv, note } = await parquetToCsv(copy());
    return { kind: 'table', name, csv, note };
  }
  if (m.kind === 'binary') return { kind: 'text', name, bytes };
  const text = new TextDecoder().decode(bytes).replace(/^\uFEFF/, '');
  const first = text.trimStart()[0];
  if (['json', 'ndjson', 'jsonl'].includes(ext(name)) || first === '[' || first === '{')
    return table(name, readJson(text));
  return { kind: 'text', name, bytes };
}

function table(name: string, t: TextTable): Converted {
  const label = t.choice ? `${name} › ${t.choice.chosen}` : name;
  return { kind: 'table', name: label, csv: tableToCsv(t), note: t.note, choice: t.choice };
}

function wrap(c: Converted, how: string): Converted {
  return { ...c, note: c.note ? `${c.note}, ${how}` : how };
}

function fail(): never {
  throw new ReaderError('The archive is nested too deep.', 'Unpack it and drop the data file itself.');
}

/** An .xlsx renamed .zip still has its workbook part. */
function hasWorkbook(bytes: Uint8Array): boolean {
  const probe = new TextDecoder('latin1').decode(bytes.subarray(0, Math.min(bytes.length, 65536)));
  return probe.includes('xl/workbook.xml');
}
