/**
 * The dashboard on the page: the tabs, the filter bar and chips, and one panel per view, all following the store.
 * The coordinator decides which views reload; this draws what it hands over and keeps the page's state attribute
 * ("loading" while an update runs, "ready" once the headline views and the one on screen are drawn).
 */
import { dateRange, dimensionValues } from '../analysis/dimensions';
import { QUADRANTS } from '../analysis/matrix';
import { BANDS, caps } from '../analysis/rules';
import { periodsOf } from '../analysis/view-filters';
import type { Engine } from '../data/engine';
import type { DatasetInfo } from '../data/ingest';
import { ROLE_INFO } from '../data/roles';
import { downloadText } from '../export/csv';
import { baseName, downloadBlob } from '../export/download';
import { figureCsv, figurePng, figureSvg } from '../export/figure-export';
import { type AppState, type Clause, DIMENSIONS, TAB_LABELS, TABS, type Tab } from '../state/app-state';
import type { Store } from '../state/store';
import { type Chip, renderChips } from '../ui/chips';
import { background, drawDeferred, drawParked } from '../ui/deferred';
import { h } from '../ui/dom';
import { FilterBar } from '../ui/filter-bar';
import { Tabs } from '../ui/tabs';
import { Coordinator, type CoordinatorEnv } from './coordinator';
import type { Figure } from './figure';
import type { IncentiveData } from './incentives';
import { incentivesView } from './incentives';
import type { KeyAccountData } from './key-accounts';
import { keyAccountsView } from './key-accounts';
import type { MatrixData } from './matrix';
import { matrixView } from './matrix';
import type { OverviewData } from './overview';
import { overviewView } from './overview';
import { type ParetoData, paretoOptions, paretoView } from './pareto';
import { qualityView } from './quality';
import { sectionFailed, sectionPlaceholder } from './section-frame';
import { type Finding, topFindings } from './summary';
import type { Actions, View } from './view';

export const VIEWS: View<unknown>[] = [
  overviewView as View<unknown>,
  paretoView as View<unknown>,
  matrixView as View<unknown>,
  incentivesView as View<unknown>,
  keyAccountsView as View<unknown>,
  qualityView as View<unknown>,
];

export interface PageHooks {
  /** The page's data-state attribute. */
  getState(): string | undefined;
  setState(s: 'loading' | 'ready'): void;
  progressStart(text: string): void;
  progressDone(): void;
  mark(step: string): void;
  openMapping(): void;
  onProgrammeFile(f: File): void;
  onPlanFile(f: File): void;
  notify(text: string): void;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

export class Dashboard {
  readonly tabs: Tabs<Tab>;
  readonly filterBar: FilterBar;
  readonly chips = h('div', { class: 'chips', 'aria-live': 'polite' });
  readonly panels: HTMLElement;
  private readonly panel = new Map<Tab, HTMLElement>();
  private readonly coordinator: Coordinator;
  private readonly actions: Actions;
  private pending = 0;
  private info: DatasetInfo | null = null;
  /** Each view's presentable figures, from the data it shows. */
  private readonly figures = new Map<Tab, Figure[]>();
  /** Each view's data, for the executive summary. */
  private readonly data = new Map<Tab, unknown>();
  /** The executive summary, above the tabs. */
  readonly summary = h('section', { class: 'summary', id: 'summary', 'aria-labelledby': 'summary-h', hidden: true });
  private summaryQueued = false;
  /** Called when the figures changed (a view drew new data): an open presentation redraws. */
  onFigures: (() => void) | null = null;

  constructor(
    private readonly store: Store,
    private readonly page: PageHooks,
  ) {
    this.tabs = new Tabs(
      TABS.map((id) => ({ id, label: TAB_LABELS[id] })),
      (tab) => store.update((s) => ({ ...s, tab })),
    );
    this.filterBar = new FilterBar((change, mode) => store.update(change, mode));
    this.panels = h('div', { class: 'dashboard' });
    for (const id of TABS) {
      const p = h('div', { role: 'tabpanel', id: `panel-${id}`, 'aria-labelledby': `tab-${id}`, tabindex: 0 });
      this.panel.set(id, p);
      this.panels.append(p);
    }
    this.actions = {
      update: (change, mode) => store.update(change, mode),
      toggleClause: (c) => store.update((s) => toggleClause(s, c)),
      openMapping: () => page.openMapping(),
      onProgrammeFile: (f) => page.onProgrammeFile(f),
      onPlanFile: (f) => page.onPlanFile(f),
      notify: (text) => page.notify(text),
      exportFigure: (id, format) => void this.exportFigure(id, format),
    };
    this.coordinator = new Coordinator(VIEWS, {
      shown: (id, data, input) => {
        const view = VIEWS.find((v) => v.id === id) as View<unknown>;
        let el: HTMLElement;
        try {
          el = view.render(data, input, this.actions);
        } catch (e) {
          el = sectionFailed(id, e);
        }
        this.panel.get(id)?.replaceChildren(el);
        try {
          this.figures.set(id, view.figures?.(data, input) ?? []);
        } catch {
          this.figures.set(id, []);
        }
        this.data.set(id, data);
        this.queueSummary();
        page.mark(`render ${id}`);
        void drawDeferred();
      },
      failed: (id, e) => this.panel.get(id)?.replaceChildren(sectionFailed(id, e)),
    });
    this.chrome(store.get());
  }

  /** Reads by the bench and tests: every load the coordinator started. */
  get loads(): readonly Tab[] {
    return this.coordinator.log;
  }

  /**
   * New data: every view is drawn again. Resolves when the headline views (and the one on screen) are drawn; the
   * others follow in the background, under `data-deferred="drawing"`.
   */
  async show(
    engine: Engine,
    info: DatasetInfo,
    programmeNote: string | undefined,
    targetsNote?: string,
  ): Promise<void> {
    this.info = info;
    const s = this.store.get();
    // The data's date range names the periods. Over the whole data no view needs it, so it is asked alongside.
    const dates = info.mapping.date ? dateRange(engine, Boolean(info.summary)) : Promise.resolve(null);
    const needed = s.filters.period !== 'all' || s.filters.from || s.filters.to;
    const env: CoordinatorEnv = {
      engine,
      info,
      caps: caps(info.mapping, Boolean(info.summary)),
      dates: needed ? await dates : null,
      datesPending: !needed && Boolean(info.mapping.date),
      programmeNote,
      targetsNote,
    };
    this.coordinator.setEnv(env);
    if (!needed)
      void dates
        .catch(() => null)
        .then((d) => {
          if (this.coordinator.getEnv()?.info !== info) return;
          this.coordinator.patchEnv({ dates: d, datesPending: false });
          this.chrome(this.store.get());
          // The views that name the data's last quarters waited for it: they load now, behind the others.
          const { rest, changed } = this.coordinator.update(this.store.get());
          for (const id of changed) if (id !== this.store.get().tab) this.placeholder(id);
          void background(() => rest);
        });
    this.chrome(s);
    const { first, rest, changed, waiting } = this.coordinator.update(s, { all: true });
    // Sections below the headline say they are being drawn rather than show the previous data.
    for (const id of changed)
      if ((id !== 'overview' && id !== 'pareto' && id !== s.tab) || waiting.includes(id)) this.placeholder(id);
    void background(() => rest).then(() => this.page.mark('drawn'));
    await first;
  }

  private placeholder(id: Tab) {
    this.panel.get(id)?.replaceChildren(sectionPlaceholder(id));
  }

  /** A programme or plan file changed beside the same data: the views reload. */
  async companionChanged(note: { programmeNote?: string; targetsNote?: string }): Promise<void> {
    const env = this.coordinator.getEnv();
    if (!env) return;
    this.coordinator.setEnv({ ...env, ...note });
    await this.refresh(this.store.get(), true);
  }

  /** A state change: the chrome follows at once, the views whose inputs changed reload. */
  async refresh(s: AppState, all = false): Promise<void> {
    this.chrome(s);
    if (!this.coordinator.getEnv()) return;
    const plan = this.coordinator.update(s, { all });
    if (!plan.changed.length) return;
    // Scripts wait for "ready" after an interaction too; an error message on screen stays an error.
    const before = this.page.getState();
    if (before === 'ready') {
      this.page.setState('loading');
      // Shown only if the update takes longer than ~300 ms.
      this.page.progressStart('Updating the views');
    }
    this.pending++;
    void background(() => plan.rest);
    await plan.first;
    if (--this.pending === 0 && this.page.getState() === 'loading' && before === 'ready') {
      this.page.progressDone();
      this.page.setState('ready');
    }
  }

  /** The findings of the executive summary, from the data every view shows. */
  findings(): Finding[] {
    const s = this.store.get();
    const env = this.coordinator.getEnv();
    if (!env) return [];
    return topFindings({
      overview: this.data.get('overview') as OverviewData | undefined,
      pareto: this.data.get('pareto') as ParetoData | undefined,
      matrix: this.data.get('matrix') as MatrixData | undefined,
      incentives: this.data.get('incentives') as IncentiveData | undefined,
      keys: this.data.get('key-accounts') as KeyAccountData | undefined,
      compared:
        s.compare === 'prev'
          ? 'the previous period'
          : s.compare === 'yoy'
            ? 'the same period a year earlier'
            : undefined,
      metric: paretoOptions(s, env.caps).metric,
      costToServe: env.caps.costToServe,
    });
  }

  /** Draws the summary once the views drawn in one go are in. */
  private queueSummary(): void {
    if (this.summaryQueued) return;
    this.summaryQueued = true;
    queueMicrotask(() => {
      this.summaryQueued = false;
      this.onFigures?.();
      const list = this.findings();
      this.summary.hidden = !list.length;
      this.summary.replaceChildren(
        h('h2', { id: 'summary-h' }, 'In five sentences'),
        h(
          'ol',
          {},
          ...list.map((f) =>
            h(
              'li',
              { 'data-finding': f.id },
              f.text,
              ' ',
              h(
                'button',
                {
                  type: 'button',
                  class: 'link-button',
                  onclick: () => this.store.update((st) => ({ ...st, tab: f.view })),
                },
                `${TAB_LABELS[f.view]} →`,
              ),
            ),
          ),
        ),
      );
    });
  }

  /** Every view's figures, in the order of the tabs. */
  allFigures(): Figure[] {
    return TABS.flatMap((t) => this.figures.get(t) ?? []);
  }

  /** What a figure that leaves the page says about where it comes from: the file, the period, the filters. */
  footer(): string {
    const s = this.store.get();
    const env = this.coordinator.getEnv();
    const info = this.info;
    if (!env || !info) return '';
    const periods = periodsOf(s, env.dates);
    const filters = this.chipsOf(s, info, periods.current?.label)
      .map((c) => c.label)
      .filter((l) => !l.startsWith('Period:'));
    const period = periods.current && !periods.current.all ? periods.current.label : 'all data';
    const compare = periods.compare ? `, compared with ${periods.compare.from} – ${periods.compare.to}` : '';
    return `Source: ${info.fileName} · Period: ${period}${compare}${filters.length ? ` · Filters: ${filters.join('; ')}` : ''}`;
  }

  private async exportFigure(id: string, format: 'png' | 'svg' | 'csv'): Promise<void> {
    const fig = this.allFigures().find((f) => f.id === id);
    if (!fig) return;
    const name = `${baseName(this.info?.fileName ?? 'data')}-${id.replace('.', '-')}`;
    try {
      if (format === 'csv') downloadText(`${name}.csv`, await figureCsv(fig));
      else if (format === 'svg')
        downloadBlob(`${name}.svg`, new Blob([await figureSvg(fig, this.footer())], { type: 'image/svg+xml' }));
      else downloadBlob(`${name}.png`, await figurePng(fig, this.footer()));
    } catch (e) {
      this.page.notify(`${fig.title} could not be exported: ${String((e as Error)?.message ?? e)}`);
    }
  }

  /** Charts take their colours from the theme: draw them again from the data at hand. */
  redraw(): void {
    this.coordinator.redraw();
  }

  /** Tabs, panels, filter bar and chips: everything that follows the state without a query. */
  private chrome(s: AppState): void {
    this.tabs.set(s.tab);
    const shown = this.panel.get(s.tab);
    const wasHidden = shown?.hidden;
    for (const [id, p] of this.panel) p.hidden = id !== s.tab;
    // The charts and panels of a tab drawn while it was hidden waited for it.
    if (wasHidden) void drawParked();
    const env = this.coordinator.getEnv();
    const info = this.info;
    if (!env || !info) return;
    const periods = periodsOf(s, env.dates);
    const mapped = new Set(Object.values(info.mapping));
    this.filterBar.render({
      state: s,
      periods,
      dims: DIMENSIONS.filter((d) => info.mapping[d]).map((d) => ({ dim: d, header: columnLabel(info.mapping[d]) })),
      fileColumns: info.columns
        .filter((c) => !mapped.has(c.name) && c.numericShare < 0.9 && c.dateShare < 0.9)
        .map((c) => c.name),
      values: (column, file, search) => dimensionValues(env.engine, column, file, search),
    });
    renderChips(this.chips, this.chipsOf(s, info, periods.current?.label), () =>
      this.store.update((st) => ({
        ...st,
        filters: {
          ...st.filters,
          period: 'all',
          from: null,
          to: null,
          region: [],
          segment: [],
          category: [],
          rep: [],
          extra: [],
          search: '',
        },
        clauses: [],
        keys: { ...st.keys, only: false },
      })),
    );
  }

  private chipsOf(s: AppState, info: DatasetInfo, periodLabel: string | undefined): Chip[] {
    const f = s.filters;
    const up = (change: (s: AppState) => AppState) => () => this.store.update(change);
    const chips: Chip[] = [];
    if ((f.period !== 'all' || f.from || f.to) && periodLabel)
      chips.push({
        label: `Period: ${periodLabel}`,
        remove: up((st) => ({ ...st, filters: { ...st.filters, period: 'all', from: null, to: null } })),
      });
    for (const d of DIMENSIONS)
      if (f[d].length)
        chips.push({
          label: `${columnLabel(info.mapping[d] ?? ROLE_INFO[d].label)}: ${f[d].join(', ')}`,
          remove: up((st) => ({ ...st, filters: { ...st.filters, [d]: [] } })),
        });
    for (const e of f.extra)
      if (e.values.length)
        chips.push({
          label: `${e.column}: ${e.values.join(', ')}`,
          remove: up((st) => ({
            ...st,
            filters: { ...st.filters, extra: st.filters.extra.filter((x) => x.column !== e.column) },
          })),
        });
    if (s.keys.only && s.keys.list.length)
      chips.push({
        label: `Key accounts only (${s.keys.list.length})`,
        remove: up((st) => ({ ...st, keys: { ...st.keys, only: false } })),
      });
    if (f.search.trim())
      chips.push({
        label: `Customer contains "${f.search.trim()}"`,
        remove: up((st) => ({ ...st, filters: { ...st.filters, search: '' } })),
      });
    for (const c of s.clauses) chips.push({ label: clauseLabel(c, info), remove: up((st) => toggleClause(st, c)) });
    return chips;
  }
}

/** Adds a clause, replacing the view's earlier one of the same kind; the same clause again removes it. */
export function toggleClause(s: AppState, c: Clause): AppState {
  const same = s.clauses.find((x) => x.source === c.source && x.kind === c.kind);
  const rest = s.clauses.filter((x) => x !== same);
  return { ...s, clauses: same && same.value === c.value ? rest : [...rest, c] };
}

/** A header as a label: "customer_type" reads "Customer type"; "Region" stays. */
export function columnLabel(header: string | undefined): string {
  const s = (header ?? '').replace(/[_]+/g, ' ').trim();
  return s ? s[0]?.toUpperCase() + s.slice(1) : '';
}

function clauseLabel(c: Clause, info: DatasetInfo): string {
  switch (c.kind) {
    case 'quadrant':
      return `Quadrant: ${QUADRANTS[c.value].name}`;
    case 'abc':
      return `Class ${c.value} customers`;
    case 'segment':
      return `${columnLabel(info.mapping.segment ?? 'Segment')}: ${c.value}`;
    case 'band':
      return `Discount band: ${BANDS[Number(c.value)]}`;
    case 'month':
      return `Month: ${MONTHS[Number(c.value.slice(5, 7)) - 1]} ${c.value.slice(0, 4)}`;
  }
}
