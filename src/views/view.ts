/**
 * A view of the dashboard as a client of the coordinator (views/coordinator.ts): it says which part of the state it
 * reads, loads its data from the engine with the filters the coordinator gives it (no DOM: testable in Node), and
 * renders from that data and the state.
 */
import type { Filters } from '../analysis/filters';
import type { Caps } from '../analysis/rules';
import type { Periods } from '../analysis/view-filters';
import type { Engine } from '../data/engine';
import type { DatasetInfo } from '../data/ingest';
import type { AppState, Clause, Tab } from '../state/app-state';
import type { HistoryMode } from '../state/store';
import type { Figure } from './figure';

/** What a view loads from besides the state: the data and what it makes possible. */
export interface ViewEnv {
  engine: Engine;
  info: DatasetInfo;
  caps: Caps;
  periods: Periods;
  /** What was said about the programme file loaded with the data, if any. */
  programmeNote?: string;
  /** What was said about the plan (targets) file, if any. */
  targetsNote?: string;
}

export interface ViewInput {
  env: ViewEnv;
  state: AppState;
  /** The view's filters: the global ones and every other view's clauses, over the current period. */
  filters: Filters;
  /** The same over the compare period, when compare is on. */
  compare: Filters | null;
  /** The same without the period's start, ending at its end: for trends and sparklines. */
  history: Filters;
}

/** What a rendered view may ask of the page. */
export interface Actions {
  update(change: (s: AppState) => AppState, mode?: HistoryMode): void;
  /** Adds the clause, or removes it when the same one is active (a second click undoes the first). */
  toggleClause(c: Clause): void;
  openMapping(): void;
  onProgrammeFile(f: File): void;
  onPlanFile(f: File): void;
  /** A message for the status line. */
  notify(text: string): void;
  /** Downloads a figure as an image or the table behind it. */
  exportFigure(id: string, format: 'png' | 'svg' | 'csv'): void;
}

export interface View<D> {
  id: Tab;
  /** The part of the state, beyond the filters, that the view's data depends on. */
  reads(s: AppState): unknown;
  /** False for a view of the file itself (data quality): no filter or period applies to it. */
  filtered?: boolean;
  /**
   * The view's figures depend on the data's date range even over the whole data (its last complete quarters): it
   * waits for the range, which the dashboard asks for beside the first views rather than before them.
   */
  dated?: boolean;
  load(input: ViewInput): Promise<D>;
  render(data: D, input: ViewInput, act: Actions): HTMLElement;
  /** The view's presentable figures (slides, exports, snapshot), in the order a deck shows them. */
  figures?(data: D, input: ViewInput): Figure[];
}
