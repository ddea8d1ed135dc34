/** JSON: an array of records, or NDJSON (one record per line). Nested objects are flattened to dotted names. */
import { type Cell, ReaderError, type TextTable } from './table';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

function flatten(o: { [k: string]: Json }, prefix: string, out: Record<string, Cell>, line: number): void {
  for (const [k, v] of Object.entries(o)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) flatten(v, key, out, line);
    else if (Array.isArray(v)) {
      if (v.some((x) => x !== null && typeof x === 'object')) {
        throw new ReaderError(
          `Record ${line} has a list of objects in "${key}", which cannot be one row of a sales table.`,
          'Export one record per order line (flat fields), or NDJSON with one line per order line.',
        );
      }
      out[key] = v.join('; ');
    } else out[key] = v;
  }
}

export function readJson(text: string): TextTable {
  const trimmed = text.trim();
  let records: Json[];
  if (trimmed.startsWith('[')) {
    try {
      records = JSON.parse(trimmed);
    } catch (e) {
      throw new ReaderError(
        `The JSON is not valid: ${(e as Error).message}`,
        'Export it again as a JSON array of records.',
      );
    }
  } else {
    records = [];
    const lines = trimmed.split(/\r?\n/);
    lines.forEach((l, i) => {
      if (!l.trim()) return;
      try {
        records.push(JSON.parse(l));
      } catch {
        throw new ReaderError(
          `Line ${i + 1} is not valid JSON.`,
          'Each line of an NDJSON file must hold one complete JSON record.',
        );
      }
    });
  }
  if (records.length === 0) throw new ReaderError('The JSON holds no records.', 'Export the data again with its rows.');
  const flat = records.map((r, i) => {
    if (r === null || typeof r !== 'object' || Array.isArray(r)) {
      throw new ReaderError(
        `Record ${i + 1} is not an object.`,
        'Export an array of records like [{"customer": ..., "sales": ...}].',
      );
    }
    const out: Record<string, Cell> = {};
    flatten(r, '', out, i + 1);
    return out;
  });
  const header: string[] = [];
  const seen = new Set<string>();
  for (const r of flat) {
    for (const k of Object.keys(r)) {
      if (seen.has(k)) continue;
      seen.add(k);
      header.push(k);
    }
  }
  return { header, rows: flat.map((r) => header.map((h) => r[h])), note: `${flat.length} JSON records` };
}
