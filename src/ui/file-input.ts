/** A file input that hands over the chosen files and resets, so choosing the same file again loads it again. */
import { h } from './dom';

export function fileInput(o: {
  id: string;
  accept: string;
  label: string;
  multiple?: boolean;
  onFiles: (files: File[]) => void;
}) {
  // Visually hidden: a <label for> styled as a button opens it, and takes the focus outline.
  const input = h('input', {
    type: 'file',
    id: o.id,
    class: 'file-hidden',
    accept: o.accept,
    'aria-label': o.label,
    multiple: o.multiple,
  });
  input.addEventListener('change', () => {
    const files = [...(input.files ?? [])];
    input.value = '';
    if (files.length) o.onFiles(files);
  });
  return input;
}
