/**
 * The notebook pipeline the benchmark runs side by side with the app: what an analyst writes in an Observable
 * notebook with Arquero. It parses the CSV in the page, then builds the Pareto table (customers by revenue,
 * running share) and the value-matrix table (revenue and margin per customer, in quadrants split at the smallest
 * A-class revenue and the portfolio margin, the app's default). Only the bench build and the tests include it.
 */
import { desc, fromCSV, rolling } from 'arquero';

export interface NotebookColumns {
  customer: string;
  amount: string;
  /** Cost of goods: margin = (revenue - cost) / revenue. */
  cost: string;
}

export interface NotebookFigures {
  customers: number;
  customersFor80: number;
  customersFor80Share: number;
  top20Share: number;
  quadrants: Record<'core' | 'volume' | 'develop' | 'serve', { customers: number; revenue: number }>;
}

export function notebookFigures(csv: string, c: NotebookColumns): NotebookFigures {
  const lines = fromCSV(csv).select({ [c.customer]: 'customer', [c.amount]: 'amount', [c.cost]: 'cost' });
  const ranked = lines
    .groupby('customer')
    .rollup({ revenue: 'd => op.sum(d.amount)', cost: 'd => op.sum(d.cost)' })
    .filter('d => d.revenue > 0')
    .orderby(desc('revenue'))
    .derive({ cum: rolling('d => op.sum(d.revenue)') });
  const n = ranked.numRows();
  const cum = ranked.array('cum') as number[];
  const revenue = ranked.array('revenue') as number[];
  const cost = ranked.array('cost') as number[];
  const total = cum[n - 1] ?? 0;
  let k80 = n;
  for (let i = 0; i < n; i++)
    if ((cum[i] as number) / total >= 0.8 - 1e-12) {
      k80 = i + 1;
      break;
    }
  const k20 = Math.ceil(0.2 * n);
  // The app's default splits: the smallest A-class revenue (share before the customer below 80%) and the
  // portfolio margin.
  let xSplit = Number.POSITIVE_INFINITY;
  for (let i = 0; i < n; i++) {
    const before = ((cum[i] as number) - (revenue[i] as number)) / total;
    if (before < 0.8 - 1e-12) xSplit = Math.min(xSplit, revenue[i] as number);
  }
  const ySplit = (total - cost.reduce((a, b) => a + b, 0)) / total;
  const quadrants: NotebookFigures['quadrants'] = {
    core: { customers: 0, revenue: 0 },
    volume: { customers: 0, revenue: 0 },
    develop: { customers: 0, revenue: 0 },
    serve: { customers: 0, revenue: 0 },
  };
  for (let i = 0; i < n; i++) {
    const r = revenue[i] as number;
    const margin = (r - (cost[i] as number)) / r;
    const q = r >= xSplit ? (margin >= ySplit ? 'core' : 'volume') : margin >= ySplit ? 'develop' : 'serve';
    quadrants[q].customers++;
    quadrants[q].revenue += r;
  }
  return {
    customers: n,
    customersFor80: k80,
    customersFor80Share: k80 / n,
    top20Share: (cum[k20 - 1] as number) / total,
    quadrants,
  };
}
