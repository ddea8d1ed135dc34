import fs from 'node:fs';
import { csvParse } from 'd3';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  bandSentence,
  breakEvenVolume,
  discountBands,
  incentiveSpend,
  pocketBand,
  priceWaterfall,
} from '../../src/analysis/incentives';
import { programmeRoi, targetAttainment } from '../../src/analysis/programmes';
import type { Engine } from '../../src/data/engine';
import type { Registrar } from '../../src/data/ingest';
import { loadProgrammes } from '../../src/data/programmes';
import { bufferSource, fileSource, hasShared, load, nodeRegistrar, shared } from '../helpers/files';
import { nodeEngine } from '../helpers/node-engine';

let engine: Engine;
beforeAll(async () => {
  engine = await nodeEngine();
});
const register: Registrar = (s, dbName, prep) => nodeRegistrar(engine)(s, dbName, prep);

describe.skipIf(!hasShared)('real files', () => {
  it('Superstore: discount cost and the bands of DESIGN.md, against a plain-TS computation', async () => {
    const file = shared('superstore_2023/Sample - Superstore.csv');
    await load(engine, fileSource(file));
    const spend = await incentiveSpend(engine, {});
    expect(spend?.discount).toBeCloseTo(570912.2, 2);
    expect(spend?.total).toBeCloseTo(570912.2, 2);
    const bands = await discountBands(engine, {});
    const m = (i: number) => bands?.[i]?.margin;
    const l = (i: number) => bands?.[i]?.lossShare;
    expect(m(0)).toBeCloseTo(0.2956, 4);
    expect(m(3)).toBeCloseTo(0.1154, 4);
    expect(m(4)).toBeCloseTo(-0.1006, 4);
    expect(m(5)).toBeCloseTo(-0.4822, 4);
    expect([l(0), l(3), l(4), l(5)].map((v) => Number((v ?? 0).toFixed(3)))).toEqual([0, 0.14, 0.917, 0.978]);
    // Independent: the same bands from d3's CSV parser and plain arithmetic.
    const rows = csvParse(fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, ''));
    const band = (d: number) => (d <= 0 ? 0 : d <= 0.05 ? 1 : d <= 0.1 ? 2 : d <= 0.2 ? 3 : d <= 0.3 ? 4 : 5);
    const acc = Array.from({ length: 6 }, () => ({ rev: 0, prof: 0, n: 0, loss: 0 }));
    let disc = 0;
    for (const r of rows) {
      const d = Number(r.Discount);
      const a = acc[band(d)] as (typeof acc)[number];
      a.rev += Number(r.Sales);
      a.prof += Number(r.Profit);
      a.n++;
      if (Number(r.Profit) < 0) a.loss++;
      disc += (Number(r.Sales) * d) / (1 - d);
    }
    expect(spend?.discount).toBeCloseTo(disc, 6);
    acc.forEach((a, i) => {
      expect(bands?.[i]?.lines).toBe(a.n);
      if (a.n) expect(bands?.[i]?.margin).toBeCloseTo(a.prof / a.rev, 9);
    });
    expect(bandSentence(bands ?? [])).toMatch(/most lines lose money in every band from 20–30% up/);
    const wf = await priceWaterfall(engine, {});
    expect(wf?.invoice).toBeCloseTo(2326534.3543, 3);
    expect(wf?.list).toBeCloseTo(2326534.3543 + disc, 4);
  });

  it('Northwind order lines: price before discount, gross 1,354,458.59, discounts 88,665.5505', async () => {
    await load(engine, fileSource(shared('northwind/order_details.csv')), {
      mapping: { customer: 'order_id', quantity: 'quantity', unit_price: 'unit_price', discount: 'discount' },
    });
    const spend = await incentiveSpend(engine, {});
    expect(spend?.gross).toBeCloseTo(1354458.59, 2);
    expect(spend?.discount).toBeCloseTo(88665.5505, 4);
    expect(spend?.net).toBeCloseTo(1265793.0395, 4);
  });
});

describe('the discount bands in one sentence', () => {
  const band = (b: number, margin: number, lossShare = 0.1) => ({
    band: b,
    label: ['0%', '0–5%', '5–10%', '10–20%', '20–30%', '>30%'][b] as string,
    lines: 100,
    customers: 10,
    revenue: 1000,
    margin,
    lossShare,
  });
  it('says margin falls only when it falls by a percentage point or more', () => {
    expect(bandSentence([band(0, 0.3), band(4, 0.25)])).toBe(
      'Margin falls from 30.0% on undiscounted lines to 25.0% on lines discounted 20–30%; no band loses money on most of its lines.',
    );
    // The bench's generated lines: COGS drawn apart from the discount, margins a tenth of a point apart.
    expect(bandSentence([band(0, 0.3012), band(4, 0.2998)])).toBe(
      'Margin does not fall with discount depth (30.1% on undiscounted lines, 30.0% on lines discounted 20–30%); no band loses money on most of its lines.',
    );
  });
});

describe('break-even volume (Nagle and Hogan)', () => {
  it('a 10-point discount on a 30% margin needs +50% volume', () => {
    expect(breakEvenVolume(0.1, 0.3)).toBeCloseTo(0.5, 12);
    expect(breakEvenVolume(0.05, 0.25)).toBeCloseTo(0.25, 12);
    expect(breakEvenVolume(0.3, 0.3)).toBeNull();
  });
});

/**
 * A seeded market: 200 customers over two years growing 60% (a strong common trend), one programme with a
 * true +15% GP uplift on its customers, and one with no effect. DiD must recover both; a before/after comparison
 * without the control adjustment reports about +28% and +11% instead.
 */
function plantedMarket() {
  let seed = 7;
  const rand = () => {
    seed = (seed * 16807) % 2147483647;
    return seed / 2147483647;
  };
  const lines = ['customer,date,sales,cogs'];
  for (let c = 0; c < 200; c++) {
    const base = 1000 + rand() * 4000;
    for (let m = 0; m < 24; m++) {
      const date = new Date(Date.UTC(2023, m, 10)).toISOString().slice(0, 10);
      const trend = 1 + 0.6 * (m / 23);
      // Programme A: customers 0-39 from 2024-07 to 2024-12.
      const lift = c < 40 && m >= 18 ? 1.15 : 1;
      const noise = 1 + (rand() - 0.5) * 0.04;
      const sales = base * trend * lift * noise;
      lines.push(`C${c},${date},${sales.toFixed(2)},${(sales * 0.6).toFixed(2)}`);
    }
  }
  const prog = ['program,customer,type,start,end,cost,target'];
  for (let c = 0; c < 40; c++) prog.push(`Uplift,C${c},rebate,2024-07-01,2024-12-31,100,${c % 2 ? 30000 : ''}`);
  for (let c = 40; c < 80; c++) prog.push(`NoEffect,C${c},contest,2024-07-01,2024-12-31,100,20000`);
  return { sales: lines.join('\n'), programmes: prog.join('\n') };
}

describe('programme ROI by difference-in-differences', () => {
  it('recovers a planted +15% GP uplift and a planted zero effect', async () => {
    const m = plantedMarket();
    await load(engine, bufferSource('market.csv', new TextEncoder().encode(m.sales)));
    const r = await loadProgrammes(
      engine,
      bufferSource('programmes.csv', new TextEncoder().encode(m.programmes)),
      register,
    );
    expect(r).toMatchObject({ programmes: 2, customers: 80, unmatched: 0, rejected: 0 });
    const roi = await programmeRoi(engine);
    const uplift = roi.find((x) => x.program === 'Uplift');
    const none = roi.find((x) => x.program === 'NoEffect');
    const relative = (x: typeof uplift) =>
      (x?.incrementalGp ?? 0) / ((x?.gpTreatedB ?? 0) * ((x?.gpControlP ?? 0) / (x?.gpControlB ?? 1)));
    // Tolerance: +-2 points of GP uplift.
    expect(relative(uplift)).toBeGreaterThan(0.13);
    expect(relative(uplift)).toBeLessThan(0.17);
    expect(Math.abs(relative(none))).toBeLessThan(0.02);
    // Without the control adjustment both estimates would be far off, and the checks above would fail.
    const naive = (x: typeof uplift) => (x?.gpTreatedP ?? 0) / (x?.gpTreatedB ?? 1) - 1;
    expect(naive(uplift)).toBeGreaterThan(0.25);
    expect(naive(none)).toBeGreaterThan(0.08);
    expect(uplift?.treated).toBe(40);
    // The other programme's customers are not a control: 200 - 40 - 40.
    expect(uplift?.control).toBe(120);
    expect(uplift?.parallel).toBe(true);
    expect(uplift?.roi).toBeCloseTo(((uplift?.incrementalGp ?? 0) - 4000) / 4000, 9);
    const t = await targetAttainment(engine);
    expect(t.filter((x) => x.program === 'Uplift' && x.target === null)).toHaveLength(20);
  });

  it('warns when the control group is too small', async () => {
    const m = plantedMarket();
    await load(engine, bufferSource('market.csv', new TextEncoder().encode(m.sales)));
    await loadProgrammes(engine, bufferSource('p.csv', new TextEncoder().encode(m.programmes)), register);
    const roi = await programmeRoi(engine, {}, { minControl: 500 });
    expect(roi[0]?.warnings.join(' ')).toMatch(/Control group has only/);
  });

  it('counts programme customers that match no sales customer', async () => {
    await load(engine, bufferSource('s.csv', new TextEncoder().encode('customer,date,sales\nA,2024-01-01,10\n')));
    const r = await loadProgrammes(
      engine,
      bufferSource(
        'p.csv',
        new TextEncoder().encode(
          'programme,customer_id,start_date,end_date,cost\nX,A,2024-01-01,2024-02-01,5\nX,ZZ,2024-01-01,2024-02-01,5\n',
        ),
      ),
      register,
    );
    expect(r).toMatchObject({ rows: 2, unmatched: 1, unmatchedSample: ['ZZ'] });
  });
});

describe('pocket price band', () => {
  it('width is (P95 - P5) / mean of pocket/list across customers', async () => {
    const lines = ['customer,gross_sales,net_sales,rebate,freight'];
    for (let i = 0; i < 100; i++) lines.push(`c${i},1000,${1000 - i * 3},10,0`);
    await load(engine, bufferSource('pb.csv', new TextEncoder().encode(lines.join('\n'))));
    const b = await pocketBand(engine, {});
    const shares = Array.from({ length: 100 }, (_, i) => (1000 - i * 3 - 10) / 1000).sort((a, z) => a - z);
    const q = (p: number) => {
      const h = (shares.length - 1) * p;
      const lo = Math.floor(h);
      return (shares[lo] as number) + ((shares[lo + 1] ?? (shares[lo] as number)) - (shares[lo] as number)) * (h - lo);
    };
    const mean = shares.reduce((s, v) => s + v, 0) / shares.length;
    expect(b?.width).toBeCloseTo((q(0.95) - q(0.05)) / mean, 9);
    // Bigger customers (by net) here are the ones with higher pocket prices.
    expect(b?.rankCorrelation).toBeGreaterThan(0.99);
  });
});

describe.skipIf(!hasShared)('sales_data_sample: MSRP against PRICEEACH', () => {
  it('list against invoice unit price, independent of the SALES amount', async () => {
    await load(engine, fileSource(shared('sales_data_sample/sales_data_sample.csv')));
    const rows = csvParse(
      new TextDecoder('latin1').decode(fs.readFileSync(shared('sales_data_sample/sales_data_sample.csv'))),
    );
    let list = 0;
    let invoice = 0;
    for (const r of rows) {
      list += Number(r.MSRP) * Number(r.QUANTITYORDERED);
      invoice += Number(r.PRICEEACH) * Number(r.QUANTITYORDERED);
    }
    const spend = await incentiveSpend(engine, {});
    expect(spend?.discount).toBeCloseTo(list - invoice, 4);
    const wf = await priceWaterfall(engine, {});
    expect(wf?.list).toBeCloseTo(list, 4);
    expect(wf?.invoice).toBeCloseTo(invoice, 4);
    expect(wf?.pocketShare).toBeCloseTo(invoice / list, 9);
    // Net revenue stays the SALES column.
    expect(spend?.net).toBeCloseTo(10032628.85, 2);
  });
});
