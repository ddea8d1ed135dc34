/** What a dashboard section shows while it is drawn, or when it could not be drawn. */
import { h } from '../ui/dom';

export const SECTION_TITLES = {
  overview: 'Overview',
  pareto: 'Pareto and concentration',
  matrix: 'Customer value matrix',
  incentives: 'Incentives and price realisation',
  quality: 'Data quality',
} as const;

export type SectionName = keyof typeof SECTION_TITLES;

/** Keeps the section's own id, so the navigation links lead to it meanwhile. */
export function sectionPlaceholder(w: SectionName): HTMLElement {
  return h(
    'section',
    { class: 'panel', id: w, 'aria-busy': 'true', 'aria-labelledby': `${w}-h` },
    h('h2', { id: `${w}-h` }, SECTION_TITLES[w]),
    h('p', { class: 'note' }, 'Drawing…'),
  );
}

export function sectionFailed(w: SectionName, e: unknown): HTMLElement {
  return h(
    'section',
    { class: 'panel', id: w, role: 'status' },
    h('h2', {}, SECTION_TITLES[w]),
    h('p', { class: 'note' }, `This section could not be drawn: ${String((e as Error)?.message ?? e).slice(0, 300)}`),
  );
}
