/** Revenue, profit, customers and incentive spend by month: the overview's time series and the KPI sparklines. */
import type { Engine } from '../data/engine';
import { andWhere, type Filters, whereSql } from './filters';
import { INCENTIVE_LINES_SQL, INCENTIVES_SQL } from './rules';

export interface MonthPoint {
  month: string;
  revenue: number;
  profit: number | null;
  customers: number;
  /** Null when the file has no incentive column. */
  incentives: number | null;
}

export async function monthly(engine: Engine, filters: Filters): Promise<MonthPoint[]> {
  const where = whereSql(filters);
  // Grouped on the month's first day, formatted after (analysis/periods.ts).
  return engine.query<MonthPoint>(`SELECT strftime(m, '%Y-%m-%d') AS month, revenue, profit, customers, incentives
    FROM (SELECT date_trunc('month', date) AS m, sum(amount) AS revenue, sum(profit) AS profit,
        count(DISTINCT customer) AS customers,
        CASE WHEN ${INCENTIVE_LINES_SQL} > 0 THEN ${INCENTIVES_SQL} END AS incentives
      FROM sales ${andWhere(where, 'date IS NOT NULL')} GROUP BY 1)
    ORDER BY m`);
}
