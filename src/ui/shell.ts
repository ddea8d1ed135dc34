/**
 * The page around the dashboard: title and file name, the drop zone with its file input (the automation
 * contract's `#dropzone input[type=file]`), the column-mapping and theme buttons, the section links, and
 * drag-and-drop anywhere on the page.
 */
import { h } from './dom';
import { fileInput } from './file-input';
import { applyTheme, currentChoice, type ThemeChoice } from './theme';

export interface ShellActions {
  onFiles: (files: File[]) => void;
  onMapping: () => void;
  /** The theme changed: charts take their colours from it and are drawn again. */
  onTheme: () => void;
}

/** Builds the page shell into `root`, above `body` (the status lines and the dashboard, in order). */
export function buildShell(root: HTMLElement, datasetName: HTMLElement, body: HTMLElement[], a: ShellActions): void {
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
  const themeBtn = h('button', { type: 'button', class: 'theme-toggle', 'aria-label': 'Colour theme' });
  const labelFor = (c: ThemeChoice) => ({ auto: 'Theme: auto', light: 'Theme: light', dark: 'Theme: dark' })[c];
  themeBtn.textContent = labelFor(currentChoice());
  themeBtn.addEventListener('click', () => {
    const next: ThemeChoice = ({ auto: 'light', light: 'dark', dark: 'auto' } as const)[currentChoice()];
    applyTheme(next);
    themeBtn.textContent = labelFor(next);
    a.onTheme();
  });
  const mapBtn = h('button', { type: 'button', onclick: a.onMapping }, 'Column mapping');
  const nav = h(
    'nav',
    { 'aria-label': 'Sections' },
    h('a', { href: '#overview' }, 'Overview'),
    h('a', { href: '#pareto' }, 'Pareto & concentration'),
    h('a', { href: '#matrix' }, 'Value matrix'),
    h('a', { href: '#incentives' }, 'Incentives & pricing'),
    h('a', { href: '#quality' }, 'Data quality'),
  );
  const header = h(
    'header',
    { class: 'topbar' },
    h('div', { class: 'brand' }, h('h1', {}, 'Key Account Lens'), datasetName),
    drop,
    h('div', { class: 'tools' }, mapBtn, themeBtn),
  );
  root.append(
    header,
    nav,
    ...body,
    h('div', { class: 'drop-overlay', 'aria-hidden': 'true' }, 'Drop the file to analyse it'),
  );
}
