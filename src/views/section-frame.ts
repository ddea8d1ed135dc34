/** The frame of a dashboard section, what it shows while it is drawn, and when it could not be drawn. */
import type { Tab } from '../state/app-state';
import { h } from '../ui/dom';
import type { ViewInput } from './view';

export const SECTION_TITLES: Record<Tab, string> = {
  overview: 'Overview',
  pareto: 'Pareto and concentration',
  matrix: 'Customer value matrix',
  incentives: 'Incentives and price realisation',
  'key-accounts': 'Key accounts',
  quality: 'Data quality',
};

/** A section with its id (the tab panel's content) and title. */
export function sectionFrame(w: Tab, ...children: (Node | null)[]): HTMLElement {
  const section = h(
    'section',
    { class: 'panel', id: w, 'aria-labelledby': `${w}-h` },
    h('h2', { id: `${w}-h` }, SECTION_TITLES[w]),
  );
  for (const c of children) if (c) section.append(c);
  return section;
}

/** Keeps the section's own id, so links to it work meanwhile. */
export function sectionPlaceholder(w: Tab): HTMLElement {
  const s = sectionFrame(w, h('p', { class: 'note' }, 'Drawing…'));
  s.setAttribute('aria-busy', 'true');
  return s;
}

export function sectionFailed(w: Tab, e: unknown): HTMLElement {
  const s = sectionFrame(
    w,
    h('p', { class: 'note' }, `This section could not be drawn: ${String((e as Error)?.message ?? e).slice(0, 300)}`),
  );
  s.setAttribute('role', 'status');
  return s;
}

/** What a KPI card's change is against (the dates are in the filter bar and the change's tooltip). */
export function compareLabel(input: ViewInput): string {
  const c = input.env.periods.compare;
  if (!c) return '';
  return input.state.compare === 'yoy' ? 'vs a year earlier' : 'vs the previous period';
}
