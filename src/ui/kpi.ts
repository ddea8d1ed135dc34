/**
 * KPI cards following the automation contract: data-kpi + data-value (raw, unformatted), and data-prev with the
 * compare period's value. A compared card shows the change, coloured by whether up is good for that figure.
 */
import { h } from './dom';
import { fmt } from './format';

export interface KpiSpec {
  /** The data-kpi name; none for a figure repeated from another section (each name is on the page once). */
  name?: string;
  label: string;
  /** Raw value for data-value; null means "cannot be computed from this file": no data-kpi is emitted. */
  value: number | string | null;
  display: string;
  /** A line under the value; an element when it is filled in later (see ui/deferred). */
  sub?: string | HTMLElement;
  tone?: 'good' | 'bad' | 'warn';
  title?: string;
  /** The figure over the compare period; undefined when compare is off. */
  prev?: number | null;
  /** Which way the figure should move: loss-making customers and concentration are better down. */
  better?: 'up' | 'down';
  /** How the absolute change reads: money by default; "pts" for shares. */
  change?: 'money' | 'count' | 'points' | 'ratio';
  /** What the compare period is called ("vs Q3 2024"). */
  compareLabel?: string;
  /** A sparkline of the figure's history, or a slot it is drawn into later. */
  spark?: Element;
}

function changeText(k: KpiSpec, cur: number, prev: number): string {
  const d = cur - prev;
  const abs =
    k.change === 'points'
      ? `${fmt.points(d * 100)} pts`
      : k.change === 'count'
        ? `${d >= 0 ? '+' : '−'}${fmt.int(Math.abs(d))}`
        : k.change === 'ratio'
          ? `${d >= 0 ? '+' : '−'}${fmt.dec(Math.abs(d))}`
          : `${d >= 0 ? '+' : '−'}${fmt.moneyShort(Math.abs(d))}`;
  const rel = prev !== 0 && k.change !== 'points' ? ` (${d >= 0 ? '+' : '−'}${fmt.pct(Math.abs(d / prev))})` : '';
  return `${abs}${rel}`;
}

export function kpiCard(k: KpiSpec): HTMLElement {
  const known = k.value !== null && !(typeof k.value === 'number' && !Number.isFinite(k.value));
  const prevKnown = known && typeof k.value === 'number' && typeof k.prev === 'number' && Number.isFinite(k.prev);
  let change: HTMLElement | null = null;
  if (k.prev !== undefined) {
    if (prevKnown) {
      const cur = k.value as number;
      const prev = k.prev as number;
      const up = cur > prev;
      const same = Math.abs(cur - prev) <= 1e-9 * Math.max(1, Math.abs(prev));
      const good = same ? null : k.better ? (up ? k.better === 'up' : k.better === 'down') : null;
      change = h(
        'div',
        {
          class: `kpi-change${good === true ? ' good' : good === false ? ' bad' : ''}`,
          title: `${k.compareLabel ?? 'compare period'}: ${k.change === 'points' ? fmt.pct(prev) : k.change === 'ratio' ? fmt.dec(prev) : fmt.num(prev)}`,
        },
        h('span', { 'aria-hidden': 'true' }, same ? '■ ' : up ? '▲ ' : '▼ '),
        same ? 'no change' : changeText(k, cur, prev),
        h('span', { class: 'kpi-vs' }, ` ${k.compareLabel ?? ''}`),
      );
    } else change = h('div', { class: 'kpi-change' }, `n/a ${k.compareLabel ?? ''}`);
  }
  return h(
    'div',
    {
      class: `kpi${k.tone ? ` kpi-${k.tone}` : ''}${known ? '' : ' kpi-unknown'}`,
      'data-kpi': known && k.name ? k.name : null,
      'data-value': known && k.name ? String(k.value) : null,
      'data-prev': known && k.name && prevKnown ? String(k.prev) : null,
      title: k.title ?? null,
    },
    h('div', { class: 'kpi-label' }, k.label),
    h('div', { class: 'kpi-value' }, known ? k.display : 'n/a'),
    k.sub ? h('div', { class: 'kpi-sub' }, k.sub) : null,
    change,
    k.spark ? h('div', { class: 'kpi-spark' }, k.spark) : null,
  );
}

export function kpiGrid(cards: KpiSpec[]): HTMLElement {
  return h('div', { class: 'kpi-grid' }, ...cards.map(kpiCard));
}
