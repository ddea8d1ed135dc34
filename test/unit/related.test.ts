import fs from 'node:fs';
import { csvParse } from 'd3';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { beforeAll, describe, expect, it } from 'vitest';
import { incentiveSpend } from '../../src/analysis/incentives';
import { orderCount, overview } from '../../src/analysis/overview';
import type { Engine } from '../../src/data/engine';
import { commitStage, ingestRelation } from '../../src/data/ingest';
import { parquetTextTable } from '../../src/data/parquet-load';
import { appendSameColumns, buildJoined, describeJoin, proposeJoins, readRelated } from '../../src/data/related';
import { bufferSource, fileSource, hasShared, nodeRegistrar, shared } from '../helpers/files';
import { nodeEngine } from '../helpers/node-engine';
import { reader } from '../helpers/parquet';

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

describe('files with the same columns are appended, not joined', () => {
  const month = (m: number, rows: [string, string, string, string][]) =>
    `order_id,product,customer,order_date,sales\n${rows.map((r) => `${r[0]},${r[1]},${r[2]},2024-${String(m).padStart(2, '0')}-${r[3]},${r.length * 10 + Number(r[0].slice(1))}`).join('\n')}\n`;
  // January and February overlap by their last and first lines (an export run twice over a week); March is
  // dropped twice.
  const jan = month(1, [
    ['O1', 'P1', 'Acme', '05'],
    ['O2', 'P2', 'Globex', '12'],
    ['O3', 'P1', 'Acme', '28'],
  ]);
  const feb = `${month(1, [['O3', 'P1', 'Acme', '28']])}${month(2, [
    ['O4', 'P3', 'Initech', '03'],
    ['O5', 'P1', 'Globex', '17'],
  ])
    .split('\n')
    .slice(1)
    .join('\n')}`;
  const mar = month(3, [['O6', 'P2', 'Umbrella', '09']]);
  const enc = (s: string) => new TextEncoder().encode(s);
  const amount = (id: string) => 40 + Number(id.slice(1));

  it('appends in the order given, tags each line with its file and line, and skips exact repeats', async () => {
    const files = [
      bufferSource('jan.csv', enc(jan)),
      bufferSource('feb.csv', enc(feb)),
      bufferSource('mar.csv', enc(mar)),
      bufferSource('mar (1).csv', enc(mar.replace('order_id,product', 'Order ID,Product'))),
    ];
    const tables = await appendSameColumns(engine, await readRelated(engine, files, nodeRegistrar(engine)));
    expect(tables).toHaveLength(1);
    const t = tables[0];
    expect(t?.parts).toEqual([
      { name: 'jan.csv', rows: 3 },
      { name: 'feb.csv', rows: 3 },
      { name: 'mar.csv', rows: 1 },
      { name: 'mar (1).csv', rows: 1 },
    ]);
    expect(t?.duplicates).toEqual({
      rows: 2,
      detail: ['1 of feb.csv repeat lines of jan.csv', '1 of mar (1).csv repeat lines of mar.csv'],
    });
    const plan = await proposeJoins(engine, tables);
    expect(plan?.joins).toEqual([]);
    await buildJoined(engine, plan as NonNullable<typeof plan>);
    const info = await ingestRelation(engine, 'joined_next', { name: t?.name ?? '', size: 0, ...META });
    await commitStage(engine, info);
    expect(info.rowsRead).toBe(8);
    expect(info.rowsLoaded).toBe(6);
    expect(info.skippedByReason).toEqual([{ reason: 'Duplicate line (another file has it)', rows: 2 }]);
    expect(info.columns.map((c) => c.name)).not.toContain('__kal_dup');
    const o = await overview(engine, {});
    expect(o.rows).toBe(6);
    expect(o.revenue).toBeCloseTo(
      ['O1', 'O2', 'O3', 'O4', 'O5', 'O6'].reduce((s, id) => s + amount(id), 0),
      9,
    );
    const skipped = await engine.query<{ repeats: string; f: string; l: string }>(
      `SELECT repeats, "source file" AS f, "source line" AS l FROM skipped_rows ORDER BY line`,
    );
    expect(skipped).toEqual([
      { repeats: 'line 4 of jan.csv', f: 'feb.csv', l: '2' },
      { repeats: 'line 2 of mar.csv', f: 'mar (1).csv', l: '2' },
    ]);
    const perFile = await engine.query<{ f: string; n: number }>(
      `SELECT "file:source file" AS f, count(*) AS n FROM sales GROUP BY 1 ORDER BY 1`,
    );
    expect(perFile.map((r) => [r.f, Number(r.n)])).toEqual([
      ['feb.csv', 2],
      ['jan.csv', 3],
      ['mar.csv', 1],
    ]);
  });

  it('a month exported as Parquet is decoded as typed columns and appended to the CSV months as their text', async () => {
    // February as Parquet: the repeated January line among its lines, dates as timestamps, amounts as doubles.
    const rows: [string, string, string, number, number][] = [
      ['O3', 'P1', 'Acme', Date.UTC(2024, 0, 28), amount('O3')],
      ['O4', 'P3', 'Initech', Date.UTC(2024, 1, 3), amount('O4')],
      ['O5', 'P1', 'Globex', Date.UTC(2024, 1, 17), 45.5],
    ];
    const feb = parquetWriteBuffer({
      columnData: [
        { name: 'order_id', data: rows.map((r) => r[0]), type: 'STRING' },
        { name: 'product', data: rows.map((r) => r[1]), type: 'STRING' },
        { name: 'customer', data: rows.map((r) => r[2]), type: 'STRING' },
        { name: 'order_date', data: rows.map((r) => new Date(r[3])), type: 'TIMESTAMP' },
        { name: 'sales', data: Float64Array.from(rows.map((r) => r[4])), type: 'DOUBLE' },
      ],
    }) as ArrayBuffer;
    const files = [
      bufferSource('jan.csv', enc(jan)),
      { name: 'feb.parquet', readInto: (t: string) => parquetTextTable(engine, reader('feb.parquet', feb), t) },
      bufferSource('mar.csv', enc(mar)),
    ];
    const read = await readRelated(engine, files, nodeRegistrar(engine));
    expect(await engine.query('SELECT * FROM rel_1 ORDER BY order_id')).toEqual([
      { order_id: 'O3', product: 'P1', customer: 'Acme', order_date: '2024-01-28', sales: '43' },
      { order_id: 'O4', product: 'P3', customer: 'Initech', order_date: '2024-02-03', sales: '44' },
      { order_id: 'O5', product: 'P1', customer: 'Globex', order_date: '2024-02-17', sales: '45.5' },
    ]);
    const tables = await appendSameColumns(engine, read);
    expect(tables[0]?.parts).toEqual([
      { name: 'jan.csv', rows: 3 },
      { name: 'feb.parquet', rows: 3 },
      { name: 'mar.csv', rows: 1 },
    ]);
    // The Parquet line equal to a CSV line is the same line.
    expect(tables[0]?.duplicates).toEqual({ rows: 1, detail: ['1 of feb.parquet repeat lines of jan.csv'] });
    const plan = await proposeJoins(engine, tables);
    await buildJoined(engine, plan as NonNullable<typeof plan>);
    const info = await ingestRelation(engine, 'joined_next', { name: 'months', size: 0, ...META });
    await commitStage(engine, info);
    const o = await overview(engine, {});
    expect(o.rows).toBe(6);
    expect(o.revenue).toBeCloseTo(['O1', 'O2', 'O3', 'O4', 'O6'].reduce((s, id) => s + amount(id), 0) + 45.5, 9);
  });

  it('files that repeat no line are appended in the order given, each line at its file and line', async () => {
    const files = [bufferSource('mar.csv', enc(mar)), bufferSource('jan.csv', enc(jan))];
    const tables = await appendSameColumns(engine, await readRelated(engine, files, nodeRegistrar(engine)));
    expect(tables[0]?.duplicates).toEqual({ rows: 0, detail: [] });
    const rows = await engine.query<Record<string, string | null>>(
      `SELECT order_id, "source file" AS f, "source line" AS l, __kal_dup AS d FROM ${tables[0]?.table} ORDER BY rowid`,
    );
    expect(rows).toEqual([
      { order_id: 'O6', f: 'mar.csv', l: '2', d: null },
      { order_id: 'O1', f: 'jan.csv', l: '2', d: null },
      { order_id: 'O2', f: 'jan.csv', l: '3', d: null },
      { order_id: 'O3', f: 'jan.csv', l: '4', d: null },
    ]);
  });

  it('without an order-line key, repeated lines are kept (they may be real)', async () => {
    const plain = 'customer,order_date,sales\nAcme,2024-01-05,10\n';
    const tables = await appendSameColumns(
      engine,
      await readRelated(
        engine,
        [bufferSource('a.csv', enc(plain)), bufferSource('b.csv', enc(plain))],
        nodeRegistrar(engine),
      ),
    );
    expect(tables[0]?.duplicates?.rows).toBe(0);
    const plan = await proposeJoins(engine, tables);
    await buildJoined(engine, plan as NonNullable<typeof plan>);
    const info = await ingestRelation(engine, 'joined_next', { name: 'a+b', size: 0, ...META });
    expect(info.rowsLoaded).toBe(2);
  });
});
