/**
 * Property-based tests of the detectors and parsers (fast-check, fixed seed: a failure prints the seed and the
 * shrunk counterexample). Numbers and dates are parsed by the SQL the loader runs, on the real DuckDB engine: a
 * value written in a convention reads back as itself, a value in another convention is never read as a different
 * number, and no detector throws on any input.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { detectEncoding } from '../../src/data/encoding';
import type { Engine } from '../../src/data/engine';
import {
  chooseDate,
  DATE_CANDIDATES,
  dateScoreSql,
  dateSqlFast,
  detectNumberFormat,
  type NumberFormat,
  numberSql,
  str,
} from '../../src/data/parse';
import { detectDialect } from '../../src/data/sniff';
import { encodeWindows1252 } from '../helpers/encode';
import { nodeEngine } from '../helpers/node-engine';

const SEED = 20261202;
const run = { seed: SEED, numRuns: 60 };

let engine: Engine;
beforeAll(async () => {
  engine = await nodeEngine();
});

/** Parses many values in one query: the loader's SQL over a VALUES list. */
async function parseNumbers(values: string[], fmt: NumberFormat): Promise<(number | null)[]> {
  const rows = await engine.query<{ i: number; v: number | null }>(
    `SELECT i, ${numberSql('t', fmt)} AS v FROM (VALUES ${values.map((v, i) => `(${i}, ${str(v)})`).join(', ')}) AS x(i, t) ORDER BY i`,
  );
  return rows.map((r) => r.v);
}

type Style = { decimal: '.' | ','; group: string; lakh?: boolean };
const STYLES: Style[] = [
  { decimal: '.', group: ',' },
  { decimal: '.', group: '' },
  { decimal: '.', group: ' ' },
  { decimal: '.', group: "'" },
  { decimal: '.', group: ',', lakh: true },
  { decimal: ',', group: '.' },
  { decimal: ',', group: ' ' },
  { decimal: ',', group: '' },
];

/** A number of cents written as a person or an ERP would: grouping, sign style, currency. */
function write(cents: number, s: Style, sign: 'minus' | 'brackets' | 'trailing', currency: string): string {
  const neg = cents < 0;
  const abs = Math.abs(cents);
  const whole = String(Math.floor(abs / 100));
  const frac = String(abs % 100).padStart(2, '0');
  let grouped = whole;
  if (s.group) {
    if (s.lakh && whole.length > 3) {
      const head = whole.slice(0, -3).replace(/\B(?=(\d{2})+(?!\d))/g, s.group);
      grouped = `${head}${s.group}${whole.slice(-3)}`;
    } else grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, s.group);
  }
  const body = `${currency}${grouped}${s.decimal}${frac}`;
  if (!neg) return body;
  return sign === 'brackets' ? `(${body})` : sign === 'trailing' ? `${body}-` : `-${body}`;
}

const cents = fc.integer({ min: -99_999_999_999, max: 99_999_999_999 });
const styled = fc.record({
  cents,
  style: fc.constantFrom(...STYLES),
  sign: fc.constantFrom('minus', 'brackets', 'trailing') as fc.Arbitrary<'minus' | 'brackets' | 'trailing'>,
  currency: fc.constantFrom('', '$', '€ ', '¥'),
});

describe('numbers', () => {
  it('a number written in a convention reads back as itself', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(styled, { minLength: 1, maxLength: 40 }), async (items) => {
        for (const decimal of ['.', ','] as const) {
          const mine = items.filter((x) => x.style.decimal === decimal);
          if (!mine.length) continue;
          const texts = mine.map((x) => write(x.cents, x.style, x.sign, x.currency));
          const got = await parseNumbers(texts, { decimal, percent: false });
          got.forEach((v, i) => {
            expect(v, texts[i]).toBeCloseTo((mine[i] as { cents: number }).cents / 100, 6);
          });
        }
      }),
      run,
    );
  });

  it('a value grouped in the other convention is never read as a different number', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(styled, { minLength: 1, maxLength: 40 }), async (items) => {
        for (const decimal of ['.', ','] as const) {
          const other = items.filter((x) => x.style.decimal !== decimal);
          if (!other.length) continue;
          const texts = other.map((x) => write(x.cents, x.style, x.sign, x.currency));
          const got = await parseNumbers(texts, { decimal, percent: false });
          got.forEach((v, i) => {
            // Either refused (NULL), or the same number: "1,000" is one thousand in both conventions' eyes only
            // when it has no decimals, which a written cents value always has.
            if (v !== null) expect(v, texts[i]).toBeCloseTo((other[i] as { cents: number }).cents / 100, 6);
          });
        }
      }),
      run,
    );
  });

  it('the detected decimal mark of a column is the one it was written in', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...STYLES).filter((s) => s.group !== ''),
        fc.array(fc.integer({ min: 100_000, max: 999_999_999 }), { minLength: 5, maxLength: 50 }),
        (style, values) => {
          const texts = values.map((c) => write(c, style, 'minus', ''));
          expect(detectNumberFormat(texts).decimal).toBe(style.decimal);
        },
      ),
      { seed: SEED, numRuns: 200 },
    );
  });

  it('the detector never throws', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 30 })), (values) => {
        detectNumberFormat(values);
      }),
      { seed: SEED, numRuns: 300 },
    );
  });
});

describe('dates', () => {
  const day = fc.date({
    min: new Date('1950-01-01T00:00:00Z'),
    max: new Date('2090-12-31T00:00:00Z'),
    noInvalidDate: true,
  });
  const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  function format(d: Date, id: string): string {
    const Y = d.getUTCFullYear();
    const m = d.getUTCMonth() + 1;
    const dd = d.getUTCDate();
    const p = (n: number) => String(n).padStart(2, '0');
    const y = p(Y % 100);
    const map: Record<string, string> = {
      ymd: `${Y}-${p(m)}-${p(dd)}`,
      'ymd/': `${Y}/${m}/${dd}`,
      mdY: `${m}/${dd}/${Y}`,
      dmY: `${dd}/${m}/${Y}`,
      'dmY.': `${p(dd)}.${p(m)}.${Y}`,
      'dmY-': `${dd}-${m}-${Y}`,
      Ymd: `${Y}${p(m)}${p(dd)}`,
      dbY: `${dd}-${MONTHS[m - 1]}-${Y}`,
      'dbY ': `${dd} ${MONTHS[m - 1]} ${Y}`,
      cn: `${Y}年${m}月${dd}日`,
      mdy: `${m}/${dd}/${y}`,
      dmy: `${p(dd)}/${p(m)}/${y}`,
    };
    return map[id] as string;
  }
  const ids = ['ymd', 'ymd/', 'mdY', 'dmY', 'dmY.', 'dmY-', 'Ymd', 'dbY', 'dbY ', 'cn'];

  it('a date written in a format is detected as that format (or a tie that includes it) and reads back', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...ids), fc.array(day, { minLength: 3, maxLength: 30 }), async (id, days) => {
        const cand = DATE_CANDIDATES.find((c) => c.id === id);
        if (!cand) throw new Error(id);
        const texts = days.map((d) => format(d, id));
        await engine.exec(
          `CREATE OR REPLACE TABLE prop_dates AS SELECT * FROM (VALUES ${texts.map((t, i) => `(${i}, ${str(t)})`).join(', ')}) AS x(i, t)`,
        );
        const [scores] = await engine.query(dateScoreSql('prop_dates', 't'));
        const choice = chooseDate(scores as Record<string, number>);
        expect(choice?.share).toBe(1);
        expect([choice?.candidate.id, ...(choice?.alternatives.map((c) => c.id) ?? [])]).toContain(id);
        const got = await engine.query<{ d: string }>(
          `SELECT strftime(${dateSqlFast('t', cand)}, '%Y-%m-%d') AS d FROM prop_dates ORDER BY i`,
        );
        expect(got.map((r) => r.d)).toEqual(days.map((d) => d.toISOString().slice(0, 10)));
      }),
      run,
    );
  });
});

describe('delimiters and encodings', () => {
  const cell = fc.stringMatching(/^[A-Za-z0-9 .,;|\t'-]{0,12}$/);
  it('a table written with any delimiter is read back with that delimiter and width', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(',', ';', '\t', '|'),
        fc.integer({ min: 2, max: 12 }),
        fc.integer({ min: 3, max: 30 }),
        fc.array(cell, { minLength: 400, maxLength: 400 }),
        (delim, width, height, pool) => {
          const quote = (c: string) => (/[,;|\t"]/.test(c) || c !== c.trim() ? `"${c}"` : c);
          const header = Array.from({ length: width }, (_, j) => `col_${j}`).join(delim);
          const rows = Array.from({ length: height }, (_, i) =>
            Array.from({ length: width }, (_, j) => quote(`${pool[(i * width + j) % pool.length]}${j}`)).join(delim),
          );
          const d = detectDialect(`${[header, ...rows].join('\n')}\n`);
          expect(d.delimiter).toBe(delim);
          expect(d.columns).toBe(width);
          expect(d.skip ?? 0).toBe(0);
          expect(d.header).toBe(true);
        },
      ),
      { seed: SEED, numRuns: 200 },
    );
  });

  it('encoding detection never throws on any bytes, and valid UTF-8 is always read as UTF-8', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 4096 }), fc.boolean(), (bytes, truncated) => {
        const g = detectEncoding(bytes, truncated);
        expect(typeof g.encoding).toBe('string');
      }),
      { seed: SEED, numRuns: 500 },
    );
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 400 }), (text) => {
        const g = detectEncoding(new TextEncoder().encode(text));
        expect(g.encoding).toBe('utf-8');
        expect(g.repaired ?? false).toBe(false);
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  it('Western names in Windows-1252 are read as Windows-1252', () => {
    const word = fc.stringMatching(/^[A-Z][a-z]{1,6}[äöüéèàñçß][a-z]{1,6}$/);
    fc.assert(
      fc.property(fc.array(word, { minLength: 3, maxLength: 40 }), (names) => {
        const text = `customer,amount\n${names.map((n, i) => `${n},${i}`).join('\n')}\n`;
        expect(detectEncoding(encodeWindows1252(text)).encoding).toBe('windows-1252');
      }),
      { seed: SEED, numRuns: 200 },
    );
  });
});
