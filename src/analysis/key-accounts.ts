/**
 * Key-account monitoring: the accounts that matter, quarter by quarter, and the alerts a key-account team acts on.
 * Pure SQL over `sales` for a list of customer keys; the list itself lives in the view state (and the browser's
 * storage), never in the data.
 */
import { format } from 'd3';
import type { Engine } from '../data/engine';
import { str } from '../data/parse';
import { ACCOUNT_TYPES } from '../state/app-state';
import { cachedTable } from './cache';
import { andWhere, conditionSql, customerListSql, type Filters, whereSql } from './filters';
import { daysBetween, resolvePeriod } from './periods';
import { LABEL_SQL, type MarginKind, num, profitColumn, quadrantSql, SHARE_BEFORE } from './rules';

export { ACCOUNT_TYPES };
export type AccountType = (typeof ACCOUNT_TYPES)[number];
export const ACCOUNT_TYPE_LABELS: Record<AccountType, string> = {
  major: 'Major economic (volume)',
  important: 'Important',
  group: 'Group (chain or industry group)',
  strategic: 'Strategic',
};

export interface KeyAccount {
  customer: string;
  type: AccountType;
}

/** The type a customer-type value names, if any ("Strategic account", "Group buyer", "大客户", …). */
export function typeOf(segment: string | null | undefined): AccountType | null {
  const s = (segment ?? '').toLowerCase();
  if (/strateg|战略/.test(s)) return 'strategic';
  if (/group|chain|集团|连锁/.test(s)) return 'group';
  if (/\bkey\b|major|大客户|重点|核心/.test(s)) return 'major';
  if (/important|重要/.test(s)) return 'important';
  return null;
}

/** How many accounts a list starts with at most: a key-account team follows the largest, not a quarter of all. */
export const START_LIMIT = 200;

/**
 * Key accounts named by the file's customer-type column, the largest first, at most `limit` of them: the list a
 * team starts from. `named` says how many the column names in all.
 */
export async function keyAccountsFromSegments(
  engine: Engine,
  limit = START_LIMIT,
): Promise<{ list: KeyAccount[]; named: number }> {
  // The few distinct segment labels are classified here; only the customers of a key-account segment, and only
  // the first `limit` of them, come back (a million customers would block the page for a second).
  const segments = await engine.query<{ segment: string }>(
    'SELECT DISTINCT segment FROM sales WHERE segment IS NOT NULL LIMIT 1000',
  );
  const typed = new Map(segments.flatMap((r) => (typeOf(r.segment) ? [[r.segment, typeOf(r.segment)]] : [])));
  if (!typed.size) return { list: [], named: 0 };
  const rows = await engine.query<{ customer: string; segment: string; n: number }>(
    `SELECT customer, any_value(segment) AS segment, count(*) OVER () AS n FROM sales
     WHERE segment IN (${[...typed.keys()].map(str).join(', ')})
     GROUP BY customer ORDER BY sum(amount) DESC, customer LIMIT ${limit}`,
  );
  const list = rows.map((r) => ({ customer: r.customer, type: typed.get(r.segment) as AccountType }));
  return { list, named: Number(rows[0]?.n ?? 0) };
}

/** The customers of class A by revenue under some filters: "all A-class customers of the last 4 quarters". */
export async function classACustomers(
  engine: Engine,
  filters: Filters,
  a: number,
  limit = START_LIMIT,
): Promise<{ customers: string[]; inClass: number }> {
  const rows = await engine.query<{
    customer: string;
    n: number;
  }>(`WITH c AS (SELECT customer, sum(amount) AS m FROM sales
      ${whereSql(filters)} GROUP BY customer HAVING sum(amount) > 0),
    r AS (SELECT customer, m, sum(m) OVER (ORDER BY m DESC, customer ROWS UNBOUNDED PRECEDING) AS cum,
        sum(m) OVER () AS t FROM c)
    SELECT customer, count(*) OVER () AS n FROM r WHERE (cum - m) / t < ${a} - 1e-12 ORDER BY m DESC, customer
    LIMIT ${limit}`);
  return { customers: rows.map((r) => r.customer), inClass: Number(rows[0]?.n ?? 0) };
}

/** A list of customer keys as a table of one column, `customer`: queries name the table, not thousands of keys. */
export interface KeySet {
  table: string;
  size: number;
}

export async function keySet(engine: Engine, ids: string[]): Promise<KeySet> {
  if (!ids.length) return { table: '(SELECT NULL::VARCHAR AS customer WHERE false)', size: 0 };
  const table = await cachedTable(engine, 'keys', customerListSql(ids));
  return { table, size: ids.length };
}

export const inKeys = (k: KeySet) => (k.size ? `customer IN (SELECT customer FROM ${k.table})` : 'false');

export interface AccountQuarter {
  customer: string;
  quarter: string;
  /** The quarter's first day. */
  start: string;
  revenue: number;
  profit: number | null;
  incentives: number | null;
  gross: number | null;
}

/** Each key account's revenue, profit and incentives by quarter over `history` (ending at the period's end). */
export function accountQuarters(engine: Engine, history: Filters, keys: KeySet): Promise<AccountQuarter[]> {
  return engine.query<AccountQuarter>(`SELECT customer, strftime(q, '%Y') || '-Q' || quarter(q) AS quarter,
      strftime(q, '%Y-%m-%d') AS start, revenue, profit, incentives, gross FROM (
        SELECT customer, date_trunc('quarter', date) AS q, sum(amount) AS revenue, sum(customer_profit) AS profit,
          CASE WHEN count(discount_amount) + count(rebate) + count(promo) > 0
            THEN sum(coalesce(discount_amount, 0) + coalesce(rebate, 0) + coalesce(promo, 0)) END AS incentives,
          sum(gross) AS gross
        FROM sales ${andWhere(whereSql(history), `${inKeys(keys)} AND date IS NOT NULL`)} GROUP BY 1, 2)
    ORDER BY customer, q`);
}

export interface AccountFigures {
  customer: string;
  label: string;
  revenue: number;
  /** Customer profit: gross profit less rebates, promotions and freight. */
  profit: number | null;
  grossProfit: number | null;
  incentives: number | null;
  gross: number | null;
  /** The earlier period's (compare) figures. */
  revenueBefore: number;
  profitBefore: number | null;
}

/** Each key account in the period and in the one it is compared with (customer profit, after cost-to-serve). */
export async function accountFigures(
  engine: Engine,
  later: Filters,
  earlier: Filters | null,
  keys: KeySet,
): Promise<AccountFigures[]> {
  // One scan of the key accounts' lines: the later period, the earlier one, and their names.
  const a = conditionSql(later);
  const b = earlier ? conditionSql(earlier) : 'false';
  const spend = 'coalesce(discount_amount, 0) + coalesce(rebate, 0) + coalesce(promo, 0)';
  return engine.query<AccountFigures>(`WITH s AS (SELECT customer, ${LABEL_SQL} AS label,
        sum(amount) FILTER (WHERE ${a}) AS revenue, sum(customer_profit) FILTER (WHERE ${a}) AS profit,
        sum(profit) FILTER (WHERE ${a}) AS "grossProfit",
        CASE WHEN count(discount_amount) FILTER (WHERE ${a}) + count(rebate) FILTER (WHERE ${a})
            + count(promo) FILTER (WHERE ${a}) > 0 THEN sum(${spend}) FILTER (WHERE ${a}) END AS incentives,
        sum(gross) FILTER (WHERE ${a}) AS gross,
        sum(amount) FILTER (WHERE ${b}) AS before, sum(customer_profit) FILTER (WHERE ${b}) AS "profitBefore"
      FROM sales WHERE ${inKeys(keys)} AND ((${a}) OR (${b})) GROUP BY customer)
    SELECT k.customer, coalesce(s.label, k.customer) AS label, coalesce(s.revenue, 0) AS revenue, s.profit, s."grossProfit",
      s.incentives, s.gross, coalesce(s.before, 0) AS "revenueBefore", s."profitBefore"
    FROM (SELECT customer FROM ${keys.table}) k LEFT JOIN s USING (customer)
    ORDER BY revenue DESC, k.customer`);
}

export interface OrderRhythm {
  customer: string;
  /** Days with an order (distinct order dates). */
  orders: number;
  medianGap: number | null;
  last: string;
  /** From the last order to the end of the data in view (never today). */
  daysSince: number;
}

/** How often each key account orders and how long since its last order, up to `end`. */
export async function orderRhythm(engine: Engine, history: Filters, keys: KeySet, end: string): Promise<OrderRhythm[]> {
  const rows = await engine.query<Omit<OrderRhythm, 'daysSince'>>(`WITH d AS (
      SELECT DISTINCT customer, date FROM sales ${andWhere(whereSql(history), `${inKeys(keys)} AND date IS NOT NULL`)}),
    g AS (SELECT customer, date, date - lag(date) OVER (PARTITION BY customer ORDER BY date) AS gap FROM d)
    SELECT customer, count(*) AS orders, median(gap) AS "medianGap", strftime(max(date), '%Y-%m-%d') AS last
    FROM g GROUP BY customer`);
  return rows.map((r) => ({ ...r, daysSince: daysBetween(r.last, end) }));
}

export type AlertKind = 'drop' | 'loss' | 'overdue' | 'enteredA' | 'leftA' | 'dependence' | 'plan';

export interface Alert {
  kind: AlertKind;
  /** The account it is about; none for the portfolio (growing dependence). */
  customer: string | null;
  label: string;
  reason: string;
  /** The figure behind it: the change, the loss, the days, the share … as a raw number. */
  figure: number;
}

export const ALERT_TITLES: Record<AlertKind, string> = {
  drop: 'Revenue down',
  loss: 'Turned loss-making',
  overdue: 'Overdue',
  enteredA: 'New A account',
  leftA: 'Lost A account',
  dependence: 'Growing dependence',
  plan: 'Below plan',
};

export interface AlertInput {
  figures: AccountFigures[];
  /** The drop that raises an alert, as a fraction (0.2 = 20%). */
  drop: number;
  rhythm: OrderRhythm[];
  /** Customers that entered class A and that left it between the two periods, with their names. */
  enteredA: { customer: string; label: string; from: string }[];
  leftA: { customer: string; label: string; to: string }[];
  /** Concentration by quarter, oldest first. */
  dependence: { quarter: string; top10: number; hhi: number }[];
  plan: { customer: string; label: string; attainment: number | null; runRate: number | null }[];
  labels: Map<string, string>;
  /** What the earlier period is called ("2025 Q2"). */
  earlier: string;
}

/** The alerts about accounts on the key list (the others are about class A, concentration or the plan). */
export function alertsOnKeys(alerts: Alert[], keys: { customer: string }[]): Alert[] {
  const on = new Set(keys.map((k) => k.customer));
  return alerts.filter((a) => a.customer !== null && on.has(a.customer));
}

/** The alert rules of the key-account view, each with its reason and its figure. */
export function alertsOf(x: AlertInput): Alert[] {
  const out: Alert[] = [];
  for (const f of x.figures) {
    if (f.revenueBefore > 0 && f.revenue < f.revenueBefore * (1 - x.drop)) {
      const change = f.revenue / f.revenueBefore - 1;
      out.push({
        kind: 'drop',
        customer: f.customer,
        label: f.label,
        reason: `revenue ${pct(change)} against ${x.earlier} (${money(f.revenueBefore)} → ${money(f.revenue)})`,
        figure: change,
      });
    }
    if (f.profit !== null && f.profit < 0 && f.profitBefore !== null && f.profitBefore >= 0)
      out.push({
        kind: 'loss',
        customer: f.customer,
        label: f.label,
        reason: `customer profit ${money(f.profit)} after ${money(f.profitBefore)} in ${x.earlier}`,
        figure: f.profit,
      });
  }
  for (const r of x.rhythm) {
    if (r.orders >= 4 && r.medianGap !== null && r.daysSince > 2 * r.medianGap)
      out.push({
        kind: 'overdue',
        customer: r.customer,
        label: x.labels.get(r.customer) ?? r.customer,
        reason: `no order for ${r.daysSince} days (last ${r.last}); it usually orders every ${r.medianGap} days`,
        figure: r.daysSince,
      });
  }
  for (const c of x.enteredA)
    out.push({
      kind: 'enteredA',
      customer: c.customer,
      label: c.label,
      reason: c.from === 'new' ? 'new customer, straight into class A' : `moved from class ${c.from} into class A`,
      figure: 1,
    });
  for (const c of x.leftA)
    out.push({
      kind: 'leftA',
      customer: c.customer,
      label: c.label,
      reason: c.to === 'lost' ? 'an A account with no revenue in the period' : `fell from class A to class ${c.to}`,
      figure: 1,
    });
  const d = x.dependence.slice(-4);
  if (d.length === 4) {
    const rising = (k: 'top10' | 'hhi') => d.every((q, i) => i === 0 || q[k] > (d[i - 1] as (typeof d)[number])[k]);
    const last = d[3] as (typeof d)[number];
    if (rising('top10'))
      out.push({
        kind: 'dependence',
        customer: null,
        label: 'Portfolio',
        reason: `top-10 share higher in each of the last 3 quarters: ${d.map((q) => pct(q.top10, false)).join(' → ')}`,
        figure: last.top10,
      });
    if (rising('hhi'))
      out.push({
        kind: 'dependence',
        customer: null,
        label: 'Portfolio',
        reason: `HHI higher in each of the last 3 quarters: ${d.map((q) => Math.round(q.hhi)).join(' → ')}`,
        figure: last.hhi,
      });
  }
  for (const p of x.plan) {
    const reach = p.runRate ?? p.attainment;
    if (reach !== null && reach < 1)
      out.push({
        kind: 'plan',
        customer: p.customer,
        label: p.label,
        reason:
          p.runRate !== null
            ? `on course for ${pct(p.runRate, false)} of plan at the current run rate`
            : `reached ${pct(reach, false)} of plan`,
        figure: reach,
      });
  }
  return out;
}

const signedPct = format('+.1%');
const plainPct = format('.1%');
const pct = (v: number, signed = true) => (signed ? signedPct(v) : plainPct(v));
const money = format(',.0f');

export interface PlanRow {
  customer: string;
  target: number;
  revenue: number;
  attainment: number;
  /** For a period still running: where the current pace ends, as a share of the target. */
  runRate: number | null;
}

/** Whether a plan file is loaded. */
export async function hasTargets(engine: Engine): Promise<boolean> {
  const [t] = await engine.query<{ n: number }>(
    "SELECT count(*) AS n FROM duckdb_tables() WHERE table_name = 'targets'",
  );
  return Boolean(t?.n);
}

/**
 * Each key account's revenue against its targets for a period (`from` to `end`, shown up to `to`): the targets
 * whose own period lies inside it are summed (monthly targets make a quarter's). `filters` carries no period.
 */
export async function planAttainment(
  engine: Engine,
  filters: Filters,
  keys: KeySet,
  period: { from: string; to: string; end: string },
  fy: number,
): Promise<PlanRow[]> {
  if (!keys.size || !(await hasTargets(engine))) return [];
  const rows = await engine.query<{ customer: string; period: string; target: number }>(
    `SELECT customer, period, target FROM targets WHERE ${inKeys(keys)}`,
  );
  const any = { from: '1000-01-01', to: '9999-12-31' };
  const targets = new Map<string, number>();
  for (const r of rows) {
    const p = resolvePeriod({ period: r.period, from: null, to: null, fy }, any);
    if (p && p.from >= period.from && p.to <= period.end)
      targets.set(r.customer, (targets.get(r.customer) ?? 0) + r.target);
  }
  if (!targets.size) return [];
  const ids = [...targets.keys()];
  const revenue = await engine.query<{ customer: string; revenue: number }>(
    `SELECT customer, sum(amount) AS revenue FROM sales
     ${andWhere(whereSql({ ...filters, from: period.from, to: period.to }), `customer IN (${ids.map(str).join(', ')})`)}
     GROUP BY customer`,
  );
  const done = daysBetween(period.from, period.to) + 1;
  const all = daysBetween(period.from, period.end) + 1;
  return ids.map((customer) => {
    const target = targets.get(customer) as number;
    const r = revenue.find((x) => x.customer === customer)?.revenue ?? 0;
    return {
      customer,
      target,
      revenue: r,
      attainment: target ? r / target : 0,
      runRate: done < all && target ? (r * all) / done / target : null,
    };
  });
}

/** One customer's quadrant of the value matrix in each quarter, each quarter with its own default splits. */
export function quadrantPath(
  engine: Engine,
  history: Filters,
  customer: string,
  a: number,
  margin: MarginKind,
): Promise<{ quarter: string; quadrant: string; revenue: number; margin: number }[]> {
  const p = profitColumn(margin);
  return engine.query(`WITH c AS (
      SELECT date_trunc('quarter', date) AS q, customer, sum(amount) AS revenue, sum(${p}) AS profit,
        sum(profit_lines) AS profit_lines
      FROM sales ${andWhere(whereSql(history), 'date IS NOT NULL')} GROUP BY 1, 2 HAVING sum(amount) > 0),
    r AS (SELECT *, revenue AS m, sum(revenue) OVER w AS cum, sum(revenue) OVER (PARTITION BY q) AS t
      FROM c WINDOW w AS (PARTITION BY q ORDER BY revenue DESC, customer ROWS UNBOUNDED PRECEDING)),
    s AS (SELECT q, min(revenue) FILTER (WHERE ${SHARE_BEFORE} < ${num(a)} - 1e-12) AS x,
        sum(profit) FILTER (WHERE profit_lines > 0) / NULLIF(sum(revenue) FILTER (WHERE profit_lines > 0), 0) AS y
      FROM r GROUP BY q)
    SELECT strftime(r.q, '%Y') || '-Q' || quarter(r.q) AS quarter,
      ${quadrantSql('r.revenue', 'r.profit / r.revenue', 's.x', 's.y')} AS quadrant,
      r.revenue, r.profit / r.revenue AS margin
    FROM r JOIN s USING (q) WHERE r.customer = ${str(customer)} AND r.profit_lines > 0 ORDER BY r.q`);
}
