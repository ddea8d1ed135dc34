/**
 * The executive summary: the five things leadership needs, in sentences with numbers, chosen from the data by
 * written rules. Each candidate finding has a test of when it applies and a score of how much it matters; the top
 * five are shown, each linked to its view.
 */
import { bandSentence } from '../analysis/incentives';
import { alertsOnKeys } from '../analysis/key-accounts';
import type { Tab } from '../state/app-state';
import { fmt, MONTH_NAMES } from '../ui/format';
import type { IncentiveData } from './incentives';
import type { KeyAccountData } from './key-accounts';
import type { MatrixData } from './matrix';
import type { OverviewData } from './overview';
import type { ParetoData } from './pareto';
import { METRIC_LABEL } from './pareto';

export interface Finding {
  id: string;
  view: Tab;
  text: string;
  /** How much it matters, 0–1: the top five are shown. */
  score: number;
}

export interface SummaryInput {
  overview?: OverviewData;
  pareto?: ParetoData;
  matrix?: MatrixData;
  incentives?: IncentiveData;
  keys?: KeyAccountData;
  /** "last quarter", "the same period a year earlier": what the compare period is to a reader. */
  compared?: string;
  metric: keyof typeof METRIC_LABEL;
  costToServe: boolean;
}

const clamp = (v: number) => Math.max(0, Math.min(1, v));
const signed = (v: number) => `${v > 0 ? 'up' : 'down'} ${fmt.pct(Math.abs(v))}`;

/** Every finding that applies, best first. */
export function findings(x: SummaryInput): Finding[] {
  const out: Finding[] = [];
  const r = x.pareto?.r;
  const metric = METRIC_LABEL[x.metric];
  if (r && r.customers >= 5) {
    const top3 = r.stress.find((s) => s.lost === 3);
    out.push({
      id: 'concentration',
      view: 'pareto',
      text: `${fmt.pct0(r.customersFor80Share)} of customers make 80% of ${metric}${top3 && x.metric === 'revenue' ? `; the top 3 are ${fmt.pct0(top3.revenueDrop)}` : ''}.`,
      score: 0.55 + clamp(0.4 - r.customersFor80Share),
    });
  }
  if (r?.flagged.length) {
    const f = r.flagged;
    out.push({
      id: 'dependency',
      view: 'pareto',
      text:
        f.length === 1
          ? `${f[0]?.label} alone is ${fmt.pct(f[0]?.share)} of ${metric}: above the 10% major-customer line.`
          : `${fmt.int(f.length)} customers are each 10% or more of ${metric} (together ${fmt.pct(f.reduce((t, c) => t + c.share, 0))}).`,
      score: 0.9,
    });
  }
  const w = x.pareto?.w;
  if (w?.unprofitable) {
    const bigLosers = x.matrix?.r?.lossMakingBigAccounts ?? 0;
    const profit = x.overview?.o.profit ?? 0;
    out.push({
      id: 'loss-makers',
      view: bigLosers ? 'matrix' : 'pareto',
      text: `${fmt.count(w.unprofitable, 'customer')} lose money after ${x.costToServe ? 'discounts and cost-to-serve' : 'cost of goods'}, ${fmt.moneyShort(w.unprofitableLoss)} in total${bigLosers ? `; ${fmt.int(bigLosers)} of them ${bigLosers === 1 ? 'is an A account' : 'are A accounts'}` : ''}.`,
      score: 0.5 + clamp(profit > 0 ? Math.abs(w.unprofitableLoss) / profit : 0.5) + (bigLosers ? 0.1 : 0),
    });
  }
  const bands = x.incentives?.bands;
  const sentence = bands ? bandSentence(bands) : null;
  if (bands && sentence) {
    const used = bands.filter((b) => b.lines > 0 && b.margin !== null);
    const drop = (used[0]?.margin ?? 0) - (used.at(-1)?.margin ?? 0);
    out.push({
      id: 'discounts',
      view: 'incentives',
      text: `${sentence.split(';')[0]?.replace(/\.$/, '')}.`,
      score: 0.35 + clamp(drop),
    });
  }
  const o = x.overview;
  if (o?.prev?.revenue && x.compared) {
    const change = o.o.revenue / o.prev.revenue - 1;
    const falling = x.keys?.alerts.filter((a) => a.kind === 'drop').length ?? 0;
    const drop = x.keys ? `${x.keys.earlier.label}` : '';
    out.push({
      id: 'growth',
      view: 'overview',
      text: `Revenue is ${signed(change)} on ${x.compared}${falling ? `; ${fmt.count(falling, 'key account')} fell more than the alert threshold against ${drop}` : ''}.`,
      score: 0.4 + clamp(Math.abs(change)),
    });
  }
  const k = x.keys;
  if (k?.keys.length && k.share !== null) {
    const alerts = alertsOnKeys(k.alerts, k.keys).length;
    out.push({
      id: 'key-accounts',
      view: 'key-accounts',
      text: `${fmt.count(k.keys.length, 'key account')} made ${fmt.pct(k.share)} of revenue in ${k.later.label}${alerts ? `; ${fmt.count(alerts, 'alert')} on them` : ''}.`,
      score: 0.45 + clamp(alerts / Math.max(1, k.keys.length)),
    });
  }
  const s = k?.season;
  // Only a profile of whole years says when the peak comes (a quarter in view has only its own months).
  if (s?.years.length && s.peakIndex > 1.15)
    out.push({
      id: 'season',
      view: 'key-accounts',
      text: `Revenue peaks in ${MONTH_NAMES[s.peakMonth - 1]}, ${fmt.pct0(s.peakIndex - 1)} above an average month: plan supply for key accounts before it.`,
      score: 0.3 + clamp((s.peakIndex - 1) / 2),
    });
  const wf = x.incentives?.portfolio;
  if (wf && wf.pocketShare < 0.9)
    out.push({
      id: 'pocket',
      view: 'incentives',
      text: `Customers pay ${fmt.pct0(wf.pocketShare)} of list price after every discount, rebate and freight.`,
      score: 0.3 + clamp(1 - wf.pocketShare),
    });
  return out.sort((a, b) => b.score - a.score);
}

/** The five findings to show. */
export const topFindings = (x: SummaryInput) => findings(x).slice(0, 5);
