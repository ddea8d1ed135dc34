/**
 * Loads a plan file (customer, period, target revenue) into the `targets` table. Periods are written the way links
 * write them (2025, 2025Q3, 2025-07, FY2025, FY2025Q1); rows whose period, customer or target cannot be read are
 * counted and left out, keys that match no customer are counted too.
 */
import { PERIOD_RE } from '../state/app-state';
import { readCompanion } from './companion';
import type { Engine } from './engine';
import { IngestError, type Registrar, type SourceFile } from './ingest';
import { detectNumberFormat, ident, numberSql } from './parse';

const FIELDS = {
  customer: [
    'customerid',
    'customer',
    'custid',
    'accountid',
    'account',
    'client',
    'dealer',
    'soldto',
    '客户编号',
    '客户',
  ],
  period: ['period', 'quarter', 'month', 'year', 'fiscalperiod', '期间', '季度', '月份', '年度'],
  target: [
    'target',
    'plan',
    'budget',
    'quota',
    'targetrevenue',
    'salestarget',
    'planrevenue',
    '目标',
    '计划',
    '销售目标',
  ],
} as const;
type Field = keyof typeof FIELDS;

export interface TargetLoad {
  fileName: string;
  rows: number;
  rejected: number;
  customers: number;
  unmatched: number;
}

export async function loadTargets(engine: Engine, source: SourceFile, register: Registrar): Promise<TargetLoad> {
  const name = source.name;
  const m = await readCompanion(engine, source, register, 'targets_raw', FIELDS);
  const missing = (Object.keys(m) as Field[]).filter((f) => !m[f]);
  if (missing.length) {
    await engine.exec('DROP TABLE IF EXISTS targets_raw');
    throw new IngestError(
      name,
      `${name} is not a plan file: no column for ${missing.join(', ')}.`,
      'A plan file has one row per customer and period: customer, period (2025Q3, 2025-07, 2025 or FY2025) and target revenue.',
      1,
    );
  }
  const sample = await engine.query<Record<string, string | null>>('SELECT * FROM targets_raw LIMIT 2000');
  const target = numberSql(m.target as string, detectNumberFormat(sample.map((r) => r[m.target as string] ?? '')));
  // The period syntax of links, checked in SQL with the same pattern the state uses.
  const re = PERIOD_RE.source.replace(/\(\?:/g, '(');
  await engine.exec(`CREATE OR REPLACE TABLE targets_next AS SELECT
      NULLIF(trim(CAST(${ident(m.customer as string)} AS VARCHAR)), '') AS customer,
      upper(trim(CAST(${ident(m.period as string)} AS VARCHAR))) AS period, ${target} AS target
    FROM targets_raw`);
  const ok = `customer IS NOT NULL AND target IS NOT NULL AND regexp_full_match(period, '${re.replaceAll("'", "''")}')`;
  const [c] = await engine.query<{ n: number; ok: number; customers: number }>(
    `SELECT count(*) AS n, count(*) FILTER (WHERE ${ok}) AS ok, count(DISTINCT customer) FILTER (WHERE ${ok}) AS customers FROM targets_next`,
  );
  if (!c?.ok) {
    await engine.exec('DROP TABLE IF EXISTS targets_next; DROP TABLE IF EXISTS targets_raw');
    throw new IngestError(
      name,
      `None of the ${c?.n ?? 0} rows of ${name} has a customer, a period like 2025Q3 and a target.`,
      'Write periods as 2025, 2025Q3, 2025-07 or FY2025, and targets as numbers.',
      2,
    );
  }
  await engine.exec(`DROP TABLE IF EXISTS targets;
    CREATE TABLE targets AS SELECT * FROM targets_next WHERE ${ok};
    DROP TABLE targets_next; DROP TABLE targets_raw`);
  const [u] = await engine.query<{ n: number }>(
    'SELECT count(DISTINCT customer) AS n FROM targets WHERE customer NOT IN (SELECT DISTINCT customer FROM sales)',
  );
  return { fileName: name, rows: c.n, rejected: c.n - c.ok, customers: c.customers, unmatched: u?.n ?? 0 };
}
