/**
 * Intermediate tables (`cache_*`) named by what they hold: the name carries a hash of the SQL that builds them, so
 * two requests for the same content share one table and different content never overwrites it. Loading new data
 * drops them all (data/canonical.ts) and counts a new data version, after which every name is built afresh.
 */
import { dataVersion } from '../data/canonical';
import type { Engine } from '../data/engine';

const built = new WeakMap<Engine, Map<string, number>>();
const versionOf = new WeakMap<Engine, number>();
const inFlight = new WeakMap<Engine, Map<string, Promise<string>>>();
/** Tables kept per engine; the oldest is dropped beyond this. */
const KEEP = 24;

/** FNV-1a: short, stable names for long SQL. */
export function hash(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(16);
}

let builds = 0;

/** A `cache_<prefix>_<hash of sql>` table built by `sql` once per data. */
export function cachedTable(engine: Engine, prefix: string, sql: string): Promise<string> {
  return cached(engine, `cache_${prefix}_${hash(sql)}`, sql);
}

async function cached(engine: Engine, name: string, sql: string): Promise<string> {
  const version = dataVersion(engine);
  if (versionOf.get(engine) !== version) {
    built.delete(engine);
    versionOf.set(engine, version);
  }
  const seen = built.get(engine) ?? new Map<string, number>();
  built.set(engine, seen);
  if (seen.has(name)) {
    // Recently used: last to be dropped.
    const b = seen.get(name) as number;
    seen.delete(name);
    seen.set(name, b);
    return name;
  }
  // Two views asking at once share one build.
  const building = inFlight.get(engine) ?? new Map<string, Promise<string>>();
  inFlight.set(engine, building);
  const key = `${version}|${name}`;
  const running = building.get(key);
  if (running) return running;
  const build = buildTable(engine, seen, name, sql);
  building.set(key, build);
  try {
    return await build;
  } finally {
    building.delete(key);
  }
}

async function buildTable(engine: Engine, seen: Map<string, number>, name: string, sql: string): Promise<string> {
  await engine.exec(`CREATE OR REPLACE TABLE ${name} AS ${sql}`);
  seen.set(name, ++builds);
  if (seen.size > KEEP) {
    const oldest = seen.keys().next().value as string;
    seen.delete(oldest);
    await engine.exec(`DROP TABLE IF EXISTS ${oldest}`);
  }
  return name;
}

/** Which build of a cache table this is: results derived from it can be kept while it stays the same. */
export function buildOf(engine: Engine, name: string): number {
  return built.get(engine)?.get(name) ?? 0;
}

const memos = new WeakMap<Engine, { version: number; values: Map<string, Promise<unknown>> }>();

/**
 * A result computed once per data version and key (the newest few kept): a view reloaded for a change that does not
 * touch this result gets it without a query.
 */
export function memo<T>(engine: Engine, key: string, compute: () => Promise<T>): Promise<T> {
  const version = dataVersion(engine);
  let m = memos.get(engine);
  if (!m || m.version !== version) {
    m = { version, values: new Map() };
    memos.set(engine, m);
  }
  const hit = m.values.get(key);
  if (hit) return hit as Promise<T>;
  const p = compute();
  m.values.set(key, p);
  // A failure is not remembered: the next request tries again.
  p.catch(() => m.values.get(key) === p && m.values.delete(key));
  if (m.values.size > 64) m.values.delete(m.values.keys().next().value as string);
  return p;
}
