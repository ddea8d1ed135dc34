/** One customer's profit bridge (gross -> net -> gross profit -> customer profit), quarterly trend, top products. */
import type { Engine } from '../data/engine';
import { str } from '../data/parse';
import { andWhere, type Filters, whereSql } from './filters';
import { quarterLabel } from './periods';

export interface BridgeStep {
  label: string;
  /** Signed change; the first and the subtotal steps are levels, not changes. */
  value: number;
  kind: 'level' | 'change' | 'total';
}

export interface CustomerBridge {
  customer: string;
  label: string;
  steps: BridgeStep[];
  quarters: { quarter: string; revenue: number; profit: number | null }[];
  products: { product: string; revenue: number; profit: number | null }[];
}

/** `history`: the filters of the quarterly trend, which reaches back before the period (default: `filters`). */
export async function customerBridge(
  engine: Engine,
  filters: Filters,
  customer: string,
  history: Filters = filters,
): Promise<CustomerBridge | null> {
  const where = whereSql(filters);
  const and = andWhere(where, `customer = ${str(customer)}`);
  const [t] = await engine.query<
    Record<string, number | string | null>
  >(`SELECT any_value(coalesce(customer_name, customer)) AS label,
      sum(gross) AS gross, sum(discount_amount) AS discount, sum(amount) AS net, sum(cost) AS cogs,
      sum(coalesce(rebate, 0) + coalesce(promo, 0)) AS incentives, count(rebate) + count(promo) AS n_incentives,
      sum(coalesce(freight, 0)) AS freight, count(freight) AS n_freight, sum(profit) AS profit,
      sum(customer_profit) AS customer_profit, count(*) AS n
    FROM sales ${and}`);
  if (!t?.n) return null;
  const num = (k: string) => (t[k] === null ? null : Number(t[k]));
  const steps: BridgeStep[] = [];
  const gross = num('gross');
  const net = num('net') ?? 0;
  if (gross !== null && num('discount') !== null) {
    steps.push({ label: 'List / gross', value: gross, kind: 'level' });
    steps.push({ label: 'On-invoice discount', value: -(num('discount') ?? 0), kind: 'change' });
    steps.push({ label: 'Net revenue', value: net, kind: 'total' });
  } else steps.push({ label: 'Net revenue', value: net, kind: 'level' });
  if (num('cogs') !== null) {
    steps.push({ label: 'COGS', value: -(num('cogs') ?? 0), kind: 'change' });
    steps.push({ label: 'Gross profit', value: num('profit') ?? 0, kind: 'total' });
    if (num('n_incentives'))
      steps.push({ label: 'Rebates and promotions', value: -(num('incentives') ?? 0), kind: 'change' });
    if (num('n_freight'))
      steps.push({ label: 'Freight and cost-to-serve', value: -(num('freight') ?? 0), kind: 'change' });
    if (num('n_incentives') || num('n_freight')) {
      steps.push({ label: 'Customer profit', value: num('customer_profit') ?? 0, kind: 'total' });
    }
  }
  const quarters = await engine.query<CustomerBridge['quarters'][number]>(`SELECT
      ${quarterLabel('q')} AS quarter, revenue, profit FROM (
        SELECT date_trunc('quarter', date) AS q, sum(amount) AS revenue, sum(profit) AS profit
        FROM sales ${andWhere(whereSql(history), `customer = ${str(customer)} AND date IS NOT NULL`)} GROUP BY 1)
    ORDER BY q`);
  const products = await engine.query<
    CustomerBridge['products'][number]
  >(`SELECT coalesce(product, category, '(no product)') AS product,
      sum(amount) AS revenue, sum(profit) AS profit FROM sales ${and} GROUP BY 1 ORDER BY revenue DESC LIMIT 8`);
  return { customer, label: String(t.label), steps, quarters, products };
}
