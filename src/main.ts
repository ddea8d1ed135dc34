/**
 * Bootstrap: the view state from the link, the page shell, the engine, the dashboard as a client of the state, and
 * the data the link names (the bundled sample by default, a file on this site, or a dropped file to wait for).
 */

import { keyAccountsFromSegments } from './analysis/key-accounts';
import { parquetReader } from './data/browser-convert';
import { BrowserEngine } from './data/browser-engine';
import { fileSource } from './data/browser-source';
import { fingerprint } from './data/fingerprint';
import { type DatasetInfo, headerSignature, IngestError } from './data/ingest';
import { bufferSourceOf } from './data/load';
import { baseName, downloadBlob } from './export/download';
import { deckPptx } from './export/pptx';
import { snapshotHtml } from './export/snapshot';
import { type AppState, forNewData, type Source } from './state/app-state';
import { listKey, recallList, rememberList } from './state/key-account-memory';
import { Store } from './state/store';
import { decodeState } from './state/url';
import { UrlSync } from './state/url-sync';
import { dropDeferred } from './ui/deferred';
import { clear, h } from './ui/dom';
import { fmt } from './ui/format';
import { Loader } from './ui/loader';
import { ProgressBar } from './ui/progress';
import { shareDialog } from './ui/share-dialog';
import { buildShell } from './ui/shell';
import { fullTextOnHover } from './ui/table';
import { applyTheme, currentChoice, watchTheme } from './ui/theme';
import { Dashboard } from './views/dashboard';
import { buildSlides, type DeckSource, deckFigures, Presentation } from './views/presentation';
import './styles.css';

type PageState = 'empty' | 'loading' | 'ready' | 'error';

const root = document.getElementById('app') as HTMLElement;
fullTextOnHover(root);
const engine = new BrowserEngine();
const progress = new ProgressBar();
const alertBox = h('div', { class: 'alert', role: 'alert', hidden: true });
const notice = h('div', { class: 'notice', role: 'status', 'aria-live': 'polite' });
const waiting = h('div', { class: 'waiting', hidden: true });
const datasetName = h('span', { class: 'dataset-name' }, 'Starting…');

function setState(s: PageState) {
  root.dataset.state = s;
}

/** Counts finished load attempts, so scripts can tell this load's outcome from the previous one's. */
function loadFinished() {
  root.dataset.loads = String(Number(root.dataset.loads ?? 0) + 1);
}

function showError(e: unknown) {
  const err = e as IngestError;
  clear(alertBox);
  alertBox.append(
    h('strong', {}, err instanceof IngestError ? 'Could not load the file. ' : 'Something went wrong. '),
    String(err.message ?? e),
  );
  if (err instanceof IngestError) {
    const where = [err.line ? `line ${err.line}` : null, err.column ? `column "${err.column}"` : null]
      .filter(Boolean)
      .join(', ');
    if (where) alertBox.append(h('div', { class: 'where' }, `Where: ${err.file}, ${where}`));
    alertBox.append(h('div', { class: 'hint' }, `What to do: ${err.hint}`));
  }
  const info = loader.info;
  alertBox.append(info ? h('div', { class: 'hint' }, `The dashboard still shows ${info.fileName}.`) : '');
  alertBox.hidden = false;
  setState('error');
}

function hideError() {
  alertBox.hidden = true;
  clear(alertBox);
}

// ---- the state ------------------------------------------------------------------------------------------------

const link = await decodeState(location.search, location.hash);
const store = new Store(link.state);
const urlSync = new UrlSync(store);
/** The source a link names but that cannot travel (a dropped file): the page waits for it. */
let awaited: Extract<Source, { kind: 'file' }> | null = link.state.source.kind === 'file' ? link.state.source : null;
/** What the load in progress will be, once it is in: the link's state names it. */
let incoming: Source & { file?: File } = { kind: 'sample' };
/** While a load's state is set, the views wait for the new data instead of redrawing the old. */
let quiet = false;

const dashboard = new Dashboard(store, {
  getState: () => root.dataset.state,
  setState,
  progressStart: (text) => progress.start(text),
  progressDone: () => progress.done(),
  mark: (step) => loader.mark(step),
  openMapping: () => loader.remap(),
  onProgrammeFile: (f) => void loader.enqueue(() => loader.addProgrammes(fileSource(f))),
  onPlanFile: (f) => void loader.enqueue(() => loader.addTargets(f)),
  notify: (text) => {
    notice.textContent = text;
  },
});

const loader: Loader = new Loader(engine, progress, {
  begin() {
    setState('loading');
    hideError();
    // Sections and panels of the previous data still waiting to be drawn would only slow this load down.
    dropDeferred();
  },
  busy() {
    setState('loading');
    hideError();
  },
  accept,
  failed: showError,
  cancelled() {
    setState(loader.info ? (alertBox.hidden ? 'ready' : 'error') : 'empty');
  },
  finished: loadFinished,
  say(content) {
    notice.replaceChildren(content);
  },
  async companionChanged() {
    await dashboard.companionChanged({ programmeNote: loader.programmeNote, targetsNote: loader.targetsNote });
    setState('ready');
  },
  mapped(mapping) {
    store.update((s) => ({ ...s, mapping }), 'replace');
  },
});
loader.linkMapping = link.state.mapping;

/** A message about how this load came about (an engine restart) stays until the next one. */
let carryNotice: string | null = null;

async function accept(info: DatasetInfo, note?: string) {
  const before = store.get();
  const { file, ...source } = incoming;
  let next: AppState = { ...before, source };
  const wanted = awaited;
  awaited = null;
  const said: (string | HTMLElement)[] = [];
  if (wanted && source.kind === 'file') {
    // The recipient of a link dropped a file: the sender's settings apply, and a different file is named.
    if (source.name !== wanted.name || source.size !== wanted.size)
      said.push(
        `This link was made with ${wanted.name} (${fmt.bytes(wanted.size)}); ${source.name} (${fmt.bytes(source.size)}) is a different file. The link's settings are applied anyway. `,
        resetButton(),
      );
    next = { ...next, source: { ...source, fp: wanted.fp } };
    waiting.hidden = true;
  } else if (!sameSource(before.source, source)) next = forNewData(next);
  // The key-account list of this system (same customer column and header), unless the link brought one.
  const listKey = keyListKey(info);
  const stored = recallList(listKey);
  if (!next.keys.list.length && stored) next = { ...next, keys: { ...next.keys, list: stored } };
  quiet = true;
  store.set(next, 'replace');
  quiet = false;
  datasetName.textContent = info.summary
    ? `${info.fileName} · summary of ${fmt.int(info.rowsLoaded)} lines`
    : `${info.fileName} · ${fmt.int(info.rowsLoaded)} rows`;
  for (const el of [dashboard.tabs.el, dashboard.panels, dashboard.filterBar.el]) el.hidden = false;
  const text = note ?? carryNotice ?? '';
  notice.replaceChildren([text, ...info.warnings].filter(Boolean).join(' '), ...said);
  carryNotice = null;
  const t0 = performance.now();
  progress.set('Drawing the dashboard', 0.8);
  await dashboard.show(engine, info, loader.programmeNote, loader.targetsNote);
  // Read by the benchmark: how long drawing the dashboard took after the data was in.
  root.dataset.renderMs = String(Math.round(performance.now() - t0));
  loader.mark('ready');
  setState('ready');
  if (source.kind === 'file' && file) void checkFingerprint(file, wanted?.fp);
  // A first look at a system: the customer-type column names the key accounts to start from.
  if (!stored && !store.get().keys.list.length && info.mapping.segment) {
    const { list, named } = await keyAccountsFromSegments(engine).catch(() => ({ list: [], named: 0 }));
    if (list.length && loader.info === info && !store.get().keys.list.length) {
      store.update((s) => ({ ...s, keys: { ...s.keys, list } }), 'replace');
      if (named > list.length)
        notice.append(
          ` The customer-type column names ${fmt.int(named)} key accounts; the ${fmt.int(list.length)} largest start the list (Key accounts tab).`,
        );
    }
  }
}

function keyListKey(info: DatasetInfo): string {
  return listKey(info.mapping.customer ?? '', headerSignature(info.columns.map((c) => c.name)));
}

/** After "ready": the dropped file's fingerprint joins the link, and a link's expected one is checked. */
async function checkFingerprint(file: File, expected: string | undefined) {
  const fp = await fingerprint(file);
  const s = store.get();
  if (s.source.kind === 'file' && s.source.name === file.name)
    store.set({ ...s, source: { kind: 'file', name: s.source.name, size: s.source.size, fp } }, 'replace');
  if (expected && expected !== fp && !notice.textContent?.includes('different file'))
    notice.append(
      `${file.name} has the name and size of the file this link was made with, but not its content (another export of it?). The link's settings are applied anyway. `,
      resetButton(),
    );
}

function resetButton(): HTMLElement {
  return h(
    'button',
    {
      type: 'button',
      onclick: () => store.update((s) => forNewData({ ...s, filters: { ...s.filters, period: 'all' } })),
    },
    'Reset the view',
  );
}

function sameSource(a: Source, b: Source): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === 'url' && b.kind === 'url') return a.path === b.path;
  if (a.kind === 'file' && b.kind === 'file') return a.name === b.name && a.size === b.size;
  return true;
}

// ---- sources --------------------------------------------------------------------------------------------------

function openFiles(files: File[]) {
  const f = files[0] as File;
  incoming =
    files.length === 1
      ? { kind: 'file', name: f.name, size: f.size, file: f }
      : { kind: 'file', name: files.map((x) => x.name).join(' + '), size: files.reduce((t, x) => t + x.size, 0) };
  void loader.openFiles(files);
}

async function fetchBytes(url: string, label: string): Promise<Uint8Array> {
  const res = await fetch(url);
  if (!res.ok) throw new IngestError(label, `${label} could not be fetched (HTTP ${res.status}).`, 'Check the link.');
  const total = Number(res.headers.get('Content-Length')) || 0;
  const reader = res.body?.getReader();
  if (!reader) return new Uint8Array(await res.arrayBuffer());
  const parts: Uint8Array[] = [];
  let got = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    parts.push(value);
    got += value.length;
    progress.set(
      `Downloading ${label}: ${fmt.bytes(got)}${total ? ` of ${fmt.bytes(total)}` : ''}`,
      total ? 0.1 * (got / total) : undefined,
    );
  }
  const out = new Uint8Array(got);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** The bundled sample, with its programme file. */
function openSample() {
  incoming = { kind: 'sample' };
  void loader.enqueue(async () => {
    progress.start('Opening the bundled sample', true);
    try {
      const bytes = await fetchBytes('data/sample_sales.csv', 'the bundled sample');
      await loader.loadNow({
        source: bufferSourceOf('sample_sales.csv (bundled sample)', bytes),
        companion: async () => {
          const programmes = await fetchBytes('data/sample_programmes.csv', 'the sample programmes');
          await loader.addProgrammes(bufferSourceOf('sample_programmes.csv (bundled sample)', programmes), false);
        },
      });
    } catch (e) {
      showError(e);
      loadFinished();
    }
  });
}

/**
 * A file on this site (`data=`): a link must not make a recipient's browser call another server, so any other
 * origin is refused with a notice (the page opens on the sample instead).
 */
function openUrl(path: string) {
  let url: URL | null = null;
  try {
    url = new URL(path, location.href);
  } catch {
    url = null;
  }
  if (!url || url.origin !== location.origin || !/^https?:$/.test(url.protocol)) {
    notice.textContent = `The link asks for data from ${url ? url.origin : 'an address that cannot be read'}. Links can only open files from this site (${location.origin}), so the bundled sample is shown instead.`;
    carryNotice = notice.textContent;
    store.set({ ...store.get(), source: { kind: 'sample' } }, 'replace');
    return openSample();
  }
  const name = decodeURIComponent(url.pathname.split('/').pop() || 'data');
  incoming = { kind: 'url', path };
  void loader.enqueue(async () => {
    progress.start(`Downloading ${name}`, true);
    try {
      // Parquet is read where it lies, by range requests: the footer and the columns the analyses use. A host that
      // cannot serve ranges gets the whole file asked for instead.
      const parquet = /\.parquet$/i.test(url.pathname) ? parquetReader({ name, size: 0, url: url.href }) : null;
      if (
        parquet &&
        (await parquet.columns().then(
          () => true,
          () => false,
        ))
      ) {
        const source = { name, size: 0, slice: async () => new Uint8Array() };
        await loader.loadNow({ source, parquet });
        return;
      }
      const bytes = await fetchBytes(url.href, name);
      await loader.loadNow({ source: bufferSourceOf(name, bytes) });
    } catch (e) {
      showError(e);
      loadFinished();
    }
  });
}

/** A link waiting for a file that cannot travel: the sender's settings are kept until the recipient drops it. */
function awaitFile(f: Extract<Source, { kind: 'file' }>) {
  setState('empty');
  datasetName.textContent = 'Waiting for a file';
  waiting.hidden = false;
  waiting.replaceChildren(
    h('h2', {}, 'This link is waiting for its data'),
    h(
      'p',
      {},
      `It was made with the file ${f.name} (${fmt.bytes(f.size)}), which stays on the sender's computer: data never travels in a link. Drop that file here, or open it with "Open a sales export…", to see the view with the sender's settings.`,
    ),
    h('button', { type: 'button', onclick: () => openSampleInstead() }, 'Open the bundled sample instead'),
  );
}

function openSampleInstead() {
  awaited = null;
  waiting.hidden = true;
  store.set(forNewData({ ...store.get(), source: { kind: 'sample' } }), 'replace');
  openSample();
}

/** The hosted datasets of this deployment (data/datasets.json), as a menu; absent when it lists one or none. */
async function datasetsMenu(): Promise<HTMLElement | null> {
  try {
    const res = await fetch('data/datasets.json');
    if (!res.ok) return null;
    const list = (await res.json()) as unknown;
    if (!Array.isArray(list)) return null;
    const items = list.filter((d) => d && typeof d.file === 'string' && typeof d.name === 'string').slice(0, 50) as {
      name: string;
      file: string;
      description?: string;
      asOf?: string;
    }[];
    if (items.length < 2) return null;
    const sel = h(
      'select',
      { id: 'dataset-menu', 'aria-label': 'Hosted datasets' },
      h('option', { value: '' }, 'Datasets…'),
      ...items.map((d) =>
        h('option', { value: d.file, title: d.description ?? '' }, `${d.name}${d.asOf ? ` (${d.asOf})` : ''}`),
      ),
    ) as HTMLSelectElement;
    sel.addEventListener('change', () => {
      const file = sel.value;
      sel.value = '';
      if (!file) return;
      awaited = null;
      waiting.hidden = true;
      store.set(forNewData({ ...store.get(), source: { kind: 'url', path: file } }), 'push');
      openUrl(file);
    });
    return sel;
  } catch {
    return null;
  }
}

// ---- presentation and exports ------------------------------------------------------------------------------------

const deckSource: DeckSource = {
  figures: () => dashboard.allFigures(),
  findings: () => dashboard.findings(),
  footer: () => dashboard.footer(),
  state: () => store.get(),
  update: (change, mode) => store.update(change, mode),
};
const presentation = new Presentation(root, deckSource);
let presentQueued = false;
/** The deck follows the state and the figures; draws are coalesced. */
function syncPresentation(fullscreen = false) {
  if (!store.get().present && !presentation.isOpen()) return;
  if (presentQueued && !fullscreen) return;
  presentQueued = true;
  queueMicrotask(() => {
    presentQueued = false;
    void presentation.sync(fullscreen);
  });
}
dashboard.onFigures = () => {
  forgetPrintDeck();
  if (store.get().present) syncPresentation();
};

const base = () => baseName(loader.info?.fileName ?? 'data');
const deckTitle = () => `Key accounts review: ${loader.info?.fileName.replace(/ \(bundled sample\)$/, '') ?? ''}`;

/** Runs an export with the progress bar, and says so if it fails (the page is left as it was). */
async function exporting(label: string, work: () => Promise<void>) {
  if (!loader.info) {
    notice.textContent = `${label}: there is no data on screen yet. Drop a sales export first.`;
    return;
  }
  progress.start(label, true);
  try {
    await work();
  } catch (e) {
    notice.textContent = `${label} failed: ${String((e as Error)?.message ?? e).slice(0, 200)}`;
  } finally {
    progress.done();
  }
}

async function downloadDeck() {
  await exporting('Making the PowerPoint deck', async () => {
    const s = store.get();
    const blob = await deckPptx({
      title: deckTitle(),
      footer: dashboard.footer(),
      findings: dashboard.findings(),
      figures: deckFigures(dashboard.allFigures(), s),
      notes: s.deck.notes,
    });
    downloadBlob(`${base()}-review.pptx`, blob);
  });
}

/** The figures of every view as data-kpi elements of the snapshot (the same names and values as the page). */
function kpisOnPage() {
  return [...dashboard.panels.querySelectorAll<HTMLElement>('[data-kpi]')].map((e) => ({
    name: e.dataset.kpi as string,
    value: e.dataset.value as string,
    label:
      ({ date_min: 'First date', date_max: 'Last date' } as Record<string, string>)[e.dataset.kpi as string] ??
      e.closest('.kpi')?.querySelector('.kpi-label')?.textContent ??
      e.getAttribute('aria-label') ??
      (e.dataset.kpi as string),
    display:
      (e.closest('.kpi')?.querySelector('.kpi-value') && !e.matches('span')
        ? e.closest('.kpi')?.querySelector('.kpi-value')?.textContent
        : e.textContent) ?? '',
  }));
}

async function downloadSnapshot() {
  await exporting('Making the snapshot', async () => {
    const s = store.get();
    const customers = s.names
      ? undefined
      : await engine
          .query<{ id: string; label: string | null }>(
            'SELECT customer AS id, any_value(customer_name) AS label FROM sales GROUP BY customer',
          )
          .then((rows) => ({ ids: rows.map((r) => r.id), labels: rows.flatMap((r) => (r.label ? [r.label] : [])) }));
    const html = await snapshotHtml({
      title: deckTitle(),
      footer: dashboard.footer(),
      link: location.href,
      findings: dashboard.findings(),
      figures: deckFigures(dashboard.allFigures(), s),
      kpis: kpisOnPage(),
      names: s.names,
      customers,
    });
    downloadBlob(`${base()}-snapshot.html`, new Blob([html], { type: 'text/html;charset=utf-8' }));
  });
}

const printDeck = h('div', { class: 'print-deck', 'aria-hidden': 'true' });
let deckReady: Promise<void> | null = null;
/**
 * The slides, one per landscape page with the link and the date on each, made ready when the export menu opens:
 * printing (the menu's item, or the browser's own Print) then prints the deck, not the page.
 */
function preparePrintDeck(): Promise<void> {
  deckReady ??= buildSlides(deckSource, { print: true, link: location.href }).then((slides) => {
    printDeck.replaceChildren(...slides);
    document.documentElement.dataset.print = 'deck';
  });
  return deckReady;
}
/** The figures changed: a deck made before would print old figures. */
function forgetPrintDeck() {
  deckReady = null;
  printDeck.replaceChildren();
  delete document.documentElement.dataset.print;
}
async function printSlides() {
  await exporting('Preparing the print deck', preparePrintDeck);
  window.print();
}

function exportMenu(): HTMLElement {
  const item = (label: string, run: () => Promise<void>, id: string) =>
    h(
      'button',
      {
        type: 'button',
        id,
        onclick: () => {
          menu.open = false;
          void run();
        },
      },
      label,
    );
  const menu: HTMLDetailsElement = h(
    'details',
    { class: 'menu', id: 'export-menu' },
    h('summary', { class: 'button' }, 'Export'),
    h(
      'div',
      { class: 'menu-items' },
      item('PowerPoint deck (.pptx)', downloadDeck, 'export-pptx'),
      item('Snapshot to send (.html)', downloadSnapshot, 'export-snapshot'),
      item('Print or save as PDF', printSlides, 'export-print'),
    ),
  ) as HTMLDetailsElement;
  menu.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && menu.open) {
      menu.open = false;
      menu.querySelector('summary')?.focus();
    }
  });
  menu.addEventListener('toggle', () => {
    if (menu.open) void preparePrintDeck().catch(() => forgetPrintDeck());
  });
  return menu;
}

function startPresenting() {
  if (!loader.info) return;
  store.update((s) => ({ ...s, present: true }));
  syncPresentation(true);
}

// F opens presentation mode, except while typing.
document.addEventListener('keydown', (e) => {
  const t = e.target as HTMLElement;
  if (e.key !== 'f' && e.key !== 'F') return;
  if (e.ctrlKey || e.metaKey || e.altKey || t.closest('input, textarea, select, [contenteditable], dialog')) return;
  if (!presentation.isOpen()) startPresenting();
});

// ---- the page -------------------------------------------------------------------------------------------------

// The benchmark (scripts/bench.mjs) times a bare DuckDB load through the page's own engine. Only a bench build
// (vite build --mode bench) has this code: the site users open exposes nothing, whatever its link says.
if (import.meta.env.MODE === 'bench' && new URLSearchParams(location.search).has('bench')) {
  engine.log = [];
  Object.assign(window, {
    __kalEngine: engine,
    __kalTimeline: loader.timeline,
    __kalQueries: engine.log,
    // The notebook pipeline the bench runs side by side (Arquero in the page, on the bench file's columns).
    __kalNotebook: async (file: File) => {
      const { notebookFigures } = await import('./bench/notebook');
      const t = performance.now();
      const figures = notebookFigures(await file.text(), {
        customer: 'customer_id',
        amount: 'net_sales',
        cost: 'cogs',
      });
      return { ms: Math.round(performance.now() - t), figures };
    },
  });
}

applyTheme(currentChoice());
watchTheme(() => dashboard.redraw());
buildShell(
  root,
  datasetName,
  [dashboard.filterBar.el, dashboard.chips, progress.el, alertBox, notice],
  [waiting, dashboard.summary, dashboard.tabs.el, dashboard.panels],
  {
    onFiles: openFiles,
    onMapping: () => loader.remap(),
    onTheme: () => dashboard.redraw(),
    onPresent: startPresenting,
    exports: exportMenu(),
    onShare: () => {
      const s = store.get();
      void shareDialog({
        link: (names) => urlSync.link(store.get(), names),
        names: s.names,
        setNames: (names) => store.update((st) => ({ ...st, names }), 'replace'),
        note:
          s.source.kind === 'file'
            ? `${s.source.name} cannot travel in a link: the recipient is asked to drop the same file, and is told if it differs.`
            : '',
      });
    },
    datasets: await datasetsMenu(),
  },
);
root.append(presentation.el, printDeck);
store.subscribe((s, prev) => {
  if (!quiet) void dashboard.refresh(s);
  if (s.present !== prev.present || (s.present && JSON.stringify(s.deck) !== JSON.stringify(prev.deck)))
    syncPresentation();
  const info = loader.info;
  // A list is kept once it has something in it (an emptied list stays empty; a new system is not stored as empty).
  if (info && JSON.stringify(s.keys.list) !== JSON.stringify(prev.keys.list)) {
    const key = keyListKey(info);
    if (s.keys.list.length || recallList(key) !== null) rememberList(key, s.keys.list);
  }
});
urlSync.start((issues) => {
  notice.textContent = `Part of this history entry could not be read (${issues.join(', ')}); defaults are shown there.`;
});
if (link.issues.length)
  carryNotice = `Parts of this link could not be read (${link.issues.join(', ')}) and were set to their defaults.`;

engine.onRestart = (reason) => {
  const { name, gaveUp } = loader.reloadAfterRestart();
  if (gaveUp && name) {
    // The same data failed the engine twice: its figures are gone and would fail again. Say so and stop.
    for (const el of [dashboard.summary, dashboard.tabs.el, dashboard.panels, dashboard.filterBar.el]) el.hidden = true;
    datasetName.textContent = 'No data loaded';
    notice.textContent = '';
    const memory = /out of memory/i.test(reason);
    showError(
      new IngestError(
        name,
        `The analysis engine failed twice on ${name}${memory ? ', out of memory' : ` (${reason.slice(0, 120)})`}: ${memory ? 'the data is too large for this browser tab, whose engine can hold about 3 GB' : 'it cannot be analysed here'}.`,
        'Export a shorter period or fewer columns (or split the file by year) and drop that.',
      ),
    );
    return;
  }
  notice.textContent = `The analysis engine failed (${reason.slice(0, 120)}) and was restarted.${name ? ` Reloading ${name}.` : ' Drop the file again to reload it.'}`;
  carryNotice = notice.textContent;
};

// The engine (a 34 MB wasm) compiles while the data downloads.
setState('loading');
progress.start('Starting the analysis engine', true);
void engine.start().catch(() => {});
const start = link.state.source;
if (start.kind === 'file') {
  progress.done();
  awaitFile(start);
  if (carryNotice) notice.textContent = carryNotice;
} else if (start.kind === 'url') openUrl(start.path);
else openSample();
