/**
 * The whole view as one plain, serialisable value: tab, filters, period, compare, cross-filter clauses and every
 * view's options. Runtime things (the dataset, caches, load counters) live elsewhere. Everything read from outside
 * (a link, history, storage) goes through `parseState`, which range-checks each field and falls back to its
 * default field by field, so a bad value costs that value only and is reported.
 */
import * as v from 'valibot';

export const STATE_VERSION = 1;

export const TABS = ['overview', 'pareto', 'matrix', 'incentives', 'key-accounts', 'quality'] as const;
export type Tab = (typeof TABS)[number];
export const TAB_LABELS: Record<Tab, string> = {
  overview: 'Overview',
  pareto: 'Pareto & concentration',
  matrix: 'Value matrix',
  incentives: 'Incentives & pricing',
  'key-accounts': 'Key accounts',
  quality: 'Data quality',
};

/** Views whose clicks filter the other views. */
export const CLAUSE_SOURCES = ['overview', 'pareto', 'matrix', 'incentives', 'key-accounts'] as const;
export type ClauseSource = (typeof CLAUSE_SOURCES)[number];

/** Columns with their own readable link parameter; the order is the filter bar's. */
export const DIMENSIONS = ['region', 'segment', 'category', 'rep'] as const;
export type Dimension = (typeof DIMENSIONS)[number];

export const METRICS = ['revenue', 'profit', 'customer_profit', 'quantity'] as const;
export const SORT_KEYS = ['k', 'label', 'revenue', 'profit', 'margin'] as const;
export const QUADRANT_IDS = ['core', 'volume', 'develop', 'serve'] as const;
export const WATERFALL_DIMS = ['portfolio', 'customer', 'segment', 'product', 'category', 'region'] as const;
export const COMPARES = ['none', 'prev', 'yoy'] as const;
export const ACCOUNT_TYPES = ['major', 'important', 'group', 'strategic'] as const;
export const MIGRATION_FROM = ['A', 'B', 'C', 'new'] as const;
export const MIGRATION_TO = ['A', 'B', 'C', 'lost'] as const;

/** `2019`, `2019Q4`, `2019-11`, `last4q`, `ytd`, and fiscal `FY2019`, `FY2019Q1`; `all` is the whole data. */
export const PERIOD_RE = /^(all|last4q|ytd|(FY)?\d{4}(Q[1-4])?|\d{4}-(0[1-9]|1[0-2]))$/;
const ISO_DATE_RE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

const MAX_TEXT = 200;
const MAX_VALUES = 50;

/** Issues found while parsing, collected for one notice. */
let issues: string[] | null = null;

/**
 * A field: `undefined` takes the default silently; an invalid value takes it too, but is reported. Defaults are
 * functions so that no two states share an array or object.
 */
function field<S extends v.GenericSchema>(name: string, schema: S, def: () => v.InferOutput<S>) {
  return v.fallback(v.optional(schema, def), () => {
    issues?.push(name);
    return def();
  });
}

const text = (max = MAX_TEXT) => v.pipe(v.string(), v.maxLength(max));
const values = () => v.pipe(v.array(text()), v.maxLength(MAX_VALUES));
const finite = () => v.pipe(v.number(), v.finite());
const isoDate = () => v.pipe(v.string(), v.regex(ISO_DATE_RE));

const Clause = v.variant('kind', [
  v.object({ source: v.literal('matrix'), kind: v.literal('quadrant'), value: v.picklist(QUADRANT_IDS) }),
  v.object({ source: v.literal('pareto'), kind: v.literal('abc'), value: v.picklist(['A', 'B', 'C']) }),
  v.object({ source: v.literal('pareto'), kind: v.literal('segment'), value: text() }),
  v.object({
    source: v.literal('incentives'),
    kind: v.literal('band'),
    value: v.picklist(['0', '1', '2', '3', '4', '5']),
  }),
  v.object({
    source: v.literal('overview'),
    kind: v.literal('month'),
    value: v.pipe(v.string(), v.regex(/^\d{4}-(0[1-9]|1[0-2])$/)),
  }),
]);
export type Clause = v.InferOutput<typeof Clause>;

const Filters = v.object({
  period: field('period', v.pipe(v.string(), v.regex(PERIOD_RE)), () => 'all'),
  from: field('from', v.nullable(isoDate()), () => null),
  to: field('to', v.nullable(isoDate()), () => null),
  fy: field('fy', v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(12)), () => 1),
  region: field('region', values(), () => []),
  segment: field('segment', values(), () => []),
  category: field('category', values(), () => []),
  rep: field('rep', values(), () => []),
  /** Any other low-cardinality column of the file the user picked. */
  extra: field('extra', v.pipe(v.array(v.object({ column: text(), values: values() })), v.maxLength(3)), () => []),
  search: field('search', text(), () => ''),
});

const Pareto = v.object({
  metric: field('metric', v.picklist(METRICS), () => 'revenue' as const),
  /** ABC class boundaries in percent of the metric (a < b). */
  a: field('abc', v.pipe(finite(), v.minValue(1), v.maxValue(99)), () => 80),
  b: field('abc', v.pipe(finite(), v.minValue(1), v.maxValue(99.9)), () => 95),
  search: field('pareto.search', text(), () => ''),
  cls: field('pareto.cls', v.picklist(['', 'A', 'B', 'C']), () => '' as const),
  sort: field('pareto.sort', v.picklist(SORT_KEYS), () => 'k' as const),
  desc: field('pareto.desc', v.boolean(), () => false),
});

const Matrix = v.object({
  margin: field('matrix.margin', v.picklist(['gross', 'customer']), () => 'customer' as const),
  xSplit: field('matrix.xSplit', v.nullable(v.pipe(finite(), v.gtValue(0))), () => null),
  ySplit: field('matrix.ySplit', v.nullable(v.pipe(finite(), v.minValue(-10), v.maxValue(10))), () => null),
  period: field('matrix.period', v.picklist(['quarter', 'year']), () => 'quarter' as const),
  selected: field('matrix.selected', v.nullable(text()), () => null),
  list: field('matrix.list', v.nullable(v.picklist(QUADRANT_IDS)), () => null),
});

const Incentives = v.object({
  dim: field('incentives.dim', v.picklist(WATERFALL_DIMS), () => 'portfolio' as const),
  value: field('incentives.value', v.nullable(text()), () => null),
  /** Break-even calculator inputs, as fractions. */
  discount: field('incentives.discount', v.pipe(finite(), v.minValue(0), v.maxValue(0.99)), () => 0.1),
  margin: field('incentives.margin', v.pipe(finite(), v.minValue(0.01), v.maxValue(0.99)), () => 0.3),
});

const Source = v.variant('kind', [
  v.object({ kind: v.literal('sample') }),
  /** A file on the site's own origin (`data=`). */
  v.object({ kind: v.literal('url'), path: text(1000) }),
  /** A dropped file: it cannot travel, so the link names it for the recipient to drop. */
  v.object({
    kind: v.literal('file'),
    name: text(),
    size: v.pipe(v.number(), v.integer(), v.minValue(0)),
    fp: v.optional(v.pipe(v.string(), v.regex(/^[0-9a-f]{1,32}$/))),
  }),
]);
export type Source = v.InferOutput<typeof Source>;

const KeyAccounts = v.object({
  /** The key-account list (customer keys and their type): confidential, so in a link only when names are. */
  list: field(
    'keys.list',
    v.pipe(v.array(v.object({ customer: text(), type: v.picklist(ACCOUNT_TYPES) })), v.maxLength(5000)),
    () => [],
  ),
  /** Every view shows the key accounts only. */
  only: field('keys.only', v.boolean(), () => false),
  /** The drop against the compare period that raises an alert, in percent. */
  drop: field('keys.drop', v.pipe(finite(), v.minValue(1), v.maxValue(99)), () => 20),
  /** The account whose card is open. */
  selected: field('keys.selected', v.nullable(text()), () => null),
  /** The migration cell whose customers are listed. */
  cell: field(
    'keys.cell',
    v.nullable(v.object({ from: v.picklist(MIGRATION_FROM), to: v.picklist(MIGRATION_TO) })),
    () => null,
  ),
});

const Deck = v.object({
  /** The figures on slides, in order (ids such as `pareto.curve`); empty: every figure, in the views' order. */
  slides: field(
    'deck.slides',
    v.pipe(v.array(v.pipe(v.string(), v.regex(/^[a-z-]+\.[a-z-]+$/))), v.maxLength(40)),
    () => [],
  ),
  /** Figures taken off the deck. */
  hidden: field(
    'deck.hidden',
    v.pipe(v.array(v.pipe(v.string(), v.regex(/^[a-z-]+\.[a-z-]+$/))), v.maxLength(40)),
    () => [],
  ),
  /** The presenter's one line per slide (commentary or the action asked for). */
  notes: field(
    'deck.notes',
    v.pipe(
      v.record(v.pipe(v.string(), v.regex(/^[a-z-]+\.[a-z-]+$/)), text(300)),
      v.check((r) => Object.keys(r).length <= 40),
    ),
    () => ({}),
  ),
});

const AppStateSchema = v.object({
  v: v.optional(v.literal(STATE_VERSION), STATE_VERSION),
  tab: field('tab', v.picklist(TABS), () => 'overview' as const),
  filters: field('filters', Filters, () => v.parse(Filters, {})),
  compare: field('compare', v.picklist(COMPARES), () => 'none' as const),
  clauses: field('clauses', v.pipe(v.array(Clause), v.maxLength(8)), () => []),
  pareto: field('pareto', Pareto, () => v.parse(Pareto, {})),
  matrix: field('matrix', Matrix, () => v.parse(Matrix, {})),
  incentives: field('incentives', Incentives, () => v.parse(Incentives, {})),
  keys: field('keys', KeyAccounts, () => v.parse(KeyAccounts, {})),
  deck: field('deck', Deck, () => v.parse(Deck, {})),
  /** Presentation mode is on. */
  present: field('present', v.boolean(), () => false),
  source: field('source', Source, () => ({ kind: 'sample' as const })),
  /** The column mapping the sender used (role -> header), applied when the recipient's file has those headers. */
  mapping: field('mapping', v.record(v.pipe(v.string(), v.regex(/^[a-z_]{1,20}$/)), text()), () => ({})),
  /** The sender opted in to customer names and IDs travelling in the link. */
  names: field('names', v.boolean(), () => false),
});

export type AppState = v.InferOutput<typeof AppStateSchema>;

/** Reads a state from untrusted input: never throws; each bad field takes its default and is named in `issues`. */
export function parseState(input: unknown): { state: AppState; issues: string[] } {
  issues = [];
  try {
    const migrated = migrate(input);
    const r = v.safeParse(AppStateSchema, migrated);
    const found = issues;
    if (!r.success) return { state: defaultState(), issues: ['state'] };
    const state = r.output as AppState;
    if (state.pareto.a >= state.pareto.b) {
      found.push('abc');
      state.pareto.a = 80;
      state.pareto.b = 95;
    }
    // One clause per view and kind: a repeated one would filter twice.
    const seen = new Set<string>();
    state.clauses = state.clauses.filter(
      (c) => !seen.has(`${c.source}:${c.kind}`) && seen.add(`${c.source}:${c.kind}`),
    );
    return { state, issues: [...new Set(found)] };
  } finally {
    issues = null;
  }
}

export function defaultState(): AppState {
  return v.parse(AppStateSchema, {}) as AppState;
}

/**
 * Older versions of the state, brought up to this one step by step. Version 1 is the first; a later version adds
 * its step here so that links made before it keep opening.
 */
const MIGRATIONS: Record<number, (s: Record<string, unknown>) => Record<string, unknown>> = {};

function migrate(input: unknown): unknown {
  if (!input || typeof input !== 'object' || Array.isArray(input)) return {};
  let s = input as Record<string, unknown>;
  let version = typeof s.v === 'number' && Number.isInteger(s.v) ? s.v : STATE_VERSION;
  if (version > STATE_VERSION) {
    issues?.push('version');
    return {};
  }
  while (version < STATE_VERSION) {
    const step = MIGRATIONS[version];
    if (!step) {
      issues?.push('version');
      return {};
    }
    s = step(s);
    version++;
  }
  return { ...s, v: STATE_VERSION };
}

/**
 * The fields that name things in one dataset (values, customers, splits): a different file resets them. Filters on
 * the period and compare stay, as do thresholds and other options.
 */
export function forNewData(s: AppState): AppState {
  const d = defaultState();
  return {
    ...s,
    filters: { ...s.filters, region: [], segment: [], category: [], rep: [], extra: [], search: '' },
    clauses: [],
    pareto: { ...s.pareto, search: '' },
    matrix: { ...s.matrix, xSplit: null, ySplit: null, selected: null, list: null },
    incentives: { ...s.incentives, dim: s.incentives.dim, value: null },
    keys: { ...s.keys, list: [], selected: null, cell: null },
    mapping: d.mapping,
  };
}

/** Customer names and IDs in a state: they travel in a link only when the sender opts in. */
export function withoutNames(s: AppState): AppState {
  return {
    ...s,
    filters: { ...s.filters, search: '' },
    pareto: { ...s.pareto, search: '' },
    matrix: { ...s.matrix, selected: null },
    incentives: { ...s.incentives, value: s.incentives.dim === 'customer' ? null : s.incentives.value },
    keys: { ...s.keys, list: [], selected: null },
  };
}
