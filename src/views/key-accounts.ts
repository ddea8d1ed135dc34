/**
 * Key accounts: the quarterly barometer of the accounts that matter. The list (kept in the state and this
 * browser), the accounts by quarter, an account card, seasonality, ABC migration between two periods, alerts and
 * dependence on the largest customers over time. Every figure follows the dimension filters; the period sets where
 * histories end.
 */

import { type CustomerBridge, customerBridge } from '../analysis/bridge';
import { memo } from '../analysis/cache';
import { concentrationByQuarter, type QuarterConcentration } from '../analysis/concentration';
import type { Filters } from '../analysis/filters';
import {
  ACCOUNT_TYPE_LABELS,
  type AccountFigures,
  type AccountQuarter,
  ALERT_TITLES,
  type Alert,
  accountFigures,
  accountQuarters,
  alertsOf,
  alertsOnKeys,
  classACustomers,
  type KeyAccount,
  keySet,
  orderRhythm,
  type PlanRow,
  planAttainment,
  quadrantPath,
} from '../analysis/key-accounts';
import { QUADRANTS } from '../analysis/matrix';
import {
  abcMigration,
  FROM,
  type From,
  type Migration,
  type MigrationCustomer,
  migrationCustomers,
  TO,
  type To,
} from '../analysis/migration';
import { type DateRange, lastCompleteQuarters, quarterOf, resolvePeriod } from '../analysis/periods';
import { type Seasonality, seasonality } from '../analysis/seasonality';
import { matrixMargin, withoutPeriod } from '../analysis/view-filters';
import {
  dependenceChart,
  hhiChart,
  MONTH_NAMES,
  migrationChart,
  seasonChart,
  shareChart,
} from '../charts/key-accounts';
import { quarterChart } from '../charts/trend';
import { downloadText, toCsv } from '../export/csv';
import { ACCOUNT_TYPES, type AppState } from '../state/app-state';
import { listFromCsv, mergeLists } from '../state/key-account-memory';
import { deferred } from '../ui/deferred';
import { h } from '../ui/dom';
import { fileInput } from '../ui/file-input';
import { fmt } from '../ui/format';
import { kpiGrid } from '../ui/kpi';
import { showMore } from '../ui/show-more';
import { type Column, dataTable, tableWrap } from '../ui/table';
import { fitted } from './chart-fit';
import { drawAt, type Figure } from './figure';
import { exportMenu } from './figure-tools';
import { sectionFrame } from './section-frame';
import type { Actions, View, ViewInput } from './view';

/** How many quarters the account table shows. */
const QUARTERS = 8;

export interface KeyAccountData {
  keys: KeyAccount[];
  /** The two periods compared: the compare period and the current one, or the last complete quarter and the one before. */
  earlier: DateRange & { label: string };
  later: DateRange & { label: string };
  byCompare: boolean;
  /** The first day of the quarter that QoQ and YoY describe. */
  anchor: string;
  quarters: AccountQuarter[];
  /** The quarters shown, oldest first. */
  quarterLabels: string[];
  figures: AccountFigures[];
  /** The key accounts' share of revenue in the later period. */
  share: number | null;
  migration: Migration;
  season: Seasonality | null;
  dependence: QuarterConcentration[];
  plan: PlanRow[];
  planPeriod: string | null;
  alerts: Alert[];
  card: AccountCard | null;
  cell: MigrationCustomer[] | null;
}

export interface AccountCard {
  customer: string;
  label: string;
  type: KeyAccount['type'] | null;
  bridge: CustomerBridge | null;
  path: { quarter: string; quadrant: string; revenue: number; margin: number }[];
  season: Seasonality | null;
  share: { quarter: string; revenue: number; share: number }[];
}

/** The two periods the view compares (DESIGN.md): compare and current, or the last complete quarter and the one before. */
function twoPeriods(input: ViewInput) {
  const { current, compare, data } = input.env.periods;
  if (current && compare && !current.all)
    return {
      earlier: { ...compare, label: compare.label },
      later: { ...current, label: current.label },
      byCompare: true,
    };
  const end = current && !current.all ? current.to : (data?.to ?? '');
  const [earlier, later] = lastCompleteQuarters(end);
  return { earlier, later, byCompare: false };
}

/** The period plans are measured on: the one in view, or the quarter holding the data's last date. */
function planPeriod(input: ViewInput): { from: string; to: string; end: string; label: string } | null {
  const { current, data } = input.env.periods;
  if (!data) return null;
  if (current && !current.all) return { from: current.from, to: current.to, end: current.end, label: current.label };
  const q = quarterOf(data.to);
  return { from: q.from, to: data.to, end: q.to, label: q.label };
}

const within = (f: Filters, r: DateRange): Filters => ({ ...withoutPeriod(f), from: r.from, to: r.to });

const SEASON_TITLE = 'Seasonality of revenue by month of the year';
const DEPENDENCE_TITLE = 'Dependence on the largest customers, by quarter';
const MIGRATION_TITLE = 'ABC migration';

/** When the peak comes and how large it is, in one sentence. */
function seasonSentence(s: Seasonality): string {
  return `The peak comes in ${MONTH_NAMES[s.peakMonth - 1]}, ${fmt.pct(s.peakIndex - 1)} above an average month${s.years.length ? '' : ' (no whole calendar year in view: every month in view is used)'}.`;
}

function keyAccountFigures(d: KeyAccountData): Figure[] {
  const out: Figure[] = [];
  const season = d.season;
  if (season)
    out.push({
      id: 'key-accounts.season',
      view: 'key-accounts',
      title: SEASON_TITLE,
      headline: seasonSentence(season),
      chart: async (o) => drawAt(o, () => seasonChart(season, SEASON_TITLE)),
      table: async () => ({
        columns: ['month', 'total', 'seasonal_index'],
        rows: season.months.map((m) => [MONTH_NAMES[m.month - 1], m.total, m.index]),
      }),
      note: season.years.length ? `Whole calendar years: ${season.years.join(', ')}.` : undefined,
    });
  const dep = d.dependence.slice(-QUARTERS);
  const last = dep.at(-1);
  if (last && dep.length > 1)
    out.push({
      id: 'key-accounts.dependence',
      view: 'key-accounts',
      title: DEPENDENCE_TITLE,
      headline: `In ${last.quarter} the ten largest customers made ${fmt.pct(last.top10)} of revenue and the largest ${fmt.pct(last.top1)}; HHI ${fmt.int(last.hhi)}.`,
      legend: [
        { label: 'Top 10', color: 'var(--accent)' },
        { label: 'Top 1', color: 'var(--accent2)' },
      ],
      chart: async (o) => drawAt(o, () => dependenceChart(dep)),
      table: async () => ({
        columns: ['quarter', 'customers', 'top1_share', 'top10_share', 'hhi'],
        rows: dep.map((q) => [q.quarter, q.customers, q.top1, q.top10, q.hhi]),
      }),
    });
  const cells = d.migration.cells;
  const into = cells.filter((c) => c.to === 'A' && c.from !== 'A').reduce((t, c) => t + c.customers, 0);
  const outOf = cells.filter((c) => c.from === 'A' && c.to !== 'A').reduce((t, c) => t + c.customers, 0);
  out.push({
    id: 'key-accounts.migration',
    view: 'key-accounts',
    title: `${MIGRATION_TITLE}: ${d.earlier.label} → ${d.later.label}`,
    headline: `${fmt.count(into, 'customer')} moved into class A and ${fmt.int(outOf)} left it between ${d.earlier.label} and ${d.later.label}.`,
    chart: async (o) => drawAt(o, () => migrationChart(cells, d.earlier.label, d.later.label)),
    table: async () => ({
      columns: ['from', 'to', 'customers', 'revenue_before', 'revenue_after'],
      rows: cells.map((c) => [c.from, c.to, c.customers, c.before, c.after]),
    }),
  });
  return out;
}

export const keyAccountsView: View<KeyAccountData> = {
  id: 'key-accounts',
  figures: keyAccountFigures,
  reads: (s) => [s.keys, s.pareto.a, s.pareto.b, s.matrix.margin],
  dated: true,
  async load(input) {
    const { env, state, filters, history } = input;
    const { engine } = env;
    const keys = state.keys.list;
    const ids = keys.map((k) => k.customer);
    const set = await keySet(engine, ids);
    const { earlier, later, byCompare } = twoPeriods(input);
    const a = state.pareto.a / 100;
    const b = state.pareto.b / 100;
    const end =
      input.env.periods.current && !input.env.periods.current.all
        ? input.env.periods.current.to
        : (env.periods.data?.to ?? '');
    const plan = planPeriod(input);
    const [quarters, figures, rhythm, migration, season, dependence, plans] = await Promise.all([
      ids.length ? accountQuarters(engine, history, set) : Promise.resolve([]),
      ids.length ? accountFigures(engine, within(filters, later), within(filters, earlier), set) : Promise.resolve([]),
      ids.length && end && env.caps.lines ? orderRhythm(engine, history, set, end) : Promise.resolve([]),
      abcMigration(engine, within(filters, earlier), within(filters, later), a, b),
      env.caps.date ? seasonality(engine, filters) : Promise.resolve(null),
      env.caps.date
        ? memo(engine, `concentration|revenue|${JSON.stringify(history)}`, () =>
            concentrationByQuarter(engine, history),
          )
        : Promise.resolve([]),
      plan && ids.length
        ? planAttainment(engine, withoutPeriod(filters), set, plan, state.filters.fy)
        : Promise.resolve([]),
    ]);
    const labels = new Map(figures.map((f) => [f.customer, f.label]));
    const [entered, left] = await Promise.all([
      migrationCustomers(engine, migration, ['B', 'C', 'new'], 'A', 1000),
      migrationCustomers(engine, migration, 'A', ['B', 'C', 'lost'], 1000),
    ]);
    // A customer new to class A is news when it is not a key account yet (a candidate); one that left class A
    // when it is a key account, or when it stopped buying altogether.
    const isKey = new Set(ids);
    const alerts = alertsOf({
      figures,
      drop: state.keys.drop / 100,
      rhythm,
      enteredA: entered
        .filter((c) => !isKey.has(c.customer))
        .map((c) => ({ customer: c.customer, label: c.label, from: c.from })),
      leftA: left
        .filter((c) => isKey.has(c.customer) || c.to === 'lost')
        .map((c) => ({ customer: c.customer, label: c.label, to: c.to })),
      dependence,
      plan: plans.map((p) => ({ ...p, label: labels.get(p.customer) ?? p.customer })),
      labels,
      earlier: earlier.label,
    });
    const quarterLabels = [...new Set(dependence.map((d) => d.quarter))].slice(-QUARTERS);
    // QoQ and YoY are read on the last complete quarter of the later period, like the alerts.
    const anchor = lastCompleteQuarters(later.to)[1].from;
    // Every customer of the later period is in one migration cell (the "lost" ones with nothing).
    const total = migration.cells.reduce((t, c) => t + c.after, 0);
    const keyRevenue = figures.reduce((t, f) => t + f.revenue, 0);
    const sel = state.keys.selected;
    const card = sel ? await accountCard(input, sel, keys, dependence) : null;
    const cell = state.keys.cell
      ? await migrationCustomers(engine, migration, state.keys.cell.from, state.keys.cell.to)
      : null;
    return {
      keys,
      anchor,
      earlier,
      later,
      byCompare,
      quarters,
      quarterLabels,
      figures,
      share: total > 0 ? keyRevenue / total : null,
      migration,
      season,
      dependence,
      plan: plans,
      planPeriod: plan?.label ?? null,
      alerts,
      card,
      cell,
    };
  },
  render: renderKeyAccounts,
};

async function accountCard(
  input: ViewInput,
  customer: string,
  keys: KeyAccount[],
  dependence: QuarterConcentration[],
): Promise<AccountCard> {
  const { env, state, filters, history } = input;
  const { engine } = env;
  const [bridge, path, season] = await Promise.all([
    customerBridge(engine, filters, customer, history),
    env.caps.profit
      ? quadrantPath(engine, history, customer, state.pareto.a / 100, matrixMargin(state, env.caps))
      : Promise.resolve([]),
    env.caps.date ? seasonality(engine, { ...history, from: undefined, customers: [customer] }) : Promise.resolve(null),
  ]);
  const totals = new Map(dependence.map((d) => [d.quarter, d.revenue]));
  const share = (bridge?.quarters ?? [])
    .filter((q) => totals.has(q.quarter))
    .slice(-QUARTERS)
    .map((q) => ({ quarter: q.quarter, revenue: q.revenue, share: q.revenue / (totals.get(q.quarter) || 1) }));
  return {
    customer,
    label: bridge?.label ?? customer,
    type: keys.find((k) => k.customer === customer)?.type ?? null,
    bridge,
    path,
    season,
    share,
  };
}

type SetKeys = (patch: Partial<AppState['keys']>, mode?: 'replace') => void;

function renderKeyAccounts(d: KeyAccountData, input: ViewInput, act: Actions): HTMLElement {
  const set: SetKeys = (patch, mode) => act.update((s) => ({ ...s, keys: { ...s.keys, ...patch } }), mode);
  const section = sectionFrame('key-accounts');
  const n = d.keys.length;
  section.append(
    h(
      'p',
      { class: 'headline' },
      n
        ? `${fmt.count(n, 'key account')} made ${fmt.pct(d.share)} of revenue in ${d.later.label}; ${fmt.count(d.alerts.length, 'alert')}${d.alerts.length ? `, ${fmt.int(alertsOnKeys(d.alerts, d.keys).length)} on these accounts` : ''}.`
        : 'No key accounts yet. Start from the A-class customers of the last four quarters, or add accounts by hand, import a list, or use the customer-type column.',
    ),
    listControls(d, input, act, set),
  );
  const peak = d.season;
  section.append(
    kpiGrid([
      { name: 'key_accounts', label: 'Key accounts', value: n, display: fmt.int(n) },
      {
        name: 'alerts',
        label: 'Alerts',
        value: d.alerts.length,
        display: fmt.int(d.alerts.length),
        tone: d.alerts.length ? 'warn' : undefined,
      },
      ...(peak
        ? [
            {
              name: 'peak_month',
              label: 'Peak month',
              value: peak.peakMonth,
              display: MONTH_NAMES[peak.peakMonth - 1] as string,
              sub: `index ${peak.peakIndex.toFixed(2)}`,
            },
            {
              name: 'peak_index',
              label: 'Peak seasonal index',
              value: peak.peakIndex,
              display: peak.peakIndex.toFixed(2),
              sub: '1 = an average month',
            },
          ]
        : []),
    ]),
  );
  if (d.alerts.length) section.append(alertTable(d, set));
  else section.append(h('p', { class: 'note' }, `No alert between ${d.earlier.label} and ${d.later.label}.`));
  if (n) section.append(accountTable(d, set));
  if (d.card) section.append(cardPanel(d.card, d, set));
  const charts = h('div', { class: 'chart-grid' });
  if (d.season) charts.append(seasonPanel(d.season, SEASON_TITLE, act));
  if (d.dependence.length > 1)
    charts.append(
      deferred('Dependence over time', async () =>
        h(
          'figure',
          { class: 'chart', 'data-figure': 'key-accounts.dependence' },
          h('figcaption', {}, exportMenu(act, 'key-accounts.dependence', DEPENDENCE_TITLE), DEPENDENCE_TITLE),
          h(
            'div',
            { class: 'chart-pair' },
            fitted(() => dependenceChart(d.dependence.slice(-QUARTERS))),
            fitted(() => hhiChart(d.dependence.slice(-QUARTERS))),
          ),
        ),
      ),
    );
  section.append(charts, migrationPanel(d, input, set, act));
  return section;
}

function listControls(d: KeyAccountData, input: ViewInput, act: Actions, set: SetKeys): HTMLElement {
  const { env, state } = input;
  const addA = h(
    'button',
    {
      type: 'button',
      class: 'primary',
      onclick: async () => {
        const data = env.periods.data;
        if (!data) return;
        const last4 = resolvePeriod({ period: 'last4q', from: null, to: null, fy: state.filters.fy }, data);
        const { customers: a, inClass } = await classACustomers(
          env.engine,
          { ...withoutPeriod(input.filters), from: last4?.from, to: last4?.to },
          state.pareto.a / 100,
        );
        const have = new Set(d.keys.map((k) => k.customer));
        const added = a.filter((c) => !have.has(c));
        set({ list: [...d.keys, ...added.map((customer) => ({ customer, type: 'major' as const }))] });
        act.notify(
          `${fmt.count(inClass, 'customer')} ${inClass === 1 ? 'is' : 'are'} in class A over the last 4 quarters; ${
            inClass > a.length ? `the ${fmt.int(a.length)} largest were taken, ` : ''
          }${fmt.int(added.length)} of them added to the key accounts.`,
        );
      },
    },
    'Add the A-class customers of the last 4 quarters',
  );
  const only = h('input', { type: 'checkbox', id: 'keys-only', checked: state.keys.only }) as HTMLInputElement;
  only.addEventListener('change', () => set({ only: only.checked }));
  const drop = h('input', {
    id: 'keys-drop',
    type: 'number',
    min: 1,
    max: 99,
    step: 1,
    value: state.keys.drop,
  }) as HTMLInputElement;
  drop.addEventListener('change', () => {
    const v = Number(drop.value);
    if (v >= 1 && v <= 99) set({ drop: v });
  });
  const exportBtn = h(
    'button',
    {
      type: 'button',
      disabled: !d.keys.length,
      onclick: () => {
        const names = new Map(d.figures.map((f) => [f.customer, f.label]));
        downloadText(
          `key-accounts-${env.info.fileName.replace(/\.[^.]+$/, '')}.csv`,
          toCsv(
            ['customer', 'name', 'type'],
            d.keys.map((k) => [k.customer, names.get(k.customer) ?? '', k.type]),
          ),
        );
      },
    },
    'Export list (CSV)',
  );
  const importInput = fileInput({
    id: 'keys-import',
    accept: '.csv,.txt',
    label: 'Import a key-account list',
    onFiles: async (files) => {
      const text = await (files[0] as File).text();
      set({ list: mergeLists(d.keys, listFromCsv(text, ACCOUNT_TYPE_LABELS)) });
    },
  });
  const planInput = fileInput({
    id: 'plan-input',
    accept: '.csv,.tsv,.txt,.xlsx',
    label: 'Load a plan file',
    onFiles: (files) => act.onPlanFile(files[0] as File),
  });
  return h(
    'div',
    {},
    h(
      'div',
      { class: 'controls' },
      addA,
      h('label', { for: 'keys-import', class: 'button' }, 'Import list…'),
      importInput,
      exportBtn,
      h('label', { for: 'keys-only' }, only, ' Show only key accounts in every view'),
      h('label', { for: 'keys-drop' }, 'Alert when revenue falls more than ', drop, '%'),
      h('label', { for: 'plan-input', class: 'button' }, 'Load a plan file…'),
      planInput,
    ),
    env.targetsNote ? h('p', { class: 'note', role: 'status' }, env.targetsNote) : null,
    manageList(d, input, set),
    h(
      'p',
      { class: 'note' },
      d.byCompare
        ? `Changes and migration: ${d.later.label} against ${d.earlier.label} (the compare period).`
        : `Changes and migration: ${d.later.label}, the last complete quarter in view, against ${d.earlier.label}. Set a period and compare to choose others.`,
    ),
  );
}

/** The list itself: each account's type can be changed, or the account removed; others added by search. */
function manageList(d: KeyAccountData, input: ViewInput, set: SetKeys): HTMLElement {
  const names = new Map(d.figures.map((f) => [f.customer, f.label]));
  const byRevenue = new Map(d.figures.map((f, i) => [f.customer, i]));
  const keys = [...d.keys].sort((a, b) => (byRevenue.get(a.customer) ?? 0) - (byRevenue.get(b.customer) ?? 0));
  const row = (k: KeyAccount) => {
    const type = h(
      'select',
      { 'aria-label': `Type of ${names.get(k.customer) ?? k.customer}` },
      ...ACCOUNT_TYPES.map((t) => h('option', { value: t, selected: t === k.type }, ACCOUNT_TYPE_LABELS[t])),
    ) as HTMLSelectElement;
    type.addEventListener('change', () =>
      set({
        list: d.keys.map((x) => (x.customer === k.customer ? { ...x, type: type.value as KeyAccount['type'] } : x)),
      }),
    );
    const remove = h(
      'button',
      {
        type: 'button',
        'aria-label': `Remove ${names.get(k.customer) ?? k.customer} from the key accounts`,
        onclick: () => set({ list: d.keys.filter((x) => x.customer !== k.customer) }),
      },
      'Remove',
    );
    return h(
      'tr',
      {},
      h('td', {}, names.get(k.customer) ?? k.customer),
      h('td', {}, k.customer),
      h('td', {}, type),
      h('td', {}, remove),
    );
  };
  const search = h('input', {
    type: 'search',
    id: 'keys-add',
    placeholder: 'Customer name or ID',
    'aria-label': 'Add a key account',
  }) as HTMLInputElement;
  const found = h('div', { class: 'keys-found' });
  let timer = 0;
  search.addEventListener('input', () => {
    clearTimeout(timer);
    timer = window.setTimeout(async () => {
      const q = search.value.trim();
      if (!q) return found.replaceChildren();
      const hits = await findCustomers(input, q);
      const have = new Set(d.keys.map((k) => k.customer));
      found.replaceChildren(
        ...hits.map((c) =>
          h(
            'button',
            {
              type: 'button',
              class: 'chip',
              disabled: have.has(c.customer),
              onclick: () => set({ list: [...d.keys, { customer: c.customer, type: 'important' }] }),
            },
            `${c.label}${c.label === c.customer ? '' : ` (${c.customer})`} +`,
          ),
        ),
        hits.length ? '' : h('span', { class: 'note' }, 'No customer matches.'),
      );
    }, 250);
  });
  return h(
    'details',
    { class: 'manage-list' },
    h('summary', { class: 'link-summary' }, `Manage the list (${fmt.count(d.keys.length, 'account')})`),
    h('div', { class: 'controls' }, h('label', { for: 'keys-add' }, 'Add ', search), found),
    d.keys.length
      ? showMore(
          keys.length,
          LIST_SHOWN,
          (n) =>
            tableWrap(
              h(
                'table',
                {},
                h('caption', {}, 'The list, largest first: change a type, or remove an account'),
                h('thead', {}, h('tr', {}, ...['Account', 'ID', 'Type', ''].map((t) => h('th', { scope: 'col' }, t)))),
                h('tbody', {}, ...keys.slice(0, n).map(row)),
              ),
              'The key-account list',
              'scroll-table',
            ),
          'accounts',
        )
      : null,
  );
}

async function findCustomers(input: ViewInput, q: string): Promise<{ customer: string; label: string }[]> {
  const { engine } = input.env;
  const s = q.toLowerCase().replaceAll("'", "''");
  return engine.query(`SELECT customer, coalesce(any_value(customer_name), customer) AS label FROM sales
    WHERE contains(lower(customer), '${s}') OR contains(lower(coalesce(customer_name, '')), '${s}')
    GROUP BY customer ORDER BY sum(amount) DESC LIMIT 12`);
}

/** The order alerts are listed in: what to act on first. */
const ALERT_ORDER: Alert['kind'][] = ['loss', 'drop', 'plan', 'overdue', 'leftA', 'dependence', 'enteredA'];
const ALERTS_SHOWN = 15;
const ACCOUNTS_SHOWN = 25;
const LIST_SHOWN = 50;

function alertTable(d: KeyAccountData, set: SetKeys): HTMLElement {
  const rows = [...d.alerts].sort((a, b) => ALERT_ORDER.indexOf(a.kind) - ALERT_ORDER.indexOf(b.kind));
  const cols: Column<Alert>[] = [
    { key: 'kind', label: 'Alert', value: (a) => ALERT_TITLES[a.kind] },
    { key: 'label', label: 'Account', value: (a) => a.label },
    { key: 'reason', label: 'Why', value: (a) => a.reason },
  ];
  const table = dataTable({
    caption: `Alerts: ${d.later.label} against ${d.earlier.label} (click an account for its card)`,
    columns: cols,
    rows,
    onRowClick: (a) => a.customer && set({ selected: a.customer }),
    shown: ALERTS_SHOWN,
    noun: 'alerts',
    most: 2000,
  });
  return h('div', { class: 'table-block', id: 'alerts' }, table);
}

function heat(v: number | null, max: number): string | null {
  if (v === null || !(max > 0) || v <= 0) return null;
  return `background: color-mix(in srgb, var(--accent) ${Math.round(8 + 42 * Math.min(1, v / max))}%, transparent)`;
}

interface AccountColumn {
  key: string;
  label: string;
  title?: string;
  /** What the column sorts on (null last). */
  sort: (f: AccountFigures) => number | string | null;
  cell: (f: AccountFigures) => HTMLElement;
}

function accountTable(d: KeyAccountData, set: SetKeys): HTMLElement {
  const byKey = new Map<string, Map<string, AccountQuarter>>();
  for (const q of d.quarters) {
    const m = byKey.get(q.customer) ?? new Map<string, AccountQuarter>();
    m.set(q.quarter, q);
    byKey.set(q.customer, m);
  }
  const type = new Map(d.keys.map((k) => [k.customer, k.type]));
  const plan = new Map(d.plan.map((p) => [p.customer, p]));
  const labels = d.quarterLabels;
  const max = Math.max(0, ...d.quarters.filter((q) => labels.includes(q.quarter)).map((q) => q.revenue));
  const quarterAt = (monthsBack: number) => {
    const [y, m] = d.anchor.split('-').map(Number) as [number, number];
    const t = y * 12 + (m - 1) - monthsBack;
    return `${Math.floor(t / 12)}-Q${Math.floor((t % 12) / 3) + 1}`;
  };
  const last = quarterAt(0);
  const before = quarterAt(3);
  const yearAgo = quarterAt(12);
  // An account without revenue in a quarter had none: a change from it is shown as a drop to nothing.
  const change = (f: AccountFigures, b: string) => {
    const m = byKey.get(f.customer);
    const y = m?.get(b)?.revenue;
    return y ? (m?.get(last)?.revenue ?? 0) / y - 1 : null;
  };
  const num = (v: number | null, text: string, negative = false) =>
    h('td', { class: `num${negative ? ' neg' : ''}` }, v === null ? '–' : text);
  const pctCell = (v: number | null) => num(v, `${v !== null && v > 0 ? '+' : ''}${fmt.pct(v)}`, v !== null && v < 0);
  const margin = (p: number | null, r: number) => (p === null || !r ? null : p / r);
  const columns: AccountColumn[] = [
    { key: 'label', label: 'Account', sort: (f) => f.label.toLowerCase(), cell: (f) => h('td', {}, f.label) },
    {
      key: 'type',
      label: 'Type',
      sort: (f) => type.get(f.customer) ?? '',
      cell: (f) =>
        h('td', {}, (ACCOUNT_TYPE_LABELS[type.get(f.customer) ?? 'important'].split(' (')[0] as string) ?? ''),
    },
    ...labels.map(
      (l): AccountColumn => ({
        key: `q:${l}`,
        label: l,
        sort: (f) => byKey.get(f.customer)?.get(l)?.revenue ?? null,
        cell: (f) => {
          const v = byKey.get(f.customer)?.get(l)?.revenue ?? null;
          return h('td', { class: 'num heat', style: heat(v, max) }, v === null ? '–' : fmt.moneyShort(v));
        },
      }),
    ),
    {
      key: 'qoq',
      label: `QoQ ${last}`,
      title: `${last} against ${before}`,
      sort: (f) => change(f, before),
      cell: (f) => pctCell(change(f, before)),
    },
    {
      key: 'yoy',
      label: `YoY ${last}`,
      title: `${last} against ${yearAgo}`,
      sort: (f) => change(f, yearAgo),
      cell: (f) => pctCell(change(f, yearAgo)),
    },
    {
      key: 'gross',
      label: `Gross margin ${d.later.label}`,
      sort: (f) => margin(f.grossProfit, f.revenue),
      cell: (f) => {
        const v = margin(f.grossProfit, f.revenue);
        return num(v, fmt.pct(v), v !== null && v < 0);
      },
    },
    {
      key: 'customer',
      label: 'after cost-to-serve',
      title: 'Customer margin: gross profit less rebates, promotions and freight',
      sort: (f) => margin(f.profit, f.revenue),
      cell: (f) => {
        const v = margin(f.profit, f.revenue);
        return num(v, fmt.pct(v), v !== null && v < 0);
      },
    },
    {
      key: 'incentives',
      label: 'Incentives / gross',
      sort: (f) => (f.incentives === null || !f.gross ? null : f.incentives / f.gross),
      cell: (f) => {
        const v = f.incentives === null || !f.gross ? null : f.incentives / f.gross;
        return num(v, fmt.pct(v));
      },
    },
    ...(d.plan.length
      ? [
          {
            key: 'plan',
            label: `Plan ${d.planPeriod ?? ''}`,
            sort: (f: AccountFigures) => {
              const p = plan.get(f.customer);
              return p ? (p.runRate ?? p.attainment) : null;
            },
            cell: (f: AccountFigures) => {
              const p = plan.get(f.customer);
              return num(
                p ? p.attainment : null,
                p ? `${fmt.pct(p.attainment)}${p.runRate !== null ? ` (run rate ${fmt.pct(p.runRate)})` : ''}` : '',
                Boolean(p && (p.runRate ?? p.attainment) < 1),
              );
            },
          },
        ]
      : []),
  ];
  let order = { key: '', desc: true };
  const box = h('div', { class: 'table-block', id: 'account-table' });
  const draw = () => {
    const col = columns.find((c) => c.key === order.key);
    const rows = col
      ? [...d.figures].sort((x, y) => {
          const a = col.sort(x);
          const b = col.sort(y);
          if (a === null || b === null) return a === b ? 0 : a === null ? 1 : -1;
          return (a < b ? -1 : a > b ? 1 : 0) * (order.desc ? -1 : 1);
        })
      : d.figures;
    const headRow = () =>
      h(
        'tr',
        {},
        ...columns.map((c) =>
          h(
            'th',
            {
              scope: 'col',
              class: c.key === 'label' || c.key === 'type' ? null : 'num',
              title: c.title ?? null,
              'aria-sort': order.key === c.key ? (order.desc ? 'descending' : 'ascending') : null,
            },
            h(
              'button',
              {
                type: 'button',
                class: 'th-sort',
                onclick: () => {
                  order = {
                    key: c.key,
                    desc: order.key === c.key ? !order.desc : c.key !== 'label' && c.key !== 'type',
                  };
                  draw();
                },
              },
              `${c.label}${order.key === c.key ? (order.desc ? ' ▼' : ' ▲') : ''}`,
            ),
          ),
        ),
      );
    const row = (f: AccountFigures) => {
      const tr = h(
        'tr',
        {
          tabindex: 0,
          class: `clickable${d.card?.customer === f.customer ? ' selected' : ''}`,
          'aria-current': d.card?.customer === f.customer ? 'true' : null,
          onclick: () => set({ selected: f.customer }),
        },
        ...columns.map((c) => c.cell(f)),
      );
      tr.addEventListener('keydown', (e) => e.key === 'Enter' && set({ selected: f.customer }));
      return tr;
    };
    const table = (n: number) =>
      tableWrap(
        h(
          'table',
          {},
          h('caption', {}, 'Key accounts by quarter: net revenue (click a heading to sort, an account for its card)'),
          h('thead', {}, headRow()),
          h('tbody', {}, ...rows.slice(0, n).map(row)),
        ),
        'Key accounts by quarter',
      );
    box.replaceChildren(showMore(rows.length, ACCOUNTS_SHOWN, table, 'key accounts'));
  };
  draw();
  return box;
}

function cardPanel(c: AccountCard, d: KeyAccountData, set: SetKeys): HTMLElement {
  const f = d.figures.find((x) => x.customer === c.customer);
  const alerts = d.alerts.filter((a) => a.customer === c.customer);
  const incentives = f?.incentives ?? null;
  const facts = h(
    'ul',
    { class: 'facts' },
    h('li', {}, `Type: ${c.type ? ACCOUNT_TYPE_LABELS[c.type] : 'not a key account'}`),
    f
      ? h(
          'li',
          {},
          `${d.later.label}: revenue ${fmt.money(f.revenue)}${f.revenueBefore ? ` (${d.earlier.label}: ${fmt.money(f.revenueBefore)})` : ''}`,
        )
      : null,
    f && f.profit !== null
      ? h(
          'li',
          {},
          `Customer profit ${fmt.money(f.profit)} (margin ${fmt.pct(f.revenue ? f.profit / f.revenue : null)})`,
        )
      : null,
    incentives !== null
      ? h(
          'li',
          {},
          `Incentives received ${fmt.money(incentives)}${f?.gross ? `, ${fmt.pct(incentives / f.gross)} of gross sales` : ''}`,
        )
      : null,
    c.path.length
      ? h(
          'li',
          {},
          `Value matrix by quarter: ${c.path.map((p) => `${p.quarter} ${QUADRANTS[p.quadrant as keyof typeof QUADRANTS]?.name.split(':')[0] ?? p.quadrant}`).join(' → ')}`,
        )
      : null,
    c.season
      ? h('li', {}, `Peak month ${MONTH_NAMES[c.season.peakMonth - 1]} (index ${c.season.peakIndex.toFixed(2)})`)
      : null,
  );
  const b = c.bridge;
  return h(
    'div',
    { class: 'bridge panel-inner', id: 'account-card' },
    h(
      'div',
      { class: 'controls' },
      h('h3', {}, `Account card: ${c.label}`),
      h('button', { type: 'button', onclick: () => set({ selected: null }) }, 'Close'),
    ),
    h(
      'div',
      { class: 'bridge-grid' },
      h(
        'div',
        {},
        facts,
        alerts.length
          ? h('ul', { class: 'warnings' }, ...alerts.map((a) => h('li', {}, `${ALERT_TITLES[a.kind]}: ${a.reason}`)))
          : h('p', { class: 'note' }, 'No open alert.'),
      ),
      b && b.quarters.length > 1
        ? h(
            'figure',
            { class: 'chart' },
            h('figcaption', {}, 'Revenue (bars) and gross profit (line) by quarter'),
            fitted(() => quarterChart(b.quarters, c.label)),
          )
        : null,
      c.share.length > 1
        ? h(
            'figure',
            { class: 'chart' },
            h('figcaption', {}, 'Revenue and share of the portfolio by quarter'),
            fitted(() => shareChart(c.share, c.label)),
          )
        : null,
      b
        ? dataTable({
            caption: 'Products bought',
            columns: [
              { key: 'product', label: 'Product', value: (x) => x.product },
              { key: 'revenue', label: 'Revenue', value: (x) => x.revenue, format: fmt.money, align: 'right' },
              {
                key: 'profit',
                label: 'Profit',
                value: (x) => x.profit,
                format: fmt.money,
                align: 'right',
                signed: true,
              },
            ],
            rows: b.products,
          })
        : null,
      c.season ? seasonPanel(c.season, `Seasonality of ${c.label}`) : null,
    ),
  );
}

function seasonPanel(s: Seasonality, title: string, act?: Actions): HTMLElement {
  const peak = MONTH_NAMES[s.peakMonth - 1];
  const strong = s.months.filter((m) => m.index >= 1.1).map((m) => MONTH_NAMES[m.month - 1]);
  // The portfolio's profile is a figure of its own (exports, slides); an account's is part of its card.
  return h(
    'figure',
    { class: 'chart', 'data-figure': act ? 'key-accounts.season' : null },
    h('figcaption', {}, act ? exportMenu(act, 'key-accounts.season', title) : null, title),
    fitted(() => seasonChart(s, title)),
    h(
      'p',
      { class: 'note' },
      `The peak comes in ${peak}, ${fmt.pct(s.peakIndex - 1)} above an average month${strong.length > 1 ? `; strong months: ${strong.join(', ')}` : ''}. ${
        s.years.length
          ? `From the whole calendar years ${s.years.join(', ')}.`
          : 'No whole calendar year is in view (January to December): every month in view is used.'
      }`,
    ),
  );
}

function migrationPanel(d: KeyAccountData, input: ViewInput, set: SetKeys, act: Actions): HTMLElement {
  const picked = input.state.keys.cell;
  const cell = (from: From, to: To) => d.migration.cells.find((c) => c.from === from && c.to === to);
  const head = h(
    'tr',
    {},
    h('th', { scope: 'col' }, `${d.earlier.label} ↓ / ${d.later.label} →`),
    ...TO.map((t) => h('th', { scope: 'col', class: 'num' }, t === 'lost' ? 'lost' : `Class ${t}`)),
  );
  const rows = FROM.map((from) =>
    h(
      'tr',
      {},
      h('th', { scope: 'row' }, from === 'new' ? 'new' : `Class ${from}`),
      ...TO.map((to) => {
        const c = cell(from, to);
        if (!c) return h('td', { class: 'num' }, '');
        const on = picked?.from === from && picked?.to === to;
        return h(
          'td',
          { class: `num${from === to ? ' diagonal' : ''}` },
          h(
            'button',
            {
              type: 'button',
              class: `cell${on ? ' on' : ''}`,
              'data-kpi': `migration_${from}_${to}`,
              'data-value': c.customers,
              'aria-pressed': on ? 'true' : 'false',
              'aria-label': `${fmt.count(c.customers, 'customer')} from ${from} to ${to}`,
              onclick: () => set({ cell: on ? null : { from, to } }),
            },
            fmt.int(c.customers),
          ),
        );
      }),
    ),
  );
  const list = d.cell
    ? dataTable<MigrationCustomer>({
        noun: 'customers',
        caption: `${picked?.from} → ${picked?.to}: ${fmt.count(d.cell.length, 'customer')}${d.cell.length >= 200 ? ' (the 200 largest changes)' : ''}`,
        columns: [
          { key: 'label', label: 'Customer', value: (x) => x.label },
          { key: 'before', label: d.earlier.label, value: (x) => x.before, format: fmt.money, align: 'right' },
          { key: 'after', label: d.later.label, value: (x) => x.after, format: fmt.money, align: 'right' },
          {
            key: 'change',
            label: 'Change',
            value: (x) => x.after - x.before,
            format: fmt.money,
            align: 'right',
            signed: true,
          },
        ],
        rows: d.cell,
        onRowClick: (x) => set({ selected: x.customer }),
      })
    : null;
  return h(
    'div',
    { class: 'table-block', id: 'migration' },
    h(
      'h3',
      { 'data-figure': 'key-accounts.migration' },
      `${MIGRATION_TITLE}: ${d.earlier.label} → ${d.later.label} `,
      exportMenu(act, 'key-accounts.migration', MIGRATION_TITLE),
    ),
    h(
      'p',
      { class: 'note' },
      `Classes by each period's own revenue, thresholds ${input.state.pareto.a}/${input.state.pareto.b}. "New": no revenue in the earlier period; "lost": none in the later one. Click a number for its customers.`,
    ),
    tableWrap(
      h('table', { class: 'migration' }, h('thead', {}, head), h('tbody', {}, ...rows)),
      'Class migration between the two periods',
    ),
    list,
  );
}
