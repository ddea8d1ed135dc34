/** A KPI card's sparkline, drawn after the figures from a history that several cards share (one query). */
import { sparkline } from '../charts/sparkline';
import { deferred } from '../ui/deferred';
import { h } from '../ui/dom';

/**
 * `history` is asked once, by the first card that needs it; each card shows the last `count` points. Sparklines
 * are drawn after the charts and panels of the same drawing.
 */
export function sparkSlots<T>(history: () => Promise<T[]>, count: number, unit: string) {
  let asked: Promise<T[]> | null = null;
  return (label: string, pick: (t: T) => number | null): HTMLElement =>
    deferred(
      '',
      async () => {
        asked ??= history();
        const series = (await asked).slice(-count).map(pick);
        return series.length > 1 ? h('span', { class: 'spark' }, sparkline(series, `${label} by ${unit}`)) : null;
      },
      'spark',
      true,
    );
}
