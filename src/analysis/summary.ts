/**
 * The summary of order lines at the grain the analyses need (customer × month × region × segment × category ×
 * rep × discount band), for data larger than a browser tab: run where the lines live, its result is small enough
 * to drop on the page. Written in the SQL that DuckDB, Spark SQL, BigQuery and Snowflake share (EXTRACT, CASE,
 * SUM, COUNT, COUNT(DISTINCT), GROUP BY ordinals; no casts with ::, no FILTER, no date_trunc, no any_value), over a
 * relation `sales` with the canonical columns of DESIGN.md. `sql/summary.sql` is this text (a test keeps them
 * equal). The discount bands are the app's own (rules.ts).
 */
import { bandSql } from './rules';

export { SUMMARY_FORMAT } from '../data/readers/parquet-arrow';

/** Money and quantity columns summed per group. */
export const SUMMED = [
  'quantity',
  'amount',
  'gross',
  'discount_amount',
  'cost',
  'profit',
  'customer_profit',
  'rebate',
  'promo',
  'freight',
] as const;

/** The grain columns a summary can leave out to hold fewer groups (customer and month always stay). */
export const OPTIONAL_GRAIN = ['region', 'segment', 'category', 'rep', 'discount_band'] as const;
export type OptionalGrain = (typeof OPTIONAL_GRAIN)[number];

/** `without`: grain columns left out, written as typed NULLs so every summary has the same columns. */
export function summarySql(source = 'sales', without: readonly OptionalGrain[] = []): string {
  const col = (c: OptionalGrain, expr: string, type: string) =>
    without.includes(c) ? `CAST(NULL AS ${type}) AS ${c}` : `${expr} AS ${c}`;
  return `SELECT
  customer,
  MAX(customer_name) AS customer_name,
  EXTRACT(YEAR FROM date) AS year,
  EXTRACT(MONTH FROM date) AS month,
  ${col('region', 'region', 'VARCHAR')},
  ${col('segment', 'segment', 'VARCHAR')},
  ${col('category', 'category', 'VARCHAR')},
  ${col('rep', 'rep', 'VARCHAR')},
  ${col('discount_band', `CASE WHEN discount_rate IS NULL THEN NULL ELSE ${bandSql('discount_rate').replace(/\s+/g, ' ')} END`, 'INTEGER')},
  COUNT(*) AS lines,
  COUNT(DISTINCT order_id) AS orders,
  SUM(CASE WHEN profit < 0 THEN 1 ELSE 0 END) AS loss_lines,
  COUNT(profit) AS profit_lines,
${SUMMED.map((c) => `  SUM(${c}) AS ${c}`).join(',\n')}
FROM ${source}
GROUP BY 1, 3, 4, 5, 6, 7, 8, 9
`;
}
