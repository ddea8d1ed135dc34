/** Remembers the mapping a user chose for a given header, so the next export with that header maps itself. */
import type { Formats } from '../data/canonical';
import { type Mapping, ROLES } from '../data/roles';

const KEY = 'kal.mappings.v1';

interface Remembered {
  mapping: Mapping;
  formats?: Partial<Formats>;
}

function readAll(): Record<string, Remembered> {
  try {
    const v = JSON.parse(localStorage.getItem(KEY) ?? '{}');
    return v && typeof v === 'object' ? v : {};
  } catch {
    return {};
  }
}

export function recall(signature: string): Remembered | undefined {
  const r = readAll()[signature];
  if (!r || typeof r.mapping !== 'object') return undefined;
  // Stored data is untrusted: keep only known roles with string values.
  const mapping: Mapping = {};
  for (const role of ROLES) if (typeof r.mapping[role] === 'string') mapping[role] = r.mapping[role];
  return { mapping, formats: r.formats };
}

export function remember(signature: string, value: Remembered): void {
  try {
    const all = readAll();
    all[signature] = value;
    localStorage.setItem(KEY, JSON.stringify(all));
  } catch {
    // Storage full or disabled: the mapping simply is not remembered.
  }
}
