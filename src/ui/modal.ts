/** A modal <dialog> around a form: Escape and Cancel resolve null, the form's submit resolves its value. */
import { h } from './dom';

export function modal<T>(
  form: HTMLFormElement,
  o: { label: string; className: string; submit: () => T; focus?: () => HTMLElement | null },
): Promise<T | null> {
  return new Promise((resolve) => {
    const dialog = h('dialog', { class: `mapping-dialog ${o.className}`, 'aria-label': o.label }, form);
    const close = (v: T | null) => {
      dialog.close();
      dialog.remove();
      resolve(v);
    };
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      close(o.submit());
    });
    dialog.addEventListener('cancel', (e) => {
      e.preventDefault();
      close(null);
    });
    for (const b of form.querySelectorAll('button[data-cancel]')) b.addEventListener('click', () => close(null));
    document.body.append(dialog);
    dialog.showModal();
    o.focus?.()?.focus();
  });
}
