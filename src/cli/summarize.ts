/**
 * `npm run summarize -- <files…> [--out summary.parquet]`: order lines too many for a browser tab, summed on native
 * DuckDB (every core, larger than memory) at the grain the analyses need, by the site's own ingest (roles, number
 * and date conventions, rejected and skipped lines) and its own summary query (analysis/summary.ts). The Parquet it
 * writes carries its provenance in its metadata (`kal_summary`): the format version, the grain, each source file
 * with its line counts and mapping, the engine.
 */
import fs from 'node:fs';
import path from 'node:path';
import { OPTIONAL_GRAIN, type OptionalGrain, SUMMARY_FORMAT, SUMMED, summarySql } from '../analysis/summary';
import { projectionSql } from '../data/canonical';
import { needsPrep, prepareText } from '../data/encoding';
import {
  commitStage,
  type DatasetInfo,
  ingestFile,
  ingestRelation,
  MAX_VALUES,
  NeedsMapping,
  type Registrar,
  type SourceFile,
} from '../data/ingest';
import { typedRelation } from '../data/parquet-load';
import { str } from '../data/parse';
import { SUMMARY_KEY } from '../data/readers/parquet';
import { type NativeEngine, nativeEngine } from './native-engine';

/** The columns a summary is grouped by, in its order. */
export const GRAIN = ['customer', 'year', 'month', 'region', 'segment', 'category', 'rep', 'discount_band'] as const;

function diskSource(file: string): SourceFile {
  return {
    name: path.basename(file),
    size: fs.statSync(file).size,
    slice: async (a, b) => {
      const fd = fs.openSync(file, 'r');
      try {
        const buf = Buffer.alloc(Math.max(0, b - a));
        const n = fs.readSync(fd, buf, 0, buf.length, a);
        return new Uint8Array(buf.buffer, buf.byteOffset, n);
      } finally {
        fs.closeSync(fd);
      }
    },
  };
}

/** A UTF-8 file is linked under the name the ingest gives it; another encoding is transcoded into the folder. */
function diskRegistrar(engine: NativeEngine, file: string): Registrar {
  return async (source, dbName, prep) => {
    const target = path.join(engine.folder, dbName);
    if (!needsPrep(prep)) return fs.symlinkSync(path.resolve(file), target);
    fs.writeFileSync(target, prepareText(await source.slice(0, source.size), prep));
  };
}

export interface SourceReport {
  file: string;
  bytes: number;
  rowsRead: number;
  rowsLoaded: number;
  /** Null where the lines were read elsewhere (--stamp). */
  rowsRejected: number | null;
  rowsSkipped: number | null;
  mapping: DatasetInfo['mapping'];
}

/** A summary's groups are not order lines: summarising one again would count each group as a line. */
async function refuseSummary(engine: NativeEngine, file: string): Promise<void> {
  const kv = await engine.query<{ n: number }>(
    `SELECT count(*) AS n FROM parquet_kv_metadata(${str(path.resolve(file))}) WHERE decode(key) = ${str(SUMMARY_KEY)}`,
  );
  if (Number(kv[0]?.n ?? 0) > 0)
    throw new Error(
      `${path.basename(file)} is already a summary (made by "npm run summarize"), not order lines: summarise the order-line files it came from, or drop it on the site as it is.`,
    );
}

/** Loads one file into the engine's `sales` view, as the site would (Parquet is read natively, typed). */
async function loadFile(engine: NativeEngine, file: string, say: (s: string) => void): Promise<DatasetInfo> {
  const source = diskSource(file);
  const progress = (_: string, detail: string) => say(`  ${detail}`);
  try {
    if (/\.parquet$/i.test(file)) await refuseSummary(engine, file);
    const info = /\.parquet$/i.test(file)
      ? await ingestRelation(
          engine,
          projectionSql(await typedRelation(engine, `read_parquet(${str(path.resolve(file))})`, [])),
          {
            name: source.name,
            size: source.size,
            encoding: { encoding: 'utf-8', bom: 0, reason: 'Parquet, read as typed columns' },
            dialect: { delimiter: ',', quote: '"', header: true, columns: 0 },
          },
          { progress },
        )
      : await ingestFile(engine, source, diskRegistrar(engine, file), { progress, unbounded: true });
    await commitStage(engine, info);
    return info;
  } catch (e) {
    if (e instanceof NeedsMapping)
      throw new Error(
        `${source.name}: no column could be recognised as ${e.missing.join(' or ')}. Its columns: ${e.partial.columns.map((c) => c.name).join(', ')}. Rename the header (see the README's roles) or map it once in the site.`,
      );
    throw e;
  }
}

/** The line and order counts of each group (summary.ts), added up like the sums when groups are merged. */
const COUNTED = ['lines', 'orders', 'loss_lines', 'profit_lines'] as const;
/** The columns of a summary file (grain, name, counts, sums): what a tab holds of it is groups × this. */
export const SUMMARY_COLUMNS = GRAIN.length + 1 + COUNTED.length + SUMMED.length;
/** The most groups a browser tab loads (its measured value limit over a summary's columns). */
export const SITE_MAX_GROUPS = Math.floor(MAX_VALUES / SUMMARY_COLUMNS);

export async function summarize(
  files: string[],
  out: string,
  say: (s: string) => void = () => {},
  without: readonly OptionalGrain[] = [],
): Promise<{ sources: SourceReport[]; groups: number; lines: number }> {
  const engine = await nativeEngine();
  try {
    const sources: SourceReport[] = [];
    const parts: string[] = [];
    for (const [i, file] of files.entries()) {
      say(`${file}`);
      const info = await loadFile(engine, file, say);
      const part = path.join(engine.folder, `part_${i}.parquet`);
      await engine.exec(`COPY (${summarySql('sales', without)}) TO ${str(part)} (FORMAT parquet)`);
      parts.push(part);
      sources.push({
        file: path.basename(file),
        bytes: fs.statSync(file).size,
        rowsRead: info.rowsRead,
        rowsLoaded: info.rowsLoaded,
        rowsRejected: info.rowsRejected,
        rowsSkipped: info.rowsSkipped,
        mapping: info.mapping,
      });
    }
    // Orders are distinct per file and group: an order split across two files counts in both.
    return {
      sources,
      ...(await writeSummary(engine, `read_parquet([${parts.map(str).join(', ')}])`, out, sources, without)),
    };
  } finally {
    engine.close();
  }
}

/** The groups of `from` (rows of the summary query) added up per grain and written with their provenance. */
async function writeSummary(
  engine: NativeEngine,
  from: string,
  out: string,
  sources: SourceReport[],
  without: readonly OptionalGrain[],
  extra: Record<string, unknown> = {},
): Promise<{ groups: number; lines: number }> {
  const [{ version } = { version: '' }] = await engine.query<{ version: string }>('SELECT version() AS version');
  const provenance = {
    format: SUMMARY_FORMAT,
    kind: 'Key Account Lens order-line summary',
    grain: GRAIN.filter((g) => !without.includes(g as OptionalGrain)),
    sources,
    engine: `DuckDB ${version}`,
    created: new Date().toISOString(),
    ...extra,
  };
  const sums = [...COUNTED, ...SUMMED].map((c) => `SUM(${c}) AS ${c}`);
  await engine.exec(
    `COPY (SELECT customer, MAX(customer_name) AS customer_name, ${GRAIN.slice(1).join(', ')}, ${sums.join(', ')}
      FROM ${from} GROUP BY ${GRAIN.join(', ')} ORDER BY ${GRAIN.join(', ')})
     TO ${str(path.resolve(out))} (FORMAT parquet, COMPRESSION zstd, KV_METADATA {${SUMMARY_KEY}: ${str(JSON.stringify(provenance))}})`,
  );
  const [t] = await engine.query<{ groups: number; lines: number }>(
    `SELECT count(*) AS groups, sum(lines) AS lines FROM read_parquet(${str(path.resolve(out))})`,
  );
  return { groups: Number(t?.groups ?? 0), lines: Number(t?.lines ?? 0) };
}

/**
 * `--stamp`: the result of sql/summary.sql run elsewhere (a warehouse's Parquet or CSV export) made into a summary
 * the site reads: its columns checked, its groups added up per grain and its provenance written. The lines it came
 * from were read and checked where it ran: their rejected and skipped counts are not known here.
 */
export async function stamp(
  files: string[],
  out: string,
): Promise<{ sources: SourceReport[]; groups: number; lines: number }> {
  const engine = await nativeEngine();
  try {
    const read = (f: string) =>
      /\.parquet$/i.test(f)
        ? `read_parquet(${str(path.resolve(f))})`
        : `read_csv(${str(path.resolve(f))}, header = true)`;
    const needed = [...GRAIN, 'customer_name', ...COUNTED, ...SUMMED];
    const sources: SourceReport[] = [];
    for (const f of files) {
      if (/\.parquet$/i.test(f)) await refuseSummary(engine, f);
      const desc = await engine.query<{ column_name: string }>(`DESCRIBE SELECT * FROM ${read(f)}`);
      const names = new Set(desc.map((d) => d.column_name.toLowerCase()));
      const missing = needed.filter((c) => !names.has(c));
      if (missing.length)
        throw new Error(
          `${path.basename(f)} lacks ${missing.join(', ')}: it is not the result of sql/summary.sql (its columns: ${[...names].join(', ')}).`,
        );
      const [t] = await engine.query<{ lines: number }>(`SELECT sum(lines) AS lines FROM ${read(f)}`);
      const lines = Number(t?.lines ?? 0);
      sources.push({
        file: path.basename(f),
        bytes: fs.statSync(f).size,
        rowsRead: lines,
        rowsLoaded: lines,
        rowsRejected: null,
        rowsSkipped: null,
        mapping: {},
      });
    }
    const union = files.map((f) => `SELECT ${needed.join(', ')} FROM ${read(f)}`).join(' UNION ALL ');
    // A grain column the query left out (empty in every group) is said to be left out.
    const [filled] = await engine.query<Record<string, number>>(
      `SELECT ${OPTIONAL_GRAIN.map((g) => `count(${g}) AS ${g}`).join(', ')} FROM (${union})`,
    );
    const without = OPTIONAL_GRAIN.filter((g) => Number(filled?.[g] ?? 0) === 0);
    const written = await writeSummary(engine, `(${union})`, out, sources, without, { stamped: true });
    return { sources, ...written };
  } finally {
    engine.close();
  }
}

const USAGE = `usage: npm run summarize -- <sales files (CSV, TSV, Parquet)…> [--out summary.parquet] [--without ${OPTIONAL_GRAIN.join(',')}]
       npm run summarize -- --stamp <results of sql/summary.sql (Parquet, CSV)…> [--out summary.parquet]
  --without  leave grain columns out: fewer groups, for a summary the site can load (about ${(SITE_MAX_GROUPS / 1e6).toFixed(1)} million groups)
  --stamp    make a summary the site reads from sql/summary.sql run elsewhere (a warehouse's export)
`;

async function main(argv: string[]) {
  const files: string[] = [];
  let out = 'summary.parquet';
  let without: OptionalGrain[] = [];
  let stamped = false;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--out') out = argv[++i] ?? '';
    else if (argv[i] === '--stamp') stamped = true;
    else if (argv[i] === '--without') {
      const names = (argv[++i] ?? '').split(',').filter(Boolean);
      const bad = names.filter((n) => !(OPTIONAL_GRAIN as readonly string[]).includes(n));
      if (bad.length || !names.length) {
        process.stderr.write(
          `--without takes some of ${OPTIONAL_GRAIN.join(', ')}${bad.length ? `, not ${bad.join(', ')}` : ''}\n${USAGE}`,
        );
        process.exit(2);
      }
      without = names as OptionalGrain[];
    } else files.push(argv[i] as string);
  }
  if (!files.length || !out || files.some((f) => f.startsWith('--'))) {
    process.stderr.write(USAGE);
    process.exit(2);
  }
  const missing = files.filter((f) => !fs.existsSync(f));
  if (missing.length) {
    process.stderr.write(`not found: ${missing.join(', ')}\n`);
    process.exit(2);
  }
  const t0 = Date.now();
  const r = stamped
    ? await stamp(files, out)
    : await summarize(files, out, (s) => process.stderr.write(`${s}\n`), without);
  const n = (x: number | null) => (x === null ? 'unknown' : x.toLocaleString('en-US'));
  for (const s of r.sources)
    process.stdout.write(
      `${s.file}: ${n(s.rowsRead)} lines read, ${n(s.rowsLoaded)} used, ${n(s.rowsRejected)} rejected, ${n(s.rowsSkipped)} skipped\n`,
    );
  const rss = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(
    `${out}: ${n(r.groups)} groups summing ${n(r.lines)} lines, ${(fs.statSync(out).size / 1024 ** 2).toFixed(1)} MB, in ${((Date.now() - t0) / 1000).toFixed(1)} s, peak memory ${n(Math.round(rss))} MB\n`,
  );
  if (r.groups > SITE_MAX_GROUPS) {
    const left = OPTIONAL_GRAIN.filter((g) => !without.includes(g));
    process.stdout.write(
      `More groups than a browser tab loads (about ${n(SITE_MAX_GROUPS)}): ${left.length ? `summarise again --without ${[...without, ...left.slice(-2)].join(',')} (or more of ${left.join(', ')}), or ` : ''}split the files by period.\n`,
    );
  }
}

if (process.argv[1] && /summarize\.(m?js|ts)$/.test(process.argv[1]))
  main(process.argv.slice(2)).catch((e) => {
    process.stderr.write(`${(e as Error).message ?? e}\n`);
    process.exit(1);
  });
