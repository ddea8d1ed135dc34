/**
 * Seasonal index of each month of the year (DESIGN.md): the month's total over the whole calendar years in view,
 * divided by the mean of the twelve month totals. A year is whole when the data has lines in its January and its
 * December; with no whole year, every month in view is used, and the result says so.
 */
import type { Engine } from '../data/engine';
import { memo } from './cache';
import type { Filters } from './filters';
import { monthly } from './trend';

export interface Seasonality {
  /** Twelve entries, January first. */
  months: { month: number; total: number; index: number }[];
  /** The whole calendar years used; empty when none was whole and every month in view was used. */
  years: number[];
  peakMonth: number;
  peakIndex: number;
}

/** From the monthly series of the lines in view (analysis/trend.ts), which the overview reads too. */
export function seasonalityOf(series: { month: string; revenue: number }[]): Seasonality | null {
  const rows = series.map((p) => ({
    y: Number(p.month.slice(0, 4)),
    m: Number(p.month.slice(5, 7)),
    total: p.revenue,
  }));
  if (!rows.length) return null;
  const byYear = new Map<number, Set<number>>();
  for (const r of rows) byYear.set(r.y, (byYear.get(r.y) ?? new Set()).add(r.m));
  const years = [...byYear]
    .filter(([, m]) => m.has(1) && m.has(12))
    .map(([y]) => y)
    .sort();
  const used = years.length ? rows.filter((r) => years.includes(r.y)) : rows;
  const totals = Array.from({ length: 12 }, (_, i) =>
    used.filter((r) => r.m === i + 1).reduce((t, r) => t + r.total, 0),
  );
  const mean = totals.reduce((t, v) => t + v, 0) / 12;
  if (!(mean > 0)) return null;
  const months = totals.map((total, i) => ({ month: i + 1, total, index: total / mean }));
  const peak = months.reduce((a, b) => (b.index > a.index ? b : a));
  return { months, years, peakMonth: peak.month, peakIndex: peak.index };
}

/** The seasonal index of the lines under some filters; the monthly series is kept per data and filters. */
export async function seasonality(engine: Engine, filters: Filters): Promise<Seasonality | null> {
  return seasonalityOf(await monthlyOf(engine, filters));
}

/** The monthly series of some filters, computed once per data and filters for every view that reads it. */
export function monthlyOf(engine: Engine, filters: Filters) {
  return memo(engine, `monthly|${JSON.stringify(filters)}`, () => monthly(engine, filters));
}
