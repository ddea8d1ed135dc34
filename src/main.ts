/** Bootstrap: the page shell at once, then the engine, the bundled sample, and every later drop. */
import sampleProgrammesUrl from '../data/sample_programmes.csv?url';
import sampleUrl from '../data/sample_sales.csv?url';
import type { Filters, QuadrantFilter } from './analysis/filters';
import { QUADRANTS } from './analysis/matrix';
import { DEFAULT_PARETO } from './analysis/pareto';
import { resolveSource } from './data/browser-convert';
import { BrowserEngine } from './data/browser-engine';
import { browserRegistrar, fileSource } from './data/browser-source';
import {
  type DatasetInfo,
  discardStage,
  headerSignature,
  IngestError,
  type PartialInfo,
  type SourceFile,
} from './data/ingest';
import { bufferSourceOf, type LoadOutcome, loadJoined, loadSource, remapAndCommit } from './data/load';
import { loadProgrammes } from './data/programmes';
import type { Choice } from './data/readers/table';
import { buildJoined, describeJoin, dropRelated, proposeJoins, type RelTable, readRelated } from './data/related';
import { remember } from './state/mapping-memory';
import { background, drawDeferred, dropDeferred } from './ui/deferred';
import { clear, h } from './ui/dom';
import { fmt } from './ui/format';
import { joinDialog } from './ui/join-dialog';
import { type MappingChoice, openMappingDialog } from './ui/mapping-dialog';
import { ProgressBar } from './ui/progress';
import { buildShell } from './ui/shell';
import { applyTheme, currentChoice, watchTheme } from './ui/theme';
import { type IncentiveViewState, renderIncentives } from './views/incentives';
import { type MatrixViewState, renderMatrix } from './views/matrix';
import { renderOverview } from './views/overview';
import { type ParetoViewState, renderPareto } from './views/pareto';
import { renderQuality } from './views/quality';
import { type SectionName, sectionFailed, sectionPlaceholder } from './views/section-frame';
import './styles.css';

type State = 'empty' | 'loading' | 'ready' | 'error';

const root = document.getElementById('app') as HTMLElement;
const engine = new BrowserEngine();
const progress = new ProgressBar();
const alertBox = h('div', { class: 'alert', role: 'alert', hidden: true });
const notice = h('div', { class: 'notice', role: 'status', 'aria-live': 'polite' });
const datasetName = h('span', { class: 'dataset-name' }, 'Starting…');
const dashboard = h('div', { class: 'dashboard' });
const sections: Record<SectionName, HTMLElement> = {
  overview: h('div'),
  pareto: h('div'),
  matrix: h('div'),
  incentives: h('div'),
  quality: h('div'),
};
dashboard.append(sections.overview, sections.pareto, sections.matrix, sections.incentives, sections.quality);
const chips = h('div', { class: 'chips', 'aria-live': 'polite' });

let info: DatasetInfo | null = null;
let paretoState: ParetoViewState = {
  opts: { ...DEFAULT_PARETO },
  search: '',
  cls: '',
  sort: { key: 'k', desc: false },
};
let matrixState: MatrixViewState = { margin: 'customer', period: 'quarter' };
let crossFilter: QuadrantFilter | undefined;
let incentiveState: IncentiveViewState = { dim: 'portfolio', discount: 0.1 };
let programmeNote: string | undefined;

function setState(s: State) {
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
  alertBox.append(info ? h('div', { class: 'hint' }, `The dashboard still shows ${info.fileName}.`) : '');
  alertBox.hidden = false;
  setState('error');
}

function hideError() {
  alertBox.hidden = true;
  clear(alertBox);
}

// ---- loading --------------------------------------------------------------------------------------------------

let queue: Promise<void> = Promise.resolve();

function enqueue(source: SourceFile, choice?: string) {
  queue = queue.then(() => load(source, undefined, choice)).catch(() => {});
}

/** One file is a sales export; several are related tables to join. */
function openFiles(files: File[]) {
  if (files.length === 1) enqueue(fileSource(files[0] as File));
  else queue = queue.then(() => loadRelatedFiles(files)).catch(() => {});
}

/** Several related files: read each, propose the joins, let the user confirm, load the joined lines. */
async function loadRelatedFiles(files: File[]) {
  beginLoad();
  const label = `${files.length} related files`;
  progress.start(`Reading ${label}`, true);
  let tables: RelTable[] = [];
  try {
    await engine.start();
    const sources = [];
    for (const f of files) sources.push((await resolveSource(fileSource(f))).source);
    tables = await readRelated(
      engine,
      sources,
      browserRegistrar(engine, () => {}),
    );
    const plan = await proposeJoins(engine, tables);
    if (!plan) {
      throw new IngestError(
        label,
        `None of ${files.map((f) => f.name).join(', ')} has order lines with an amount, or a quantity and a unit price.`,
        'Drop the file with the order lines together with the files it refers to (orders, customers, products).',
      );
    }
    progress.done();
    const confirmed = await joinDialog(plan);
    if (!confirmed) {
      setState(info ? 'ready' : 'empty');
      return;
    }
    progress.start(`Joining ${label}`, true);
    const { allocated } = await buildJoined(engine, confirmed);
    const used = confirmed.joins.filter((j) => j.use).length;
    const name = `${confirmed.fact.name} + ${used} related file${used === 1 ? '' : 's'}`;
    const outcome = await loadJoined(engine, name, {
      onStage: (_, detail, fraction) => progress.set(detail, fraction),
    });
    mark('in DuckDB');
    if (outcome.kind === 'loaded') {
      await forgetProgrammes();
      for (const p of confirmed.programmeFiles) {
        const f = files.find((x) => x.name === p);
        if (f) await addProgrammes(fileSource(f), false);
      }
    }
    await settle(outcome);
    if (outcome.kind === 'loaded') {
      lastLoad = null;
      const names = new Map(confirmed.tables.map((t) => [t.table, t.name]));
      notice.textContent = `Joined: ${confirmed.joins
        .filter((j) => j.use)
        .map((j) => describeJoin(j, names))
        .join(
          '; ',
        )}.${allocated.length ? ` Spread over order lines by value: ${allocated.join(', ')}.` : ''}${confirmed.unused.length ? ` Not used: ${confirmed.unused.join(', ')}.` : ''}`;
    }
  } catch (e) {
    showError(e);
  } finally {
    await dropRelated(engine, tables).catch(() => {});
    progress.done();
    loadFinished();
  }
}

/** "Read sheet Orders of book.xlsx; other sheets: [Returns] [People]" — a click re-reads the file. */
function choiceSwitcher(own: SourceFile, c: Choice, note?: string): HTMLElement {
  const what = c.what === 'sheet' ? 'sheet' : 'file';
  return h(
    'span',
    { class: 'choice-switcher' },
    `Read ${what} "${c.chosen}" of ${own.name}${note ? ` (${note})` : ''}. Other ${what}s: `,
    ...c.options
      .filter((o) => o !== c.chosen)
      .map((o) => h('button', { type: 'button', class: 'chip', onclick: () => enqueue(own, o) }, o)),
  );
}

let loadSeq = 0;

/** Where a load's time goes (read by the benchmark): milliseconds since the drop at each step. */
const timeline: [string, number][] = [];
let timelineStart = 0;
function mark(step: string, restart = false) {
  if (restart) {
    timeline.length = 0;
    timelineStart = performance.now();
    if (engine.log) engine.log.length = 0;
  }
  timeline.push([step, Math.round(performance.now() - timelineStart)]);
}

/** What the dashboard shows was loaded from this, so it can be loaded again after an engine restart. */
let lastLoad: { source: SourceFile; then?: () => Promise<void>; choice?: string } | null = null;
let carryNotice: string | null = null;

/** What every load does first: newer than any drawing in progress, which stops, and timed from here. */
function beginLoad() {
  loadSeq++;
  setState('loading');
  hideError();
  mark('drop', true);
  // Sections and panels of the previous data still waiting to be drawn would only slow this load down.
  dropDeferred();
}

async function load(source: SourceFile, then?: () => Promise<void>, choice?: string) {
  const request = { source, then, choice };
  // A mapping dialog left open for an earlier file is abandoned: its staged table is about to be replaced.
  for (const d of document.querySelectorAll('dialog.mapping-dialog')) d.dispatchEvent(new Event('cancel'));
  beginLoad();
  progress.start(`Opening ${source.name} (${fmt.bytes(source.size)})`, true);
  try {
    await engine.start();
    let choiceNote: HTMLElement | null = null;
    if ('file' in source) {
      // Excel, Parquet, JSON and archives are read in a worker and arrive here as CSV.
      progress.set(`Reading ${source.name}`);
      const own = source as SourceFile & { file: File };
      const r = await resolveSource(own, choice);
      if (r.choice) choiceNote = choiceSwitcher(own, r.choice, r.note);
      else if (r.note) choiceNote = h('span', {}, `${own.name}: ${r.note}.`);
      source = r.source;
    }
    const outcome = await loadSource(engine, source, {
      onStage: (stage, detail, fraction, rows) => {
        mark(`stage ${stage}`);
        onReadProgress = null;
        if (stage !== 'read') return progress.set(detail, fraction);
        // Until DuckDB's first report (after 100 ms), the bar moves on the expected duration.
        progress.estimate(detail, fraction ?? 0.1, 0.6, 300 + source.size / 60_000);
        const verb = /again as text/.test(detail) ? 'Reading again as text' : 'Reading';
        onReadProgress = (pct) => {
          const f = Math.min(1, pct / 100);
          // The read is done; later queries report their own progress, which is not this bar's.
          if (f >= 0.999) {
            onReadProgress = null;
            return progress.set('Checking every row against the detected formats', 0.62);
          }
          const rowsText = rows ? `, about ${fmt.int(rows * f)} of ${fmt.int(rows)} rows` : '';
          progress.set(
            `${verb} ${source.name}: ${fmt.bytes(source.size * f)} of ${fmt.bytes(source.size)}${rowsText}`,
            0.1 + 0.5 * f,
          );
        };
      },
      onBytes: (done, size) =>
        progress.set(`Converting to UTF-8: ${fmt.bytes(done)} of ${fmt.bytes(size)}`, 0.05 * (done / size)),
    });
    mark('in DuckDB');
    if (outcome.kind === 'loaded') {
      await forgetProgrammes();
      // Companion data (the sample's programme file) joins before the first drawing.
      if (then) await then();
    }
    await settle(outcome);
    if (outcome.kind === 'loaded') lastLoad = request;
    if (choiceNote && outcome.kind === 'loaded') notice.replaceChildren(choiceNote);
  } catch (e) {
    showError(e);
  } finally {
    onReadProgress = null;
    progress.done();
    loadFinished();
  }
}

/** A load either succeeded, or needs the user to map columns (the dialog opens instead of failing). */
async function settle(outcome: LoadOutcome) {
  if (outcome.kind === 'loaded') return accept(outcome.info, outcome.note);
  const needs = outcome.needs;
  showError(
    new IngestError(
      needs.partial.fileName,
      needs.message,
      'Choose the customer and net revenue columns in the mapping dialog. If this is one of several related tables (order lines without customers, say), select it together with the files it refers to (orders, customers, products) and drop them in one go.',
    ),
  );
  void mapInteractively(needs.partial, needs.mapping, 'raw_pending', needs.message);
}

async function mapInteractively(
  partial: PartialInfo,
  mapping: DatasetInfo['mapping'],
  raw: 'raw' | 'raw_pending',
  reason?: string,
  formats?: DatasetInfo['formats'],
) {
  const seq = loadSeq;
  const choice = await openMappingDialog({
    fileName: partial.fileName,
    columns: partial.columns.map((c) => c.name),
    samples: partial.samples,
    mapping,
    formats,
    reason,
  });
  if (!choice) {
    if (seq !== loadSeq) return;
    if (raw === 'raw_pending') queue = queue.then(() => discardStage(engine)).catch(() => {});
    setState(info ? (alertBox.hidden ? 'ready' : 'error') : 'empty');
    return;
  }
  queue = queue.then(() => applyMapping(partial, choice, raw)).catch(() => {});
}

async function applyMapping(partial: PartialInfo, choice: MappingChoice, raw: 'raw' | 'raw_pending') {
  setState('loading');
  progress.start('Applying the column mapping');
  try {
    const next = await remapAndCommit(engine, partial, choice.mapping, choice.formats, raw);
    remember(headerSignature(partial.columns.map((c) => c.name)), { mapping: choice.mapping, formats: choice.formats });
    hideError();
    await accept(next);
  } catch (e) {
    showError(e);
  } finally {
    progress.done();
  }
}

/** Loads an incentive-programme file next to the sales data; a failure leaves both as they were. */
/**
 * Loads a programme file next to the sales data. Standalone (the user's file input) it redraws the incentives;
 * as part of a sales load it runs before the first drawing, which then shows it.
 */
async function addProgrammes(source: SourceFile & { file: File }, standalone = true) {
  if (standalone && !info) return;
  if (standalone) {
    setState('loading');
    hideError();
  }
  try {
    const r = await loadProgrammes(
      engine,
      source,
      browserRegistrar(engine, () => {}),
    );
    programmeNote = `${r.fileName}: ${fmt.int(r.programmes)} programmes, ${fmt.int(r.customers)} customers, ${fmt.int(r.rows - r.rejected)} rows used${r.rejected ? `, ${fmt.int(r.rejected)} rows without programme, customer or valid dates left out` : ''}${r.unmatched ? `; ${fmt.int(r.unmatched)} customer keys match no customer in the sales data (${r.unmatchedSample.join(', ')}${r.unmatched > 5 ? ', …' : ''})` : '; every customer key matches the sales data'}.`;
    if (standalone) {
      await render(['incentives']);
      setState('ready');
    }
  } catch (e) {
    showError(e);
  } finally {
    if (standalone) loadFinished();
  }
}

/** A programme file belongs to the sales data it was loaded with: a new file starts without one. */
async function forgetProgrammes() {
  await engine.exec('DROP TABLE IF EXISTS programmes');
  programmeNote = undefined;
}

async function accept(next: DatasetInfo, note?: string) {
  info = next;
  // Selections name customers and splits of the previous data.
  crossFilter = undefined;
  matrixState = { margin: matrixState.margin, period: matrixState.period };
  incentiveState = { dim: 'portfolio', discount: incentiveState.discount };
  datasetName.textContent = `${next.fileName} · ${fmt.int(next.rowsLoaded)} rows`;
  // A message about how this load came about (an engine restart) stays until the next one.
  notice.textContent = note ?? carryNotice ?? '';
  carryNotice = null;
  const t0 = performance.now();
  progress.set('Drawing the dashboard', 0.8);
  // The sections below the headline figures are drawn once those are out; until then they say so rather than
  // show the previous data.
  for (const w of LATER) sections[w].replaceChildren(sectionPlaceholder(w));
  await render(FIRST);
  // Read by the benchmark: how long drawing the dashboard took after the data was in.
  root.dataset.renderMs = String(Math.round(performance.now() - t0));
  mark('ready');
  setState('ready');
  void background(() => render(LATER, { quiet: true })).then(() => mark('drawn'));
}

// ---- rendering -------------------------------------------------------------------------------------------------

/** The sections that hold the headline figures of the automation contract: "ready" waits for these only. */
const FIRST: SectionName[] = ['overview', 'pareto'];
const LATER: SectionName[] = ['matrix', 'incentives', 'quality'];
const ALL: SectionName[] = [...FIRST, ...LATER];
const sectionGen: Record<string, number> = {};

/** Re-renders sections; a section whose newer render started meanwhile drops its stale result. */
async function render(which: SectionName[] = ALL, opts: { quiet?: boolean } = {}) {
  if (!info) return;
  const current = info;
  const filters: Filters = crossFilter ? { quadrant: crossFilter } : {};
  renderChips();
  // Scripts wait for "ready" after an interaction too; an error message on screen stays an error. Sections
  // drawn in the background after a load ("quiet") leave the state alone.
  const before = opts.quiet ? 'quiet' : root.dataset.state;
  if (before === 'ready') {
    setState('loading');
    // Shown only if the update takes longer than ~300 ms.
    progress.start('Updating the views');
  }
  if (!opts.quiet) pending++;
  const seq = loadSeq;
  const start = (w: SectionName) => {
    const gen = (sectionGen[w] ?? 0) + 1;
    sectionGen[w] = gen;
    // Data replaced meanwhile (a new load) can make a query fail; that result is dropped below anyway.
    return { w, gen, el: renderSection(w, current, filters).catch((e) => sectionFailed(w, e)) };
  };
  // Sections someone waits for start together, so one draws while the worker answers the next one's queries;
  // background sections go one at a time, top first.
  const started = opts.quiet ? [] : which.map(start);
  for (const w of which) {
    if (opts.quiet && seq !== loadSeq) break;
    const s = started.find((x) => x.w === w) ?? start(w);
    const el = await s.el;
    if (s.gen === sectionGen[w] && current === info) sections[w].replaceChildren(el);
    mark(`render ${w}`);
  }
  if (!opts.quiet && --pending === 0 && root.dataset.state === 'loading' && before === 'ready') {
    progress.done();
    setState('ready');
  }
  void drawDeferred();
}
let pending = 0;

function renderSection(w: SectionName, current: DatasetInfo, filters: Filters): Promise<HTMLElement> {
  if (w === 'overview') return renderOverview(engine, current, filters);
  if (w === 'pareto')
    return renderPareto(engine, current, filters, paretoState, (s) => {
      paretoState = s;
      void render(['pareto']);
    });
  if (w === 'matrix')
    return renderMatrix({
      engine,
      info: current,
      // The matrix is not filtered by its own quadrant: it shows which one is selected instead.
      filters: {},
      a: paretoState.opts.a,
      state: matrixState,
      active: crossFilter,
      onState: (s) => {
        matrixState = s;
        void render(['matrix']);
      },
      onQuadrant: (q) => {
        crossFilter = q;
        void render(['overview', 'pareto', 'matrix', 'incentives']);
      },
    });
  if (w === 'incentives')
    return renderIncentives({
      engine,
      info: current,
      filters,
      state: incentiveState,
      onState: (s) => {
        incentiveState = s;
        void render(['incentives']);
      },
      openMapping: () => void mapInteractively(current, current.mapping, 'raw', undefined, current.formats),
      onProgrammeFile: (f) => {
        queue = queue.then(() => addProgrammes(fileSource(f))).catch(() => {});
      },
      programmeNote,
    });
  return renderQuality(
    engine,
    current,
    () => void mapInteractively(current, current.mapping, 'raw', undefined, current.formats),
  );
}

/** Active cross-filters as removable chips. */
function renderChips() {
  clear(chips);
  if (!crossFilter) return;
  const q = crossFilter;
  chips.append(
    h('span', { class: 'chips-label' }, 'Filtered to '),
    h(
      'button',
      {
        type: 'button',
        class: 'chip',
        'aria-label': `Remove filter: ${QUADRANTS[q.quadrant].name}`,
        onclick: () => {
          crossFilter = undefined;
          void render(['overview', 'pareto', 'matrix', 'incentives']);
        },
      },
      `Quadrant: ${QUADRANTS[q.quadrant].name} ✕`,
    ),
  );
}

// The benchmark (scripts/bench.mjs) times a bare DuckDB load through the page's own engine.
if (new URLSearchParams(location.search).has('bench')) {
  engine.log = [];
  Object.assign(window, { __kalEngine: engine, __kalTimeline: timeline, __kalQueries: engine.log });
}
// DuckDB reports how far a long read has got; it drives the bar while a file loads.
let onReadProgress: ((pct: number) => void) | null = null;
engine.onProgress = (pct) => onReadProgress?.(pct);

applyTheme(currentChoice());
watchTheme(() => void render());
buildShell(root, datasetName, [chips, progress.el, alertBox, notice, dashboard], {
  onFiles: openFiles,
  onMapping: () => info && void mapInteractively(info, info.mapping, 'raw', undefined, info.formats),
  onTheme: () => void render(),
});
engine.onRestart = (reason) => {
  // Every table went with the old engine: reload the file the dashboard showed, from the same File handle.
  const again = lastLoad;
  info = null;
  notice.textContent = `The analysis engine failed (${reason.slice(0, 120)}) and was restarted.${again ? ` Reloading ${again.source.name}.` : ' Drop the file again to reload it.'}`;
  carryNotice = notice.textContent;
  if (again) queue = queue.then(() => load(again.source, again.then, again.choice)).catch(() => {});
};
setState('loading');
progress.start('Starting the analysis engine', true);
// The engine (a 34 MB wasm) compiles while the sample downloads.
void engine.start().catch(() => {});
queue = queue.then(async () => {
  try {
    const bytes = new Uint8Array(await (await fetch(sampleUrl)).arrayBuffer());
    await load(bufferSourceOf('sample_sales.csv (bundled sample)', bytes), async () => {
      const programmes = new Uint8Array(await (await fetch(sampleProgrammesUrl)).arrayBuffer());
      await addProgrammes(bufferSourceOf('sample_programmes.csv (bundled sample)', programmes), false);
    });
  } catch (e) {
    showError(e);
  }
});
