/**
 * Calendar and fiscal periods. In SQL, lines are grouped on `date_trunc` (a DATE) and only the few groups are
 * formatted: formatting the period of every line before grouping made a million-line monthly series three times
 * slower. In TypeScript, a period named in the state (`2019`, `2019Q4`, `2019-11`, `last4q`, `ytd`, `FY2019`,
 * `FY2019Q1`, or a custom range) becomes dates, relative to the data's own last date, never to today.
 */

/** "2024-Q3" for a DATE expression (one that is already truncated to its quarter, or any day in it). */
export const quarterLabel = (d: string) => `strftime(${d}, '%Y') || '-Q' || quarter(${d})`;

export interface DateRange {
  /** Inclusive ISO dates. */
  from: string;
  to: string;
}

export interface ResolvedPeriod extends DateRange {
  /** The period's own last day (after `to` when the data ends inside it). */
  end: string;
  label: string;
  /** The data ends inside the period: it is shown to date, and compared to date. */
  partial: boolean;
  /** Months in one step of the period (12 for a year), or null for a custom range (measured in days). */
  months: number | null;
  /** The whole data: nothing to compare with. */
  all: boolean;
}

export interface PeriodInput {
  period: string;
  from: string | null;
  to: string | null;
  /** First month of the fiscal year, 1 = calendar. */
  fy: number;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Days are counted in UTC: a date is a day, never shifted by the viewer's time zone. */
const parse = (iso: string) => Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10)));
const iso = (t: number) => new Date(t).toISOString().slice(0, 10);
const DAY = 86_400_000;
export const addDays = (d: string, n: number) => iso(parse(d) + n * DAY);
export const daysBetween = (a: string, b: string) => Math.round((parse(b) - parse(a)) / DAY);

/** First day of the month `n` months after the month of `d`. */
function monthStart(d: string, n = 0): string {
  const y = Number(d.slice(0, 4));
  const m = Number(d.slice(5, 7)) - 1 + n;
  return iso(Date.UTC(y + Math.floor(m / 12), ((m % 12) + 12) % 12, 1));
}

/** The same day `n` months later, kept inside its month (31 March - 1 month = 28 or 29 February). */
function shiftMonths(d: string, n: number): string {
  const start = monthStart(d, n);
  const last = addDays(monthStart(d, n + 1), -1);
  const day = Math.min(Number(d.slice(8, 10)), Number(last.slice(8, 10)));
  return `${start.slice(0, 8)}${String(day).padStart(2, '0')}`;
}

/** The start of the (fiscal) quarter or year holding `d`. */
function unitStart(d: string, months: 3 | 12, fy: number): string {
  const m = Number(d.slice(5, 7)) - 1;
  const offset = (((m - (fy - 1)) % months) + months) % months;
  return monthStart(d, -offset);
}

/** A fiscal year is named by the calendar year it ends in: with fy=4, FY2019 runs April 2018 to March 2019. */
function fiscalYearStart(year: number, fy: number): string {
  return fy === 1 ? `${year}-01-01` : `${year - 1}-${String(fy).padStart(2, '0')}-01`;
}

function fmtDay(d: string) {
  return `${Number(d.slice(8, 10))} ${MONTHS[Number(d.slice(5, 7)) - 1]} ${d.slice(0, 4)}`;
}

/**
 * The dates of a period over data that runs from `data.from` to `data.to`. Null when the name cannot be read (the
 * state's schema already refuses those, so this is a second line of defence).
 */
export function resolvePeriod(p: PeriodInput, data: DateRange): ResolvedPeriod | null {
  let from: string;
  let end: string;
  let months: number | null;
  let label: string;
  const name = p.period;
  if (p.from || p.to) {
    from = p.from ?? data.from;
    end = p.to ?? data.to;
    if (end < from) return null;
    months = null;
    label = `${fmtDay(from)} – ${fmtDay(end)}`;
  } else if (name === 'all') {
    return { ...data, end: data.to, label: 'All data', partial: false, months: null, all: true };
  } else if (name === 'ytd') {
    from = unitStart(data.to, 12, p.fy);
    end = addDays(monthStart(from, 12), -1);
    months = 12;
    label = p.fy === 1 ? `${from.slice(0, 4)} year to date` : `FY${end.slice(0, 4)} year to date`;
  } else if (name === 'last4q') {
    const q = unitStart(data.to, 3, p.fy);
    from = monthStart(q, -9);
    end = addDays(monthStart(q, 3), -1);
    months = 12;
    label = 'Last 4 quarters';
  } else {
    const m = /^(FY)?(\d{4})(?:Q([1-4]))?$|^(\d{4})-(\d{2})$/.exec(name);
    if (!m) return null;
    if (m[4]) {
      from = `${m[4]}-${m[5]}-01`;
      months = 1;
      label = `${MONTHS[Number(m[5]) - 1]} ${m[4]}`;
    } else {
      const year = Number(m[2]);
      const fiscal = Boolean(m[1]);
      const start = fiscal ? fiscalYearStart(year, p.fy) : `${year}-01-01`;
      const q = m[3] ? Number(m[3]) : 0;
      from = q ? monthStart(start, 3 * (q - 1)) : start;
      months = q ? 3 : 12;
      label = `${fiscal ? 'FY' : ''}${year}${q ? ` Q${q}` : ''}`;
    }
    end = addDays(monthStart(from, months), -1);
  }
  const partial = end > data.to && from <= data.to;
  const to = partial ? data.to : end;
  return { from, to, end, label: partial ? `${label} (to ${fmtDay(to)})` : label, partial, months, all: false };
}

/**
 * The period to compare with: the previous one of equal length (`prev`) or the same one a year earlier (`yoy`).
 * A period shown to date is compared to date, over the same number of days, never with a whole period.
 */
export function comparePeriod(cur: ResolvedPeriod, mode: 'prev' | 'yoy'): ResolvedPeriod | null {
  if (cur.all) return null;
  const days = daysBetween(cur.from, cur.to);
  let from: string;
  let to: string;
  if (cur.months === null) {
    from = mode === 'yoy' ? shiftMonths(cur.from, -12) : addDays(cur.from, -(days + 1));
    to = mode === 'yoy' ? shiftMonths(cur.to, -12) : addDays(cur.from, -1);
  } else {
    from = monthStart(cur.from, mode === 'yoy' ? -12 : -cur.months);
    to = cur.partial ? addDays(from, days) : addDays(monthStart(from, cur.months), -1);
  }
  const label = `${fmtDay(from)} – ${fmtDay(to)}`;
  const end = cur.months === null ? to : addDays(monthStart(from, cur.months), -1);
  return { from, to, end, label, partial: cur.partial, months: cur.months, all: false };
}

/** The calendar quarter holding `d`, whole. */
export function quarterOf(d: string): DateRange & { label: string } {
  const from = unitStart(d, 3, 1);
  const to = addDays(monthStart(from, 3), -1);
  return { from, to, label: `${from.slice(0, 4)} Q${Math.floor(Number(from.slice(5, 7)) / 3) + 1}` };
}

/** The last calendar quarter that ends on or before `end`, and the one before it. */
export function lastCompleteQuarters(end: string): [DateRange & { label: string }, DateRange & { label: string }] {
  let q = quarterOf(end);
  if (q.to > end) q = quarterOf(addDays(q.from, -1));
  return [quarterOf(addDays(q.from, -1)), q];
}

/** The years, quarters and months the data touches, newest first, for the period picker. */
export function periodChoices(
  data: DateRange,
  fy: number,
): [{ value: string; label: string }[], { value: string; label: string }[], { value: string; label: string }[]] {
  const years: { value: string; label: string }[] = [];
  const quarters: { value: string; label: string }[] = [];
  const months: { value: string; label: string }[] = [];
  for (let m = monthStart(data.to); m >= monthStart(data.from); m = monthStart(m, -1)) {
    months.push({ value: m.slice(0, 7), label: `${MONTHS[Number(m.slice(5, 7)) - 1]} ${m.slice(0, 4)}` });
  }
  const firstYear = Number(data.from.slice(0, 4));
  const lastYear = Number(data.to.slice(0, 4)) + (fy === 1 ? 0 : 1);
  for (let y = lastYear; y >= firstYear; y--) {
    const start = fy === 1 ? `${y}-01-01` : fiscalYearStart(y, fy);
    const end = addDays(monthStart(start, 12), -1);
    if (end < data.from || start > data.to) continue;
    const prefix = fy === 1 ? '' : 'FY';
    years.push({ value: `${prefix}${y}`, label: `${prefix}${y}` });
    for (let q = 4; q >= 1; q--) {
      const qs = monthStart(start, 3 * (q - 1));
      if (qs > data.to || addDays(monthStart(qs, 3), -1) < data.from) continue;
      quarters.push({ value: `${prefix}${y}Q${q}`, label: `${prefix}${y} Q${q}` });
    }
  }
  return [years, quarters, months];
}
