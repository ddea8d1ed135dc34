/**
 * The canonical data model. A loaded file lives in one table, `raw`: its original text columns plus typed
 * `__kal_*` columns computed in the same pass that reads the file. `sales` and `rejected_rows` are views over it,
 * so a load costs one read and a remap (mapping dialog) one rewrite, and nothing is copied twice.
 */
import { dropEverywhere, type Engine } from './engine';
import {
  chooseDate,
  DATE_CANDIDATES,
  type DateCandidate,
  dateScoreSql,
  dateSql,
  dateSqlFast,
  detectNumberFormat,
  ident,
  misgroupedSql,
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
  /**
   * Further formats of a column that mixes them (ISO beside D.M.YYYY beside YYYYMMDD): a value of another shape
   * than the main format is read by the one of these its shape fits, which no other format shares.
   */
  dateMixed?: string[];
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
  typed: ReadonlySet<string> = new Set(),
): Promise<Formats> {
  const numeric = NUMBER_ROLES.filter((r) => mapping[r]);
  const formats: Formats = { numbers: {} };
  if (numeric.length) {
    // A typed column (read as DOUBLE by read_csv) reads back as plain numbers.
    const cols = numeric.map((r) => `CAST(${ident(mapping[r] as string)} AS VARCHAR) AS ${ident(r)}`).join(', ');
    const sample = await engine.query<Record<string, string | null>>(`SELECT ${cols} FROM ${table} LIMIT 20000`);
    for (const r of numeric) {
      formats.numbers[r] = keep.numbers?.[r] ?? detectNumberFormat(sample.map((row) => row[r] ?? ''));
    }
  }
  if (mapping.date) {
    if (keep.date && dateCandidate(keep.date)) formats.date = keep.date;
    else if (typed.has(mapping.date)) formats.date = 'ymd';
    else Object.assign(formats, await scoreDates(engine, table, mapping.date));
  }
  if (mapping.discount) {
    const fmt = formats.numbers.discount as NumberFormat;
    const [row] = await engine.query<{ mx: number | null }>(
      `SELECT max(abs(${typed.has(mapping.discount) ? ident(mapping.discount) : numberSql(mapping.discount, fmt)})) AS mx FROM ${table}`,
    );
    formats.discountKind = keep.discountKind ?? (fmt.percent || (row?.mx ?? 0) <= 1 ? 'rate' : 'amount');
  }
  return formats;
}

async function scoreDates(engine: Engine, table: string, column: string): Promise<Partial<Formats>> {
  // Most exports write ISO dates, which no other candidate reads: when every value is one, the other candidates
  // (a regular expression each) need not be tried.
  const iso = DATE_CANDIDATES.filter((c) => c.id === 'ymd');
  const [first] = await engine.query(dateScoreSql(table, column, iso));
  const isoChoice = first ? chooseDate(first as Record<string, number>, iso) : null;
  if (isoChoice?.share === 1) return { date: 'ymd', dateShare: 1, dateAlternatives: [] };
  const [scores] = await engine.query(dateScoreSql(table, column));
  const choice = scores ? chooseDate(scores as Record<string, number>) : null;
  if (!choice) return {};
  const mixed = choice.share < 1 ? await mixedDates(engine, table, column, choice.candidate) : [];
  return {
    date: choice.candidate.id,
    dateShare: choice.share,
    dateAlternatives: choice.alternatives.map((c) => c.id),
    ...(mixed.length ? { dateMixed: mixed.map((c) => c.id) } : {}),
  };
}

/**
 * The other formats of a column whose values are not all of the main format's shape: each of another shape,
 * which no chosen format shares (so a value fits one of them only), taken in order of how many values it reads.
 */
async function mixedDates(
  engine: Engine,
  table: string,
  column: string,
  main: DateCandidate,
): Promise<DateCandidate[]> {
  const chosen = [main];
  for (let round = 0; round < 3; round++) {
    const others = DATE_CANDIDATES.filter((c) => chosen.every((k) => k.shape !== c.shape));
    if (!others.length) break;
    const read = chosen.map((c) => `${dateSql('v', c)} IS NULL`).join(' AND ');
    const [row] = await engine.query<Record<string, number>>(
      `SELECT ${others.map((c, i) => `count(*) FILTER (WHERE ${read} AND year(${dateSql('v', c)}) BETWEEN 1900 AND 2100) AS c${i}`).join(', ')}
       FROM (SELECT DISTINCT trim(${ident(column)}) AS v FROM ${table} WHERE trim(${ident(column)}) <> '')`,
    );
    const counts = others.map((_, i) => Number(row?.[`c${i}`] ?? 0));
    const best = Math.max(...counts);
    if (best === 0) break;
    chosen.push(others[counts.indexOf(best)] as DateCandidate);
  }
  return chosen.slice(1);
}

/** The date of a value: the main format's fast parser, then each further format of a mixed column by its shape. */
function dateExpr(column: string, formats: Formats, cand: DateCandidate): string {
  const more = (formats.dateMixed ?? []).map(dateCandidate).filter((c): c is DateCandidate => !!c);
  if (!more.length) return dateSqlFast(column, cand);
  return `COALESCE(${dateSqlFast(column, cand)}, ${more.map((c) => `(CASE WHEN year(${dateSql(column, c)}) BETWEEN 1900 AND 2100 THEN ${dateSql(column, c)} END)`).join(', ')})`;
}

export function dateCandidate(id: string | undefined): DateCandidate | undefined {
  return DATE_CANDIDATES.find((c) => c.id === id);
}

/** Where each role's value lives in `raw`: a column read typed by read_csv, or a parsed `__kal_*` column. */
interface Layout {
  col: (r: Role) => string;
  isTyped: (r: Role) => boolean;
  /** The role's number as a column of `raw`. */
  N: (r: Role) => string;
  date: string;
  reasons: Reason[];
  /** The customer key column. */
  key: string;
}

interface Reason {
  /** Condition over the columns of `raw`. */
  when: string;
  text: string;
  /** The role whose column and value a rejected row reports. */
  role: Role;
}

/**
 * How a loaded file sits in `raw`: the columns read_csv typed, and whether the customer key is a trimmed copy
 * (`__kal_customer`) or, when no customer value has spaces around it, the column itself.
 */
export interface Shape {
  typed: ReadonlySet<string>;
  keyed: boolean;
  /** Some field holds a line break: `__kal_line` holds each row's physical line (0-based, header lines aside). */
  lined?: boolean;
  /** The rows carry DUPLICATE_OF (appended files). */
  dup?: boolean;
  /** The rows are groups of a summary (`npm run summarize`), each carrying SUMMARY_CARRIED. */
  summary?: boolean;
}

/**
 * What a summary's group carries beside its sums, as pipeline columns of `raw`: how many order lines it holds, how
 * many of them lost money and how many had a profit at all, its discount band (0-5, rules.ts) and its customer
 * profit (summed per line, which no sum of the other columns gives back when some lines lack a profit).
 */
export const SUMMARY_CARRIED = ['lines', 'loss_lines', 'profit_lines', 'band', 'customer_profit'].map(
  (c) => `__kal_s_${c}`,
);
/** A rate inside each discount band (rules.ts BANDS), for a summary's groups, whose lines' own rates are gone. */
const BAND_RATE = [0, 0.025, 0.075, 0.15, 0.25, 0.4];

/** The physical line of a row of `raw`, counted as an editor counts: title, header and quoted line breaks included. */
export const lineSql = (shape: Shape, headerLines: number) =>
  `${shape.lined ? K('line') : 'rowid'} + ${headerLines + 1}`;

/**
 * When a quoted field spans lines, the row number is no longer the line number: records the physical line of each
 * row in `__kal_line`. Checked on the text columns only (a number or a date holds no line break); the window sum
 * runs only for a file that has one.
 */
async function addPhysicalLines(engine: Engine, columns: string[], typed: ReadonlySet<string>): Promise<void> {
  const text = columns.filter((c) => !typed.has(c));
  const breaks = text.map((c) => `coalesce(length(${ident(c)}) - length(replace(${ident(c)}, chr(10), '')), 0)`);
  await engine.exec(
    `CREATE OR REPLACE TABLE ${await homeOf(engine, 'raw_next')}raw_redo AS SELECT *, (rowid + coalesce(sum(${breaks.join(' + ')}) OVER (ORDER BY rowid ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0))::BIGINT AS ${K('line')} FROM raw_next ORDER BY rowid;
     DROP TABLE raw_next; ALTER TABLE raw_redo RENAME TO raw_next`,
  );
}

/** Rows with a line break inside a text field (a number or a date holds none); null when no column is text. */
function breakSql(columns: string[], typed: ReadonlySet<string>): string | null {
  const text = columns.filter((c) => !typed.has(c));
  return text.length ? text.map((c) => `contains(${ident(c)}, chr(10))`).join(' OR ') : null;
}

/** Marks rows whose customer value has spaces around it: the load is then redone with a trimmed key column. */
const UNTRIMMED = 255;

/**
 * Lines that are not order lines: left out of `sales` like rejected rows, but counted apart, because nothing in
 * them was wrong. Codes from 241 up (rejection reasons count from 1).
 */
export const SKIPPED = { blank: 241, header: 242, total: 243, duplicate: 244 } as const;
const SKIP_TEXT: Record<number, string> = {
  [SKIPPED.blank]: 'Blank line',
  [SKIPPED.header]: 'Repeated header',
  [SKIPPED.total]: 'Total row',
  [SKIPPED.duplicate]: 'Duplicate line (another file has it)',
};

/**
 * A column that appended files carry (related.ts): set on a line that repeats an earlier one, with where that one
 * is ("line 12 of feb.csv"). Not a column of any file: never offered for a role or a filter.
 */
export const DUPLICATE_OF = '__kal_dup';
const isSkip = (code: number | null) => code != null && code >= 241 && code < UNTRIMMED;

/** Skip conditions over the columns of a file, tested before the rejection reasons. */
function skipCases(columns: string[], mapping: Mapping, shape: Shape): string {
  const blank = (c: string) => (shape.typed.has(c) ? `${ident(c)} IS NULL` : `NULLIF(trim(${ident(c)}), '') IS NULL`);
  const customer = mapping.customer as string;
  // Only a line with no customer can be blank: the other columns are looked at for those lines only.
  const cases = [
    ...(shape.dup ? [`WHEN ${ident(DUPLICATE_OF)} IS NOT NULL THEN ${SKIPPED.duplicate}`] : []),
    `WHEN ${blank(customer)} AND ${columns.map(blank).join(' AND ')} THEN ${SKIPPED.blank}`,
  ];
  // The header again (two exports pasted together): the customer and a number column hold their own names.
  const other = [mapping.amount, mapping.quantity, mapping.date].find((c) => c && !shape.typed.has(c));
  if (other && !shape.typed.has(customer))
    cases.push(
      `WHEN trim(${ident(customer)}) = ${str(customer.trim())} AND trim(${ident(other)}) = ${str(other.trim())} THEN ${SKIPPED.header}`,
    );
  return cases.join(' ');
}

function layout(mapping: Mapping, formats: Formats, shape: Shape): Layout {
  const col = (r: Role) => ident(mapping[r] as string);
  const isTyped = (r: Role) => shape.typed.has(mapping[r] as string);
  const N = (r: Role) => (!mapping[r] ? 'NULL::DOUBLE' : isTyped(r) ? col(r) : K(`n_${r}`));
  const date = !mapping.date ? 'NULL::DATE' : isTyped('date') ? col('date') : K('date');
  const cand = dateCandidate(formats.date);
  // A column read as DOUBLE or DATE by read_csv holds no text: it is either a value or empty (NULL).
  const present = (r: Role) => (isTyped(r) ? `${col(r)} IS NOT NULL` : `NULLIF(trim(${col(r)}), '') IS NOT NULL`);
  // "NaN" and "inf" parse as doubles (in read_csv and in a cast alike) but are no amount: they would turn every
  // sum they reach into NaN.
  // A typed column is its own parsed value, so "present but not parsed" cannot happen there: leaving that test out
  // saves the engine work on every row of a large read.
  const notNumber = (r: Role) =>
    isTyped(r) ? `NOT isfinite(${N(r)})` : `((${N(r)} IS NULL AND ${present(r)}) OR NOT isfinite(${N(r)}))`;
  // A number whose digit grouping does not fit the column's decimal mark, said apart from "not a number".
  const misgrouped = (r: Role): Reason | null => {
    const fmt = formats.numbers[r];
    if (!mapping[r] || isTyped(r) || !fmt) return null;
    const mark = fmt.decimal === '.' ? 'decimal point (1,234.56)' : 'decimal comma (1.234,56)';
    return {
      when: `${N(r)} IS NULL AND ${misgroupedSql(mapping[r] as string, fmt)}`,
      text: `${ROLE_INFO[r].label} has digit grouping that does not fit the column's ${mark}`,
      role: r,
    };
  };
  const reasons: Reason[] = [
    {
      // Without a trimmed key no value has spaces around it (see UNTRIMMED), so empty is the only blank.
      when: shape.keyed ? `${K('customer')} IS NULL` : `(${col('customer')} IS NULL OR ${col('customer')} = '')`,
      text: 'Missing customer',
      role: 'customer',
    },
  ];
  if (mapping.amount) {
    const m = misgrouped('amount');
    if (m) reasons.push(m);
    reasons.push({
      when: notNumber('amount'),
      text: 'Net revenue is not a number',
      role: 'amount',
    });
    reasons.push({ when: `${N('amount')} IS NULL`, text: 'Missing net revenue', role: 'amount' });
  } else {
    reasons.push({
      when: `coalesce(NOT isfinite(${amountSql(mapping, formats, N)}), true)`,
      text: 'Quantity or unit price missing or not a number',
      role: 'quantity',
    });
  }
  if (mapping.date) {
    const label = `Date not recognised as ${cand?.label ?? 'a date'}`;
    const typed = isTyped('date');
    reasons.push({
      when: typed ? `${date} IS NULL` : `${date} IS NULL AND NOT ${present('date')}`,
      text: 'Missing date',
      role: 'date',
    });
    reasons.push({ when: typed ? 'false' : `${date} IS NULL`, text: label, role: 'date' });
    // A typed date is not range-checked by read_csv; a parsed one is (dateSqlFast).
    if (typed)
      reasons.push({ when: `${date} NOT BETWEEN DATE '1900-01-01' AND DATE '2100-12-31'`, text: label, role: 'date' });
  }
  for (const r of NUMBER_ROLES) {
    if (r === 'amount' || !mapping[r]) continue;
    const m = misgrouped(r);
    if (m) reasons.push(m);
    reasons.push({ when: notNumber(r), text: `${ROLE_INFO[r].label} is not a number`, role: r });
  }
  const key = shape.keyed ? K('customer') : col('customer');
  return { col, isTyped, N, date, reasons, key };
}

/** Net revenue: the amount column, or order lines priced as quantity x unit price (less any discount). */
function amountSql(mapping: Mapping, formats: Formats, N: (r: Role) => string): string {
  const lineValue = `${N('quantity')} * ${N('unit_price')}`;
  // Without an amount column, order lines are price x quantity; with a discount beside them the price is the
  // price before discount (Northwind's order_details, most ERP line tables): net = price x qty x (1 - rate).
  if (mapping.amount) return N('amount');
  if (!mapping.discount) return lineValue;
  return formats.discountKind === 'rate'
    ? `${lineValue} * (1 - coalesce(${N('discount')}, 0))`
    : `${lineValue} - coalesce(${N('discount')}, 0)`;
}

/**
 * SELECT over `source` (a table, or a read_csv(...) call) for `raw`: the original columns, the customer key,
 * the parsed numbers and date where read_csv could not type them (`typed` lists the columns it did), and the
 * reason code of a rejected row (NULL when the row is used). Derived figures are computed by the `sales` view.
 */
export function typedSelectSql(
  source: string,
  columns: string[],
  mapping: Mapping,
  formats: Formats,
  shape: Shape = { typed: new Set(), keyed: false },
): string {
  const L = layout(mapping, formats, shape);
  const cand = dateCandidate(formats.date);
  const parsed = [
    ...(shape.keyed ? [`NULLIF(trim(CAST(${L.col('customer')} AS VARCHAR)), '') AS ${K('customer')}`] : []),
    ...NUMBER_ROLES.filter((r) => mapping[r] && !L.isTyped(r)).map(
      (r) =>
        `${numberSql(mapping[r] as string, formats.numbers[r] ?? { decimal: '.', percent: false })} AS ${K(`n_${r}`)}`,
    ),
  ];
  if (mapping.date && !L.isTyped('date'))
    parsed.push(`${cand ? dateExpr(mapping.date, formats, cand) : 'NULL::DATE'} AS ${K('date')}`);
  const code = `${reasonSql(columns, mapping, shape, L)}::UTINYINT AS ${K('reason')}`;
  // Carried from a table that has them (a remap of `raw`): duplicate marks and the lines the scan placed.
  const carried = [
    ...(shape.dup ? [ident(DUPLICATE_OF)] : []),
    ...(shape.lined ? [K('line')] : []),
    ...(shape.summary ? SUMMARY_CARRIED.map(ident) : []),
  ];
  return `SELECT *, ${code}\nFROM (SELECT ${[...columns.map(ident), ...carried, ...parsed].join(',\n  ')} FROM ${source})`;
}

/** A row's skip or rejection code, NULL for a row that is used. */
function reasonSql(columns: string[], mapping: Mapping, shape: Shape, L: Layout): string {
  // prefix/suffix allocate nothing, unlike comparing with trim() on every row; trim() removes spaces only.
  const untrimmed = shape.keyed ? '' : ` WHEN prefix(${L.key}, ' ') OR suffix(${L.key}, ' ') THEN ${UNTRIMMED}`;
  return `CASE ${skipCases(columns, mapping, shape)} ${L.reasons.map((x, i) => `WHEN ${x.when} THEN ${i + 1}`).join(' ')}${untrimmed} END`;
}

/**
 * A relation that projects a table the caller drops after the load (Parquet's decoded columns): each column's
 * expression over that table and the type it gives.
 */
export interface Projection {
  table: string;
  columns: { name: string; sql: string; type: 'DOUBLE' | 'DATE' | 'VARCHAR' }[];
}

export const projectionSql = (p: Projection) =>
  `(SELECT ${p.columns.map((c) => (c.sql === ident(c.name) ? c.sql : `${c.sql} AS ${ident(c.name)}`)).join(', ')} FROM ${p.table})`;

/**
 * Builds `raw_next` without computing the code in the pass that writes every value: the columns alone (a read
 * copied as read, or a projected table taken over: renamed, with a type change per column that needs one), then
 * the code written to the rows that have one, which are few. Measured at 1M lines: taking over Parquet's decoded
 * table 0.3 s against 1.3-1.45 s for a copy; the UPDATE 30-40 ms against ~0.15 s for the CASE in a copy. Only where
 * no column needs parsing (false otherwise). One transaction: a value that does not fit a cast leaves every table
 * as it was, and the error is thrown.
 */
async function buildCoded(
  engine: Engine,
  source: string | Projection,
  columns: string[],
  mapping: Mapping,
  formats: Formats,
  shape: Shape,
  into: string,
): Promise<boolean> {
  const L = layout(mapping, formats, shape);
  // Columns the copy would compute or carry beside the file's: a parsed value, a trimmed key, a repeat mark, a line.
  const computes =
    shape.keyed ||
    shape.dup ||
    shape.lined ||
    shape.summary ||
    NUMBER_ROLES.some((r) => mapping[r] && !L.isTyped(r)) ||
    (mapping.date && !L.isTyped('date'));
  if (computes) return false;
  const copy = (from: string) => [
    `CREATE TABLE ${into}raw_next AS SELECT ${columns.map(ident).join(', ')} FROM ${from}`,
  ];
  const takeOver = async (p: Projection) => {
    const names = p.columns.map((c) => c.name);
    const held = await engine.query<{ column_name: string }>(`DESCRIBE ${p.table}`);
    if (names.join('\0') !== columns.join('\0') || held.map((d) => d.column_name).join('\0') !== names.join('\0'))
      return null;
    if ((await homeOf(engine, p.table)) !== into) return null;
    return [
      `ALTER TABLE ${p.table} RENAME TO raw_next`,
      ...p.columns
        .filter((c) => c.sql !== ident(c.name))
        .map((c) => `ALTER TABLE raw_next ALTER ${ident(c.name)} SET DATA TYPE ${c.type} USING ${c.sql}`),
    ];
  };
  const make = typeof source === 'string' ? copy(source) : ((await takeOver(source)) ?? copy(projectionSql(source)));
  const code = reasonSql(columns, mapping, shape, L);
  await engine.exec(dropEverywhere(engine, 'raw_next'));
  try {
    await engine.exec(
      [
        'BEGIN TRANSACTION',
        ...make,
        `ALTER TABLE raw_next ADD COLUMN ${K('reason')} UTINYINT`,
        `UPDATE raw_next SET ${K('reason')} = ${code} WHERE (${code}) IS NOT NULL`,
        'COMMIT',
      ].join(';\n'),
    );
  } catch (e) {
    await engine.exec('ROLLBACK').catch(() => {});
    throw e;
  }
  return true;
}

/** Costs of serving a customer beyond the goods sold: customer profit = gross profit less these. */
const SERVE_ROLES = ['rebate', 'promo', 'freight'] as const;

/** The `sales` view: one typed column per canonical role, only the rows that can be used. */
export function salesViewSql(
  mapping: Mapping,
  formats: Formats,
  shape: Shape,
  headerLines: number,
  columns: string[] = [],
): string {
  const { N, date, key } = layout(mapping, formats, shape);
  const rate = formats.discountKind === 'rate';
  const amount = amountSql(mapping, formats, N);
  const lineValue = `${N('quantity')} * ${N('unit_price')}`;
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
  const serve = SERVE_ROLES.filter((r) => mapping[r]).map((r) => `coalesce(${N(r)}, 0)`);
  const derived: Record<(typeof DERIVED)[number], string> = {
    amount,
    gross,
    discount_amount: discountAmount,
    discount_rate: discountRate,
    cost,
    profit,
    customer_profit: [profit, ...serve].join(' - '),
  };
  const S = (c: string) => K(`s_${c}`);
  if (shape.summary) {
    derived.customer_profit = S('customer_profit');
    derived.discount_rate = `[${BAND_RATE.join(', ')}][${S('band')} + 1]`;
  }
  // What a row counts for: one order line, or a summary group's lines. Analyses count with sum(lines), never count(*).
  const weights = shape.summary
    ? [
        `${S('lines')}::DOUBLE AS lines`,
        `${S('loss_lines')}::DOUBLE AS loss_lines`,
        `${S('profit_lines')}::DOUBLE AS profit_lines`,
      ]
    : [
        '1::DOUBLE AS lines',
        `CASE WHEN (${profit}) < 0 THEN 1 ELSE 0 END::DOUBLE AS loss_lines`,
        `CASE WHEN (${profit}) IS NULL THEN 0 ELSE 1 END::DOUBLE AS profit_lines`,
      ];
  const text = TEXT_ROLES.map((r) =>
    r === 'customer'
      ? `${key} AS customer`
      : `${mapping[r] ? `CAST(${ident(mapping[r])} AS VARCHAR)` : 'NULL::VARCHAR'} AS ${r}`,
  );
  const cols = [
    `${lineSql(shape, headerLines)} AS line`,
    ...text,
    `${date} AS date`,
    ...PLAIN_NUMBERS.map((r) => `${N(r)} AS ${r}`),
    ...DERIVED.map((d) => `${derived[d]} AS ${d}`),
    ...weights,
    // Every column of the file as text, for filters on columns without a role (unread unless a query names it).
    ...columns.map((c) => `CAST(${ident(c)} AS VARCHAR) AS ${ident(`file:${c}`)}`),
  ];
  return `CREATE OR REPLACE VIEW sales AS SELECT ${cols.join(', ')} FROM raw WHERE ${K('reason')} IS NULL`;
}

export function rejectedViewSql(
  columns: string[],
  mapping: Mapping,
  formats: Formats,
  shape: Shape,
  headerLines: number,
): string {
  const L = layout(mapping, formats, shape);
  const caseOf = (pick: (x: Reason) => string) =>
    `CASE ${K('reason')} ${L.reasons.map((x, i) => `WHEN ${i + 1} THEN ${pick(x)}`).join(' ')} END`;
  return `CREATE OR REPLACE VIEW rejected_rows AS SELECT ${lineSql(shape, headerLines)} AS line,
    ${caseOf((x) => str(x.text))} AS reason, ${caseOf((x) => str(mapping[x.role] ?? ''))} AS "column",
    ${caseOf((x) => `CAST(${L.col(x.role)} AS VARCHAR)`)} AS "value", ${columns.map(ident).join(', ')}
    FROM raw WHERE ${K('reason')} < 241`;
}

export function skippedViewSql(columns: string[], shape: Shape, headerLines: number): string {
  const text = Object.entries(SKIP_TEXT)
    .map(([code, t]) => `WHEN ${code} THEN ${str(t)}`)
    .join(' ');
  const repeats = shape.dup ? `${ident(DUPLICATE_OF)} AS repeats, ` : '';
  return `CREATE OR REPLACE VIEW skipped_rows AS SELECT ${lineSql(shape, headerLines)} AS line,
    CASE ${K('reason')} ${text} END AS reason, ${repeats}${columns.map(ident).join(', ')}
    FROM raw WHERE ${K('reason')} BETWEEN 241 AND 254`;
}

/** The columns of `table` that read_csv typed itself (everything else in a loaded file is text). */
export async function typedColumns(engine: Engine, table: string, columns: string[]): Promise<Set<string>> {
  return new Set((await shapeOf(engine, table, columns)).typed);
}

export async function shapeOf(engine: Engine, table: string, columns: string[]): Promise<Shape> {
  const desc = await engine.query<{ column_name: string; column_type: string }>(`DESCRIBE ${table}`);
  return {
    typed: new Set(
      desc.filter((d) => d.column_type !== 'VARCHAR' && columns.includes(d.column_name)).map((d) => d.column_name),
    ),
    keyed: desc.some((d) => d.column_name === '__kal_customer'),
    lined: desc.some((d) => d.column_name === '__kal_line'),
    dup: desc.some((d) => d.column_name === DUPLICATE_OF),
    summary: desc.some((d) => d.column_name === SUMMARY_CARRIED[0]),
  };
}

export interface BuildResult {
  rowsRead: number;
  rowsLoaded: number;
  rowsRejected: number;
  rejectedByReason: { reason: string; rows: number }[];
  rowsSkipped: number;
  skippedByReason: { reason: string; rows: number }[];
  formats: Formats;
  warnings: string[];
}

/**
 * Builds `raw_next` from `source` and checks the conventions chosen on a sample against every row: when dates
 * fail to parse or their day/month order was undecided, the formats are re-detected on the full table and the
 * parsed columns rebuilt. `typed` lists the source columns read_csv already typed (see ingest.ts).
 */
export async function buildTyped(
  engine: Engine,
  /** A table or a read_csv(...) call to copy from, or a projected table the build may take over (buildCoded). */
  source: string | Projection,
  columns: string[],
  mapping: Mapping,
  formats: Formats,
  keep: Partial<Formats> = {},
  typed: ReadonlySet<string> = new Set(),
  carry: Pick<Shape, 'dup' | 'lined' | 'summary'> = {},
  /** Write the lines compressed (a large load: engine.ts TAB_STORAGE). */
  compress = false,
): Promise<BuildResult> {
  // A customer column typed as a number (a remap onto it) needs the key as text.
  let shape: Shape = { typed, keyed: typed.has(mapping.customer ?? ''), ...carry };
  const into = compress && engine.storage ? `${engine.storage.compressed}.main.` : '';
  if (!(await buildCoded(engine, source, columns, mapping, formats, shape, into))) {
    const from = typeof source === 'string' ? source : projectionSql(source);
    await engine.exec(
      `${dropEverywhere(engine, 'raw_next')}; CREATE TABLE ${into}raw_next AS ${typedSelectSql(from, columns, mapping, formats, shape)}`,
    );
  }
  let f = formats;
  const redo = async () => {
    await engine.exec(
      `CREATE OR REPLACE TABLE ${into}raw_redo AS ${typedSelectSql('raw_next', columns, mapping, f, shape)}`,
    );
    await engine.exec('DROP TABLE raw_next; ALTER TABLE raw_redo RENAME TO raw_next');
  };
  const L = () => layout(mapping, f, shape);
  // One pass counts the rows per reason (and the largest discount): every check below reads these counts. The
  // first also counts the rows with a total-like label, which no re-parse changes.
  const lab = totalLabelSql(columns, mapping, shape);
  const countCodes = (first = false) =>
    engine.query<{ code: number | null; rows: number; mx: number | null; labels?: number }>(
      `SELECT ${K('reason')} AS code, count(*) AS rows,
        ${mapping.discount ? `max(abs(${L().N('discount')}))` : 'NULL'} AS mx
        ${first ? `, ${lab ? `count(*) FILTER (WHERE ${lab})` : '0'} AS labels` : ''}
        FROM raw_next GROUP BY 1`,
    );
  let counts = await countCodes(true);
  const labelled = counts.reduce((n, c) => n + Number(c.labels ?? 0), 0);
  const rowsFor = (pick: (x: Reason) => boolean) =>
    counts.reduce((n, c) => {
      const x = c.code ? L().reasons[c.code - 1] : undefined;
      return n + (x && pick(x) ? c.rows : 0);
    }, 0);
  const again = async () => {
    await redo();
    counts = await countCodes();
  };
  if (mapping.date && !keep.date && !typed.has(mapping.date)) {
    const bad = rowsFor((x) => x.role === 'date' && x.text !== 'Missing date');
    if (bad > 0 || (f.dateAlternatives?.length ?? 0) > 0) {
      const full = await scoreDates(engine, 'raw_next', mapping.date);
      const changed = full.date !== f.date;
      f = { ...f, ...full };
      if (changed) await again();
    }
  }
  // Columns parsed with the bare cast whose rows were rejected as "not a number": re-parse them with the
  // full parser (currency, thousands separators, brackets), which the head of the file gave no reason to use.
  const plainRoles = NUMBER_ROLES.filter((r) => mapping[r] && f.numbers[r]?.plain && !typed.has(mapping[r]));
  const failed = plainRoles.filter((r) => rowsFor((x) => x.role === r && x.text.endsWith('is not a number')) > 0);
  if (failed.length) {
    const numbers = { ...f.numbers };
    for (const r of failed) numbers[r] = { ...(numbers[r] as NumberFormat), plain: false };
    f = { ...f, numbers };
    await again();
  }
  if (mapping.discount && f.discountKind === 'rate' && !keep.discountKind) {
    if (Math.max(0, ...counts.map((c) => c.mx ?? 0)) > 1) {
      f = { ...f, discountKind: 'amount' };
      await again();
    }
  }
  if (counts.some((c) => c.code === UNTRIMMED)) {
    // Customer values with spaces around them ("ACME " and "ACME" are one customer): key on a trimmed copy.
    shape = { ...shape, keyed: true };
    await again();
  }
  if (labelled && (await markTotals(engine, columns, mapping, f, shape))) counts = await countCodes();
  // Line numbers are shown for rejected and skipped rows only: a load without them does not look for quoted line
  // breaks (a pass over every text value, 0.15 s at 1M lines), and a remap that rejects rows later does.
  const brk = breakSql(columns, typed);
  if (!shape.lined && brk && counts.some((c) => c.code != null && c.code !== UNTRIMMED)) {
    const found = await engine.query(`SELECT 1 FROM raw_next WHERE ${brk} LIMIT 1`);
    if (found.length) await addPhysicalLines(engine, columns, typed);
  }
  const warnings = mapping.date && f.dateMixed?.length ? [await mixedDateWarning(engine, mapping.date, f)] : [];
  const reasons = L().reasons;
  const byText = new Map<string, number>();
  const skipped: { reason: string; rows: number }[] = [];
  for (const { code, rows } of counts) {
    if (isSkip(code)) skipped.push({ reason: SKIP_TEXT[code as number] as string, rows });
    const x = code && !isSkip(code) ? reasons[code - 1] : undefined;
    if (!x) continue;
    const text = `${x.text} (column "${mapping[x.role] ?? ''}")`;
    byText.set(text, (byText.get(text) ?? 0) + rows);
  }
  const rejected = [...byText].map(([reason, rows]) => ({ reason, rows })).sort((a, b) => b.rows - a.rows);
  const rowsRead = counts.reduce((s, r) => s + r.rows, 0);
  const rowsRejected = rejected.reduce((s, r) => s + r.rows, 0);
  const rowsSkipped = skipped.reduce((s, r) => s + r.rows, 0);
  return {
    rowsRead,
    rowsLoaded: rowsRead - rowsRejected - rowsSkipped,
    rowsRejected,
    rejectedByReason: rejected,
    rowsSkipped,
    skippedByReason: skipped.sort((a, b) => b.rows - a.rows),
    formats: f,
    warnings,
  };
}

/**
 * Sets `__kal_line` from the line scan (line-scan.ts): empty lines between records, which the CSV reader skips
 * silently, and quoted line breaks, in any column of the file (read or not), move the later rows' physical lines.
 * The scan saw every byte, so what addPhysicalLines counted in the columns read is replaced, not added to.
 */
export async function placeScannedLines(engine: Engine, shifts: [number, number][]): Promise<void> {
  if (!shifts.length) return;
  let total = 0;
  const rows = shifts.map(([r, n]) => {
    total += n;
    return `(${r}, ${total})`;
  });
  const lined = (await shapeOf(engine, 'raw_next', [])).lined;
  await engine.exec(
    `CREATE OR REPLACE TEMP TABLE kal_shifts AS SELECT * FROM (VALUES ${rows.join(', ')}) AS t(r, n);
     CREATE OR REPLACE TABLE ${await homeOf(engine, 'raw_next')}raw_redo AS SELECT x.* EXCLUDE (__r${lined ? `, ${K('line')}` : ''}),
       (__r + coalesce(b.n, 0))::BIGINT AS ${K('line')}
     FROM (SELECT *, rowid AS __r FROM raw_next) x ASOF LEFT JOIN kal_shifts b ON x.__r >= b.r ORDER BY x.__r;
     DROP TABLE raw_next; ALTER TABLE raw_redo RENAME TO raw_next; DROP TABLE kal_shifts`,
  );
}

/** How many used lines each format of a mixed date column read. */
async function mixedDateWarning(engine: Engine, column: string, f: Formats): Promise<string> {
  const all = [f.date, ...(f.dateMixed ?? [])].map(dateCandidate).filter((c): c is DateCandidate => !!c);
  const which = `CASE ${all.map((c, i) => `WHEN ${i ? dateSql(column, c) : dateSqlFast(column, c)} IS NOT NULL THEN ${i}`).join(' ')} END`;
  const rows = await engine.query<{ k: number; n: number }>(
    `SELECT ${which} AS k, count(*) AS n FROM raw_next WHERE ${K('reason')} IS NULL GROUP BY 1 ORDER BY 1`,
  );
  const parts = rows
    .filter((r) => r.k != null)
    .map((r) => `${Number(r.n).toLocaleString('en-US')} as ${all[r.k]?.label}`);
  return `The dates in "${column}" mix formats: ${parts.join(', ')}. Each value whose format is unambiguous was read by that format; ambiguous ones (day and month both 12 or less) by the column's main format, ${all[0]?.label}.`;
}

/** Rows whose customer (or first) column starts with a total-like label; null when both columns are typed. */
function totalLabelSql(columns: string[], mapping: Mapping, shape: Shape): string | null {
  const labels = [...new Set([mapping.customer as string, columns[0] as string])].filter((c) => !shape.typed.has(c));
  if (!labels.length) return null;
  return `coalesce(${labels.map((c) => `regexp_matches(${ident(c)}, ${str(TOTAL_LABEL)})`).join(' OR ')}, false)`;
}

/** A label that starts a total or subtotal line, in the languages of the exports we see. */
const TOTAL_LABEL =
  '^\\s*(?i:grand\\s*total|sub\\s*-?\\s*total|totals?|total\\s+general|gesamt\\w*|zwischensumme|summe|somme|totaal|totale|итого|合计|总计|小计|總計|合計|小計|总和|總和)(?:$|[^a-z])';

/**
 * Marks total and subtotal lines as skipped: a total-like label in the customer (or first) column, confirmed by
 * an amount equal to the sum of the lines it closes (those since the previous total, or all before it). The label
 * alone is not enough (a customer may be called "Total Logistics"), nor is an equal amount (a repeated line has one).
 */
async function markTotals(
  engine: Engine,
  columns: string[],
  mapping: Mapping,
  formats: Formats,
  shape: Shape,
): Promise<boolean> {
  const L = layout(mapping, formats, shape);
  const lab = totalLabelSql(columns, mapping, shape);
  if (!lab) return false;
  const amount = amountSql(mapping, formats, L.N);
  const regular = `NOT lab AND (code IS NULL OR code = ${UNTRIMMED})`;
  const close = (a: string, sum: string, n: string) =>
    `((${n}) > 0 AND abs(${a} - (${sum})) <= 0.005 * (${n}) + 1e-9 * abs(${a}))`;
  const rows = await engine.query<{ r: number }>(
    `WITH t AS (SELECT rowid AS r, ${amount} AS a, ${lab} AS lab, ${K('reason')} AS code FROM raw_next),
     w AS (SELECT r, a, lab,
       sum(CASE WHEN ${regular} THEN a ELSE 0 END) OVER (ORDER BY r ROWS UNBOUNDED PRECEDING) AS cum,
       sum(CASE WHEN ${regular} THEN 1 ELSE 0 END) OVER (ORDER BY r ROWS UNBOUNDED PRECEDING) AS n FROM t),
     l AS (SELECT r, a, cum, n, lag(cum, 1, 0) OVER (ORDER BY r) AS pcum, lag(n, 1, 0) OVER (ORDER BY r) AS pn
       FROM w WHERE lab)
     SELECT r FROM l WHERE a IS NOT NULL AND (${close('a', 'cum - pcum', 'n - pn')} OR ${close('a', 'cum', 'n')})`,
  );
  if (!rows.length) return false;
  await engine.exec(
    `UPDATE raw_next SET ${K('reason')} = ${SKIPPED.total} WHERE rowid IN (${rows.map((r) => Number(r.r)).join(', ')})`,
  );
  return true;
}

const versions = new WeakMap<Engine, number>();
const serving = new WeakMap<Engine, boolean>();

/**
 * Whether the live data has a cost-to-serve column (rebate, promotion, freight), i.e. whether customer profit
 * differs from gross profit. Unknown counts as yes: asking for both is only slower.
 */
export function hasCostToServe(engine: Engine): boolean {
  return serving.get(engine) ?? true;
}

/** Counts the loads committed on an engine: aggregates built before the current one are stale. */
export function dataVersion(engine: Engine): number {
  return versions.get(engine) ?? 0;
}

/** How the views over `raw` were made, to make them again when columns are added to it (see widenRaw). */
interface ViewArgs {
  mapping: Mapping;
  formats: Formats;
  headerLines: number;
  /** Every column of the file, in its order: the order the views list the columns `raw` holds. */
  order: string[];
}
const liveViews = new WeakMap<Engine, ViewArgs>();

/**
 * The qualified prefix of the tab database that holds `table` (`kal.main.` when it was written compressed), so a
 * table made from it is written the same way; empty where the engine has one database or `table` is plain.
 */
export async function homeOf(engine: Engine, table: string): Promise<string> {
  const c = engine.storage?.compressed;
  if (!c) return '';
  const [r] = await engine.query<{ n: number }>(
    `SELECT count(*) AS n FROM duckdb_tables() WHERE database_name = ${str(c)} AND schema_name = 'main' AND table_name = ${str(table)}`,
  );
  return Number(r?.n) > 0 ? `${c}.main.` : '';
}

/** The file's own columns in `table`, in the order of `order` (the pipeline's `__kal_*` columns left out). */
export async function fileColumnsOf(engine: Engine, table: string, order: string[] = []): Promise<string[]> {
  const desc = await engine.query<{ column_name: string }>(`DESCRIBE ${table}`);
  const names = desc.map((d) => d.column_name).filter((n) => !n.startsWith('__kal_'));
  const at = (n: string) => {
    const i = order.indexOf(n);
    return i < 0 ? order.length : i;
  };
  return names.sort((a, b) => at(a) - at(b));
}

/** Drops the views and `raw`, renames `next` to `raw` and makes the views over it again: one round trip. */
async function swapRaw(engine: Engine, next: string, v: ViewArgs, drop: string[] = []): Promise<void> {
  const columns = await fileColumnsOf(engine, next, v.order);
  const shape = await shapeOf(engine, next, columns);
  await engine.exec(
    [
      ...drop.map((t) => `DROP TABLE IF EXISTS ${ident(t)}`),
      'DROP VIEW IF EXISTS sales',
      'DROP VIEW IF EXISTS rejected_rows',
      'DROP VIEW IF EXISTS skipped_rows',
      dropEverywhere(engine, 'raw'),
      `ALTER TABLE ${next} RENAME TO raw`,
      salesViewSql(v.mapping, v.formats, shape, v.headerLines, columns),
      rejectedViewSql(columns, v.mapping, v.formats, shape, v.headerLines),
      skippedViewSql(columns, shape, v.headerLines),
    ].join(';\n'),
  );
  liveViews.set(engine, v);
}

/** Makes `raw_next` the live table and points the views at it. Only called when a load fully succeeded. */
export async function commitTyped(
  engine: Engine,
  order: string[],
  mapping: Mapping,
  formats: Formats,
  headerLines: number,
) {
  // `cache_*` tables hold aggregates of the previous data (see analysis/customers.ts).
  const caches = await engine.query<{ t: string }>(
    "SELECT table_name AS t FROM duckdb_tables() WHERE table_name LIKE 'cache\\_%' ESCAPE '\\'",
  );
  await swapRaw(
    engine,
    'raw_next',
    { mapping, formats, headerLines, order },
    caches.map(({ t }) => t),
  );
  serving.set(
    engine,
    SERVE_ROLES.some((r) => mapping[r]),
  );
  versions.set(engine, dataVersion(engine) + 1);
}

/**
 * Adds columns of the file read after the load (`extra`: a table of them in the file's row order, as `raw`) to
 * `raw` and its views. The data the analyses use does not change, so their cached aggregates stay.
 */
export async function widenRaw(engine: Engine, extra: string): Promise<void> {
  const v = liveViews.get(engine);
  if (!v) throw new Error('No data is loaded.');
  const [a, b] = await Promise.all(
    ['raw', extra].map((t) => engine.query<{ n: number }>(`SELECT count(*) AS n FROM ${t}`)),
  );
  if (Number(a?.[0]?.n) !== Number(b?.[0]?.n))
    throw new Error(`the file now has ${b?.[0]?.n} rows, not the ${a?.[0]?.n} it had when it was loaded`);
  await engine.exec(
    `CREATE OR REPLACE TABLE ${await homeOf(engine, 'raw')}raw_wide AS SELECT * FROM raw POSITIONAL JOIN ${extra}`,
  );
  await swapRaw(engine, 'raw_wide', v, [extra]);
}
