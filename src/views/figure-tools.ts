/** The download buttons of a figure on the page: PNG, SVG and the CSV behind it. */
import { h } from '../ui/dom';
import type { Actions } from './view';

export function exportMenu(act: Actions, id: string, title: string): HTMLElement {
  const button = (format: 'png' | 'svg' | 'csv', label: string) =>
    h(
      'button',
      {
        type: 'button',
        class: 'export-button',
        'aria-label': `Download "${title}" as ${label}`,
        title: `Download as ${label}`,
        onclick: () => act.exportFigure(id, format),
      },
      label,
    );
  return h('span', { class: 'export-menu' }, button('png', 'PNG'), button('svg', 'SVG'), button('csv', 'CSV'));
}
