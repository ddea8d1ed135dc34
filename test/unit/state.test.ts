/**
 * The view state as a link: every field survives encode -> decode (property-based, fixed seed), links made by
 * this version keep opening, and hostile or broken input opens with defaults and a list of what was wrong.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ACCOUNT_TYPES,
  type AppState,
  COMPARES,
  defaultState,
  forNewData,
  METRICS,
  MIGRATION_FROM,
  MIGRATION_TO,
  parseState,
  QUADRANT_IDS,
  SORT_KEYS,
  TABS,
  WATERFALL_DIMS,
  withoutNames,
} from '../../src/state/app-state';
import { decodeState, encodeState } from '../../src/state/url';

/** One seed for every property here, printed so that a failure can be replayed. */
const SEED = 20261202;
console.log(`fast-check seed ${SEED}`);
const run = { seed: SEED, numRuns: 150 };

const text = fc.string({ maxLength: 30, unit: 'grapheme' });
const values = fc.array(text, { maxLength: 4 });
const isoDate = fc
  .date({ min: new Date('1990-01-01T00:00:00Z'), max: new Date('2040-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));
const period = fc.oneof(
  fc.constantFrom('all', 'last4q', 'ytd'),
  fc.integer({ min: 1990, max: 2040 }).map(String),
  fc.tuple(fc.integer({ min: 1990, max: 2040 }), fc.integer({ min: 1, max: 4 })).map(([y, q]) => `${y}Q${q}`),
  fc
    .tuple(fc.integer({ min: 1990, max: 2040 }), fc.integer({ min: 1, max: 12 }))
    .map(([y, m]) => `${y}-${String(m).padStart(2, '0')}`),
  fc.integer({ min: 1990, max: 2040 }).map((y) => `FY${y}`),
  fc.tuple(fc.integer({ min: 1990, max: 2040 }), fc.integer({ min: 1, max: 4 })).map(([y, q]) => `FY${y}Q${q}`),
);
const clause = fc.oneof(
  fc.record({
    source: fc.constant('matrix' as const),
    kind: fc.constant('quadrant' as const),
    value: fc.constantFrom(...QUADRANT_IDS),
  }),
  fc.record({
    source: fc.constant('pareto' as const),
    kind: fc.constant('abc' as const),
    value: fc.constantFrom('A' as const, 'B' as const, 'C' as const),
  }),
  fc.record({ source: fc.constant('pareto' as const), kind: fc.constant('segment' as const), value: text }),
  fc.record({
    source: fc.constant('incentives' as const),
    kind: fc.constant('band' as const),
    value: fc.constantFrom('0', '1', '2', '3', '4', '5') as fc.Arbitrary<'0'>,
  }),
  fc.record({
    source: fc.constant('overview' as const),
    kind: fc.constant('month' as const),
    value: fc
      .tuple(fc.integer({ min: 1990, max: 2040 }), fc.integer({ min: 1, max: 12 }))
      .map(([y, m]) => `${y}-${String(m).padStart(2, '0')}`),
  }),
);
/** Thresholds in percent with one decimal, a below b. */
const abc = fc
  .tuple(fc.integer({ min: 10, max: 989 }), fc.integer({ min: 1, max: 500 }))
  .map(([a, d]) => ({ a: a / 10, b: Math.min(999, a + d) / 10 }))
  .filter(({ a, b }) => a < b && a <= 99 && b <= 99.9);
const finite = (min: number, max: number) => fc.double({ min, max, noNaN: true, noDefaultInfinity: true });

const stateArb: fc.Arbitrary<AppState> = fc
  .record({
    tab: fc.constantFrom(...TABS),
    period,
    custom: fc.option(fc.tuple(isoDate, isoDate), { nil: null }),
    fy: fc.integer({ min: 1, max: 12 }),
    region: values,
    segment: values,
    category: values,
    rep: values,
    extra: fc.array(fc.record({ column: text, values }), { maxLength: 3 }),
    search: text,
    compare: fc.constantFrom(...COMPARES),
    clauses: fc.uniqueArray(clause, { maxLength: 4, selector: (c) => `${c.source}:${c.kind}` }),
    metric: fc.constantFrom(...METRICS),
    abc,
    paretoSearch: text,
    cls: fc.constantFrom('' as const, 'A' as const, 'B' as const, 'C' as const),
    sort: fc.constantFrom(...SORT_KEYS),
    desc: fc.boolean(),
    margin: fc.constantFrom('gross' as const, 'customer' as const),
    xSplit: fc.option(finite(0.01, 1e9), { nil: null }),
    ySplit: fc.option(finite(-10, 10), { nil: null }),
    movePeriod: fc.constantFrom('quarter' as const, 'year' as const),
    selected: fc.option(text, { nil: null }),
    list: fc.option(fc.constantFrom(...QUADRANT_IDS), { nil: null }),
    dim: fc.constantFrom(...WATERFALL_DIMS),
    value: fc.option(text, { nil: null }),
    discount: finite(0, 0.99),
    beMargin: finite(0.01, 0.99),
    source: fc.oneof(
      fc.constant({ kind: 'sample' as const }),
      fc.record({ kind: fc.constant('url' as const), path: text }),
      fc.record({
        kind: fc.constant('file' as const),
        name: text,
        size: fc.integer({ min: 0, max: 2 ** 40 }),
        fp: fc.option(fc.stringMatching(/^[0-9a-f]{16}$/), { nil: undefined }),
      }),
    ),
    mapping: fc.dictionary(fc.constantFrom('customer', 'amount', 'date', 'region', 'segment'), text),
    keyList: fc.array(fc.record({ customer: text, type: fc.constantFrom(...ACCOUNT_TYPES) }), { maxLength: 5 }),
    keysOnly: fc.boolean(),
    keysDrop: finite(1, 99),
    keysSelected: fc.option(text, { nil: null }),
    keysCell: fc.option(fc.record({ from: fc.constantFrom(...MIGRATION_FROM), to: fc.constantFrom(...MIGRATION_TO) }), {
      nil: null,
    }),
  })
  .map((r) => {
    const s = defaultState();
    return {
      ...s,
      tab: r.tab,
      filters: {
        period: r.custom ? 'all' : r.period,
        from: r.custom?.[0] ?? null,
        to: r.custom?.[1] ?? null,
        fy: r.fy,
        region: r.region,
        segment: r.segment,
        category: r.category,
        rep: r.rep,
        extra: r.extra,
        search: r.search,
      },
      compare: r.compare,
      clauses: r.clauses,
      pareto: {
        metric: r.metric,
        a: r.abc.a,
        b: r.abc.b,
        search: r.paretoSearch,
        cls: r.cls,
        sort: r.sort,
        desc: r.desc,
      },
      matrix: {
        margin: r.margin,
        xSplit: r.xSplit,
        ySplit: r.ySplit,
        period: r.movePeriod,
        selected: r.selected,
        list: r.list,
      },
      incentives: { dim: r.dim, value: r.value, discount: r.discount, margin: r.beMargin },
      source:
        r.source.kind === 'file' && r.source.fp === undefined
          ? { kind: 'file', name: r.source.name, size: r.source.size }
          : r.source,
      keys: { list: r.keyList, only: r.keysOnly, drop: r.keysDrop, selected: r.keysSelected, cell: r.keysCell },
      mapping: r.mapping,
      names: true,
    } as AppState;
  });

describe('the view state in a link', () => {
  it('round-trips every field (names opted in), and the default state is a bare URL', async () => {
    await fc.assert(
      fc.asyncProperty(stateArb, async (s) => {
        const { search, hash } = await encodeState(s);
        const back = await decodeState(search, hash);
        expect(back.issues).toEqual([]);
        expect(back.state).toEqual(s);
      }),
      run,
    );
    expect(await encodeState(defaultState())).toEqual({ search: '', hash: '' });
  });

  it('the readable query says what it shows, and repeats a parameter for several values', async () => {
    const s = defaultState();
    const link = await encodeState({
      ...s,
      tab: 'pareto',
      compare: 'prev',
      filters: { ...s.filters, period: '2019Q4', region: ['West', 'East'], fy: 4 },
      pareto: { ...s.pareto, metric: 'profit', a: 70, b: 90 },
      source: { kind: 'url', path: 'data/sales 2019.csv' },
    });
    expect(link.search).toBe(
      '?data=data%2Fsales+2019.csv&period=2019Q4&fy=4&compare=prev&region=West&region=East&metric=profit&abc=70-90&tab=pareto',
    );
    expect(link.hash).toBe('');
    // Typed by hand, with from/to instead of a period.
    const typed = await decodeState('?from=2019-03-01&to=2019-05-31&segment=Consumer&tab=matrix&present', '');
    expect(typed.issues).toEqual([]);
    expect(typed.present).toBe(true);
    expect(typed.state.filters).toMatchObject({ from: '2019-03-01', to: '2019-05-31', segment: ['Consumer'] });
    expect(typed.state.tab).toBe('matrix');
  });

  it('customer names and IDs stay out of a link unless the sender opts in', async () => {
    const s = defaultState();
    const withNames: AppState = {
      ...s,
      filters: { ...s.filters, search: 'Acme' },
      matrix: { ...s.matrix, selected: 'CUST-0042' },
      pareto: { ...s.pareto, search: 'Bolt' },
      incentives: { ...s.incentives, dim: 'customer', value: 'CUST-0042' },
    };
    const out = await decodeState(...(Object.values(await encodeState(withNames)) as [string, string]));
    expect(out.state).toEqual(withoutNames(withNames));
    expect(JSON.stringify(out.state)).not.toMatch(/Acme|Bolt|CUST-0042/);
    const opted = await decodeState(
      ...(Object.values(await encodeState({ ...withNames, names: true })) as [string, string]),
    );
    expect(opted.state.matrix.selected).toBe('CUST-0042');
  });

  it('links made by version 1 keep opening (frozen: a later version migrates them)', async () => {
    // Made with encodeState at version 1 and kept as text: a change of the format must still read these.
    const s = defaultState();
    const v1: AppState = {
      ...s,
      clauses: [{ source: 'matrix', kind: 'quadrant', value: 'core' }],
      matrix: { ...s.matrix, margin: 'gross', xSplit: 12000 },
      incentives: { ...s.incentives, dim: 'region', value: 'West', discount: 0.15 },
    };
    const { search, hash } = await encodeState(v1);
    expect(hash.startsWith('#s=1.')).toBe(true);
    expect((await decodeState(search, hash)).state).toEqual(v1);
    const frozen = await decodeState('?period=2024Q3&compare=yoy', FROZEN_V1_HASH);
    expect(frozen.issues).toEqual([]);
    expect(frozen.state.clauses).toEqual([{ source: 'matrix', kind: 'quadrant', value: 'core' }]);
    expect(frozen.state.matrix).toMatchObject({ margin: 'gross', xSplit: 12000 });
    expect(frozen.state.incentives).toMatchObject({ dim: 'region', value: 'West', discount: 0.15 });
    expect(frozen.state.filters.period).toBe('2024Q3');
    // A version from the future is not guessed at.
    const future = await decodeState('', FROZEN_V1_HASH.replace('#s=1.', '#s=99.'));
    expect(future.issues).toContain('version');
    expect(future.state.clauses).toEqual([]);
  });

  it('a bad value costs that value only, and says which', async () => {
    const r = await decodeState(
      '?period=2019Q9&fy=13&compare=sometimes&abc=95-80&tab=admin&metric=eval&region=West',
      '',
    );
    expect(r.issues.sort()).toEqual(['abc', 'compare', 'fy', 'metric', 'period', 'tab']);
    expect(r.state.filters.region).toEqual(['West']);
    expect(r.state.filters.period).toBe('all');
    expect(r.state.pareto).toMatchObject({ a: 80, b: 95, metric: 'revenue' });
  });

  it('hostile and broken links never throw, never pollute a prototype, and always give a valid state', async () => {
    const pieces = fc.oneof(
      fc.string({ maxLength: 200 }),
      fc.string({ maxLength: 50, unit: 'binary' }),
      fc.constantFrom(
        '#s=1.',
        '#s=1.@@@',
        '#s=1.AAAA',
        '#s=abc',
        `#s=1.${'A'.repeat(20_000)}`,
        '?__proto__=x&constructor=y',
        `?region=${'x'.repeat(5000)}`,
        '?period=<script>alert(1)</script>',
        '?abc=NaN-Infinity',
        '?fy=-1',
        '?data=javascript:alert(1)',
      ),
    );
    const hostileJson = fc.oneof(
      fc.jsonValue({ maxDepth: 6 }),
      fc.constant(JSON.parse('{"__proto__":{"polluted":1},"filters":{"__proto__":{"polluted":1}}}')),
      fc.constant({ filters: { region: Array(5000).fill('x') } }),
      fc.constant({ clauses: [{ source: 'matrix', kind: 'quadrant', value: "core' OR 1=1 --" }] }),
      fc.constant({ pareto: { a: 1e308, b: -1 }, matrix: { xSplit: Number.NaN, ySplit: 'x' } }),
      fc.constant({ v: 1, source: { kind: 'url', path: { toString: 1 } } }),
      fc.constant(Array.from({ length: 3 }, () => ({}))),
    );
    const deep = fc.integer({ min: 100, max: 3000 }).map((n) => '['.repeat(n) + ']'.repeat(n));
    await fc.assert(
      fc.asyncProperty(pieces, pieces, async (q, hsh) => {
        const r = await decodeState(q, hsh);
        expect(parseState(r.state).state).toEqual(r.state);
      }),
      run,
    );
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          hostileJson,
          deep.map((d) => JSON.parse(d)),
        ),
        async (value) => {
          const { state } = parseState(value);
          expect(parseState(state).state).toEqual(state);
          // The same as a packed link.
          const packed = await packJson(value);
          const r = await decodeState('', `#s=1.${packed}`);
          expect(parseState(r.state).state).toEqual(r.state);
        },
      ),
      run,
    );
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((Object.prototype as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('a deflate bomb is refused, not inflated', async () => {
    const bomb = await packJson({ filters: { search: 'x'.repeat(2_000_000) } });
    expect(bomb.length).toBeLessThan(16_000);
    const r = await decodeState('', `#s=1.${bomb}`);
    expect(r.issues).toContain('link');
    expect(r.state).toEqual(defaultState());
  });

  it('a new file resets what names the old one, and keeps period and options', () => {
    const s = defaultState();
    const before: AppState = {
      ...s,
      compare: 'yoy',
      filters: { ...s.filters, period: '2024', region: ['West'], search: 'x' },
      clauses: [{ source: 'pareto', kind: 'abc', value: 'A' }],
      pareto: { ...s.pareto, a: 70, b: 90 },
      matrix: { ...s.matrix, selected: 'C1', xSplit: 5 },
    };
    const after = forNewData(before);
    expect(after.filters).toMatchObject({ period: '2024', region: [], search: '' });
    expect(after.clauses).toEqual([]);
    expect(after.pareto).toMatchObject({ a: 70, b: 90 });
    expect(after.matrix).toMatchObject({ selected: null, xSplit: null });
    expect(after.compare).toBe('yoy');
  });
});

/** A JSON value packed the way a link packs it (deflate-raw, base64url). */
async function packJson(value: unknown): Promise<string> {
  const stream = new Blob([JSON.stringify(value)]).stream().pipeThrough(new CompressionStream('deflate-raw'));
  const bytes = new Uint8Array(await new Response(stream).arrayBuffer());
  return Buffer.from(bytes).toString('base64url');
}

const FROZEN_V1_HASH =
  '#s=1.Tc0xCsMwDEbhu_yzKU6hi67RoUPpYGwTRBO5lewQML57yFDo_vFeR1xCs2ygZ4eVpjGDsIaqvMPhzZJA-LaQNEiFwxaWdpJYNGO83M9Sxxp0ZgFh1mIGh_3-WbiCpqv3fjiwxCyVt3PXkXgFQfPMRf7Cj2znJ7HF0qSC_GW6jXEA';
