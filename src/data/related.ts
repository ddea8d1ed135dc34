/**
 * Several related files dropped together (a relational export: order lines, orders, customers, products).
 * Each file becomes a text table; the fact table is the one with line amounts; lookups are joined to it on shared
 * key columns (the lookup side unique), the joins are proposed to the user, and the joined relation goes through
 * the normal pipeline. Keys that match nothing are counted per join, never dropped silently.
 */
import { DUPLICATE_OF } from './canonical';
import type { Engine } from './engine';
import { type Registrar, readCsvSql, type SourceFile, sniffText } from './ingest';
import { ident, str } from './parse';
import { guessMapping, normaliseHeader, ROLE_INFO } from './roles';
import { headerLines } from './sniff';

export interface RelTable {
  table: string;
  name: string;
  columns: string[];
  rows: number;
  /** Lines above the first data row in its file (title lines and the header). */
  headerLines?: number;
  /** Files appended into this table (exports of one system with the same columns), in the order given. */
  parts?: { name: string; rows: number }[];
  /** Lines left out because another file (or the same one dropped twice) has them already. */
  duplicates?: { rows: number; detail: string[] };
}

export interface Join {
  /** Table (already in the join tree) and its column. */
  from: string;
  fromColumn: string;
  /** Lookup table and its unique key column. */
  to: string;
  toColumn: string;
  /** Rows of `from` whose key is not found in `to`. */
  unmatched: number;
  /** Many rows of the fact share one row of `to` (orders for order lines): its money columns are allocated. */
  parentLevel: boolean;
  use: boolean;
}

export interface JoinPlan {
  fact: RelTable;
  tables: RelTable[];
  joins: Join[];
  /** Files that hold incentive programmes: loaded as such after the sales data. */
  programmeFiles: string[];
  /** Files that share no key with the others. */
  unused: string[];
}

/** A file its own reader writes as a table of text columns (Parquet, decoded as typed columns), not delimited text. */
export interface TableFile {
  name: string;
  readInto(table: string): Promise<void>;
}

/** Reads every file into its own text table `rel_<i>`. */
export async function readRelated(
  engine: Engine,
  sources: (SourceFile | TableFile)[],
  register: Registrar,
): Promise<RelTable[]> {
  const out: RelTable[] = [];
  for (const [i, source] of sources.entries()) {
    const table = `rel_${i}`;
    let lines = 1;
    if ('readInto' in source) await source.readInto(table);
    else {
      const { encoding, dialect } = await sniffText(source);
      const dbName = `related_${i}_${Date.now()}.csv`;
      await register(source, dbName, { encoding, blanks: false });
      try {
        await engine.exec(`CREATE OR REPLACE TABLE ${table} AS SELECT * FROM ${readCsvSql(dbName, dialect)}`);
      } finally {
        await engine.dropFile(dbName).catch(() => {});
      }
      lines = headerLines(dialect);
    }
    const columns = (await engine.query<{ column_name: string }>(`DESCRIBE ${table}`)).map((c) => c.column_name);
    const [c] = await engine.query<{ n: number }>(`SELECT count(*) AS n FROM ${table}`);
    out.push({ table, name: source.name, columns, rows: c?.n ?? 0, headerLines: lines });
  }
  return out;
}

/** The column that names the file a line came from when files are appended (a filter like any other column). */
export const SOURCE_FILE = 'source file';
/** Its line in that file. */
export const SOURCE_LINE = 'source line';

const headerSet = (t: RelTable) => [...new Set(t.columns.map(normaliseHeader))].sort().join('\u241f');

/**
 * Files with the same columns (monthly exports of one system) are one table: appended in the order given, each
 * line tagged with its file and line. When the lines have a key (an order id with a product or a line number), a
 * line equal in every column to an earlier one (overlapping exports, or a file dropped twice) is marked as a
 * duplicate of that one; the pipeline skips and counts it.
 */
export async function appendSameColumns(engine: Engine, all: RelTable[]): Promise<RelTable[]> {
  const groups = new Map<string, RelTable[]>();
  for (const t of all) {
    if (isProgrammeFile(t)) continue;
    const k = headerSet(t);
    groups.set(k, [...(groups.get(k) ?? []), t]);
  }
  const out = all.filter((t) => isProgrammeFile(t) || (groups.get(headerSet(t))?.length ?? 0) < 2);
  for (const [i, group] of [...groups.values()].filter((g) => g.length > 1).entries()) {
    const first = group[0] as RelTable;
    const table = `rel_app_${i}`;
    // Columns by the first file's names: the others may differ in case or spacing only.
    const cols = first.columns;
    const parts = group.map((t, k) => {
      const byNorm = new Map(t.columns.map((c) => [normaliseHeader(c), c]));
      const select = cols.map((c) => `${ident(byNorm.get(normaliseHeader(c)) as string)} AS ${ident(c)}`);
      return `SELECT ${select.join(', ')}, ${str(t.name)} AS ${ident(SOURCE_FILE)}, CAST(rowid + ${(t.headerLines ?? 1) + 1} AS VARCHAR) AS ${ident(SOURCE_LINE)}, ${k} AS __kal_part FROM ${t.table}`;
    });
    const m = guessMapping(cols.map((name) => ({ name, numericShare: 1, dateShare: 0, nonEmpty: 1 })));
    const lineNo = cols.find((c) =>
      /^(line|lineno|linenumber|lineitem|orderline|position|pos|item|行号|明细行)$/.test(normaliseHeader(c)),
    );
    const keyed = Boolean(m.order_id && (m.product || lineNo));
    const union = parts.join(' UNION ALL ');
    // Most monthly exports repeat no line: one hash per line says whether any line is repeated before the window
    // that names the repeats sorts every line (at 1M lines: 0.37 s against 3.45 s). Equal lines hash alike, so no
    // repeat is missed; a collision only costs the window.
    const repeats =
      keyed &&
      Number(
        (
          await engine.query<{ n: number }>(
            `SELECT count(*) AS n FROM (SELECT 1 FROM (${union}) GROUP BY hash(${cols.map(ident).join(', ')}) HAVING count(*) > 1)`,
          )
        )[0]?.n ?? 0,
      ) > 0;
    if (repeats) {
      await engine.exec(
        `CREATE OR REPLACE TABLE ${table} AS SELECT * EXCLUDE (__kal_part, rowid_in),
           CASE WHEN row_number() OVER w > 1 THEN 'line ' || first_value(${ident(SOURCE_LINE)}) OVER w || ' of ' || first_value(${ident(SOURCE_FILE)}) OVER w END AS ${DUPLICATE_OF}
         FROM (SELECT *, row_number() OVER () AS rowid_in FROM (${union}))
         WINDOW w AS (PARTITION BY ${cols.map(ident).join(', ')} ORDER BY __kal_part, rowid_in)
         ORDER BY __kal_part, rowid_in`,
      );
    } else {
      // UNION ALL keeps the files' order and each file's line order (DuckDB's order preservation).
      await engine.exec(
        `CREATE OR REPLACE TABLE ${table} AS SELECT * EXCLUDE (__kal_part), NULL::VARCHAR AS ${DUPLICATE_OF} FROM (${union})`,
      );
    }
    for (const t of group) await engine.exec(`DROP TABLE IF EXISTS ${t.table}`);
    const [d] = await engine.query<{ n: number }>(`SELECT count(${DUPLICATE_OF}) AS n FROM ${table}`);
    const detail = d?.n
      ? (
          await engine.query<{ f: string; o: string; n: number }>(
            `SELECT ${ident(SOURCE_FILE)} AS f, regexp_extract(${DUPLICATE_OF}, ' of (.*)$', 1) AS o, count(*) AS n
             FROM ${table} WHERE ${DUPLICATE_OF} IS NOT NULL GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2`,
          )
        ).map((r) => `${Number(r.n).toLocaleString('en-US')} of ${r.f} repeat lines of ${r.o}`)
      : [];
    out.unshift({
      table,
      name: `${group.length} files (${group.map((t) => t.name).join(', ')})`,
      columns: [...cols, SOURCE_FILE, SOURCE_LINE, DUPLICATE_OF],
      rows: group.reduce((n, t) => n + t.rows, 0),
      headerLines: 1,
      parts: group.map((t) => ({ name: t.name, rows: t.rows })),
      duplicates: { rows: d?.n ?? 0, detail },
    });
  }
  return out;
}

const isProgrammeFile = (t: RelTable) => {
  const n = t.columns.map(normaliseHeader);
  return (
    n.some((c) => ['program', 'programme', 'campaign'].includes(c)) &&
    n.some((c) => ['start', 'startdate'].includes(c)) &&
    n.some((c) => ['end', 'enddate'].includes(c))
  );
};

/** Order lines: the table whose headers give a net amount, or quantity and unit price; the largest such. */
function pickFact(tables: RelTable[]): RelTable | undefined {
  const prof = (t: RelTable) => t.columns.map((name) => ({ name, numericShare: 1, dateShare: 0, nonEmpty: 1 }));
  const scored = tables
    .map((t) => {
      const m = guessMapping(prof(t));
      return { t, ok: Boolean(m.amount || (m.quantity && m.unit_price)) };
    })
    .filter((x) => x.ok)
    .sort((a, b) => b.t.rows - a.t.rows);
  return scored[0]?.t;
}

/** Proposes how to join the files: breadth-first from the fact table over columns of the same name. */
export async function proposeJoins(engine: Engine, all: RelTable[]): Promise<JoinPlan | null> {
  const programmeFiles = all.filter(isProgrammeFile);
  const tables = all.filter((t) => !isProgrammeFile(t));
  const fact = pickFact(tables);
  if (!fact) return null;
  const joined = [fact];
  const joins: Join[] = [];
  let grew = true;
  while (grew) {
    grew = false;
    for (const u of tables) {
      if (joined.includes(u)) continue;
      for (const t of joined) {
        const shared = t.columns.filter(
          (c) =>
            u.columns.some((x) => normaliseHeader(x) === normaliseHeader(c)) &&
            /id|code|no|key|number|编号|代码/i.test(c),
        );
        let found: Join | null = null;
        for (const col of shared) {
          const ucol = u.columns.find((x) => normaliseHeader(x) === normaliseHeader(col)) as string;
          const [k] = await engine.query<{ n: number; d: number }>(
            `SELECT count(${ident(ucol)}) AS n, count(DISTINCT ${ident(ucol)}) AS d FROM ${u.table}`,
          );
          if (!k?.n || k.n !== k.d) continue;
          const [m] = await engine.query<{ unmatched: number; parent: boolean }>(`SELECT
              count(*) FILTER (WHERE l.${ident(col)} IS NOT NULL AND r.${ident(ucol)} IS NULL) AS unmatched,
              count(DISTINCT l.${ident(col)}) < count(l.${ident(col)}) AS parent
            FROM ${t.table} l LEFT JOIN ${u.table} r ON l.${ident(col)} = r.${ident(ucol)}`);
          found = {
            from: t.table,
            fromColumn: col,
            to: u.table,
            toColumn: ucol,
            unmatched: m?.unmatched ?? 0,
            parentLevel: t === fact ? Boolean(m?.parent) : true,
            use: true,
          };
          break;
        }
        if (found) {
          joins.push(found);
          joined.push(u);
          grew = true;
          break;
        }
      }
    }
  }
  return {
    fact,
    tables,
    joins,
    programmeFiles: programmeFiles.map((t) => t.name),
    unused: tables.filter((t) => !joined.includes(t)).map((t) => t.name),
  };
}

/** Money roles that live on an order, not on a line: spread over the order's lines by their share of value. */
const ALLOCATED = new Set([...ROLE_INFO.freight.synonyms, ...ROLE_INFO.rebate.synonyms, ...ROLE_INFO.promo.synonyms]);

/**
 * Builds `joined_next`: the fact table's columns, then each lookup's other columns (a name already taken gets
 * the file's name as prefix), in the fact table's row order so that line numbers still point into that file.
 */
export async function buildJoined(engine: Engine, plan: JoinPlan): Promise<{ allocated: string[] }> {
  const byTable = new Map(plan.tables.map((t) => [t.table, t]));
  const alias = new Map<string, string>([[plan.fact.table, 't0']]);
  const taken = new Set(plan.fact.columns.map((c) => c.toLowerCase()));
  const select = plan.fact.columns.map((c) => `t0.${ident(c)} AS ${ident(c)}`);
  const from = [`${plan.fact.table} t0`];
  const allocated: string[] = [];
  // Line value used to allocate order-level money: quantity x price when present.
  const prof = plan.fact.columns.map((name) => ({ name, numericShare: 1, dateShare: 0, nonEmpty: 1 }));
  const fm = guessMapping(prof);
  const lineValue = fm.amount
    ? `TRY_CAST(t0.${ident(fm.amount)} AS DOUBLE)`
    : fm.quantity && fm.unit_price
      ? `TRY_CAST(t0.${ident(fm.quantity)} AS DOUBLE) * TRY_CAST(t0.${ident(fm.unit_price)} AS DOUBLE)`
      : '1';
  for (const [i, j] of plan.joins.filter((x) => x.use).entries()) {
    const a = `t${i + 1}`;
    alias.set(j.to, a);
    const u = byTable.get(j.to) as RelTable;
    const parentAlias = alias.get(j.from) as string;
    from.push(`LEFT JOIN ${j.to} ${a} ON ${parentAlias}.${ident(j.fromColumn)} = ${a}.${ident(j.toColumn)}`);
    for (const c of u.columns) {
      if (c === j.toColumn) continue;
      const base = c.toLowerCase();
      const label = u.name.replace(/\.[^.]+$/, '');
      const name = taken.has(base) ? `${label}.${c}` : c;
      taken.add(name.toLowerCase());
      if (j.parentLevel && ALLOCATED.has(normaliseHeader(c))) {
        // The order's freight, say, split over its lines by line value (a line of a zero-value order gets an equal share).
        const key = `${parentAlias}.${ident(j.fromColumn)}`;
        select.push(
          `CAST(TRY_CAST(${a}.${ident(c)} AS DOUBLE) * coalesce(${lineValue} / NULLIF(sum(${lineValue}) OVER (PARTITION BY ${key}), 0), 1.0 / count(*) OVER (PARTITION BY ${key})) AS VARCHAR) AS ${ident(name)}`,
        );
        allocated.push(`${name} (${u.name})`);
      } else select.push(`${a}.${ident(c)} AS ${ident(name)}`);
    }
  }
  // A join does not keep the lines' order; a copy of the lines alone (appended files) does, without a sort.
  const order = from.length > 1 ? ' ORDER BY t0.rowid' : '';
  await engine.exec(
    `CREATE OR REPLACE TABLE joined_next AS SELECT ${select.join(', ')} FROM ${from.join(' ')}${order}`,
  );
  return { allocated };
}

export async function dropRelated(engine: Engine, tables: RelTable[]): Promise<void> {
  for (const t of tables) await engine.exec(`DROP TABLE IF EXISTS ${t.table}`);
  await engine.exec('DROP TABLE IF EXISTS joined_next');
}

/** A sentence per join for the confirmation dialog and the data quality panel. */
export function describeJoin(j: Join, names: Map<string, string>): string {
  const f = names.get(j.from) ?? j.from;
  const t = names.get(j.to) ?? j.to;
  return `${f}.${j.fromColumn} → ${t}.${j.toColumn}${j.unmatched ? `: ${j.unmatched.toLocaleString('en-US')} rows of ${f} have a key not found in ${t}` : ': every key found'}`;
}
