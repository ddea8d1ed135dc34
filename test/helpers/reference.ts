import fs from 'node:fs';
import { csvParse } from 'd3';
/** Independent plain-TypeScript implementations of the headline figures, straight from DESIGN.md. */

export function paretoRef(values: number[], a = 0.8, b = 0.95) {
  const m = values.filter((v) => v > 0).sort((x, y) => y - x);
  const n = m.length;
  const t = m.reduce((s, v) => s + v, 0);
  let cum = 0;
  let k80 = n;
  const cls = { A: 0, B: 0, C: 0 };
  let top20 = 0;
  const k20 = Math.ceil(0.2 * n);
  m.forEach((v, i) => {
    const prev = cum / t;
    cum += v;
    if (cum / t >= 0.8 - 1e-12 && k80 === n && i + 1 < k80) k80 = i + 1;
    if (i + 1 === k20) top20 = cum / t;
    if (prev < a - 1e-12) cls.A++;
    else if (prev < b - 1e-12) cls.B++;
    else cls.C++;
  });
  const asc = [...m].reverse();
  const gini = (2 * asc.reduce((s, v, i) => s + (i + 1) * v, 0)) / (n * t) - (n + 1) / n;
  const hhi = m.reduce((s, v) => s + ((100 * v) / t) ** 2, 0);
  return { n, t, k80, share80: k80 / n, top20, gini, hhi, cls };
}

export function whaleRef(profits: number[]) {
  const p = [...profits].sort((x, y) => y - x);
  const t = p.reduce((s, v) => s + v, 0);
  let cum = 0;
  let peak = -Infinity;
  for (const v of p) {
    cum += v;
    peak = Math.max(peak, cum / t);
  }
  const losers = p.filter((v) => v < 0);
  return { peak, losers: losers.length, loss: losers.reduce((s, v) => s + v, 0) };
}

/** Net revenue and profit per customer of a CSV, summed in plain TypeScript from d3's CSV parser. */
export function sumsByCustomer(file: string, key: string, amount: string, profit?: string) {
  const rows = csvParse(fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, ''));
  const rev = new Map<string, number>();
  const prof = new Map<string, number>();
  for (const r of rows) {
    const id = r[key] as string;
    rev.set(id, (rev.get(id) ?? 0) + Number(r[amount]));
    if (profit) prof.set(id, (prof.get(id) ?? 0) + Number(r[profit]));
  }
  return { rows, rev, prof };
}

export interface SuperstoreLine {
  customer: string;
  name: string;
  /** ISO, from the file's DD/MM/YY. */
  date: string;
  region: string;
  segment: string;
  ship: string;
  category: string;
  sales: number;
  profit: number;
}

/** The Superstore 2023 CSV's lines, read with d3 and its DD/MM/YY dates turned to ISO here. */
export function superstoreLines(file: string): SuperstoreLine[] {
  return csvParse(fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, '')).map((r) => {
    const [d, m, y] = (r['Order Date'] as string).split('/');
    return {
      customer: r['Customer ID'] as string,
      name: r['Customer Name'] as string,
      date: `20${y}-${m}-${d}`,
      region: r.Region as string,
      segment: r.Segment as string,
      ship: r['Ship Mode'] as string,
      category: r.Category as string,
      sales: Number(r.Sales),
      profit: Number(r.Profit),
    };
  });
}

/** The headline figures of some lines, computed here from DESIGN.md. */
export function figuresOf(lines: SuperstoreLine[]) {
  const rev = new Map<string, number>();
  const prof = new Map<string, number>();
  for (const r of lines) {
    rev.set(r.customer, (rev.get(r.customer) ?? 0) + r.sales);
    prof.set(r.customer, (prof.get(r.customer) ?? 0) + r.profit);
  }
  return {
    lines: lines.length,
    customers: rev.size,
    revenue: lines.reduce((t, r) => t + r.sales, 0),
    profit: lines.reduce((t, r) => t + r.profit, 0),
    pareto: paretoRef([...rev.values()]),
    whale: whaleRef([...prof.values()]),
  };
}

export type QuadrantName = 'core' | 'volume' | 'develop' | 'serve';

/**
 * The value matrix of DESIGN.md from per-customer revenue and profit: ABC classes by the share before each customer,
 * the A-class revenue boundary and the portfolio margin as splits, and each customer's quadrant.
 */
export function matrixRef(rev: Map<string, number>, prof: Map<string, number>, a = 0.8, b = 0.95) {
  const pos = [...rev].filter(([, r]) => r > 0).sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1));
  const t = pos.reduce((s, [, r]) => s + r, 0);
  let cum = 0;
  let xSplit = Number.POSITIVE_INFINITY;
  const cls = new Map<string, 'A' | 'B' | 'C'>();
  for (const [c, r] of pos) {
    const before = cum / t;
    const k = before < a - 1e-12 ? 'A' : before < b - 1e-12 ? 'B' : 'C';
    cls.set(c, k);
    if (k === 'A') xSplit = Math.min(xSplit, r);
    cum += r;
  }
  const ySplit = pos.reduce((s, [c]) => s + (prof.get(c) ?? 0), 0) / t;
  const quadrant = new Map<string, QuadrantName>();
  const counts: Record<QuadrantName, number> = { core: 0, volume: 0, develop: 0, serve: 0 };
  for (const [c, r] of pos) {
    const m = (prof.get(c) ?? 0) / r;
    const q: QuadrantName = r >= xSplit ? (m >= ySplit ? 'core' : 'volume') : m >= ySplit ? 'develop' : 'serve';
    quadrant.set(c, q);
    counts[q]++;
  }
  const classCount = (k: string) => [...cls.values()].filter((x) => x === k).length;
  const lossA = [...cls].filter(([c, k]) => k === 'A' && (prof.get(c) ?? 0) < 0).map(([c]) => c);
  return { counts, xSplit, ySplit, cls, quadrant, classCount, lossA };
}
