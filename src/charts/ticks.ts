/** Tick values shared by charts. */

/** 1, 2 and 5 times each power of ten inside the domain; only 1x when that is already enough ticks. */
export function logTicks(lo: number, hi: number): number[] {
  const out: number[] = [];
  for (let e = Math.floor(Math.log10(Math.max(lo, 1e-9))); 10 ** e <= hi; e++) {
    for (const m of [1, 2, 5]) {
      const v = m * 10 ** e;
      if (v >= lo && v <= hi) out.push(v);
    }
  }
  return out.length > 8 ? out.filter((v) => Math.log10(v) % 1 === 0) : out;
}
