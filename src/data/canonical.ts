/**
 * The canonical data model. A loaded file lives in one table, `raw`: its original text columns plus typed
 * `__kal_*` columns computed in the same pass that reads the file. `sales` and `rejected_rows` are views over it,
 * so a load costs one read and a remap (mapping dialog) one rewrite, and nothing is copied twice.
 */
import type { Engine } from './engine';
import {
  chooseDate,
  DATE_CANDIDATES,
  type DateCandidate,
  dateScoreSql,
  dateSqlFast,
  detectNumberFormat,
  ident,
  type NumberFormat,
  numberSql,
  str,
} from './parse';
import { type Mapping, ROLE_INFO, ROLES, type Role } from './roles';

export interface Formats {
  numbers: Partial<Record<Role, NumberFormat>>;
  /** Candidate id from DATE_CANDIDATES. */
  date?: string;
  dateShare?: number;
  /** Other date formats that fit the data equally well (day/month order ambiguous). */
  dateAlternatives?: string[];
  discountKind?: 'rate' | 'amount';
}

export const NUMBER_ROLES = ROLES.filter((r) => ROLE_INFO[r].kind === 'number');
export const TEXT_ROLES = ROLES.filter((r) => ROLE_INFO[r].kind === 'text');

/** Canonical numeric columns of `sales` derived from the roles (not 1:1 with a file column). */
const DERIVED = ['amount', 'gross', 'discount_amount', 'discount_rate', 'cost', 'profit', 'customer_profit'] as const;
const PLAIN_NUMBERS = NUMBER_ROLES.filter((r) => !['amount', 'cost', 'profit', 'discount', 'gross'].includes(r));

const K = (name: string) => ident(`__kal_${name}`);

/**
 * Detects number conventions, the date format and the discount kind from a table of text rows
 * (a sample while loading; the full table when the sample was not conclusive).
 */
export async function detectFormats(
  engine: Engine,
  table: string,
  mapping: Mapping,
  keep: Partial<Formats> = {},
): Promise<Formats> {
  const numeric = NUMBER_ROLES.filter((r) => mapping[r]);
  const formats: Formats = { numbers: {} };
  if (numeric.length) {
    const cols = numeric.map((r) => `${ident(mapping[r] as string)} AS ${ident(r)}`).join(', ');
    const sample = await engine.query<Record<string, string | null>>(`SELECT ${cols} FROM ${table} LIMIT 20000`);
    for (const r of numeric) {
      formats.numbers[r] = keep.numbers?.[r] ?? detectNumberFormat(sample.map((row) => row[r] ?? ''));
    }
  }
  if (mapping.date) {
    if (keep.date && dateCandidate(keep.date)) formats.date = keep.date;
    else Object.assign(formats, await scoreDates(engine, table, mapping.date));
  }
  if (mapping.discount) {
    const fmt = formats.numbers.discount as NumberFormat;
    const [row] = await engine.query<{ mx: number | null }>(
      `SELECT max(abs(${numberSql(mapping.discount, fmt)})) AS mx FROM ${table}`,
    );
    formats.discountKind = keep.discountKind ?? (fmt.percent || (row?.mx ?? 0) <= 1 ? 'rate' : 'amount');
  }
  return formats;
}

async function scoreDates(engine: Engine, table: string, column: string): Promise<Partial<Formats>> {
  const [scores] = await engine.query(dateScoreSql(table, column));
  const choice = scores ? chooseDate(scores as Record<string, number>) : null;
  if (!choice) return {};
  return {
    date: choice.candidate.id,
    dateShare: choice.share,
    dateAlternatives: choice.alternatives.map((c) => c.id),
  };
}

export function dateCandidate(id: string | undefined): DateCandidate | undefined {
  return DATE_CANDIDATES.find((c) => c.id === id);
}

/**
 * SELECT over `source` (a table, or a read_csv(...) call) that keeps the original columns and adds the typed
 * `__kal_*` columns and the reason a row is rejected (NULL when the row is used).
 */
export function typedSelectSql(source: string, columns: string[], mapping: Mapping, formats: Formats): string {
  const col = (r: Role) => ident(mapping[r] as string);
  const n = (r: Role) =>
    mapping[r]
      ? numberSql(mapping[r] as string, formats.numbers[r] ?? { decimal: '.', percent: false })
      : 'NULL::DOUBLE';
  const cand = dateCandidate(formats.date);
  const l1 = [
    ...columns.map(ident),
    `NULLIF(trim(${col('customer')}), '') AS ${K('customer')}`,
    ...NUMBER_ROLES.filter((r) => mapping[r]).map((r) => `${n(r)} AS ${K(`n_${r}`)}`),
    mapping.date && cand ? `${dateSqlFast(mapping.date, cand)} AS ${K('date')}` : `NULL::DATE AS ${K('date')}`,
  ];
  const N = (r: Role) => (mapping[r] ? K(`n_${r}`) : 'NULL::DOUBLE');

  const rate = formats.discountKind === 'rate';
  // Without an amount column, order lines are price x quantity; with a discount beside them the price is the
  // price before discount (Northwind's order_details, most ERP line tables): net = price x qty x (1 - rate).
  const lineValue = `${N('quantity')} * ${N('unit_price')}`;
  const amount = mapping.amount
    ? N('amount')
    : mapping.discount
      ? rate
        ? `${lineValue} * (1 - coalesce(${N('discount')}, 0))`
        : `${lineValue} - coalesce(${N('discount')}, 0)`
      : lineValue;
  // Gross (list) value, from the best evidence the file has.
  const grossParts = [
    mapping.gross ? N('gross') : null,
    !mapping.amount && mapping.discount ? lineValue : null,
    mapping.list_price && mapping.quantity ? `${N('list_price')} * ${N('quantity')}` : null,
    mapping.discount && rate ? `${amount} / NULLIF(1 - ${N('discount')}, 0)` : null,
    mapping.discount && !rate ? `${amount} + ${N('discount')}` : null,
  ].filter(Boolean);
  const gross = grossParts.length ? `COALESCE(${grossParts.join(', ')})` : 'NULL::DOUBLE';
  // With a list and an invoice unit price side by side (MSRP and PRICEEACH), the discount is their difference:
  // the invoice price, not the line amount, is what the list price is compared with.
  const unitPair = !mapping.discount && mapping.list_price && mapping.unit_price && mapping.quantity;
  const invoice = unitPair ? `${N('unit_price')} * ${N('quantity')}` : amount;
  const discountAmount = mapping.discount
    ? rate
      ? `${amount} * ${N('discount')} / NULLIF(1 - ${N('discount')}, 0)`
      : N('discount')
    : grossParts.length
      ? `${gross} - ${invoice}`
      : 'NULL::DOUBLE';
  const discountRate = mapping.discount
    ? rate
      ? N('discount')
      : `${N('discount')} / NULLIF(${gross}, 0)`
    : grossParts.length
      ? `(${gross} - ${invoice}) / NULLIF(${gross}, 0)`
      : 'NULL::DOUBLE';
  const cost = mapping.cost ? N('cost') : mapping.profit ? `${amount} - ${N('profit')}` : 'NULL::DOUBLE';
  const profit = mapping.profit ? N('profit') : mapping.cost ? `${amount} - ${N('cost')}` : 'NULL::DOUBLE';
  // Customer profit (the supplier's view): gross profit less off-invoice incentives and cost-to-serve.
  const serve = (['rebate', 'promo', 'freight'] as const).filter((r) => mapping[r]).map((r) => `coalesce(${N(r)}, 0)`);
  const customerProfit = [profit, ...serve].join(' - ');

  // [condition, reason, role whose column and raw value are reported]
  const reasons: [string, string, Role][] = [[`${K('customer')} IS NULL`, 'Missing customer', 'customer']];
  const present = (r: Role) => `NULLIF(trim(${col(r)}), '') IS NOT NULL`;
  if (mapping.amount) {
    reasons.push([`${N('amount')} IS NULL AND ${present('amount')}`, 'Net revenue is not a number', 'amount']);
    reasons.push([`${N('amount')} IS NULL`, 'Missing net revenue', 'amount']);
  } else {
    reasons.push([`${amount} IS NULL`, 'Quantity or unit price missing or not a number', 'quantity']);
  }
  if (mapping.date) {
    reasons.push([`${K('date')} IS NULL AND NOT ${present('date')}`, 'Missing date', 'date']);
    reasons.push([`${K('date')} IS NULL`, `Date not recognised as ${cand?.label ?? 'a date'}`, 'date']);
  }
  for (const r of NUMBER_ROLES) {
    if (r === 'amount' || !mapping[r]) continue;
    reasons.push([`${N(r)} IS NULL AND ${present(r)}`, `${ROLE_INFO[r].label} is not a number`, r]);
  }
  const caseOf = (pick: (x: [string, string, Role]) => string) =>
    `CASE ${reasons.map((x) => `WHEN ${x[0]} THEN ${pick(x)}`).join(' ')} END`;

  const l2 = [
    ...columns.map(ident),
    K('customer'),
    K('date'),
    ...PLAIN_NUMBERS.map((r) => `${N(r)} AS ${K(r)}`),
    `${amount} AS ${K('amount')}`,
    `${gross} AS ${K('gross')}`,
    `${discountAmount} AS ${K('discount_amount')}`,
    `${discountRate} AS ${K('discount_rate')}`,
    `${cost} AS ${K('cost')}`,
    `${profit} AS ${K('profit')}`,
    `${customerProfit} AS ${K('customer_profit')}`,
    `${caseOf((x) => str(x[1]))} AS ${K('reason')}`,
    `${caseOf((x) => str(mapping[x[2]] ?? ''))} AS ${K('bad_column')}`,
    `${caseOf((x) => col(x[2]))} AS ${K('bad_value')}`,
  ];
  return `SELECT ${l2.join(',\n  ')}\nFROM (SELECT ${l1.join(',\n  ')} FROM ${source})`;
}

/** The `sales` view: one typed column per canonical role, only the rows that can be used. */
export function salesViewSql(mapping: Mapping, headerLines: number): string {
  const text = TEXT_ROLES.map((r) =>
    r === 'customer' ? `${K('customer')} AS customer` : `${mapping[r] ? ident(mapping[r]) : 'NULL::VARCHAR'} AS ${r}`,
  );
  const cols = [
    `rowid + ${headerLines + 1} AS line`,
    ...text,
    `${K('date')} AS date`,
    ...PLAIN_NUMBERS.map((r) => `${K(r)} AS ${r}`),
    ...DERIVED.map((d) => `${K(d)} AS ${d}`),
  ];
  return `CREATE OR REPLACE VIEW sales AS SELECT ${cols.join(', ')} FROM raw WHERE ${K('reason')} IS NULL`;
}

export function rejectedViewSql(columns: string[], headerLines: number): string {
  return `CREATE OR REPLACE VIEW rejected_rows AS SELECT rowid + ${headerLines + 1} AS line, ${K('reason')} AS reason,
    ${K('bad_column')} AS "column", ${K('bad_value')} AS "value", ${columns.map(ident).join(', ')}
    FROM raw WHERE ${K('reason')} IS NOT NULL`;
}

export interface BuildResult {
  rowsRead: number;
  rowsLoaded: number;
  rowsRejected: number;
  rejectedByReason: { reason: string; rows: number }[];
  formats: Formats;
}

/**
 * Builds `raw_next` from `source` and checks the conventions chosen on a sample against every row: when dates
 * fail to parse or their day/month order was undecided, the formats are re-detected on the full table and the
 * typed columns rebuilt.
 */
export async function buildTyped(
  engine: Engine,
  source: string,
  columns: string[],
  mapping: Mapping,
  formats: Formats,
  keep: Partial<Formats> = {},
): Promise<BuildResult> {
  await engine.exec(`CREATE OR REPLACE TABLE raw_next AS ${typedSelectSql(source, columns, mapping, formats)}`);
  let f = formats;
  if (mapping.date && !keep.date) {
    const [bad] = await engine.query<{ n: number }>(
      `SELECT count(*) AS n FROM raw_next WHERE ${K('date')} IS NULL AND NULLIF(trim(${ident(mapping.date)}), '') IS NOT NULL`,
    );
    if ((bad?.n ?? 0) > 0 || (f.dateAlternatives?.length ?? 0) > 0) {
      const full = await scoreDates(engine, 'raw_next', mapping.date);
      const changed = full.date !== f.date;
      f = { ...f, ...full };
      if (changed) {
        await engine.exec(`CREATE OR REPLACE TABLE raw_redo AS ${typedSelectSql('raw_next', columns, mapping, f)}`);
        await engine.exec('DROP TABLE raw_next; ALTER TABLE raw_redo RENAME TO raw_next');
      }
    }
  }
  // Columns parsed with the bare cast whose rows were rejected as "not a number": re-parse them with the
  // full parser (currency, thousands separators, brackets), which the head of the file gave no reason to use.
  const plainRoles = NUMBER_ROLES.filter((r) => mapping[r] && f.numbers[r]?.plain);
  if (plainRoles.length) {
    const failed = await engine.query<{ col: string }>(
      `SELECT DISTINCT ${K('bad_column')} AS col FROM raw_next WHERE ${K('reason')} LIKE '%is not a number'`,
    );
    const redo = plainRoles.filter((r) => failed.some((x) => x.col === mapping[r]));
    if (redo.length) {
      const numbers = { ...f.numbers };
      for (const r of redo) numbers[r] = { ...(numbers[r] as NumberFormat), plain: false };
      f = { ...f, numbers };
      await engine.exec(`CREATE OR REPLACE TABLE raw_redo AS ${typedSelectSql('raw_next', columns, mapping, f)}`);
      await engine.exec('DROP TABLE raw_next; ALTER TABLE raw_redo RENAME TO raw_next');
    }
  }
  if (mapping.discount && f.discountKind === 'rate' && !keep.discountKind) {
    const [mx] = await engine.query<{ mx: number | null }>(
      `SELECT max(abs(${numberSql(mapping.discount, f.numbers.discount ?? { decimal: '.', percent: false })})) AS mx FROM raw_next`,
    );
    if ((mx?.mx ?? 0) > 1) {
      f = { ...f, discountKind: 'amount' };
      await engine.exec(`CREATE OR REPLACE TABLE raw_redo AS ${typedSelectSql('raw_next', columns, mapping, f)}`);
      await engine.exec('DROP TABLE raw_next; ALTER TABLE raw_redo RENAME TO raw_next');
    }
  }
  const byReason = await engine.query<{ reason: string | null; rows: number }>(
    `SELECT CASE WHEN ${K('reason')} IS NOT NULL THEN ${K('reason')} || ' (column "' || ${K('bad_column')} || '")' END AS reason,
       count(*) AS rows FROM raw_next GROUP BY ALL ORDER BY rows DESC`,
  );
  const rejected = byReason.filter((r) => r.reason !== null) as { reason: string; rows: number }[];
  const rowsRead = byReason.reduce((s, r) => s + r.rows, 0);
  const rowsRejected = rejected.reduce((s, r) => s + r.rows, 0);
  return { rowsRead, rowsLoaded: rowsRead - rowsRejected, rowsRejected, rejectedByReason: rejected, formats: f };
}

/** Makes `raw_next` the live table and points the views at it. Only called when a load fully succeeded. */
export async function commitTyped(engine: Engine, columns: string[], mapping: Mapping, headerLines: number) {
  // `cache_*` tables hold aggregates of the previous data (see analysis/customers.ts).
  const caches = await engine.query<{ t: string }>(
    "SELECT table_name AS t FROM duckdb_tables() WHERE table_name LIKE 'cache\\_%' ESCAPE '\\'",
  );
  for (const { t } of caches) await engine.exec(`DROP TABLE IF EXISTS ${ident(t)}`);
  await engine.exec('DROP VIEW IF EXISTS sales; DROP VIEW IF EXISTS rejected_rows; DROP TABLE IF EXISTS raw');
  await engine.exec('ALTER TABLE raw_next RENAME TO raw');
  await engine.exec(salesViewSql(mapping, headerLines));
  await engine.exec(rejectedViewSql(columns, headerLines));
}
