import fs from 'node:fs';
import { csvParse } from 'd3';
import { beforeAll, describe, expect, it } from 'vitest';
import { incentiveSpend } from '../../src/analysis/incentives';
import { orderCount, overview } from '../../src/analysis/overview';
import type { Engine } from '../../src/data/engine';
import { commitStage, ingestRelation } from '../../src/data/ingest';
import { buildJoined, describeJoin, proposeJoins, readRelated } from '../../src/data/related';
import { bufferSource, fileSource, hasShared, nodeRegistrar, shared } from '../helpers/files';
import { nodeEngine } from '../helpers/node-engine';

let engine: Engine;
beforeAll(async () => {
  engine = await nodeEngine();
});

const META = {
  encoding: { encoding: 'utf-8' as const, bom: 0, reason: 'joined' },
  dialect: { delimiter: ',', quote: '"', header: true, columns: 0 },
};

describe.skipIf(!hasShared)('Northwind: four related files', () => {
  it('proposes the joins, allocates order freight to lines, and matches the independent totals', async () => {
    const files = ['order_details.csv', 'orders.csv', 'customers.csv', 'products.csv'].map((f) =>
      fileSource(shared(`northwind/${f}`)),
    );
    const tables = await readRelated(engine, files, nodeRegistrar(engine));
    const plan = await proposeJoins(engine, tables);
    expect(plan?.fact.name).toBe('order_details.csv');
    const names = new Map(tables.map((t) => [t.table, t.name]));
    expect(plan?.joins.map((j) => describeJoin(j, names))).toEqual([
      'order_details.csv.order_id → orders.csv.order_id: every key found',
      'orders.csv.customer_id → customers.csv.customer_id: every key found',
      'order_details.csv.product_id → products.csv.product_id: every key found',
    ]);
    const { allocated } = await buildJoined(engine, plan as NonNullable<typeof plan>);
    expect(allocated).toEqual(['freight (orders.csv)']);
    const info = await ingestRelation(engine, 'joined_next', { name: 'Northwind (4 files)', size: 0, ...META });
    await commitStage(engine, info);
    expect(info.mapping).toMatchObject({
      customer: 'customer_id',
      customer_name: 'company_name',
      date: 'order_date',
      freight: 'freight',
    });
    const o = await overview(engine, {});
    expect(o.customers).toBe(89);
    expect(o.rows).toBe(2155);
    expect(o.revenue).toBeCloseTo(1265793.0395, 4);
    const spend = await incentiveSpend(engine, {});
    expect(spend?.gross).toBeCloseTo(1354458.59, 2);
    expect(spend?.discount).toBeCloseTo(88665.5505, 4);
    // The overview's headline spend is the same total, from the customer table.
    expect(o.incentives).toBeCloseTo(spend?.total ?? Number.NaN, 4);
    expect(await orderCount(engine, {})).toBe(830);
    // Freight is per order; spread over lines it still adds up to the orders' freight.
    const orders = csvParse(fs.readFileSync(shared('northwind/orders.csv'), 'utf8'));
    const lines = csvParse(fs.readFileSync(shared('northwind/order_details.csv'), 'utf8'));
    const withLines = new Set(lines.map((l) => l.order_id));
    const freight = orders.filter((r) => withLines.has(r.order_id)).reduce((s, r) => s + Number(r.freight), 0);
    const [f] = await engine.query<{ f: number }>('SELECT sum(freight) AS f FROM sales');
    expect(f?.f).toBeCloseTo(freight, 4);
  });
});

describe('generated related files', () => {
  it('a key that does not match is counted and its lines are rejected with a reason, not dropped', async () => {
    const lines = bufferSource(
      'lines.csv',
      new TextEncoder().encode('order_no,qty,unit_price\n1,2,10\n2,1,5\n3,4,1\n'),
    );
    const orders = bufferSource(
      'orders.csv',
      new TextEncoder().encode('order_no,customer,date\n1,A,2024-01-01\n2,B,2024-01-02\n'),
    );
    const tables = await readRelated(engine, [lines, orders], nodeRegistrar(engine));
    const plan = await proposeJoins(engine, tables);
    expect(plan?.joins[0]?.unmatched).toBe(1);
    await buildJoined(engine, plan as NonNullable<typeof plan>);
    const info = await ingestRelation(engine, 'joined_next', { name: 'two files', size: 0, ...META });
    expect(info.rowsLoaded).toBe(2);
    expect(info.rowsRejected).toBe(1);
    expect(info.rejectedByReason[0]?.reason).toMatch(/Missing customer/);
  });

  it('a programme file among them is set aside for the programme loader', async () => {
    const lines = bufferSource('s.csv', new TextEncoder().encode('customer,sales\nA,1\n'));
    const prog = bufferSource(
      'p.csv',
      new TextEncoder().encode('program,customer,start,end,cost\nX,A,2024-01-01,2024-02-01,5\n'),
    );
    const plan = await proposeJoins(engine, await readRelated(engine, [lines, prog], nodeRegistrar(engine)));
    expect(plan?.programmeFiles).toEqual(['p.csv']);
    expect(plan?.fact.name).toBe('s.csv');
  });
});
