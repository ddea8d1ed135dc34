import { beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../src/data/engine';
import { readColumns } from '../../src/data/file-columns';
import { fileSource, hasShared, load, shared } from '../helpers/files';
import { nodeEngine } from '../helpers/node-engine';

let engine: Engine;
beforeAll(async () => {
  engine = await nodeEngine();
});

const overview = async () =>
  (
    await engine.query<{ n: number; customers: number; revenue: number; profit: number; dmin: string; dmax: string }>(
      `SELECT count(*) n, count(DISTINCT customer) customers, sum(amount) revenue, sum(profit) profit,
       strftime(min(date), '%Y-%m-%d') dmin, strftime(max(date), '%Y-%m-%d') dmax FROM sales`,
    )
  )[0];

describe.skipIf(!hasShared)('real public files', () => {
  it('Superstore 2023 CSV: DD/MM/YY dates, BOM, quoted commas', async () => {
    const info = await load(engine, fileSource(shared('superstore_2023/Sample - Superstore.csv')));
    expect(info.mapping.customer).toBe('Customer ID');
    expect(info.mapping.customer_name).toBe('Customer Name');
    expect(info.mapping.amount).toBe('Sales');
    expect(info.mapping.date).toBe('Order Date');
    expect(info.formats.date).toBe('dmy');
    expect(info.formats.discountKind).toBe('rate');
    const o = await overview();
    expect(o?.n).toBe(10194);
    expect(info.rowsRejected).toBe(0);
    expect(o?.customers).toBe(804);
    expect(o?.revenue).toBeCloseTo(2326534.3543, 3);
    expect(o?.profit).toBeCloseTo(292296.8146, 3);
    expect(o?.dmin).toBe('2019-01-03');
    expect(o?.dmax).toBe('2022-12-30');
  });

  it('sales_data_sample: CP850 names, MM/DD/YY, uppercase headers', async () => {
    const info = await load(engine, fileSource(shared('sales_data_sample/sales_data_sample.csv')));
    expect(info.encoding.encoding).toBe('cp850');
    expect(info.mapping.customer).toBe('CUSTOMERNAME');
    expect(info.mapping.amount).toBe('SALES');
    expect(info.mapping.list_price).toBe('MSRP');
    const o = await overview();
    expect(o?.n).toBe(2823);
    expect(o?.customers).toBe(92);
    expect(o?.revenue).toBeCloseTo(10032628.85, 2);
    expect(o?.dmin).toBe('2003-01-06');
    expect(o?.dmax).toBe('2005-05-31');
    // An address is no role: the load left it out, and it is read (transcoded as the load was) when asked for.
    expect(info.columnsRead).toBeLessThan(info.columns.length);
    expect(await readColumns(engine, ['ADDRESSLINE1'])).toBe(1);
    const rows = await engine.query<{ c: string }>(
      "SELECT DISTINCT trim(ADDRESSLINE1) c FROM raw WHERE ADDRESSLINE1 LIKE 'Berguvsv%'",
    );
    expect(rows.map((r) => r.c)).toEqual(['Berguvsvägen  8']);
  });
});
