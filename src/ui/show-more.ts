/**
 * A long table shown by its first rows, with a control for the rest: hundreds of rows on the page cost the reader
 * and the browser, and the full list is a CSV download away.
 */
import { h } from './dom';
import { fmt } from './format';

/** `draw(n)` draws the first n rows; `most` bounds what "show all" draws at once. */
export function showMore(total: number, first: number, draw: (n: number) => HTMLElement, noun: string, most = 500) {
  const box = h('div', { class: 'show-more' }, draw(Math.min(total, first)));
  if (total > first) {
    const all = Math.min(total, most);
    const button = h(
      'button',
      { type: 'button' },
      all === total ? `Show all ${fmt.int(total)} ${noun}` : `Show ${fmt.int(all)} of ${fmt.int(total)} ${noun}`,
    );
    button.addEventListener('click', () => {
      box.replaceChildren(draw(all));
      if (all < total)
        box.append(h('p', { class: 'note' }, `The first ${fmt.int(all)} of ${fmt.int(total)} ${noun} are shown.`));
    });
    box.append(button);
  }
  return box;
}
