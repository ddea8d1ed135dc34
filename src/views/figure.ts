/**
 * One list of figures behind presentation mode, every export and the snapshot: each view says what its figures are
 * (an id, a title, a data-driven headline, the chart, the table behind it), so a new chart is presentable and
 * exportable without more work.
 */
import { type ChartSize, withSize } from '../charts/plot';
import type { Tab } from '../state/app-state';

export type Cell = string | number | boolean | null | undefined;

export interface Figure {
  /** Stable across data: `<view>.<name>`, as slides and links name it. */
  id: string;
  view: Tab;
  title: string;
  /** One sentence from the data, the slide's title. */
  headline: string;
  /** Draws the chart: at a slide's or an export's size, and without customer names when it leaves anonymised. */
  chart(o?: ChartOptions): Promise<Element>;
  /** The data behind the chart, as it downloads as CSV. */
  table(): Promise<{ columns: string[]; rows: Cell[][] }>;
  /** A legend the chart draws outside its SVG, for exports (CSS colours). */
  legend?: { label: string; color: string }[];
  /** A footnote: method, source of a figure. */
  note?: string;
  /** The table names customers: anonymised in a snapshot unless the sender opts in (column indexes). */
  nameColumns?: number[];
}

export interface ChartOptions {
  size?: ChartSize;
  /** Leave out the customer names a chart would label (a snapshot without the names opt-in). */
  anonymous?: boolean;
}

/** Draws a chart at the asked size: call it once the chart's data is at hand (a size cannot cross an await). */
export function drawAt<T>(o: ChartOptions | undefined, draw: () => T): T {
  return o?.size ? withSize(o.size, draw) : draw();
}
