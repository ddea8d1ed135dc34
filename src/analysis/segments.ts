/**
 * Revenue and profit by customer segment/type: tests "big customers bring volume, small ones bring profit".
 * Each segment's customers are also split by ABC class of the whole portfolio.
 */
import type { Engine } from '../data/engine';
import { customerFull } from './customers';
import type { Filters } from './filters';
import { type ParetoOptions, rankedTable, withClass } from './pareto';

export interface SegmentRow {
  segment: string;
  customers: number;
  a_customers: number;
  revenue: number;
  profit: number | null;
  margin: number | null;
  revenue_per_customer: number;
  profit_per_customer: number | null;
}

export async function bySegment(engine: Engine, filters: Filters, o: ParetoOptions): Promise<SegmentRow[]> {
  // Classes by revenue, whatever the Pareto metric; the same ranked table when the metric is revenue.
  const ranked = await rankedTable(engine, await customerFull(engine, filters), { ...o, metric: 'revenue' });
  return engine.query<SegmentRow>(`WITH x AS (SELECT * FROM ${withClass(ranked, o)})
    SELECT coalesce(x.segment, '(none)') AS segment, count(*) AS customers, count(*) FILTER (WHERE cls = 'A') AS a_customers,
      sum(revenue) AS revenue, sum(profit) AS profit, sum(profit) / NULLIF(sum(revenue), 0) AS margin,
      sum(revenue) / count(*) AS revenue_per_customer, sum(profit) / count(*) AS profit_per_customer
    FROM x GROUP BY ALL ORDER BY revenue DESC`);
}

/** Margin by ABC class: is the A class's margin below the C class's? */
export function volumeVsProfitSentence(classes: { cls: string; margin: number | null }[]): string | null {
  const a = classes.find((c) => c.cls === 'A')?.margin;
  const c = classes.find((c) => c.cls === 'C')?.margin;
  if (a == null || c == null) return null;
  const pts = ((a - c) * 100).toFixed(1);
  if (Math.abs(a - c) < 0.01)
    return `Big (A) and small (C) customers earn about the same margin (${(a * 100).toFixed(1)}% vs ${(c * 100).toFixed(1)}%).`;
  return a < c
    ? `In this file big customers earn less: A-class margin is ${(a * 100).toFixed(1)}%, C-class ${(c * 100).toFixed(1)}% (${pts} points).`
    : `In this file big customers do not earn less: A-class margin is ${(a * 100).toFixed(1)}%, C-class ${(c * 100).toFixed(1)}% (+${pts} points).`;
}
