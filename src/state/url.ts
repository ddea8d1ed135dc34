/**
 * The state as a link. Common fields get a readable query that people can type and edit (`?period=2019Q4&
 * region=West&region=East&compare=prev`); everything else travels compressed in the hash (`#s=1.<base64url>`,
 * deflate-raw), which browsers never send to the host. Only what differs from the defaults is written, so a
 * default view has a bare URL.
 */
import { type AppState, DIMENSIONS, defaultState, parseState, STATE_VERSION, withoutNames } from './app-state';

/** Longer hashes are not links this page made: refused rather than decompressed. */
const MAX_HASH = 16_000;
/** A compressed payload may not inflate beyond this (a deflate bomb). */
const MAX_JSON = 200_000;
const MAX_PARAM = 2_000;

export interface Decoded {
  state: AppState;
  /** Fields that were malformed and took their defaults; empty for a clean link. */
  issues: string[];
  /** `present` was in the link. */
  present: boolean;
}

/** The query and hash for a state (`names`: customer names and IDs go in only when the sender opted in). */
export async function encodeState(s: AppState): Promise<{ search: string; hash: string }> {
  const state = s.names ? s : withoutNames(s);
  const d = defaultState();
  const q = new URLSearchParams();
  if (state.source.kind === 'url') q.set('data', state.source.path);
  const f = state.filters;
  if (f.period !== 'all') q.set('period', f.period);
  if (f.from) q.set('from', f.from);
  if (f.to) q.set('to', f.to);
  if (f.fy !== 1) q.set('fy', String(f.fy));
  if (state.compare !== 'none') q.set('compare', state.compare);
  for (const dim of DIMENSIONS) for (const value of f[dim]) q.append(dim, value);
  if (state.pareto.metric !== d.pareto.metric) q.set('metric', state.pareto.metric);
  if (state.pareto.a !== d.pareto.a || state.pareto.b !== d.pareto.b)
    q.set('abc', `${state.pareto.a}-${state.pareto.b}`);
  if (state.tab !== d.tab) q.set('tab', state.tab);
  if (state.present) q.set('present', '');
  // The rest: whatever differs from the defaults, minus what the query already says.
  const rest = diff(
    {
      filters: { extra: f.extra, search: f.search },
      clauses: state.clauses,
      pareto: { search: state.pareto.search, cls: state.pareto.cls, sort: state.pareto.sort, desc: state.pareto.desc },
      matrix: state.matrix,
      incentives: state.incentives,
      keys: state.keys,
      deck: state.deck,
      source: state.source.kind === 'file' ? state.source : undefined,
      mapping: state.mapping,
      names: state.names,
    },
    {
      filters: { extra: d.filters.extra, search: d.filters.search },
      clauses: d.clauses,
      pareto: { search: d.pareto.search, cls: d.pareto.cls, sort: d.pareto.sort, desc: d.pareto.desc },
      matrix: d.matrix,
      incentives: d.incentives,
      keys: d.keys,
      deck: d.deck,
      source: undefined,
      mapping: d.mapping,
      names: d.names,
    },
  );
  const search = q.toString().replace(/(^|&)present=(?=&|$)/, '$1present');
  const hash = rest === undefined ? '' : `s=${STATE_VERSION}.${await compress(JSON.stringify(rest))}`;
  return { search: search ? `?${search}` : '', hash: hash ? `#${hash}` : '' };
}

/** Reads a link (location.search and location.hash). Never throws: a bad link opens with defaults and issues. */
export async function decodeState(search: string, hash: string): Promise<Decoded> {
  const issues: string[] = [];
  let base: Record<string, unknown> = {};
  const h = new URLSearchParams(hash.replace(/^#/, ''));
  const packed = h.get('s');
  if (packed !== null) {
    try {
      base = await unpack(packed);
    } catch {
      issues.push('link');
    }
  }
  const q = new URLSearchParams(search.length > 50_000 ? '' : search);
  if (search.length > 50_000) issues.push('link');
  const one = (k: string) => {
    const all = q.getAll(k);
    const v = all[all.length - 1];
    if (v !== undefined && v.length > MAX_PARAM) {
      issues.push(k);
      return undefined;
    }
    return v;
  };
  // Fresh objects with known keys only: nothing from the link decides which property is written.
  const filters: Record<string, unknown> = { ...asObject(base.filters) };
  const pareto: Record<string, unknown> = { ...asObject(base.pareto) };
  const merged: Record<string, unknown> = { ...base, filters, pareto };
  const data = one('data');
  if (data !== undefined) merged.source = { kind: 'url', path: data };
  const period = one('period');
  if (period !== undefined) filters.period = period;
  for (const k of ['from', 'to'] as const) {
    const v = one(k);
    if (v !== undefined) filters[k] = v;
  }
  const fy = one('fy');
  if (fy !== undefined) filters.fy = /^\d{1,2}$/.test(fy) ? Number(fy) : fy;
  const compare = one('compare');
  if (compare !== undefined) merged.compare = compare;
  for (const dim of DIMENSIONS) if (q.has(dim)) filters[dim] = q.getAll(dim);
  const metric = one('metric');
  if (metric !== undefined) pareto.metric = metric;
  const abc = one('abc');
  if (abc !== undefined) {
    const m = /^(\d{1,2}(?:\.\d+)?)-(\d{1,2}(?:\.\d+)?)$/.exec(abc);
    if (m) {
      pareto.a = Number(m[1]);
      pareto.b = Number(m[2]);
    } else issues.push('abc');
  }
  const tab = one('tab');
  if (tab !== undefined) merged.tab = tab;
  merged.present = q.has('present');
  const parsed = parseState(merged);
  return { state: parsed.state, issues: [...new Set([...issues, ...parsed.issues])], present: q.has('present') };
}

function asObject(x: unknown): Record<string, unknown> {
  return x && typeof x === 'object' && !Array.isArray(x) ? (x as Record<string, unknown>) : {};
}

async function unpack(packed: string): Promise<Record<string, unknown>> {
  if (packed.length > MAX_HASH) throw new Error('too long');
  const m = /^(\d{1,3})\.([A-Za-z0-9_-]*)$/.exec(packed);
  if (!m) throw new Error('malformed');
  const json = await decompress(m[2] as string);
  const value = JSON.parse(json);
  const obj = asObject(value);
  // The version travels outside the payload so that a future format can change how the payload is packed.
  return { ...obj, v: Number(m[1]) };
}

/** Everything in `a` that differs from `b` (objects compared key by key, arrays and values whole). */
function diff(a: unknown, b: unknown): unknown {
  if (a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(a)) {
      const d = diff(v, (b as Record<string, unknown>)[k]);
      if (d !== undefined) out[k] = d;
    }
    return Object.keys(out).length ? out : undefined;
  }
  return JSON.stringify(a) === JSON.stringify(b) ? undefined : a;
}

async function compress(text: string): Promise<string> {
  const stream = new Blob([text]).stream().pipeThrough(new CompressionStream('deflate-raw'));
  return toBase64Url(new Uint8Array(await new Response(stream).arrayBuffer()));
}

async function decompress(b64: string): Promise<string> {
  const bytes = fromBase64Url(b64);
  const reader = new Blob([bytes as BlobPart]).stream().pipeThrough(new DecompressionStream('deflate-raw')).getReader();
  const parts: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > MAX_JSON) {
      await reader.cancel();
      throw new Error('too large');
    }
    parts.push(value);
  }
  const all = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    all.set(p, at);
    at += p.length;
  }
  return new TextDecoder('utf-8', { fatal: true }).decode(all);
}

function toBase64Url(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}

function fromBase64Url(s: string): Uint8Array {
  const bin = atob(s.replaceAll('-', '+').replaceAll('_', '/'));
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}
