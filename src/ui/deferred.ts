/**
 * Work drawn after the headline figures: panels whose queries (monthly series, period movement, Shapiro, pocket
 * band, programme ROI) and whole sections below the fold do not hold up "ready". `data-deferred` on <html> is
 * "drawing" while any of it runs and "done" once everything on the page is drawn.
 */
import { h } from './dom';

let pending: (() => Promise<void>)[] = [];
/** Decorations (sparklines) wait until every panel queued with them is drawn. */
let late: (() => Promise<void>)[] = [];
/** Counts dropDeferred() calls: a panel queued before the latest one belongs to data that is being replaced. */
let generation = 0;
let busy = 0;

export function deferred(
  label: string,
  build: () => Promise<HTMLElement | null>,
  /** Extra classes for the waiting slot, e.g. a chart's size so that nothing moves when it is drawn. */
  cls = '',
  /** A decoration that may wait until the panels queued with it are drawn. */
  after = false,
): HTMLElement {
  const slot = h(
    label ? 'div' : 'span',
    { class: `deferred ${cls}`.trim(), 'aria-busy': 'true' },
    label ? h('p', { class: 'note' }, `${label}…`) : null,
  );
  const gen = generation;
  (after ? late : pending).push(async () => {
    if (!slot.isConnected) return;
    let el: HTMLElement | null;
    try {
      el = await build();
    } catch (e) {
      // A newer load replaced the data this panel was reading: its failure says nothing about the new data.
      if (gen !== generation || !slot.isConnected) return;
      // Otherwise the reader is told, not left with a panel that silently is not there.
      el = h(
        'p',
        { class: 'note', role: 'status' },
        `${label || 'This figure'} could not be drawn: ${String((e as Error)?.message ?? e).slice(0, 300)}`,
      );
    }
    if (el) slot.replaceWith(el);
    else slot.remove();
  });
  return slot;
}

/** Runs work in the background of the page, keeping `data-deferred` at "drawing" until all of it is done. */
export async function background<T>(work: () => Promise<T>): Promise<T> {
  busy++;
  document.documentElement.dataset.deferred = 'drawing';
  try {
    return await work();
  } finally {
    if (--busy === 0) document.documentElement.dataset.deferred = 'done';
  }
}

/** Forgets the panels not drawn yet: a new load is about to replace the data they would show. */
export function dropDeferred(): void {
  pending = [];
  late = [];
  generation++;
}

/** Draws the panels queued so far, one at a time (a new render drops the panels of the previous one). */
export function drawDeferred(): Promise<void> {
  return background(async () => {
    // A macrotask first: whoever rendered the headline figures marks them done and the browser paints them before
    // the first deferred panel (a chart is drawn synchronously) takes the main thread.
    await new Promise((r) => setTimeout(r, 0));
    while (pending.length || late.length) {
      const batch = pending.length ? pending : late;
      if (batch === pending) pending = [];
      else late = [];
      for (const draw of batch) await draw();
    }
  });
}
