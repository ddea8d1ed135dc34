/**
 * The page around the dashboard: title and file name, the drop zone with its file input (the automation
 * contract's `#dropzone input[type=file]`), the datasets, link, column-mapping and theme buttons, and
 * drag-and-drop anywhere on the page.
 */
import { h } from './dom';
import { fileInput } from './file-input';
import { applyTheme, currentChoice, type ThemeChoice } from './theme';

export interface ShellActions {
  onFiles: (files: File[]) => void;
  onMapping: () => void;
  onShare: () => void;
  onPresent: () => void;
  /** The export menu (PowerPoint, snapshot, print). */
  exports?: HTMLElement | null;
  /** The hosted datasets a deployment lists (data/datasets.json), as a menu; none when there is only the sample. */
  datasets?: HTMLElement | null;
  /** The theme changed: charts take their colours from it and are drawn again. */
  onTheme: () => void;
}

/**
 * Builds the page shell into `root`: the top bar, then `controls` (filters, tabs, status lines) and the `main`
 * content, in order.
 */
export function buildShell(
  root: HTMLElement,
  datasetName: HTMLElement,
  controls: HTMLElement[],
  main: HTMLElement[],
  a: ShellActions,
): void {
  const input = fileInput({
    id: 'file-input',
    accept: '.csv,.tsv,.txt,.psv,.xlsx,.parquet,.json,.ndjson,.jsonl,.gz,.zip,text/csv,text/plain',
    label: 'Choose a sales export',
    multiple: true,
    onFiles: a.onFiles,
  });
  const drop = h(
    'div',
    { class: 'dropzone', id: 'dropzone' },
    h('label', { for: 'file-input', class: 'button primary' }, 'Open a sales export…'),
    input,
    h(
      'span',
      { class: 'drop-help' },
      'or drop a CSV, Excel, Parquet or JSON file (also .gz / .zip) anywhere. Nothing leaves your browser.',
    ),
  );
  // Enter and leave fire for every child crossed: only the last leave ends the drag.
  let depth = 0;
  window.addEventListener('dragenter', (e) => {
    e.preventDefault();
    depth++;
    root.classList.add('dragging');
  });
  window.addEventListener('dragleave', () => {
    if (--depth <= 0) root.classList.remove('dragging');
  });
  window.addEventListener('dragover', (e) => e.preventDefault());
  window.addEventListener('drop', (e) => {
    e.preventDefault();
    depth = 0;
    root.classList.remove('dragging');
    const files = [...(e.dataTransfer?.files ?? [])];
    if (files.length) a.onFiles(files);
  });
  // Its name is its text ("Theme: dark"), so that what a screen reader says is what the eye reads.
  const themeBtn = h('button', { type: 'button', class: 'theme-toggle', title: 'Colour theme: auto, light or dark' });
  const labelFor = (c: ThemeChoice) => ({ auto: 'Theme: auto', light: 'Theme: light', dark: 'Theme: dark' })[c];
  themeBtn.textContent = labelFor(currentChoice());
  themeBtn.addEventListener('click', () => {
    const next: ThemeChoice = ({ auto: 'light', light: 'dark', dark: 'auto' } as const)[currentChoice()];
    applyTheme(next);
    themeBtn.textContent = labelFor(next);
    a.onTheme();
  });
  const mapBtn = h('button', { type: 'button', onclick: a.onMapping }, 'Column mapping');
  const shareBtn = h('button', { type: 'button', id: 'copy-link', onclick: a.onShare }, 'Copy link');
  const presentBtn = h(
    'button',
    { type: 'button', id: 'present', onclick: a.onPresent, title: 'Present the figures as slides (F)' },
    'Present',
  );
  const header = h(
    'header',
    { class: 'topbar' },
    h('div', { class: 'brand' }, h('h1', {}, 'Key Account Lens'), datasetName),
    drop,
    h('div', { class: 'tools' }, a.datasets ?? null, presentBtn, a.exports ?? null, shareBtn, mapBtn, themeBtn),
  );
  root.append(
    header,
    ...controls,
    h('main', { id: 'main' }, ...main),
    h('div', { class: 'drop-overlay', 'aria-hidden': 'true' }, 'Drop the file to analyse it'),
  );
}
