/**
 * Panels drawn after the headline figures: their queries (period movement, Shapiro, pocket band) do not hold up
 * "ready". A new render drops the panels of the previous one.
 */
import { h } from './dom';

let pending: (() => Promise<void>)[] = [];

export function deferred(label: string, build: () => Promise<HTMLElement | null>): HTMLElement {
  const slot = h('div', { class: 'deferred', 'aria-busy': 'true' }, h('p', { class: 'note' }, `${label}…`));
  pending.push(async () => {
    if (!slot.isConnected) return;
    const el = await build().catch(() => null);
    if (el) slot.replaceWith(el);
    else slot.remove();
  });
  return slot;
}

/** Draws the panels queued so far, one at a time; `data-deferred` on <html> says when they are all drawn. */
export async function drawDeferred(): Promise<void> {
  const batch = pending;
  pending = [];
  document.documentElement.dataset.deferred = 'drawing';
  for (const draw of batch) await draw();
  if (!pending.length) document.documentElement.dataset.deferred = 'done';
}
