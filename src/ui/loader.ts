/**
 * Everything a load goes through on the page: one queue of loads, progress, the mapping dialog, several related
 * files, a programme file, the timeline the benchmark reads, and reloading after an engine restart. What was
 * loaded is handed to the page (`accept`), which draws it; a failure is handed over as an error.
 */
import { isParquet, parquetReader, resolveSource } from '../data/browser-convert';
import type { BrowserEngine } from '../data/browser-engine';
import { browserRegistrar, fileSource } from '../data/browser-source';
import type { Formats } from '../data/canonical';
import type { Encoding } from '../data/encoding';
import {
  type DatasetInfo,
  discardStage,
  headerSignature,
  IngestError,
  type PartialInfo,
  type Progress,
  type SourceFile,
} from '../data/ingest';
import { type LoadOutcome, loadJoined, loadParquet, loadSource, remapAndCommit } from '../data/load';
import { type ParquetReader, parquetTextTable } from '../data/parquet-load';
import { loadProgrammes } from '../data/programmes';
import type { Choice } from '../data/readers/table';
import {
  appendSameColumns,
  buildJoined,
  describeJoin,
  dropRelated,
  proposeJoins,
  type RelTable,
  readRelated,
  type TableFile,
} from '../data/related';
import type { Mapping } from '../data/roles';
import { loadTargets } from '../data/targets';
import { recall, remember } from '../state/mapping-memory';
import { h } from './dom';
import { fmt } from './format';
import { joinDialog } from './join-dialog';
import { type MappingChoice, openMappingDialog } from './mapping-dialog';
import type { ProgressBar } from './progress';

export interface LoaderHooks {
  /** A load starts: it is newer than any drawing in progress. */
  begin(): void;
  /** Work on the data on screen starts (a remap, a programme file): the page is busy. */
  busy(): void;
  /** Data is in: draw it. `note` is a message about how the load came about. */
  accept(info: DatasetInfo, note?: string): Promise<void>;
  /** A load or a remap failed; the previous data stays. */
  failed(e: unknown): void;
  /** The user closed a dialog without loading anything. */
  cancelled(): void;
  /** A load attempt ended, whatever its outcome. */
  finished(): void;
  /** Something to say in the status line (replaces what is there). */
  say(content: string | HTMLElement): void;
  /** A programme or plan file changed beside the same sales data: the views that show it are out of date. */
  companionChanged(): Promise<void>;
  /** The user mapped the columns by hand: the mapping travels in links. */
  mapped(mapping: Mapping): void;
}

export interface LoadRequest {
  source: SourceFile;
  /** Companion data (the sample's programme file) that joins before the first drawing. */
  companion?: () => Promise<void>;
  /** Which sheet or archive entry to read. */
  choice?: string;
  /** The encoding chosen in the mapping dialog (text files only). */
  encoding?: Encoding;
  /** A Parquet file on the site's origin, read by range requests (`source` names it). */
  parquet?: ParquetReader;
}

export class Loader {
  private queue: Promise<void> = Promise.resolve();
  private seq = 0;
  /** What the dashboard shows was loaded from this, so it can be loaded again after an engine restart. */
  private lastLoad: LoadRequest | null = null;
  /** The load whose file waits in the mapping dialog (raw_pending). */
  private pendingLoad: LoadRequest | null = null;
  /** Loads of delimited text as dropped (not a sheet, Parquet or JSON converted to CSV): they can be re-read in
   * another encoding. */
  private textLoads = new WeakSet<LoadRequest>();
  /** Loads whose data the engine failed on (and was restarted): reloaded once, not again. */
  private failedOnce = new WeakSet<LoadRequest>();
  info: DatasetInfo | null = null;
  programmeNote: string | undefined;
  targetsNote: string | undefined;
  /** A mapping that a link brought: used for a file whose header has its columns. */
  linkMapping: Mapping | null = null;
  /** Where a load's time goes (read by the benchmark): milliseconds since the drop at each step. */
  readonly timeline: [string, number][] = [];
  private timelineStart = 0;
  private onReadProgress: ((pct: number) => void) | null = null;

  constructor(
    private readonly engine: BrowserEngine,
    private readonly progress: ProgressBar,
    private readonly hooks: LoaderHooks,
  ) {
    // DuckDB reports how far a long read has got; it drives the bar while a file loads.
    engine.onProgress = (pct) => this.onReadProgress?.(pct);
  }

  mark(step: string, restart = false): void {
    if (restart) {
      this.timeline.length = 0;
      this.timelineStart = performance.now();
      if (this.engine.log) this.engine.log.length = 0;
    }
    this.timeline.push([step, Math.round(performance.now() - this.timelineStart)]);
  }

  /** Runs after every load queued so far. */
  enqueue(work: () => Promise<void>): Promise<void> {
    const next = this.queue.then(work).catch(() => {});
    this.queue = next;
    return next;
  }

  /** One file is a sales export; several are related tables to join. */
  openFiles(files: File[]): Promise<void> {
    if (files.length === 1) return this.enqueue(() => this.load({ source: fileSource(files[0] as File) }));
    return this.enqueue(() => this.loadRelated(files));
  }

  open(req: LoadRequest): Promise<void> {
    return this.enqueue(() => this.load(req));
  }

  /**
   * The engine restarted: every table went with it; load the file the dashboard showed again. A file the engine
   * has already failed on once is not loaded a third time (it would fail the same way, for ever): `gaveUp`.
   */
  reloadAfterRestart(): { name: string | null; gaveUp: boolean } {
    const again = this.lastLoad;
    this.info = null;
    if (!again) return { name: null, gaveUp: false };
    if (this.failedOnce.has(again)) {
      this.lastLoad = null;
      return { name: again.source.name, gaveUp: true };
    }
    this.failedOnce.add(again);
    void this.enqueue(() => this.load(again));
    return { name: again.source.name, gaveUp: false };
  }

  private begin() {
    this.seq++;
    this.mark('drop', true);
    this.hooks.begin();
  }

  /** Loads now, inside work already queued (enqueue). */
  loadNow(req: LoadRequest): Promise<void> {
    return this.load(req);
  }

  private async load(req: LoadRequest): Promise<void> {
    let { source } = req;
    // A mapping dialog left open for an earlier file is abandoned: its staged table is about to be replaced.
    for (const d of document.querySelectorAll('dialog.mapping-dialog')) d.dispatchEvent(new Event('cancel'));
    this.begin();
    const progress = this.progress;
    progress.start(`Opening ${source.name} (${fmt.bytes(source.size)})`, true);
    try {
      await this.engine.start();
      let choiceNote: HTMLElement | null = null;
      // Parquet is read as typed columns (Arrow), not converted to CSV: dropped, or on the site by range requests.
      const own = 'file' in source ? (source as SourceFile & { file: File }) : null;
      const parquet =
        req.parquet ??
        (own && (await isParquet(own.file)) ? parquetReader({ name: own.name, size: own.size, file: own.file }) : null);
      if (own && !parquet) {
        // Excel, JSON and archives are read in a worker and arrive here as CSV.
        progress.set(`Reading ${source.name}`);
        const r = await resolveSource(own, req.choice);
        if (r.source === own) this.textLoads.add(req);
        if (r.choice) choiceNote = this.choiceSwitcher(own, r.choice, r.note);
        else if (r.note) choiceNote = h('span', {}, `${own.name}: ${r.note}.`);
        source = r.source;
      }
      if (!('file' in req.source)) this.textLoads.add(req);
      const name = source.name;
      const size = source.size;
      const onStage: Progress = (stage, detail, fraction, rows) => {
        this.mark(`stage ${stage}`);
        this.onReadProgress = null;
        if (stage !== 'read') return progress.set(detail, fraction);
        // Until DuckDB's first report (after 100 ms), the bar moves on the expected duration.
        progress.estimate(detail, fraction ?? 0.1, 0.6, 300 + size / 60_000);
        const verb = /again as text/.test(detail) ? 'Reading again as text' : 'Reading';
        this.onReadProgress = (pct) => {
          const f = Math.min(1, pct / 100);
          // The read is done; later queries report their own progress, which is not this bar's.
          if (f >= 0.999) {
            this.onReadProgress = null;
            return progress.set('Checking every row against the detected formats', 0.62);
          }
          const rowsText = rows ? `, about ${fmt.int(rows * f)} of ${fmt.int(rows)} rows` : '';
          progress.set(`${verb} ${name}: ${fmt.bytes(size * f)} of ${fmt.bytes(size)}${rowsText}`, 0.1 + 0.5 * f);
        };
      };
      const outcome = parquet
        ? await loadParquet(this.engine, parquet, { onStage, remembered: (sig) => this.remembered(sig) })
        : await loadSource(this.engine, source, {
            encoding: req.encoding,
            remembered: (sig) => this.remembered(sig),
            onStage,
            onBytes: (done, total) =>
              progress.set(`Converting to UTF-8: ${fmt.bytes(done)} of ${fmt.bytes(total)}`, 0.05 * (done / total)),
          });
      this.mark('in DuckDB');
      if (outcome.kind === 'loaded') {
        await this.forgetProgrammes();
        if (req.companion) await req.companion();
      }
      this.pendingLoad = outcome.kind === 'loaded' ? null : req;
      await this.settle(outcome);
      if (outcome.kind === 'loaded') this.lastLoad = req;
      if (choiceNote && outcome.kind === 'loaded') this.hooks.say(choiceNote);
    } catch (e) {
      this.hooks.failed(e);
    } finally {
      this.onReadProgress = null;
      progress.done();
      this.hooks.finished();
    }
  }

  /** A link's mapping when the header has all its columns, else the one remembered for this header. */
  private remembered(signature: string): { mapping: Mapping; formats?: Partial<Formats> } | undefined {
    const m = this.linkMapping;
    if (m && Object.keys(m).length) {
      const header = new Set(signature.split('\u241f'));
      if (Object.values(m).every((c) => c && header.has(c.trim().toLowerCase()))) return { mapping: m };
    }
    return recall(signature);
  }

  /** "Read sheet Orders of book.xlsx; other sheets: [Returns] [People]" — a click re-reads the file. */
  private choiceSwitcher(own: SourceFile, c: Choice, note?: string): HTMLElement {
    const what = c.what === 'sheet' ? 'sheet' : 'file';
    return h(
      'span',
      { class: 'choice-switcher' },
      `Read ${what} "${c.chosen}" of ${own.name}${note ? ` (${note})` : ''}. Other ${what}s: `,
      ...c.options
        .filter((o) => o !== c.chosen)
        .map((o) =>
          h('button', { type: 'button', class: 'chip', onclick: () => this.open({ source: own, choice: o }) }, o),
        ),
    );
  }

  /** Several related files: read each, propose the joins, let the user confirm, load the joined lines. */
  private async loadRelated(files: File[]): Promise<void> {
    this.begin();
    const label = `${files.length} related files`;
    const progress = this.progress;
    progress.start(`Reading ${label}`, true);
    let tables: RelTable[] = [];
    try {
      await this.engine.start();
      const sources: (SourceFile | TableFile)[] = [];
      // Parquet is decoded as typed columns into its table; the others are read as delimited text (converted first
      // where they are not: a workbook, JSON, an archive).
      for (const f of files)
        sources.push(
          (await isParquet(f))
            ? {
                name: f.name,
                readInto: (t: string) =>
                  parquetTextTable(this.engine, parquetReader({ name: f.name, size: f.size, file: f }), t),
              }
            : (await resolveSource(fileSource(f))).source,
        );
      tables = await readRelated(
        this.engine,
        sources,
        browserRegistrar(this.engine, () => {}),
      );
      // Exports of one system with the same columns (twelve months, say) are one table, not tables to join.
      tables = await appendSameColumns(this.engine, tables);
      const appended = tables.find((t) => t.parts);
      const plan = await proposeJoins(this.engine, tables);
      if (!plan) {
        throw new IngestError(
          label,
          `None of ${files.map((f) => f.name).join(', ')} has order lines with an amount, or a quantity and a unit price.`,
          'Drop the file with the order lines together with the files it refers to (orders, customers, products).',
        );
      }
      progress.done();
      // Appended files and nothing to join: there is nothing to confirm.
      const confirmed = plan.joins.length || !appended ? await joinDialog(plan) : plan;
      if (!confirmed) {
        this.hooks.cancelled();
        return;
      }
      progress.start(`Joining ${label}`, true);
      const { allocated } = await buildJoined(this.engine, confirmed);
      const used = confirmed.joins.filter((j) => j.use).length;
      const name = used ? `${confirmed.fact.name} + ${used} related file${used === 1 ? '' : 's'}` : confirmed.fact.name;
      const outcome = await loadJoined(this.engine, name, {
        onStage: (_, detail, fraction) => progress.set(detail, fraction),
      });
      this.mark('in DuckDB');
      if (outcome.kind === 'loaded') {
        await this.forgetProgrammes();
        for (const p of confirmed.programmeFiles) {
          const f = files.find((x) => x.name === p);
          if (f) await this.addProgrammes(fileSource(f), false);
        }
      }
      await this.settle(outcome);
      if (outcome.kind === 'loaded') {
        this.lastLoad = null;
        const said: string[] = [];
        if (appended?.parts) {
          const dup = appended.duplicates;
          said.push(
            `Appended ${appended.parts.length} files with the same columns: ${appended.parts
              .map((p) => `${p.name} (${fmt.count(p.rows, 'line')})`)
              .join(
                ', ',
              )}.${dup?.rows ? ` ${fmt.count(dup.rows, 'duplicate line')} left out: ${dup.detail.join('; ')}.` : ''}`,
          );
        }
        if (used) {
          const names = new Map(confirmed.tables.map((t) => [t.table, t.name]));
          said.push(
            `Joined: ${confirmed.joins
              .filter((j) => j.use)
              .map((j) => describeJoin(j, names))
              .join('; ')}.${allocated.length ? ` Spread over order lines by value: ${allocated.join(', ')}.` : ''}`,
          );
        }
        if (confirmed.unused.length) said.push(`Not used: ${confirmed.unused.join(', ')}.`);
        this.hooks.say(said.join(' '));
      }
    } catch (e) {
      this.hooks.failed(e);
    } finally {
      await dropRelated(this.engine, tables).catch(() => {});
      progress.done();
      this.hooks.finished();
    }
  }

  /** A load either succeeded, or needs the user to map columns (the dialog opens instead of failing). */
  private async settle(outcome: LoadOutcome) {
    if (outcome.kind === 'loaded') {
      this.info = outcome.info;
      return this.hooks.accept(outcome.info, outcome.note);
    }
    const needs = outcome.needs;
    this.hooks.failed(
      new IngestError(
        needs.partial.fileName,
        needs.message,
        'Choose the customer and net revenue columns in the mapping dialog. If this is one of several related tables (order lines without customers, say), select it together with the files it refers to (orders, customers, products) and drop them in one go.',
      ),
    );
    void this.mapInteractively(needs.partial, needs.mapping, 'raw_pending', needs.message);
  }

  /** The mapping dialog for the data on screen. */
  remap(): void {
    const info = this.info;
    if (info) void this.mapInteractively(info, info.mapping, 'raw', undefined, info.formats);
  }

  private async mapInteractively(
    partial: PartialInfo,
    mapping: DatasetInfo['mapping'],
    raw: 'raw' | 'raw_pending',
    reason?: string,
    formats?: DatasetInfo['formats'],
  ) {
    const seq = this.seq;
    // A text file can be read again in another encoding; a converted or joined one has no bytes of its own to.
    const again = raw === 'raw' ? this.lastLoad : this.pendingLoad;
    const text = again && this.textLoads.has(again) ? again : null;
    const choice = await openMappingDialog({
      fileName: partial.fileName,
      columns: partial.columns.map((c) => c.name),
      samples: partial.samples,
      mapping,
      formats,
      reason,
      encoding: text ? partial.encoding.encoding : undefined,
    });
    if (!choice) {
      if (seq !== this.seq) return;
      if (raw === 'raw_pending') void this.enqueue(() => discardStage(this.engine));
      this.hooks.cancelled();
      return;
    }
    if (text && choice.encoding && choice.encoding !== partial.encoding.encoding) {
      // Another encoding changes the header too: the file is read again and its columns recognised afresh.
      const req = { ...text, encoding: choice.encoding };
      if (raw === 'raw_pending') await this.enqueue(() => discardStage(this.engine));
      void this.enqueue(() => this.load(req));
      return;
    }
    void this.enqueue(() => this.applyMapping(partial, choice, raw));
  }

  private async applyMapping(partial: PartialInfo, choice: MappingChoice, raw: 'raw' | 'raw_pending') {
    this.progress.start('Applying the column mapping');
    try {
      this.hooks.busy();
      const next = await remapAndCommit(this.engine, partial, choice.mapping, choice.formats, raw);
      remember(headerSignature(partial.columns.map((c) => c.name)), {
        mapping: choice.mapping,
        formats: choice.formats,
      });
      this.info = next;
      this.hooks.mapped(choice.mapping);
      await this.hooks.accept(next);
    } catch (e) {
      this.hooks.failed(e);
    } finally {
      this.progress.done();
    }
  }

  /**
   * Loads a programme file next to the sales data. Standalone (the user's file input) it redraws the incentives;
   * as part of a sales load it runs before the first drawing, which then shows it. A failure leaves both as they
   * were.
   */
  async addProgrammes(source: SourceFile & { file: File }, standalone = true): Promise<void> {
    if (standalone && !this.info) return;
    if (standalone) this.hooks.busy();
    try {
      const r = await loadProgrammes(
        this.engine,
        source,
        browserRegistrar(this.engine, () => {}),
      );
      this.programmeNote = `${r.fileName}: ${fmt.int(r.programmes)} programmes, ${fmt.int(r.customers)} customers, ${fmt.int(r.rows - r.rejected)} rows used${r.rejected ? `, ${fmt.int(r.rejected)} rows without programme, customer or valid dates left out` : ''}${r.unmatched ? `; ${fmt.int(r.unmatched)} customer keys match no customer in the sales data (${r.unmatchedSample.join(', ')}${r.unmatched > 5 ? ', …' : ''})` : '; every customer key matches the sales data'}.`;
      if (standalone) await this.hooks.companionChanged();
    } catch (e) {
      this.hooks.failed(e);
    } finally {
      if (standalone) this.hooks.finished();
    }
  }

  /** A plan file (customer, period, target) next to the sales data; Excel is converted first. */
  async addTargets(file: File): Promise<void> {
    if (!this.info) return;
    this.hooks.busy();
    try {
      const { source } = await resolveSource(fileSource(file));
      const r = await loadTargets(
        this.engine,
        source,
        browserRegistrar(this.engine, () => {}),
      );
      this.targetsNote = `${file.name}: targets for ${fmt.count(r.customers, 'customer')}, ${fmt.int(r.rows - r.rejected)} rows used${r.rejected ? `, ${fmt.int(r.rejected)} rows without a customer, a period like 2025Q3 or a target left out` : ''}${r.unmatched ? `; ${fmt.count(r.unmatched, 'customer key')} match no customer in the sales data` : ''}.`;
      await this.hooks.companionChanged();
    } catch (e) {
      this.hooks.failed(e);
    } finally {
      this.hooks.finished();
    }
  }

  /** Programme and plan files belong to the sales data they were loaded with: a new file starts without them. */
  private async forgetProgrammes() {
    await this.engine.exec('DROP TABLE IF EXISTS programmes; DROP TABLE IF EXISTS targets');
    this.programmeNote = undefined;
    this.targetsNote = undefined;
  }
}
