/**
 * Work drawn after the headline figures: panels whose queries (monthly series, period movement, Shapiro, pocket
 * band, programme ROI) and charts do not hold up "ready". `data-deferred` on <html> is "drawing" while any of it
 * runs and "done" once every view's figures and the panels of the tab on screen are drawn; the panels of hidden
 * tabs wait until their tab is shown.
 */
import { h } from './dom';

interface Job {
  slot: HTMLElement;
  draw: () => Promise<void>;
}
let pending: Job[] = [];
/** Decorations (sparklines) wait until every panel queued with them is drawn. */
let late: Job[] = [];
/**
 * Panels of a view on a hidden tab: nobody sees them, so they wait until their tab is shown. A hidden view's
 * figures (data-kpi) are never deferred, so every figure is on the page all the same.
 */
let parked: Job[] = [];
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
  (after ? late : pending).push({
    slot,
    draw: async () => {
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
    },
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
    // What was just drawn is laid out and measured first: a chart fitted to its box then starts its own redraw
    // before "done" is said.
    await frames();
    if (--busy === 0) document.documentElement.dataset.deferred = 'done';
  }
}

/** Forgets the panels not drawn yet: a new load is about to replace the data they would show. */
export function dropDeferred(): void {
  pending = [];
  late = [];
  parked = [];
  generation++;
}

/** A tab was shown (or the page is printed, `all`): its panels that waited are drawn now. */
export function drawParked(all = false): Promise<void> {
  const ready = parked.filter((j) => j.slot.isConnected && (all || !hiddenTab(j.slot)));
  parked = parked.filter((j) => j.slot.isConnected && !ready.includes(j));
  pending.push(...ready);
  return drawDeferred(all);
}

const hiddenTab = (el: HTMLElement) => Boolean(el.closest('[role=tabpanel][hidden]'));

/**
 * Draws the panels queued so far, one at a time (a new render drops the panels of the previous one); those on a
 * hidden tab wait for it to be shown, unless `all`.
 */
export function drawDeferred(all = false): Promise<void> {
  return background(async () => {
    // A macrotask first: whoever rendered the headline figures marks them done and the browser paints them before
    // the first deferred panel (a chart is drawn synchronously) takes the main thread.
    await new Promise((r) => setTimeout(r, 0));
    while (pending.length || late.length) {
      const batch = pending.length ? pending : late;
      if (batch === pending) pending = [];
      else late = [];
      for (const job of batch) {
        if (!all && job.slot.isConnected && hiddenTab(job.slot)) parked.push(job);
        else await job.draw();
      }
    }
  });
}

/** Two animation frames, or a moment where frames do not run (a hidden tab). */
function frames(): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, 100);
    requestAnimationFrame(() =>
      requestAnimationFrame(() => {
        clearTimeout(timer);
        resolve();
      }),
    );
  });
}
