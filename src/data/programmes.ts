/**
 * Loads an incentive-programme file (programme, customer, type, start, end, cost, written target) into the
 * `programmes` table, joined to the sales data on the customer key. Keys that match no customer are counted
 * and reported, never dropped silently.
 */

import { readCompanion } from './companion';
import type { Engine } from './engine';
import { IngestError, type Registrar, type SourceFile } from './ingest';
import { chooseDate, DATE_CANDIDATES, dateScoreSql, dateSqlFast, detectNumberFormat, ident, numberSql } from './parse';

const FIELDS = {
  program: [
    'program',
    'programme',
    'programname',
    'programmename',
    'campaign',
    'promotion',
    'deal',
    'incentive',
    '项目',
    '活动',
    '促销活动',
  ],
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
    '经销商',
  ],
  type: ['type', 'programtype', 'programmetype', 'kind', 'incentivetype', '类型'],
  start: ['start', 'startdate', 'from', 'validfrom', 'begin', '开始日期', '开始'],
  end: ['end', 'enddate', 'to', 'validto', 'until', '结束日期', '结束'],
  cost: ['cost', 'spend', 'amount', 'budget', 'incentivecost', '费用', '成本', '金额'],
  target: ['target', 'writtentarget', 'salestarget', 'targetrevenue', 'goal', '目标', '销售目标'],
} as const;
type Field = keyof typeof FIELDS;

export interface ProgrammeLoad {
  fileName: string;
  rows: number;
  rejected: number;
  programmes: number;
  customers: number;
  /** Enrolled customer keys that match no customer in the sales data. */
  unmatched: number;
  unmatchedSample: string[];
}

export async function loadProgrammes(engine: Engine, source: SourceFile, register: Registrar): Promise<ProgrammeLoad> {
  const name = source.name;
  const m = await readCompanion(engine, source, register, 'programmes_raw', FIELDS);
  const missing = (['program', 'customer', 'start', 'end'] as Field[]).filter((f) => !m[f]);
  if (missing.length) {
    throw new IngestError(
      name,
      `${name} is not a programme file: no column for ${missing.join(', ')}.`,
      'A programme file has one row per supported customer: programme, customer, type, start, end, cost and written target.',
      1,
    );
  }
  const [scores] = await engine.query(dateScoreSql('programmes_raw', m.start as string));
  const date = (scores && chooseDate(scores as Record<string, number>)?.candidate) || DATE_CANDIDATES[0];
  const sample = await engine.query<Record<string, string | null>>('SELECT * FROM programmes_raw LIMIT 2000');
  const num = (f: Field) =>
    m[f] ? numberSql(m[f] as string, detectNumberFormat(sample.map((r) => r[m[f] as string] ?? ''))) : 'NULL::DOUBLE';
  const text = (f: Field) => (m[f] ? `NULLIF(trim(${ident(m[f] as string)}), '')` : 'NULL::VARCHAR');
  const d = (f: Field) => (date ? dateSqlFast(m[f] as string, date) : 'NULL::DATE');
  await engine.exec(`CREATE OR REPLACE TABLE programmes_next AS
    SELECT ${text('program')} AS program, ${text('customer')} AS customer, coalesce(${text('type')}, 'programme') AS type,
      ${d('start')} AS start, ${d('end')} AS "end", coalesce(${num('cost')}, 0) AS cost, ${num('target')} AS target
    FROM programmes_raw`);
  const [c] = await engine.query<{
    n: number;
    ok: number;
    programmes: number;
    customers: number;
  }>(`SELECT count(*) AS n,
      count(*) FILTER (WHERE program IS NOT NULL AND customer IS NOT NULL AND start IS NOT NULL AND "end" IS NOT NULL AND start <= "end") AS ok,
      count(DISTINCT program) AS programmes, count(DISTINCT customer) AS customers FROM programmes_next`);
  if (!c?.ok) {
    await engine.exec('DROP TABLE IF EXISTS programmes_next');
    throw new IngestError(
      name,
      `None of the ${c?.n ?? 0} rows of ${name} has a programme, a customer and a valid start and end date.`,
      'Check the start and end columns (dates) and that each row names a customer.',
      2,
    );
  }
  await engine.exec(`DROP TABLE IF EXISTS programmes;
    CREATE TABLE programmes AS SELECT * FROM programmes_next
      WHERE program IS NOT NULL AND customer IS NOT NULL AND start IS NOT NULL AND "end" IS NOT NULL AND start <= "end";
    DROP TABLE programmes_next; DROP TABLE programmes_raw`);
  const unmatched = await engine.query<{ customer: string }>(
    'SELECT DISTINCT customer FROM programmes WHERE customer NOT IN (SELECT DISTINCT customer FROM sales) ORDER BY 1',
  );
  return {
    fileName: name,
    rows: c.n,
    rejected: c.n - c.ok,
    programmes: c.programmes,
    customers: c.customers,
    unmatched: unmatched.length,
    unmatchedSample: unmatched.slice(0, 5).map((u) => u.customer),
  };
}
