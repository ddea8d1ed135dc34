/**
 * Concentration by quarter: how dependent the business is on a few customers, quarter after quarter (top-1,
 * top-10 and top-20% share, HHI, Gini, the share of customers for 80%). One query: customers ranked within each
 * quarter by window functions, the same definitions as the Pareto view (DESIGN.md; customers with a positive
 * metric only).
 */
import type { Engine } from '../data/engine';
import { andWhere, type Filters, whereSql } from './filters';
import { quarterLabel } from './periods';
import type { ParetoMetric } from './rules';

/** The order-line column each Pareto metric sums. */
const LINE_COLUMN: Record<ParetoMetric, string> = {
  revenue: 'amount',
  profit: 'profit',
  customer_profit: 'customer_profit',
  quantity: 'quantity',
};

export interface QuarterConcentration {
  quarter: string;
  /** The quarter's first day. */
  start: string;
  customers: number;
  /** The metric's total. */
  revenue: number;
  top1: number;
  top10: number;
  top20Share: number;
  hhi: number;
  gini: number;
  customersFor80Share: number;
}

export async function concentrationByQuarter(
  engine: Engine,
  filters: Filters,
  metric: ParetoMetric = 'revenue',
): Promise<QuarterConcentration[]> {
  const where = andWhere(whereSql(filters), 'date IS NOT NULL');
  const col = LINE_COLUMN[metric];
  return engine.query<QuarterConcentration>(`WITH c AS (
      SELECT date_trunc('quarter', date) AS q, customer, sum(${col}) AS m FROM sales ${where}
      GROUP BY 1, 2 HAVING sum(${col}) > 0),
    r AS (SELECT q, m, row_number() OVER w AS k, count(*) OVER (PARTITION BY q) AS n, sum(m) OVER (PARTITION BY q) AS t,
        sum(m) OVER (w ROWS UNBOUNDED PRECEDING) AS cum
      FROM c WINDOW w AS (PARTITION BY q ORDER BY m DESC, customer))
    SELECT ${quarterLabel('q')} AS quarter, strftime(q, '%Y-%m-%d') AS start, n AS customers, t AS revenue,
      top1, top10, top20 AS "top20Share", hhi, gini, k80 / n AS "customersFor80Share"
    FROM (SELECT q, any_value(n) AS n, any_value(t) AS t,
        max(cum) FILTER (WHERE k = 1) / any_value(t) AS top1,
        max(cum) FILTER (WHERE k = least(10, n)) / any_value(t) AS top10,
        max(cum) FILTER (WHERE k = ceil(0.2 * n)) / any_value(t) AS top20,
        10000 * sum((m / t) * (m / t)) AS hhi,
        -- Ranked ascending, customer i of n: Gini = 2 * sum(i * m) / (n * T) - (n + 1) / n.
        greatest(0, 2 * sum((n - k + 1) * m) / (any_value(n) * any_value(t)) - (any_value(n) + 1) / any_value(n)) AS gini,
        min(k) FILTER (WHERE cum / t >= 0.8 - 1e-12) AS k80
      FROM r GROUP BY q)
    ORDER BY q`);
}
