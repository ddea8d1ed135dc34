/** Number formats used across the dashboard (d3-format), so every figure reads the same way. */
import { format } from 'd3';

const money0 = format(',.0f');
const money2 = format(',.2f');
const moneyShort = format('.3~s');
const pct1 = format('.1%');
const pct0 = format('.0%');
const int = format(',d');
const dec3 = format('.3f');

/** Month names, January first, for sentences and menus. */
export const MONTH_NAMES = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

export const fmt = {
  money: (v: number | null | undefined) =>
    v == null || !Number.isFinite(v) ? '–' : Math.abs(v) >= 100 ? money0(v) : money2(v),
  moneyShort: (v: number | null | undefined) =>
    v == null || !Number.isFinite(v) ? '–' : Math.abs(v) < 1000 ? money0(v) : moneyShort(v).replace('G', 'B'),
  pct: (v: number | null | undefined) => (v == null || !Number.isFinite(v) ? '–' : pct1(v)),
  pct0: (v: number | null | undefined) => (v == null || !Number.isFinite(v) ? '–' : pct0(v)),
  int: (v: number | null | undefined) => (v == null || !Number.isFinite(v) ? '–' : int(Math.round(v))),
  dec: (v: number | null | undefined) => (v == null || !Number.isFinite(v) ? '–' : dec3(v)),
  num: (v: number | null | undefined) => (v == null || !Number.isFinite(v) ? '–' : format(',.4~f')(v)),
  /** Percentage points with a sign: +2.5, −3.1. */
  points: (v: number | null | undefined) => (v == null || !Number.isFinite(v) ? '–' : format('+.1f')(v)),
  bytes: (n: number) =>
    n < 1024 ? `${n} B` : n < 1024 ** 2 ? `${(n / 1024).toFixed(0)} KB` : `${(n / 1024 ** 2).toFixed(1)} MB`,
  /** A count with its noun: "1 row", "2,500 rows". */
  count: (n: number, one: string, many = `${one}s`) => `${int(Math.round(n))} ${Math.round(n) === 1 ? one : many}`,
};
