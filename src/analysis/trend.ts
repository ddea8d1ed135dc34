/** Revenue and profit by month: the overview's time series (at most a few hundred points). */
import type { Engine } from '../data/engine';
import { andWhere, type Filters, whereSql } from './filters';

export interface MonthPoint {
  month: string;
  revenue: number;
  profit: number | null;
}

export async function monthly(engine: Engine, filters: Filters): Promise<MonthPoint[]> {
  const where = whereSql(filters);
  // Grouped on the month's first day, formatted after (analysis/periods.ts).
  return engine.query<MonthPoint>(`SELECT strftime(m, '%Y-%m-%d') AS month, revenue, profit FROM (
      SELECT date_trunc('month', date) AS m, sum(amount) AS revenue, sum(profit) AS profit
      FROM sales ${andWhere(where, 'date IS NOT NULL')} GROUP BY 1)
    ORDER BY m`);
}
