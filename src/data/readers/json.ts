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
  let from = '';
  if (trimmed.startsWith('[')) records = parseWhole(trimmed) as Json[];
  else {
    // One JSON object over several lines is a document, not NDJSON: an API response that wraps its records.
    const whole = trimmed.startsWith('{') && !isNdjson(trimmed) ? parseWhole(trimmed) : null;
    if (whole && typeof whole === 'object' && !Array.isArray(whole)) {
      const lists = Object.entries(whole).filter(
        ([, v]) =>
          Array.isArray(v) && v.length > 0 && v.every((x) => x !== null && typeof x === 'object' && !Array.isArray(x)),
      );
      if (lists.length !== 1) {
        throw new ReaderError(
          `The file is one JSON object${lists.length ? ` with ${lists.length} lists of records (${lists.map(([k]) => `"${k}"`).join(', ')})` : ''}, not an array of records.`,
          'Expected an array of records like [{"customer": ..., "sales": ...}] or NDJSON (one record per line): export the order lines in that shape.',
        );
      }
      const [key, list] = lists[0] as [string, Json[]];
      records = list;
      from = ` from "${key}"`;
    } else records = ndjson(trimmed);
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
  return { header, rows: flat.map((r) => header.map((h) => r[h])), note: `${flat.length} JSON records${from}` };
}

/** NDJSON: every non-blank line is one complete JSON object. */
function isNdjson(text: string): boolean {
  const first = text.split(/\r?\n/, 1)[0] ?? '';
  try {
    const v = JSON.parse(first);
    return v !== null && typeof v === 'object';
  } catch {
    return false;
  }
}

function parseWhole(text: string): Json {
  try {
    return JSON.parse(text);
  } catch (e) {
    const msg = String((e as Error).message);
    const at = Number(msg.match(/position (\d+)/)?.[1] ?? Number.NaN);
    if (/end of (JSON )?(data|input)/i.test(msg) || at >= text.length - 1) {
      throw new ReaderError(
        'The JSON is cut short: it ends before its array or object is closed.',
        'Copy or download the file again (it was not saved completely), or export it again.',
      );
    }
    throw new ReaderError(`The JSON is not valid: ${msg.slice(0, 200)}`, 'Export it again as a JSON array of records.');
  }
}

function ndjson(text: string): Json[] {
  const records: Json[] = [];
  text.split(/\r?\n/).forEach((l, i) => {
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
  return records;
}
