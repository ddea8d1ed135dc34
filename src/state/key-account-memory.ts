/**
 * The key-account list, kept in this browser per customer column and header: next month's export of the same
 * system finds it (a content fingerprint would not). Stored data is read like any untrusted input.
 */
import { csvParseRows } from 'd3';
import { ACCOUNT_TYPES } from './app-state';

const KEY = 'kal.keyaccounts.v1';
const MAX = 5000;

export interface StoredAccount {
  customer: string;
  type: (typeof ACCOUNT_TYPES)[number];
}

/** Which list a file uses: its customer column and its header. */
export function listKey(customerColumn: string, headerSignature: string): string {
  return `${customerColumn}\u241e${headerSignature}`;
}

function readAll(): Record<string, unknown> {
  try {
    const v = JSON.parse(localStorage.getItem(KEY) ?? '{}');
    return v && typeof v === 'object' && !Array.isArray(v) ? v : {};
  } catch {
    return {};
  }
}

/** Keeps only well-formed entries, each customer once. */
export function cleanList(value: unknown): StoredAccount[] {
  if (!Array.isArray(value)) return [];
  const seen = new Set<string>();
  const out: StoredAccount[] = [];
  for (const x of value.slice(0, MAX)) {
    const c = (x as StoredAccount)?.customer;
    const t = (x as StoredAccount)?.type;
    if (typeof c !== 'string' || !c || c.length > 200 || seen.has(c)) continue;
    if (!(ACCOUNT_TYPES as readonly string[]).includes(t)) continue;
    seen.add(c);
    out.push({ customer: c, type: t });
  }
  return out;
}

export function recallList(key: string): StoredAccount[] | null {
  const all = readAll();
  return Object.hasOwn(all, key) ? cleanList(all[key]) : null;
}

export function rememberList(key: string, list: StoredAccount[]): void {
  try {
    const all = readAll();
    all[key] = cleanList(list);
    localStorage.setItem(KEY, JSON.stringify(all));
  } catch {
    // Storage full or disabled: the list lasts as long as the page.
  }
}

/**
 * A list read from a CSV (this view's export, or any file with a customer column and an optional type column).
 * A type is a key (major, important, group, strategic) or the start of its label; anything else is "important".
 */
export function listFromCsv(text: string, labels: Record<string, string> = {}): StoredAccount[] {
  const [header, ...rows] = csvParseRows(text.replace(/^\uFEFF/, ''));
  if (!header) return [];
  const names = header.map((c) => c.trim().toLowerCase());
  const ci = Math.max(
    0,
    names.findIndex((c) => /customer|account|客户/.test(c) && !/name|名称/.test(c)),
  );
  const ti = names.findIndex((c) => /type|类型/.test(c));
  return cleanList(
    rows.map((r) => {
      // An exported cell neutralised against formulas ('=…) reads back as it was.
      const customer = (r[ci] ?? '').trim().replace(/^'(?=[=+\-@])/, '');
      const t = (r[ti] ?? '').trim().toLowerCase();
      const type =
        ACCOUNT_TYPES.find((x) => x === t) ??
        ACCOUNT_TYPES.find((x) => t && (labels[x] ?? x).toLowerCase().startsWith(t)) ??
        'important';
      return { customer, type };
    }),
  );
}

/** Accounts of `b` added to `a`, each customer once (the imported type wins). */
export function mergeLists(a: StoredAccount[], b: StoredAccount[]): StoredAccount[] {
  const out = new Map(a.map((k) => [k.customer, k]));
  for (const k of b) out.set(k.customer, k);
  return [...out.values()].slice(0, MAX);
}
