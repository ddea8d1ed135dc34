/**
 * "Copy link": the link to the view on screen, with the choice to let customer names and IDs travel in it (they
 * are confidential, so they stay out unless the sender says so). The link is shown too, for a manual copy.
 */
import { h } from './dom';

export interface ShareOptions {
  /** The link as it stands, with or without names. */
  link(names: boolean): Promise<string>;
  names: boolean;
  setNames(names: boolean): void;
  /** What the recipient will need (a dropped file cannot travel). */
  note: string;
}

export async function shareDialog(o: ShareOptions): Promise<void> {
  const field = h('input', {
    type: 'text',
    readonly: true,
    id: 'share-link',
    'aria-label': 'Link to this view',
    spellcheck: 'false',
  }) as HTMLInputElement;
  const names = h('input', { type: 'checkbox', id: 'share-names', checked: o.names }) as HTMLInputElement;
  const status = h('p', { class: 'note', role: 'status', 'aria-live': 'polite' });
  const refresh = async () => {
    field.value = await o.link(names.checked);
  };
  names.addEventListener('change', () => {
    o.setNames(names.checked);
    void refresh();
  });
  const copy = h('button', { type: 'button', class: 'primary', id: 'share-copy' }, 'Copy link');
  copy.addEventListener('click', async () => {
    await refresh();
    try {
      await navigator.clipboard.writeText(field.value);
      status.textContent = 'Copied to the clipboard.';
    } catch {
      // No clipboard access (an insecure origin, a denied permission): the selected text can be copied by hand.
      field.select();
      status.textContent = 'Press Ctrl+C (⌘C) to copy the selected link.';
    }
  });
  const close = h('button', { type: 'button' }, 'Close');
  const dialog = h(
    'dialog',
    { class: 'share-dialog', 'aria-labelledby': 'share-h' },
    h('h2', { id: 'share-h' }, 'Link to this view'),
    h(
      'p',
      { class: 'note' },
      'The link reopens this view: data source, period, filters, thresholds and tab. No data is in it; the recipient’s browser does the work.',
    ),
    field,
    h(
      'label',
      { for: 'share-names', class: 'check' },
      names,
      ' Include customer names and IDs (a selected customer, searches) — they are confidential',
    ),
    o.note ? h('p', { class: 'note' }, o.note) : null,
    status,
    h('div', { class: 'dialog-buttons' }, close, copy),
  ) as HTMLDialogElement;
  const done = new Promise<void>((resolve) => {
    const end = () => {
      dialog.close();
      dialog.remove();
      resolve();
    };
    close.addEventListener('click', end);
    dialog.addEventListener('cancel', (e) => {
      e.preventDefault();
      end();
    });
  });
  document.body.append(dialog);
  await refresh();
  dialog.showModal();
  copy.focus();
  return done;
}
