/** Builds the canonical `sales` table (typed, one column per role) and `rejected_rows` from a raw all-text table. */
import type { Engine } from './engine';
import {
  chooseDate,
  DATE_CANDIDATES,
  type DateCandidate,
  dateScoreSql,
  dateSql,
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

/** Detects number conventions and the date format from the data itself (all distinct dates, not a sample). */
export async function detectFormats(
  engine: Engine,
  raw: string,
  mapping: Mapping,
  keep: Partial<Formats> = {},
): Promise<Formats> {
  const numeric = NUMBER_ROLES.filter((r) => mapping[r]);
  const formats: Formats = { numbers: {} };
  if (numeric.length) {
    const cols = numeric.map((r) => `${ident(mapping[r] as string)} AS ${ident(r)}`).join(', ');
    const sample = await engine.query<Record<string, string | null>>(
      `SELECT ${cols} FROM ${raw} USING SAMPLE 5000 ROWS`,
    );
    for (const r of numeric) {
      formats.numbers[r] = keep.numbers?.[r] ?? detectNumberFormat(sample.map((row) => row[r] ?? ''));
    }
  }
  if (mapping.date) {
    if (keep.date) {
      formats.date = keep.date;
    } else {
      const [scores] = await engine.query(dateScoreSql(raw, mapping.date));
      const choice = scores ? chooseDate(scores as Record<string, number>) : null;
      if (choice) {
        formats.date = choice.candidate.id;
        formats.dateShare = choice.share;
        formats.dateAlternatives = choice.alternatives.map((c) => c.id);
      }
    }
  }
  if (mapping.discount) {
    const fmt = formats.numbers.discount as NumberFormat;
    const [row] = await engine.query<{ mx: number | null }>(
      `SELECT max(abs(${numberSql(mapping.discount, fmt)})) AS mx FROM ${raw}`,
    );
    formats.discountKind = keep.discountKind ?? (fmt.percent || (row?.mx ?? 0) <= 1 ? 'rate' : 'amount');
  }
  return formats;
}

export function dateCandidate(id: string | undefined): DateCandidate | undefined {
  return DATE_CANDIDATES.find((c) => c.id === id);
}

export interface BuildResult {
  rowsLoaded: number;
  rowsRejected: number;
  rejectedByReason: { reason: string; rows: number }[];
}

/**
 * Creates `<target>` (sales) and `<target>_rejected` from `raw`. Line numbers count the header as line 1.
 * Rows that cannot be used are kept, with their reason, in the rejected table; nothing is dropped silently.
 */
export async function buildCanonical(
  engine: Engine,
  raw: string,
  target: string,
  mapping: Mapping,
  formats: Formats,
  headerLines: number,
): Promise<BuildResult> {
  const t = (r: Role) => (mapping[r] ? `NULLIF(trim(${ident(mapping[r])}), '')` : 'NULL::VARCHAR');
  const l1 = ROLES.map((r) => `${t(r)} AS ${ident(`t_${r}`)}`).join(',\n  ');
  const n = (r: Role) =>
    mapping[r] ? numberSql(`t_${r}`, formats.numbers[r] ?? { decimal: '.', percent: false }) : 'NULL::DOUBLE';
  const cand = dateCandidate(formats.date);
  const dateExpr = mapping.date && cand ? dateSql('t_date', cand) : 'NULL::DATE';
  const l2 = [
    'rid',
    ...TEXT_ROLES.map((r) => `t_${r} AS ${r}`),
    ...NUMBER_ROLES.map((r) => `t_${r}, ${n(r)} AS n_${r}`),
    't_date',
    `${dateExpr} AS d_date`,
  ].join(',\n  ');

  const rate = formats.discountKind === 'rate';
  const amount = mapping.amount ? 'n_amount' : 'n_quantity * n_unit_price';
  // Gross (list) value, from the best evidence the file has.
  const grossParts = [
    mapping.gross ? 'n_gross' : null,
    mapping.list_price && mapping.quantity ? 'n_list_price * n_quantity' : null,
    mapping.discount && rate ? `${amount} / NULLIF(1 - n_discount, 0)` : null,
    mapping.discount && !rate ? `${amount} + n_discount` : null,
  ].filter(Boolean);
  const gross = grossParts.length ? `COALESCE(${grossParts.join(', ')})` : 'NULL::DOUBLE';
  const discountAmount = mapping.discount
    ? rate
      ? `${amount} * n_discount / NULLIF(1 - n_discount, 0)`
      : 'n_discount'
    : grossParts.length
      ? `${gross} - ${amount}`
      : 'NULL::DOUBLE';
  const cost = mapping.cost ? 'n_cost' : mapping.profit ? `${amount} - n_profit` : 'NULL::DOUBLE';
  const profit = mapping.profit ? 'n_profit' : mapping.cost ? `${amount} - n_cost` : 'NULL::DOUBLE';

  // [condition, reason, role whose column and raw value are reported]
  const reasons: [string, string, Role][] = [['customer IS NULL', 'Missing customer', 'customer']];
  if (mapping.amount) {
    reasons.push(['t_amount IS NOT NULL AND n_amount IS NULL', 'Net revenue is not a number', 'amount']);
    reasons.push(['t_amount IS NULL', 'Missing net revenue', 'amount']);
  } else {
    reasons.push([
      'n_quantity IS NULL OR n_unit_price IS NULL',
      'Quantity or unit price missing or not a number',
      'quantity',
    ]);
  }
  if (mapping.date) {
    reasons.push(['t_date IS NULL', 'Missing date', 'date']);
    reasons.push(['d_date IS NULL', `Date not recognised as ${cand?.label ?? 'a date'}`, 'date']);
  }
  for (const r of NUMBER_ROLES) {
    if (r === 'amount' || !mapping[r]) continue;
    reasons.push([`t_${r} IS NOT NULL AND n_${r} IS NULL`, `${ROLE_INFO[r].label} is not a number`, r]);
  }
  const rawValue = (r: Role) => (ROLE_INFO[r].kind === 'text' ? r : `t_${r}`);
  const caseOf = (pick: (x: [string, string, Role]) => string) =>
    `CASE ${reasons.map((x) => `WHEN ${x[0]} THEN ${pick(x)}`).join(' ')} END`;

  const l3 = [
    `rid + ${headerLines + 1} AS line`,
    ...TEXT_ROLES.map((r) => r),
    `${amount} AS amount`,
    'd_date AS date',
    ...NUMBER_ROLES.filter((r) => !['amount', 'cost', 'profit', 'discount', 'gross'].includes(r)).map(
      (r) => `n_${r} AS ${r}`,
    ),
    `${gross} AS gross`,
    `${discountAmount} AS discount_amount`,
    `${mapping.discount ? (rate ? 'n_discount' : `n_discount / NULLIF(${gross}, 0)`) : grossParts.length ? `(${gross} - ${amount}) / NULLIF(${gross}, 0)` : 'NULL::DOUBLE'} AS discount_rate`,
    `${cost} AS cost`,
    `${profit} AS profit`,
    // Customer profit (supplier's view): gross profit less off-invoice incentives and cost-to-serve.
    `${profit} - ${['rebate', 'promo', 'freight'].map((r) => (mapping[r as Role] ? `coalesce(n_${r}, 0)` : '0')).join(' - ')} AS customer_profit`,
    `${caseOf((x) => str(x[1]))} AS reason`,
    `${caseOf((x) => str(mapping[x[2]] ?? ''))} AS bad_column`,
    `${caseOf((x) => rawValue(x[2]))} AS bad_value`,
  ].join(',\n  ');

  const rejected = `${target}_rejected`;
  await engine.exec(`CREATE OR REPLACE TABLE ${target} AS
SELECT ${l3} FROM (
 SELECT ${l2} FROM (
  SELECT rowid AS rid,
  ${l1}
  FROM ${raw}))`);
  await engine.exec(`CREATE OR REPLACE TABLE ${rejected} AS
SELECT s.line, s.reason, s.bad_column AS "column", s.bad_value AS "value", r.*
FROM ${target} s JOIN ${raw} r ON r.rowid = s.line - ${headerLines + 1}
WHERE s.reason IS NOT NULL ORDER BY s.line`);
  await engine.exec(`DELETE FROM ${target} WHERE reason IS NOT NULL`);
  const [counts] = await engine.query<{ loaded: number; rejected: number }>(
    `SELECT (SELECT count(*) FROM ${target}) AS loaded, (SELECT count(*) FROM ${rejected}) AS rejected`,
  );
  const byReason = await engine.query<{ reason: string; rows: number }>(
    `SELECT reason || ' (column "' || "column" || '")' AS reason, count(*) AS rows FROM ${rejected} GROUP BY ALL ORDER BY rows DESC`,
  );
  return {
    rowsLoaded: counts?.loaded ?? 0,
    rowsRejected: counts?.rejected ?? 0,
    rejectedByReason: byReason,
  };
}
