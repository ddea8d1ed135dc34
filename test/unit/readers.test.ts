import fs from 'node:fs';
import { gzipSync } from 'node:zlib';
import { csvParse } from 'd3';
import { strToU8, zipSync } from 'fflate';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../src/data/engine';
import { NeedsMapping } from '../../src/data/ingest';
import { convert } from '../../src/data/readers/convert';
import { parquetToCsv } from '../../src/data/readers/parquet';
import { ReaderError } from '../../src/data/readers/table';
import { bufferSource, hasShared, load, shared } from '../helpers/files';
import { nodeEngine } from '../helpers/node-engine';
import { makeXlsx } from '../helpers/xlsx';

let engine: Engine;
beforeAll(async () => {
  engine = await nodeEngine();
});

/** The browser's path in Node: the format reader, then the CSV pipeline on what it produced. */
async function loadAny(name: string, bytes: Uint8Array, choice?: string) {
  const r = await convert(name, bytes, choice);
  const out = r.kind === 'table' ? r.csv : r.bytes;
  const info = await load(engine, bufferSource(r.name, out));
  return { info, converted: r };
}

const totals = async () =>
  (
    await engine.query<{
      n: number;
      customers: number;
      revenue: number;
      profit: number | null;
      dmin: string;
      dmax: string;
    }>(
      `SELECT count(*) n, count(DISTINCT customer) customers, sum(amount) revenue, sum(profit) profit,
       strftime(min(date), '%Y-%m-%d') dmin, strftime(max(date), '%Y-%m-%d') dmax FROM sales`,
    )
  )[0];

describe.skipIf(!hasShared)('real files in other formats', () => {
  it('Superstore .xlsx: the Orders sheet is chosen, Excel dates converted', async () => {
    const { converted } = await loadAny(
      'Sample - Superstore.xlsx',
      new Uint8Array(fs.readFileSync(shared('superstore_xlsx/Sample - Superstore.xlsx'))),
    );
    expect(converted.choice).toEqual({ what: 'sheet', options: ['Orders', 'Returns', 'People'], chosen: 'Orders' });
    const t = await totals();
    expect(t?.n).toBe(9994);
    expect(t?.customers).toBe(793);
    expect(t?.revenue).toBeCloseTo(2297200.8603, 3);
    expect(t?.profit).toBeCloseTo(286397.0217, 3);
    expect(t?.dmin).toBe('2014-01-03');
  });
  it('Superstore .xlsx, the People sheet asks for a mapping (no amount)', async () => {
    await expect(
      loadAny('x.xlsx', new Uint8Array(fs.readFileSync(shared('superstore_xlsx/Sample - Superstore.xlsx'))), 'People'),
    ).rejects.toBeInstanceOf(NeedsMapping);
  });
  it('Parquet with profit: 5,194 lines, INT64 timestamps, pandas index ignored', async () => {
    const { info } = await loadAny(
      'superstore_w_profit.parquet',
      new Uint8Array(fs.readFileSync(shared('superstore_parquet/superstore_w_profit.parquet'))),
    );
    expect(info.columns.map((c) => c.name)).not.toContain('__index_level_0__');
    const t = await totals();
    expect(t?.n).toBe(5194);
    expect(t?.dmin).toBe('2023-06-12');
    expect(t?.profit).not.toBeNull();
  });
  it('Parquet without profit: loads, and profit is unknown rather than zero', async () => {
    await loadAny(
      'superstore.parquet',
      new Uint8Array(fs.readFileSync(shared('superstore_parquet/superstore.parquet'))),
    );
    const t = await totals();
    expect(t?.n).toBe(5000);
    expect(t?.profit).toBeNull();
  });
});

describe('Parquet to CSV bytes', () => {
  const text = ['plain', 'with, comma', 'say "hi"', 'two\nlines', 'Berguvsvägen 8', '客户甲', '', '=1+2'];
  it('writes every type as the CSV reader expects, across row groups, quoting only where needed', async () => {
    const n = 1000;
    const buf = parquetWriteBuffer({
      rowGroupSize: 300,
      columnData: [
        {
          name: 'name',
          data: Array.from({ length: n }, (_, i) => (i % 11 === 0 ? null : text[i % text.length])),
          type: 'STRING',
        },
        { name: 'amount', data: Float64Array.from({ length: n }, (_, i) => i * 1.25 - 100), type: 'DOUBLE' },
        { name: 'qty', data: Int32Array.from({ length: n }, (_, i) => i - 500), type: 'INT32' },
        { name: 'big', data: BigInt64Array.from({ length: n }, (_, i) => BigInt(i) * 10_000_000_000n), type: 'INT64' },
        {
          name: 'when',
          data: Array.from({ length: n }, (_, i) => new Date(Date.UTC(2024, 0, 1 + (i % 400), i % 3 ? 0 : 13, 5))),
          type: 'TIMESTAMP',
        },
        { name: 'flag', data: Array.from({ length: n }, (_, i) => i % 2 === 0), type: 'BOOLEAN' },
      ],
    });
    const { csv, note } = await parquetToCsv(buf);
    expect(note).toBe('1000 rows, 6 columns');
    const rows = csvParse(new TextDecoder().decode(csv));
    expect(rows.columns).toEqual(['name', 'amount', 'qty', 'big', 'when', 'flag']);
    expect(rows).toHaveLength(n);
    rows.forEach((r, i) => {
      expect(r.name).toBe(i % 11 === 0 ? '' : text[i % text.length]);
      expect(Number(r.amount)).toBe(i * 1.25 - 100);
      expect(Number(r.qty)).toBe(i - 500);
      expect(r.big).toBe(String(BigInt(i) * 10_000_000_000n));
      const d = new Date(Date.UTC(2024, 0, 1 + (i % 400), i % 3 ? 0 : 13, 5)).toISOString();
      expect(r.when).toBe(i % 3 ? `${d.slice(0, 10)} 00:05:00` : d.slice(0, 19).replace('T', ' '));
      expect(r.flag).toBe(String(i % 2 === 0));
    });
  });

  it('a text column that is not UTF-8 is refused with a message, not loaded as garbage', async () => {
    const buf = parquetWriteBuffer({
      columnData: [
        { name: 'blob', data: [new Uint8Array([0xff, 0xfe, 0x41]), new Uint8Array([0x42])], type: 'BYTE_ARRAY' },
      ],
    });
    await expect(parquetToCsv(buf)).rejects.toThrow(/not UTF-8/);
  });
});

describe('generated files', () => {
  it('an xlsx with two title rows and a merged header above the header row', async () => {
    const xlsx = makeXlsx([
      {
        name: 'Report',
        rows: [
          ['Quarterly sales report', null, null, null],
          ['Region: all', null, null, null],
          ['Customer', 'Order date', 'Net sales', 'Profit'],
          ['ACME', 45376, 100.5, 20],
          ['Globex', 45377, 50, -5],
        ],
        merges: ['A1:D1'],
      },
    ]);
    const { converted } = await loadAny('report.xlsx', xlsx);
    expect(converted.note).toMatch(/header found on row 3, below 2 title rows/);
    const t = await totals();
    expect(t).toMatchObject({ n: 2, customers: 2, dmin: '2024-03-25', dmax: '2024-03-26' });
    expect(t?.revenue).toBeCloseTo(150.5, 9);
  });

  it('a headerless, blank-separated file with leading-zero IDs and YYYYMMDD dates asks for a mapping', async () => {
    const text = '00001  20240105   3   15.50\n00002  20240106  1    4.00\n00001  20240201   2   10.25\n';
    const err = await load(engine, bufferSource('lines.txt', new TextEncoder().encode(text))).catch((e) => e);
    expect(err).toBeInstanceOf(NeedsMapping);
    expect(err.partial.dialect.header).toBe(false);
    expect(err.partial.columns.map((c: { name: string }) => c.name)).toEqual([
      'column 1',
      'column 2',
      'column 3',
      'column 4',
    ]);
    expect(err.partial.samples['column 1']).toContain('00001');
    const info = await load(engine, bufferSource('lines.txt', new TextEncoder().encode(text)), {
      mapping: { customer: 'column 1', date: 'column 2', quantity: 'column 3', amount: 'column 4' },
    });
    expect(info.formats.date).toBe('Ymd');
    const ids = await engine.query<{ c: string }>('SELECT DISTINCT customer c FROM sales ORDER BY 1');
    expect(ids.map((r) => r.c)).toEqual(['00001', '00002']);
    expect((await totals())?.revenue).toBeCloseTo(29.75, 9);
  });

  it('a .csv.gz', async () => {
    const gz = new Uint8Array(gzipSync(Buffer.from('customer,sales\nA,1.5\nB,2\n')));
    const { converted } = await loadAny('orders.csv.gz', gz);
    expect(converted.note).toMatch(/unpacked from orders\.csv\.gz/);
    expect((await totals())?.revenue).toBe(3.5);
  });

  it('a .zip with two CSVs reads the larger and offers the other', async () => {
    const zip = zipSync({
      'small.csv': strToU8('customer,sales\nA,1\n'),
      'big.csv': strToU8('customer,sales\nA,1\nB,2\nC,3\n'),
    });
    const { converted } = await loadAny('export.zip', zip);
    expect(converted.choice).toEqual({ what: 'file', options: ['small.csv', 'big.csv'], chosen: 'big.csv' });
    expect((await totals())?.n).toBe(3);
    await loadAny('export.zip', zip, 'small.csv');
    expect((await totals())?.n).toBe(1);
  });

  it('NDJSON and a JSON array with nested objects flattened', async () => {
    await loadAny('a.ndjson', strToU8('{"customer":"A","sales":1}\n{"customer":"B","sales":2.5}\n'));
    expect((await totals())?.revenue).toBe(3.5);
    const { info } = await loadAny(
      'b.json',
      strToU8('[{"account":{"id":"A1","name":"Acme"},"sales":10,"date":"2024-01-02"}]'),
    );
    expect(info.mapping.customer).toBe('account.id');
    expect((await totals())?.dmin).toBe('2024-01-02');
  });

  it('JSON with a list of objects in a field is refused with the field named', async () => {
    await expect(convert('c.json', strToU8('[{"customer":"A","lines":[{"sku":1}]}]'))).rejects.toThrow(
      /list of objects in "lines"/,
    );
    await expect(convert('c.json', strToU8('[{"customer":"A"'))).rejects.toBeInstanceOf(ReaderError);
  });
});
