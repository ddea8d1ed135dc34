/** Active filters as removable chips, with one button that removes them all. Labels are text, never HTML. */
import { h } from './dom';

export interface Chip {
  label: string;
  remove: () => void;
}

export function renderChips(el: HTMLElement, chips: Chip[], clearAll: () => void): void {
  if (!chips.length) {
    el.replaceChildren();
    return;
  }
  el.replaceChildren(
    h('span', { class: 'chips-label' }, 'Filtered to '),
    ...chips.map((c) =>
      h(
        'button',
        { type: 'button', class: 'chip', 'aria-label': `Remove filter: ${c.label}`, onclick: c.remove },
        `${c.label} ✕`,
      ),
    ),
    chips.length > 1 ? h('button', { type: 'button', class: 'chip-clear', onclick: clearAll }, 'Clear all') : '',
  );
}
