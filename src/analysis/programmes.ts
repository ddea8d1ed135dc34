/**
 * Incentive programme ROI by difference-in-differences (ratio form, DESIGN.md):
 *   incremental GP = GP_treated(P) - GP_treated(B) x GP_control(P) / GP_control(B)
 * with P the programme period, B the equal-length baseline just before it, and control = customers in no
 * programme that overlaps B or P. ROI = (incremental GP - cost) / cost. Programmes come from a `programmes` table (a dropped
 * programme file) or, failing that, from the sales file's programme column.
 */
import type { Engine } from '../data/engine';
import { str } from '../data/parse';
import { memo } from './cache';
import { andWhere, type Filters, whereSql } from './filters';

/**
 * Programmes run over their own periods and baselines, so the period filter does not apply to them; every other
 * filter (dimensions, search, cross-filters) narrows the customers and lines they are measured on.
 */
export function programmeFilters(f: Filters): Filters {
  const { from: _f, to: _t, ...rest } = f;
  return rest;
}

/** The customers the filters leave, as a condition on a customer column (none without filters). */
function customersIn(col: string, f: Filters): string {
  const where = whereSql(programmeFilters(f));
  return where ? `${col} IN (SELECT customer FROM sales ${where})` : 'true';
}

export interface ProgrammeRoi {
  program: string;
  type: string;
  start: string;
  end: string;
  baselineStart: string;
  baselineEnd: string;
  treated: number;
  control: number;
  cost: number;
  gpTreatedP: number;
  gpTreatedB: number;
  gpControlP: number;
  gpControlB: number;
  incrementalGp: number | null;
  incrementalRevenue: number | null;
  roi: number | null;
  costPerIncrementalRevenue: number | null;
  /** Treated growth over control growth across the two halves of the baseline; 1 = parallel. */
  preTrendRatio: number | null;
  parallel: boolean | null;
  warnings: string[];
}

export interface TargetRow {
  program: string;
  customer: string;
  label: string;
  cost: number;
  target: number | null;
  revenue: number;
  attainment: number | null;
}

export type ProgrammeSource = 'file' | 'column';

/** Where programmes come from, if anywhere. */
export async function programmeSource(engine: Engine): Promise<ProgrammeSource | null> {
  const [t] = await engine.query<{ n: number }>(
    "SELECT count(*) AS n FROM duckdb_tables() WHERE table_name = 'programmes'",
  );
  if (t?.n) return 'file';
  // Whether the sales file names programmes does not change with the filters: asked once per data.
  const n = await memo(engine, 'programme-column', async () => {
    const [c] = await engine.query<{ n: number }>('SELECT count(program) AS n FROM sales');
    return c?.n ?? 0;
  });
  return n ? 'column' : null;
}

/** The programme enrolments as one relation: program, customer, type, start, end, cost, target. */
function enrolmentSql(source: ProgrammeSource): string {
  if (source === 'file') return 'SELECT program, customer, type, start, "end", cost, target FROM programmes';
  return `SELECT program, customer, 'from the sales file' AS type, min(date) AS start, max(date) AS "end",
      sum(coalesce(rebate, 0) + coalesce(promo, 0)) AS cost, NULL::DOUBLE AS target
    FROM sales WHERE program IS NOT NULL GROUP BY program, customer`;
}

export async function programmeRoi(
  engine: Engine,
  filters: Filters = {},
  opts: { minControl?: number } = {},
): Promise<ProgrammeRoi[]> {
  const source = await programmeSource(engine);
  if (!source) return [];
  const minControl = opts.minControl ?? 10;
  // The programme table can be replaced without new sales data: read it, never a copy of it.
  const enrol = `(SELECT * FROM (${enrolmentSql(source)}) WHERE ${customersIn('customer', filters)})`;
  const lines = whereSql(programmeFilters(filters));
  const programmes = await engine.query<{
    program: string;
    type: string;
    start: string;
    end: string;
    cost: number;
    days: number;
  }>(`SELECT program,
      any_value(type) AS type, strftime(min(start), '%Y-%m-%d') AS start, strftime(max("end"), '%Y-%m-%d') AS "end",
      coalesce(sum(cost), 0) AS cost, date_diff('day', min(start), max("end")) + 1 AS days
    FROM ${enrol} WHERE start IS NOT NULL AND "end" IS NOT NULL GROUP BY program ORDER BY min(start), program`);
  const [span] = await engine.query<{ lo: string }>("SELECT strftime(min(date), '%Y-%m-%d') AS lo FROM sales");
  const out: ProgrammeRoi[] = [];
  for (const p of programmes) {
    const [w] = await engine.query<{ b0: string; b1: string; bm: string }>(`SELECT
        strftime(DATE ${str(p.start)} - INTERVAL ${p.days} DAY, '%Y-%m-%d') AS b0,
        strftime(DATE ${str(p.start)} - INTERVAL 1 DAY, '%Y-%m-%d') AS b1,
        strftime(DATE ${str(p.start)} - INTERVAL ${Math.ceil(p.days / 2)} DAY, '%Y-%m-%d') AS bm`);
    if (!w) continue;
    // Control: customers in no programme that overlaps the baseline or the period, so that another
    // programme's effect does not leak into the counterfactual trend.
    const [g] = await engine.query<
      Record<string, number | null>
    >(`WITH t AS (SELECT DISTINCT customer FROM ${enrol} WHERE program = ${str(p.program)}),
      other AS (SELECT DISTINCT customer FROM ${enrol} WHERE program <> ${str(p.program)}
        AND start <= DATE ${str(p.end)} AND "end" >= DATE ${str(w.b0)}),
      s AS (SELECT sales.*, (customer IN (SELECT customer FROM t)) AS treated FROM sales
        ${andWhere(lines, '(customer IN (SELECT customer FROM t) OR customer NOT IN (SELECT customer FROM other))')})
      SELECT
        count(DISTINCT customer) FILTER (WHERE treated) AS n_t, count(DISTINCT customer) FILTER (WHERE NOT treated) AS n_c,
        sum(profit) FILTER (WHERE treated AND date BETWEEN DATE ${str(p.start)} AND DATE ${str(p.end)}) AS gp_tp,
        sum(profit) FILTER (WHERE treated AND date BETWEEN DATE ${str(w.b0)} AND DATE ${str(w.b1)}) AS gp_tb,
        sum(profit) FILTER (WHERE NOT treated AND date BETWEEN DATE ${str(p.start)} AND DATE ${str(p.end)}) AS gp_cp,
        sum(profit) FILTER (WHERE NOT treated AND date BETWEEN DATE ${str(w.b0)} AND DATE ${str(w.b1)}) AS gp_cb,
        sum(amount) FILTER (WHERE treated AND date BETWEEN DATE ${str(p.start)} AND DATE ${str(p.end)}) AS rv_tp,
        sum(amount) FILTER (WHERE treated AND date BETWEEN DATE ${str(w.b0)} AND DATE ${str(w.b1)}) AS rv_tb,
        sum(amount) FILTER (WHERE NOT treated AND date BETWEEN DATE ${str(p.start)} AND DATE ${str(p.end)}) AS rv_cp,
        sum(amount) FILTER (WHERE NOT treated AND date BETWEEN DATE ${str(w.b0)} AND DATE ${str(w.b1)}) AS rv_cb,
        sum(profit) FILTER (WHERE treated AND date BETWEEN DATE ${str(w.b0)} AND DATE ${str(w.bm)} - INTERVAL 1 DAY) AS gp_tb1,
        sum(profit) FILTER (WHERE treated AND date BETWEEN DATE ${str(w.bm)} AND DATE ${str(w.b1)}) AS gp_tb2,
        sum(profit) FILTER (WHERE NOT treated AND date BETWEEN DATE ${str(w.b0)} AND DATE ${str(w.bm)} - INTERVAL 1 DAY) AS gp_cb1,
        sum(profit) FILTER (WHERE NOT treated AND date BETWEEN DATE ${str(w.bm)} AND DATE ${str(w.b1)}) AS gp_cb2
      FROM s`);
    if (!g) continue;
    const v = (k: string) => (g[k] == null ? 0 : Number(g[k]));
    const warnings: string[] = [];
    const did = (tp: number, tb: number, cp: number, cb: number) => (cb > 0 && tb !== 0 ? tp - tb * (cp / cb) : null);
    const incGp = did(v('gp_tp'), v('gp_tb'), v('gp_cp'), v('gp_cb'));
    const incRev = did(v('rv_tp'), v('rv_tb'), v('rv_cp'), v('rv_cb'));
    if (v('n_c') < minControl) warnings.push(`Control group has only ${v('n_c')} customers: the estimate is fragile.`);
    if (v('gp_cb') <= 0) warnings.push('The control group made no profit in the baseline: no estimate.');
    if (v('gp_tb') === 0) warnings.push('The treated customers had no sales in the baseline: no estimate.');
    if (span?.lo && w.b0 < span.lo) warnings.push(`The baseline starts ${w.b0}, before the data (${span.lo}).`);
    const gt = v('gp_tb1') ? v('gp_tb2') / v('gp_tb1') : null;
    const gc = v('gp_cb1') ? v('gp_cb2') / v('gp_cb1') : null;
    const preTrendRatio = gt !== null && gc ? gt / gc : null;
    const parallel = preTrendRatio === null ? null : Math.abs(preTrendRatio - 1) <= 0.1;
    if (parallel === false) {
      warnings.push(
        `Pre-period trends are not parallel: between the two halves of the baseline the treated customers grew ${Math.abs((preTrendRatio ?? 1) * 100 - 100).toFixed(0)}% ${(preTrendRatio ?? 1) > 1 ? 'faster' : 'slower'} than the control group, so read the estimate with care.`,
      );
    }
    out.push({
      program: p.program,
      type: p.type,
      start: p.start,
      end: p.end,
      baselineStart: w.b0,
      baselineEnd: w.b1,
      treated: v('n_t'),
      control: v('n_c'),
      cost: p.cost,
      gpTreatedP: v('gp_tp'),
      gpTreatedB: v('gp_tb'),
      gpControlP: v('gp_cp'),
      gpControlB: v('gp_cb'),
      incrementalGp: incGp,
      incrementalRevenue: incRev,
      roi: incGp !== null && p.cost > 0 ? (incGp - p.cost) / p.cost : null,
      costPerIncrementalRevenue: incRev && incRev > 0 ? p.cost / incRev : null,
      preTrendRatio,
      parallel,
      warnings,
    });
  }
  return out;
}

/** Revenue in the programme period against the written target, for every supported customer. */
export async function targetAttainment(engine: Engine, filters: Filters = {}): Promise<TargetRow[]> {
  const source = await programmeSource(engine);
  if (!source) return [];
  const lines = whereSql(programmeFilters(filters));
  return engine.query<TargetRow>(`WITH e AS (SELECT * FROM (${enrolmentSql(source)}) WHERE ${customersIn('customer', filters)}),
      s AS (SELECT * FROM sales ${lines})
    SELECT e.program, e.customer, coalesce(any_value(s.customer_name), e.customer) AS label, any_value(e.cost) AS cost,
      any_value(e.target) AS target, coalesce(sum(s.amount), 0) AS revenue,
      coalesce(sum(s.amount), 0) / NULLIF(any_value(e.target), 0) AS attainment
    FROM e LEFT JOIN s ON s.customer = e.customer AND s.date BETWEEN e.start AND e."end"
    GROUP BY e.program, e.customer ORDER BY e.program, attainment NULLS FIRST`);
}

/**
 * Costs booked in a programme file, by programme type (contests and other programmes that order lines do not
 * carry). Kept apart from the line-level incentive spend: a rebate programme's cost may also be in a rebate column.
 */
export async function programmeCosts(
  engine: Engine,
  filters: Filters = {},
): Promise<{ type: string; cost: number }[] | null> {
  if ((await programmeSource(engine)) !== 'file') return null;
  return engine.query<{ type: string; cost: number }>(
    `SELECT type, sum(cost) AS cost FROM programmes WHERE ${customersIn('customer', filters)} GROUP BY type ORDER BY cost DESC`,
  );
}
