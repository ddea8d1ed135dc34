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
