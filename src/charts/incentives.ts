/** Incentive charts: spend by quarter and type, margin by discount band, the pocket price band. No SQL here. */
import * as Plot from '@observablehq/plot';
import type { Band, IncentiveSpend, PocketBand } from '../analysis/incentives';
import { fmt } from '../ui/format';
import { chartStyle, palette } from './palette';
import { plot } from './plot';
import { logTicks } from './ticks';

export function spendChart(spend: IncentiveSpend): SVGSVGElement | HTMLElement {
  const p = palette();
  const colors = { 'On-invoice discount': p.accent, Rebate: p.accent2, 'Co-op / promotion': p.good };
  return plot({
    width: 620,
    height: 300,
    marginLeft: 60,
    marginBottom: 50,
    style: chartStyle(p, '11px'),
    ariaLabel: 'Incentive spend by quarter and type',
    ariaDescription: `Total ${fmt.money(spend.total)} over ${new Set(spend.byQuarter.map((q) => q.quarter)).size} quarters.`,
    x: { label: null, tickRotate: -30 },
    y: { grid: true, label: '↑ Spend', tickFormat: (d: number) => fmt.moneyShort(d) },
    color: { legend: true, domain: Object.keys(colors), range: Object.values(colors) },
    marks: [
      Plot.barY(spend.byQuarter, Plot.stackY({ x: 'quarter', y: 'cost', fill: 'type', tip: true })),
      Plot.ruleY([0], { stroke: p.muted }),
    ],
  });
}

export function bandsChart(
  used: Band[],
  o: { picked?: number; onPick?: (b: Band) => void } = {},
): SVGSVGElement | HTMLElement {
  const p = palette();
  const chart = plot({
    width: 560,
    height: 280,
    marginLeft: 56,
    style: chartStyle(p),
    ariaLabel: 'Gross margin and share of loss-making lines by discount depth',
    ariaDescription: used
      .map((b) => `${b.label}: margin ${fmt.pct(b.margin)}, ${fmt.pct(b.lossShare)} of lines lose money`)
      .join('; '),
    x: { domain: used.map((b) => b.label), label: 'Discount depth (discount / gross) →' },
    y: { grid: true, tickFormat: '%', label: '↑ Margin (bars) · loss-making lines (dots)' },
    marks: [
      Plot.barY(used, {
        x: 'label',
        y: 'margin',
        fill: (b: Band) => ((b.margin ?? 0) < 0 ? p.bad : p.accent),
        fillOpacity: (b: Band) => (o.picked === undefined || o.picked === b.band ? 0.8 : 0.35),
      }),
      Plot.line(used, { x: 'label', y: 'lossShare', stroke: p.accent2, strokeWidth: 2 }),
      Plot.dot(used, { x: 'label', y: 'lossShare', fill: p.accent2, r: 4 }),
      Plot.ruleY([0], { stroke: p.muted }),
      Plot.tip(
        used,
        Plot.pointerX({
          x: 'label',
          y: 'margin',
          title: (b: Band) =>
            `${b.label}: ${fmt.count(b.lines, 'line')}, ${fmt.count(b.customers, 'customer')}\nRevenue ${fmt.money(b.revenue)}\nMargin ${fmt.pct(b.margin)}\nLoss-making lines ${fmt.pct(b.lossShare)}${o.onPick ? '\nClick to filter the other views to this band' : ''}`,
        }),
      ),
    ],
  });
  const pick = o.onPick;
  if (pick) {
    chart.style.cursor = 'pointer';
    chart.addEventListener('click', () => {
      const v = (chart as unknown as { value?: Band | null }).value;
      if (v) pick(v);
    });
  }
  return chart;
}

/** What the rank correlation between pocket price and customer size says, in one sentence. */
export function pocketVerdict(rho: number | null): string {
  if (rho === null) return '';
  if (rho < -0.2) return 'Bigger customers pay less of list: the deepest discounts do go to the biggest accounts.';
  if (rho > 0.2) return 'Bigger customers keep more of list than small ones: the deep discounts are not buying volume.';
  return 'Pocket price hardly depends on customer size: discounts are not tied to volume.';
}

export function pocketBandChart(b: PocketBand): SVGSVGElement | HTMLElement {
  const p = palette();
  const rho = b.rankCorrelation;
  return plot({
    width: 540,
    height: 280,
    marginLeft: 56,
    style: chartStyle(p, '11px'),
    ariaLabel: 'Pocket price as a share of list price against customer revenue',
    ariaDescription: `${b.customers.length} customers. Rank correlation with revenue ${rho === null ? 'n/a' : rho.toFixed(2)}. ${pocketVerdict(rho)}`,
    x: {
      type: 'log',
      label: 'Customer net revenue (log) →',
      tickFormat: (d: number) => fmt.moneyShort(d),
      ticks: logTicks(Math.min(...b.customers.map((c) => c.revenue)), Math.max(...b.customers.map((c) => c.revenue))),
    },
    y: { tickFormat: '%', grid: true, label: '↑ Pocket price / list' },
    marks: [
      Plot.ruleY([b.p5, b.p95], { stroke: p.muted, strokeDasharray: '4,3' }),
      Plot.dot(b.customers, { x: 'revenue', y: 'pocketShare', r: 2.5, fill: p.accent, fillOpacity: 0.5 }),
      Plot.tip(
        b.customers,
        Plot.pointer({
          x: 'revenue',
          y: 'pocketShare',
          title: (d: PocketBand['customers'][number]) =>
            `${d.label}\nRevenue ${fmt.money(d.revenue)}\nPocket ${fmt.pct(d.pocketShare)} of list`,
        }),
      ),
    ],
  });
}
