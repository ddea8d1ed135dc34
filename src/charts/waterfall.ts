/** Waterfall charts (profit bridge, price waterfall). No SQL here. */
import * as Plot from '@observablehq/plot';
import type { BridgeStep } from '../analysis/bridge';
import { fmt } from '../ui/format';
import { chartStyle, palette } from './palette';
import { plot } from './plot';

/** A waterfall: levels and totals as full bars, changes as floating bars from the running level. */
export function waterfallChart(steps: BridgeStep[], title: string): HTMLElement | SVGSVGElement {
  const p = palette();
  let level = 0;
  const bars = steps.map((s, i) => {
    const from = s.kind === 'change' ? level : 0;
    const to = s.kind === 'change' ? level + s.value : s.value;
    level = to;
    return { i, label: s.label, from, to, kind: s.kind, value: s.value };
  });
  return plot({
    width: 520,
    height: 300,
    marginLeft: 64,
    marginBottom: 70,
    style: chartStyle(p, '11px'),
    ariaLabel: title,
    ariaDescription: bars.map((b) => `${b.label} ${fmt.money(b.value)}`).join(', '),
    x: { domain: bars.map((b) => b.label), label: null, tickRotate: -25 },
    y: { grid: true, label: null, tickFormat: (d: number) => fmt.moneyShort(d) },
    marks: [
      Plot.barY(bars, {
        x: 'label',
        y1: 'from',
        y2: 'to',
        fill: (b) => (b.kind === 'change' ? (b.value < 0 ? p.bad : p.good) : b.value < 0 ? p.bad : p.accent),
        fillOpacity: (b) => (b.kind === 'change' ? 0.75 : 1),
      }),
      Plot.text(bars, {
        x: 'label',
        y: (b) => Math.max(b.from, b.to),
        text: (b) => fmt.moneyShort(b.value),
        dy: -6,
        fill: p.fg,
      }),
      Plot.ruleY([0], { stroke: p.muted }),
    ],
  });
}
