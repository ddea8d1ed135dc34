/**
 * Charts on the page take their container's width, as Framework's `resize` does: a chart is drawn at its natural
 * size at once (the figures and tests need it on the page), then redrawn at the width its box really has, and again
 * whenever that box changes (a phone turned, a window narrowed). Text keeps its size: a chart scaled by CSS alone
 * would shrink its labels to unreadable on a phone.
 */
import { chartSvg, withSize } from '../charts/plot';
import { background } from '../ui/deferred';

/** Charts wider than their natural size by more than this only spread their marks, so they stop growing. */
const MAX_GROWTH = 1.5;
/** A redraw for a difference smaller than this is not worth its cost. */
const SLACK = 8;

export function fitted(draw: () => Element): HTMLElement {
  const box = document.createElement('div');
  box.className = 'chart-fit';
  let chart = draw();
  box.append(chart);
  const natural = widthOf(chart);
  if (!natural) return box;
  let drawn = natural;
  let waiting = false;
  const refit = () => {
    waiting = false;
    if (!box.isConnected) return observer.disconnect();
    const room = Math.floor(box.clientWidth);
    // A box on a hidden tab has no width: it is fitted when its tab is shown.
    if (room < 120) return;
    const width = Math.min(room, Math.round(natural * MAX_GROWTH));
    if (Math.abs(width - drawn) < SLACK) return;
    const next = withSize({ width }, draw);
    chart.replaceWith(next);
    chart = next;
    drawn = width;
  };
  // Redrawn on the next frame, not in the observer's callback (a size changed there is a ResizeObserver loop error),
  // and as background work: `data-deferred` stays "drawing" until the chart has its final size.
  const observer = new ResizeObserver(() => {
    if (waiting) return;
    waiting = true;
    void background(() => new Promise<void>((r) => requestAnimationFrame(() => r(refit()))));
  });
  observer.observe(box);
  return box;
}

function widthOf(chart: Element): number {
  const svg = chartSvg(chart);
  return Number(svg?.getAttribute('width')) || 0;
}
