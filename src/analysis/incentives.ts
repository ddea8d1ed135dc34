/**
 * Incentive spend, discount depth bands, break-even volume, the price waterfall and the pocket price band.
 * Definitions from DESIGN.md: incentive cost per line = discount amount + rebate + promotion/co-op cost;
 * pocket price = invoice (net) price less rebates, promotions and freight.
 */
import { format } from 'd3';
import type { Engine } from '../data/engine';
import { str } from '../data/parse';
import { cachedTable } from './cache';
import { customerFull } from './customers';
import { andWhere, type Filters, whereSql } from './filters';
import { quarterLabel } from './periods';
import { BANDS, bandSql, LABEL_SQL, POCKET_SQL } from './rules';

export { BANDS, bandSql };

export interface IncentiveSpend {
  discount: number | null;
  rebate: number | null;
  promo: number | null;
  total: number;
  gross: number | null;
  net: number;
  byQuarter: { quarter: string; type: string; cost: number }[];
  byCustomer: {
    customer: string;
    label: string;
    cost: number;
    gross: number | null;
    net: number;
    margin: number | null;
  }[];
}

const TYPES: [string, string][] = [
  ['discount_amount', 'On-invoice discount'],
  ['rebate', 'Rebate'],
  ['promo', 'Co-op / promotion'],
];

export async function incentiveSpend(engine: Engine, filters: Filters): Promise<IncentiveSpend | null> {
  const where = whereSql(filters);
  const [t] = await engine.query<Record<string, number | null>>(`SELECT
      CASE WHEN count(discount_amount) > 0 THEN sum(discount_amount) END AS discount,
      CASE WHEN count(rebate) > 0 THEN sum(rebate) END AS rebate,
      CASE WHEN count(promo) > 0 THEN sum(promo) END AS promo,
      CASE WHEN count(gross) > 0 THEN sum(gross) END AS gross, sum(amount) AS net FROM sales ${where}`);
  if (!t || (t.discount === null && t.rebate === null && t.promo === null)) return null;
  const parts = TYPES.filter(([c]) => t[c === 'discount_amount' ? 'discount' : c] !== null);
  const byQuarter = await engine.query<IncentiveSpend['byQuarter'][number]>(`SELECT quarter, type, cost FROM (
      SELECT ${quarterLabel('q')} AS quarter, * EXCLUDE (q) FROM (
        SELECT date_trunc('quarter', date) AS q,
          ${parts.map(([c]) => `sum(${c}) AS ${str(c).replaceAll("'", '"')}`).join(', ')}
        FROM sales ${andWhere(where, 'date IS NOT NULL')} GROUP BY 1))
    UNPIVOT (cost FOR type IN (${parts.map(([c, label]) => `"${c}" AS ${str(label)}`).join(', ')}))
    ORDER BY quarter`);
  const cust = await customerFull(engine, filters);
  const byCustomer = await engine.query<
    IncentiveSpend['byCustomer'][number]
  >(`SELECT customer, label, incentives AS cost,
      gross, revenue AS net, profit / NULLIF(revenue, 0) AS margin FROM ${cust} ORDER BY incentives DESC LIMIT 15`);
  return {
    discount: t.discount ?? null,
    rebate: t.rebate ?? null,
    promo: t.promo ?? null,
    total: (t.discount ?? 0) + (t.rebate ?? 0) + (t.promo ?? 0),
    gross: t.gross ?? null,
    net: t.net ?? 0,
    byQuarter,
    byCustomer,
  };
}

export interface Band {
  band: number;
  label: string;
  lines: number;
  customers: number;
  revenue: number;
  margin: number | null;
  lossShare: number | null;
}

export async function discountBands(engine: Engine, filters: Filters): Promise<Band[] | null> {
  const where = whereSql(filters);
  const rows = await engine.query<Omit<Band, 'label'>>(`SELECT ${bandSql('discount_rate')} AS band, sum(lines) AS lines,
      count(DISTINCT customer) AS customers, sum(amount) AS revenue, sum(profit) / NULLIF(sum(amount), 0) AS margin,
      CASE WHEN sum(profit_lines) > 0 THEN sum(loss_lines) / sum(profit_lines) END AS "lossShare"
    FROM sales ${andWhere(where, 'discount_rate IS NOT NULL')} GROUP BY 1 ORDER BY 1`);
  // No line with a discount rate (none in the file, or none under the filters): no bands.
  if (!rows.length) return null;
  return BANDS.map((label, band) => {
    const r = rows.find((x) => x.band === band);
    return r ? { ...r, label } : { band, label, lines: 0, customers: 0, revenue: 0, margin: null, lossShare: null };
  });
}

/** A band in words: "undiscounted lines", "lines discounted 10–20%", "lines discounted more than 30%". */
function bandLines(b: Band): string {
  if (b.band === 0) return 'undiscounted lines';
  if (b.band === BANDS.length - 1) return 'lines discounted more than 30%';
  return `lines discounted ${b.label}`;
}

/** What the bands say about "the more discount, the better", in one sentence from the data. */
export function bandSentence(bands: Band[]): string | null {
  const used = bands.filter((b) => b.lines > 0 && b.margin !== null);
  if (used.length < 2) return null;
  const losing = used.filter((b) => (b.lossShare ?? 0) > 0.5);
  const first = used[0] as Band;
  const last = used[used.length - 1] as Band;
  // A fall of less than a percentage point is no answer to "the more discount, the better" ("falls from 30.1% to
  // 30.0%" on the bench's lines, whose cost is drawn apart from the discount).
  const trend =
    (first.margin ?? 0) - (last.margin ?? 0) >= 0.01
      ? `Margin falls from ${pct(first.margin)} on ${bandLines(first)} to ${pct(last.margin)} on ${bandLines(last)}`
      : `Margin does not fall with discount depth (${pct(first.margin)} on ${bandLines(first)}, ${pct(last.margin)} on ${bandLines(last)})`;
  const loss =
    losing.length === 0
      ? '; no band loses money on most of its lines.'
      : losing.length === 1
        ? `; most ${losing[0]?.label} lines lose money.`
        : `; most lines lose money in every band from ${losing[0]?.label} up.`;
  return trend + loss;
}

const pct1 = format('.1%');
const pct = (v: number | null) => (v === null ? 'n/a' : pct1(v));

/**
 * Nagle and Hogan: the volume change needed for a price change dP (a fraction of price, negative for a
 * discount) to leave the contribution unchanged, at unit contribution margin cm: -dP / (cm + dP).
 */
export function breakEvenVolume(discount: number, cm: number): number | null {
  const dP = -discount;
  if (cm + dP <= 0) return null;
  return -dP / (cm + dP);
}

export interface Waterfall {
  label: string;
  list: number;
  discount: number;
  invoice: number;
  rebate: number;
  promo: number;
  freight: number;
  pocket: number;
  /** pocket / list */
  pocketShare: number;
}

export type WaterfallDim = 'portfolio' | 'customer' | 'segment' | 'product' | 'category' | 'region';

/** The largest values of a dimension (by revenue) with list prices under the filters: the waterfall's choices. */
export async function waterfallValues(engine: Engine, filters: Filters, dim: WaterfallDim): Promise<string[]> {
  if (dim === 'portfolio') return [];
  const rows = await engine.query<{ v: string }>(
    `SELECT ${dim} AS v FROM sales ${andWhere(whereSql(filters), `${dim} IS NOT NULL AND gross IS NOT NULL`)}
     GROUP BY 1 ORDER BY sum(amount) DESC, 1 LIMIT 100`,
  );
  return rows.map((r) => r.v);
}

export async function priceWaterfall(
  engine: Engine,
  filters: Filters,
  dim: WaterfallDim = 'portfolio',
  value?: string,
): Promise<Waterfall | null> {
  let where = whereSql(filters);
  if (dim !== 'portfolio' && value !== undefined) where = andWhere(where, `${dim} = ${str(value)}`);
  // The invoice value is list less on-invoice discount; it equals net revenue unless the file prices lines
  // apart from their amount (MSRP and PRICEEACH beside SALES).
  const [w] = await engine.query<Waterfall & { n: number }>(`SELECT count(gross) AS n, sum(gross) AS list,
      sum(discount_amount) AS discount, sum(gross - discount_amount) AS invoice, coalesce(sum(rebate), 0) AS rebate,
      coalesce(sum(promo), 0) AS promo, coalesce(sum(freight), 0) AS freight
    FROM sales ${andWhere(where, 'gross IS NOT NULL')}`);
  if (!w?.n || !w.list) return null;
  const pocket = w.invoice - w.rebate - w.promo - w.freight;
  return {
    label: dim === 'portfolio' ? 'Portfolio' : String(value),
    list: w.list,
    discount: w.discount ?? w.list - w.invoice,
    invoice: w.invoice,
    rebate: w.rebate,
    promo: w.promo,
    freight: w.freight,
    pocket,
    pocketShare: pocket / w.list,
  };
}

export interface PocketBand {
  customers: { customer: string; label: string; revenue: number; pocketShare: number }[];
  p5: number;
  p95: number;
  mean: number;
  /** (P95 - P5) / mean of pocket price as % of list, across customers. */
  width: number;
  /** Spearman rank correlation of pocket % with customer revenue: below zero, bigger customers pay less. */
  rankCorrelation: number | null;
}

export async function pocketBand(engine: Engine, filters: Filters): Promise<PocketBand | null> {
  const where = whereSql(filters);
  const table = await cachedTable(
    engine,
    'pocket',
    `SELECT customer, ${LABEL_SQL} AS label, sum(amount) AS revenue, (${POCKET_SQL}) / sum(gross) AS "pocketShare"
    FROM sales ${andWhere(where, 'gross IS NOT NULL')} GROUP BY customer HAVING sum(gross) > 0 AND sum(amount) > 0`,
  );
  const [s] = await engine.query<{
    n: number;
    p5: number;
    p95: number;
    mean: number;
    rho: number | null;
  }>(`-- Shares equal but for the order their sums were added in (a summary's groups) tie, as equal shares should.
    SELECT count(*) AS n,
      quantile_cont("pocketShare", 0.05) AS p5, quantile_cont("pocketShare", 0.95) AS p95, avg("pocketShare") AS mean,
      corr(r1, r2) AS rho
    FROM (SELECT *, rank() OVER (ORDER BY round("pocketShare", 9)) AS r1, rank() OVER (ORDER BY round(revenue, 6)) AS r2
      FROM ${table})`);
  if (!s?.n) return null;
  const customers = await engine.query<PocketBand['customers'][number]>(
    `SELECT * FROM ${table} ORDER BY revenue DESC, customer LIMIT 5000`,
  );
  return { customers, p5: s.p5, p95: s.p95, mean: s.mean, width: (s.p95 - s.p5) / s.mean, rankCorrelation: s.rho };
}
