/** KPI cards following the automation contract: data-kpi + data-value (raw, unformatted). */
import { h } from './dom';

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
}

export function kpiCard(k: KpiSpec): HTMLElement {
  const known = k.value !== null && !(typeof k.value === 'number' && !Number.isFinite(k.value));
  return h(
    'div',
    {
      class: `kpi${k.tone ? ` kpi-${k.tone}` : ''}${known ? '' : ' kpi-unknown'}`,
      'data-kpi': known && k.name ? k.name : null,
      'data-value': known && k.name ? String(k.value) : null,
      title: k.title ?? null,
    },
    h('div', { class: 'kpi-label' }, k.label),
    h('div', { class: 'kpi-value' }, known ? k.display : 'n/a'),
    k.sub ? h('div', { class: 'kpi-sub' }, k.sub) : null,
  );
}

export function kpiGrid(cards: KpiSpec[]): HTMLElement {
  return h('div', { class: 'kpi-grid' }, ...cards.map(kpiCard));
}
