/**
 * Runs the views as clients of one state, as Mosaic's coordinator does: on every state change it reloads exactly the
 * views whose inputs changed (their own options, their filters, the period, the compare period, the data), drops
 * results that a newer change has overtaken, and hands the rest to a sink that draws them. DOM-free: the sink
 * renders, so the coordinator runs the same in Node tests.
 */
import { prepareFilters } from '../analysis/filters';
import type { DateRange } from '../analysis/periods';
import { filtersFor, periodsOf, withoutPeriod } from '../analysis/view-filters';
import { dataVersion } from '../data/canonical';
import type { AppState, Tab } from '../state/app-state';
import type { View, ViewEnv, ViewInput } from './view';

export interface CoordinatorEnv extends Omit<ViewEnv, 'periods'> {
  /** The data's first and last date, or null without dates. */
  dates: DateRange | null;
  /**
   * The data has dates whose range is still being read: views that need it (`dated`) wait, shown as being drawn,
   * rather than load once for no range and again for the real one (every query of theirs run twice).
   */
  datesPending?: boolean;
}

export interface Sink {
  /** A view's data is in: draw it. */
  shown(id: Tab, data: unknown, input: ViewInput): void;
  /** A view's load failed (and no newer one replaced it). */
  failed(id: Tab, error: unknown): void;
}

/** Views whose figures are headline figures: an update waits for these (and the view on screen) before "ready". */
const HEADLINE: Tab[] = ['overview', 'pareto'];

export class Coordinator {
  private env: CoordinatorEnv | null = null;
  private keys = new Map<Tab, string>();
  private last = new Map<Tab, { data: unknown; input: ViewInput }>();
  private generation = new Map<Tab, number>();
  /** Counts new data: background work for older data stops. */
  private epoch = 0;
  private queue: Promise<void> = Promise.resolve();
  /** Every load started, in order (read by tests and the bench). */
  readonly log: Tab[] = [];

  constructor(
    private readonly views: View<unknown>[],
    private readonly sink: Sink,
  ) {}

  /** New data (or none): every view is out of date. */
  setEnv(env: CoordinatorEnv | null): void {
    this.env = env;
    this.epoch++;
    this.keys.clear();
    this.last.clear();
  }

  getEnv(): CoordinatorEnv | null {
    return this.env;
  }

  /** A fact about the same data arrived (its date range): views reload only where their inputs changed. */
  patchEnv(patch: Partial<CoordinatorEnv>): void {
    if (this.env) this.env = { ...this.env, ...patch };
  }

  /** The input a view loads from under a state (filters not yet prepared). */
  inputOf(view: Tab, s: AppState): ViewInput | null {
    const env = this.env;
    if (!env) return null;
    const periods = periodsOf(s, env.dates);
    if (this.views.find((v) => v.id === view)?.filtered === false)
      return { env: { ...env, periods }, state: s, filters: {}, compare: null, history: {} };
    const filters = filtersFor(s, view, periods.current, env.caps);
    const compare = periods.compare ? filtersFor(s, view, periods.compare, env.caps) : null;
    const history = withoutPeriod(filters);
    if (periods.current && !periods.current.all) history.to = periods.current.to;
    return { env: { ...env, periods }, state: s, filters, compare, history };
  }

  private keyOf(view: View<unknown>, input: ViewInput): string {
    const own = input.state.clauses.filter((c) => c.source === view.id);
    return JSON.stringify([
      dataVersion(input.env.engine),
      input.env.programmeNote ?? '',
      view.reads(input.state),
      own,
      input.filters,
      input.compare,
      input.history,
      view.dated ? input.env.periods.data : null,
    ]);
  }

  /** The views an update to `s` would reload. */
  plan(s: AppState): Tab[] {
    const out: Tab[] = [];
    for (const v of this.views) {
      const input = this.inputOf(v.id, s);
      if (input && this.keys.get(v.id) !== this.keyOf(v, input)) out.push(v.id);
    }
    return out;
  }

  /**
   * Reloads the views that `s` changes. Resolves when the headline views and the one on screen are drawn; the rest
   * follow in `background`, one at a time, which the returned `rest` promise tracks.
   */
  update(
    s: AppState,
    opts: { all?: boolean } = {},
  ): { first: Promise<void>; rest: Promise<void>; changed: Tab[]; waiting: Tab[] } {
    const env = this.env;
    if (!env) return { first: Promise.resolve(), rest: Promise.resolve(), changed: [], waiting: [] };
    const epoch = this.epoch;
    const changed: { view: View<unknown>; input: ViewInput }[] = [];
    const waiting: Tab[] = [];
    for (const v of this.views) {
      const input = this.inputOf(v.id, s);
      if (!input) continue;
      const key = this.keyOf(v, input);
      if (!opts.all && this.keys.get(v.id) === key) continue;
      if (v.dated && env.datesPending) {
        // Out of date and not loaded yet: its key stays unset, so the update after the range arrives loads it.
        this.keys.delete(v.id);
        waiting.push(v.id);
        continue;
      }
      this.keys.set(v.id, key);
      changed.push({ view: v, input });
    }
    const urgent = new Set<Tab>([...HEADLINE, s.tab]);
    const first = changed.filter((c) => urgent.has(c.view.id));
    const later = changed.filter((c) => !urgent.has(c.view.id));
    // Views someone waits for start together, so one draws while the worker answers the next one's queries.
    const firstDone = Promise.all(first.map((c) => this.run(c.view, c.input, epoch))).then(() => {});
    // Background views go one at a time after them, and after any background work queued before.
    const rest = this.queue
      .then(() => firstDone)
      .then(async () => {
        for (const c of later) {
          if (epoch !== this.epoch) return;
          await this.run(c.view, c.input, epoch);
        }
      })
      .catch(() => {});
    this.queue = rest;
    return { first: firstDone, rest, changed: [...changed.map((c) => c.view.id), ...waiting], waiting };
  }

  /** Draws every view again from the data it has (a theme change): no query. */
  redraw(): void {
    for (const [id, { data, input }] of this.last) this.sink.shown(id, data, input);
  }

  private async run(view: View<unknown>, input: ViewInput, epoch: number): Promise<void> {
    const gen = (this.generation.get(view.id) ?? 0) + 1;
    this.generation.set(view.id, gen);
    this.log.push(view.id);
    const current = () => gen === this.generation.get(view.id) && epoch === this.epoch;
    try {
      const prepared: ViewInput = {
        ...input,
        filters: await prepareFilters(input.env.engine, input.filters),
        compare: input.compare ? await prepareFilters(input.env.engine, input.compare) : null,
        history: await prepareFilters(input.env.engine, input.history),
      };
      const data = await view.load(prepared);
      if (!current()) return;
      this.last.set(view.id, { data, input: prepared });
      this.sink.shown(view.id, data, prepared);
    } catch (e) {
      if (!current()) return;
      // The next state change retries it.
      this.keys.delete(view.id);
      this.sink.failed(view.id, e);
    }
  }
}
