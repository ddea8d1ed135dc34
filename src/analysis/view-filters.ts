/**
 * From the view state to each view's filters, as Mosaic's selections do it: the global filters apply everywhere,
 * and a cross-filter clause applies to every view but the one that made it. Rule-based clauses (a quadrant, an ABC
 * class) carry the rule's current settings, so a threshold change moves the customers they select.
 */
import type { AppState, Clause, ClauseSource } from '../state/app-state';
import { DIMENSIONS } from '../state/app-state';
import type { ClauseFilter, Filters } from './filters';
import { comparePeriod, type DateRange, type ResolvedPeriod, resolvePeriod } from './periods';
import type { Caps } from './rules';

export interface Periods {
  /** The data's own first and last date (null without a date column). */
  data: DateRange | null;
  current: ResolvedPeriod | null;
  compare: ResolvedPeriod | null;
}

export function periodsOf(s: AppState, data: DateRange | null): Periods {
  if (!data) return { data, current: null, compare: null };
  const current = resolvePeriod(s.filters, data);
  const compare = current && s.compare !== 'none' ? comparePeriod(current, s.compare) : null;
  return { data, current, compare };
}

/**
 * Period, dimension values and customer search: what every view and every clause is filtered by. The whole data
 * is no date filter at all (a date range would also drop lines without a date).
 */
export function globalFilters(s: AppState, period: ResolvedPeriod | DateRange | null): Filters {
  const f: Filters = {};
  if (period && !('all' in period && period.all)) {
    f.from = period.from;
    f.to = period.to;
  }
  const dims = [
    ...DIMENSIONS.filter((d) => s.filters[d].length).map((d) => ({ column: d, values: s.filters[d] })),
    ...s.filters.extra.filter((e) => e.values.length).map((e) => ({ column: e.column, file: true, values: e.values })),
  ];
  if (dims.length) f.dims = dims;
  if (s.filters.search.trim()) f.search = s.filters.search.trim();
  if (s.keys.only && s.keys.list.length) f.customers = s.keys.list.map((k) => k.customer);
  return f;
}

/** The value-matrix margin in force: customer margin needs a cost-to-serve column. */
export function matrixMargin(s: AppState, c: Caps): 'gross' | 'customer' {
  return c.costToServe ? s.matrix.margin : 'gross';
}

function clauseFilter(c: Clause, s: AppState, base: Filters, caps: Caps): ClauseFilter {
  switch (c.kind) {
    case 'quadrant':
      return {
        kind: 'quadrant',
        quadrant: c.value,
        base,
        a: s.pareto.a / 100,
        margin: matrixMargin(s, caps),
        xSplit: s.matrix.xSplit,
        ySplit: s.matrix.ySplit,
      };
    case 'abc':
      return { kind: 'abc', cls: c.value, base, metric: s.pareto.metric, a: s.pareto.a / 100, b: s.pareto.b / 100 };
    case 'segment':
      return { kind: 'segment', value: c.value };
    case 'band':
      return { kind: 'band', band: Number(c.value) };
    case 'month':
      return { kind: 'month', month: c.value };
  }
}

/** The filters of one view over one period: the global filters and every clause but its own. */
export function filtersFor(s: AppState, view: ClauseSource | 'quality', period: DateRange | null, caps: Caps): Filters {
  const base = globalFilters(s, period);
  const clauses = s.clauses.filter((c) => c.source !== view).map((c) => clauseFilter(c, s, base, caps));
  return clauses.length ? { ...base, clauses } : base;
}

/** The same filters without the period: histories (trends, sparklines) reach back before its start. */
export function withoutPeriod(f: Filters): Filters {
  const { from: _from, to: _to, ...rest } = f;
  return rest;
}
