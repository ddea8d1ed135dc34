import { beforeAll, describe, expect, it } from 'vitest';
import { detectEncoding } from '../../src/data/encoding';
import type { Engine } from '../../src/data/engine';
import { commitStage, IngestError, ingestFile, NeedsMapping, remap } from '../../src/data/ingest';
import { detectNumberFormat } from '../../src/data/parse';
import { guessMapping } from '../../src/data/roles';
import { detectDialect } from '../../src/data/sniff';
import { encodeGbk, encodeUtf16le, encodeWindows1252 } from '../helpers/encode';
import { bufferSource, load } from '../helpers/files';
import { nodeEngine } from '../helpers/node-engine';

let engine: Engine;
beforeAll(async () => {
  engine = await nodeEngine();
});

const utf8 = (s: string) => new TextEncoder().encode(s);
const totals = async () =>
  (
    await engine.query<{ n: number; customers: number; revenue: number; dmin: string; dmax: string }>(
      `SELECT count(*) n, count(DISTINCT customer) customers, sum(amount) revenue,
       strftime(min(date), '%Y-%m-%d') dmin, strftime(max(date), '%Y-%m-%d') dmax FROM sales`,
    )
  )[0];

describe('dialects and number conventions', () => {
  it('semicolon file with decimal commas, thousands points, euro signs, (negatives) and D.M.YYYY dates', async () => {
    const text = [
      'Kunde;Datum;Umsatz;Menge',
      'Müller GmbH;31.01.2024;"1.234,50 €";3',
      'Schmidt AG;15.02.2024;(200,00);1',
      'Müller GmbH;01.03.2024;€ 2.000,25;5',
      'Weber KG;29.02.2024;-34,25;2',
    ].join('\r\n');
    const info = await load(engine, bufferSource('de.csv', utf8(text)), {
      mapping: { customer: 'Kunde', date: 'Datum', amount: 'Umsatz', quantity: 'Menge' },
    });
    expect(info.dialect.delimiter).toBe(';');
    expect(info.formats.numbers.amount?.decimal).toBe(',');
    expect(info.formats.date).toBe('dmY.');
    const t = await totals();
    expect(t?.revenue).toBeCloseTo(1234.5 - 200 + 2000.25 - 34.25, 6);
    expect(t).toMatchObject({ n: 4, customers: 3, dmin: '2024-01-31', dmax: '2024-03-01' });
  });

  it('tab and pipe separated files, dollar amounts with thousands commas, percent discounts', async () => {
    for (const sep of ['\t', '|']) {
      const text = [
        ['customer', 'order date', 'sales', 'discount'],
        ['A', '2024-05-01', '$1,500.00', '10%'],
        ['B', '2024-05-02', '$250.50', '0%'],
      ]
        .map((r) => r.join(sep))
        .join('\n');
      const info = await load(engine, bufferSource('t.txt', utf8(text)));
      expect(info.dialect.delimiter).toBe(sep);
      expect(info.formats.discountKind).toBe('rate');
      expect((await totals())?.revenue).toBeCloseTo(1750.5, 6);
      const [d] = await engine.query<{ r: number }>("SELECT discount_rate r FROM sales WHERE customer = 'A'");
      expect(d?.r).toBeCloseTo(0.1, 9);
    }
  });

  it.each([
    ['ISO', '2024-03-05', '2024-03-05'],
    ['M/D/YYYY with time', '3/25/2024 0:00', '2024-03-25'],
    ['D/M/YYYY', '25/3/2024', '2024-03-25'],
    ['DD/MM/YY', '25/03/24', '2024-03-25'],
    ['D.M.YYYY', '25.3.2024', '2024-03-25'],
    ['YYYYMMDD', '20240325', '2024-03-25'],
    ['Excel serial', '45376', '2024-03-25'],
    ['Chinese', '2024年3月25日', '2024-03-25'],
  ])('dates: %s', async (_, value, iso) => {
    const text = `customer,date,amount\nA,${value},10\nB,${value},5\n`;
    await load(engine, bufferSource('d.csv', utf8(text)));
    const t = await totals();
    expect(t?.dmin).toBe(iso);
  });

  it('resolves day/month order from the data and reports genuinely ambiguous files', async () => {
    const dayFirst = await load(
      engine,
      bufferSource('d.csv', utf8('customer,date,amount\nA,03/01/2024,1\nB,25/01/2024,2\n')),
    );
    expect(dayFirst.formats.date).toBe('dmY');
    expect((await totals())?.dmin).toBe('2024-01-03');
    const ambiguous = await load(
      engine,
      bufferSource('d.csv', utf8('customer,date,amount\nA,03/01/2024,1\nB,04/02/2024,2\n')),
    );
    expect(ambiguous.formats.date).toBe('mdY');
    expect(ambiguous.formats.dateAlternatives).toContain('dmY');
  });

  it('keeps leading zeros of ID columns', async () => {
    await load(engine, bufferSource('ids.csv', utf8('customer_id,amount\n00042,10\n042,5\n')));
    const ids = await engine.query<{ customer: string }>('SELECT customer FROM sales ORDER BY customer');
    expect(ids.map((r) => r.customer)).toEqual(['00042', '042']);
  });

  it('detectNumberFormat votes on the decimal mark', () => {
    expect(detectNumberFormat(['1.234,56', '12,5', '3']).decimal).toBe(',');
    expect(detectNumberFormat(['1,234.56', '12.5', '3']).decimal).toBe('.');
    expect(detectNumberFormat(['12.5%']).percent).toBe(true);
  });

  it('detectDialect finds headers and headerless files', () => {
    expect(detectDialect('a;b;c\n1;2;3\n4;5;6\n')).toMatchObject({ delimiter: ';', header: true, columns: 3 });
    expect(detectDialect('00001,20240101,3,15.5\n00002,20240102,1,4\n').header).toBe(false);
  });
});

describe('encodings', () => {
  const names = ['Berguvsvägen AB', 'Café Düsseldorf', 'Señor Niño'];
  const csv = `customer,amount\n${names.map((n, i) => `${n},${i + 1}`).join('\n')}\n`;
  const check = async (bytes: Uint8Array, expected: string) => {
    const info = await load(engine, bufferSource('enc.csv', bytes));
    expect(info.encoding.encoding).toBe(expected);
    const got = await engine.query<{ c: string }>('SELECT customer c FROM sales ORDER BY amount');
    expect(got.map((r) => r.c)).toEqual(names);
  };
  it('UTF-8 with and without BOM', async () => {
    await check(utf8(csv), 'utf-8');
    await check(new Uint8Array([0xef, 0xbb, 0xbf, ...utf8(csv)]), 'utf-8');
  });
  it('UTF-16 LE with BOM', () => check(encodeUtf16le(csv), 'utf-16le'));
  it('Windows-1252', () => check(encodeWindows1252(csv), 'windows-1252'));
  it('CP850 (DOS), which latin-1 would garble', async () => {
    const cp850: Record<string, number> = { ä: 0x84, é: 0x82, ü: 0x81, ñ: 0xa4 };
    const bytes = new Uint8Array(
      [...csv].flatMap((c) => (c.charCodeAt(0) < 0x80 ? [c.charCodeAt(0)] : [cp850[c] as number])),
    );
    await check(bytes, 'cp850');
  });
  it('GBK from Chinese Excel, with Chinese headers', async () => {
    const text =
      '客户名称,订单日期,销售额,利润,数量,地区\n华东贸易有限公司,2024/01/05,"1,200.50",300,2,华东\n北方机械厂,2024/02/10,800,-50,1,华北\n华东贸易有限公司,2024/03/15,99.5,10,1,华东\n';
    const bytes = encodeGbk(text);
    expect(detectEncoding(bytes).encoding).toBe('gb18030');
    const info = await load(engine, bufferSource('gbk.csv', bytes));
    expect(info.mapping).toMatchObject({
      customer: '客户名称',
      date: '订单日期',
      amount: '销售额',
      profit: '利润',
      quantity: '数量',
      region: '地区',
    });
    const t = await totals();
    expect(t).toMatchObject({ n: 3, customers: 2, dmin: '2024-01-05', dmax: '2024-03-15' });
    expect(t?.revenue).toBeCloseTo(2100, 6);
  });
});

describe('bad input', () => {
  const err = async (bytes: Uint8Array, name = 'bad.csv') => {
    try {
      await load(engine, bufferSource(name, bytes));
    } catch (e) {
      return e as Error;
    }
    throw new Error('expected a failure');
  };
  it('an empty file', async () => {
    const e = await err(new Uint8Array());
    expect(e).toBeInstanceOf(IngestError);
    expect(e.message).toMatch(/bad\.csv is empty/);
  });
  it('a header-only file', async () => {
    const e = (await err(utf8('customer,amount\n'))) as IngestError;
    expect(e.message).toMatch(/header but no data rows/);
    expect(e.line).toBe(2);
  });
  it('a PNG image renamed .csv', async () => {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 73, 72, 68, 82]);
    const e = (await err(png, 'photo.csv')) as IngestError;
    expect(e.message).toMatch(/photo\.csv is a PNG image.*despite its \.csv name/);
    expect(e.hint).toMatch(/CSV/);
  });
  it('an Excel workbook is refused with what to do', async () => {
    const e = (await err(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 20, 0, 6, 0]), 'book.xlsx')) as IngestError;
    expect(e.hint).toMatch(/save the sheet as "CSV UTF-8"/);
  });
  it('no customer or amount column asks for a mapping instead of failing', async () => {
    const e = (await err(utf8('order_id,product_id,unit_price\n1,2,3\n'))) as NeedsMapping;
    expect(e).toBeInstanceOf(NeedsMapping);
    expect(e.missing).toEqual(['customer', 'net revenue (or quantity and unit price)']);
    expect(e.partial.columns.map((c) => c.name)).toEqual(['order_id', 'product_id', 'unit_price']);
  });
  it('mixed types in a numeric column: rows rejected and counted with line, column and value', async () => {
    const info = await load(
      engine,
      bufferSource(
        'mixed.csv',
        utf8(
          'customer,date,amount\nA,2024-01-01,10\nB,2024-01-02,n/a\nC,2024-01-03,5\n,2024-01-04,7\nD,31/31/2024,1\n',
        ),
      ),
    );
    expect(info.rowsLoaded).toBe(2);
    expect(info.rowsRejected).toBe(3);
    const rej = await engine.query<{ line: number; reason: string; column: string; value: string }>(
      'SELECT line, reason, "column", "value" FROM rejected_rows ORDER BY line',
    );
    expect(rej).toEqual([
      { line: 3, reason: 'Net revenue is not a number', column: 'amount', value: 'n/a' },
      { line: 5, reason: 'Missing customer', column: 'customer', value: null },
      { line: 6, reason: 'Date not recognised as YYYY-MM-DD', column: 'date', value: '31/31/2024' },
    ]);
    expect((await totals())?.revenue).toBe(15);
  });
  it('a file larger than the engine can hold is refused before it is read', async () => {
    let read = false;
    const huge = {
      name: 'huge.csv',
      size: 3 * 1024 ** 3,
      slice: async () => {
        read = true;
        return new Uint8Array();
      },
    };
    await expect(ingestFile(engine, huge, async () => {})).rejects.toThrow(/more than this browser tab can hold/);
    expect(read).toBe(false);
  });
  it('a dropped UTF-8 file read from its handle is judged by its lines, a transcoded one by its bytes', async () => {
    const line = 'C1,2024-01-05,12.50,North\n';
    const text = `customer,date,amount,region\n${line.repeat(10_000)}`;
    const handle = (bytes: Uint8Array) => ({
      name: 'big.csv',
      size: 3 * 1024 ** 3,
      handle: true,
      slice: async (a: number, b: number) => bytes.subarray(a, Math.min(b, bytes.length)),
    });
    // 3 GB of 26-byte lines of 4 columns: ~124M lines, refused for its values, not for its bytes.
    await expect(ingestFile(engine, handle(new TextEncoder().encode(text)), async () => {})).rejects.toThrow(
      /big\.csv holds about 124,000,000 lines of 4 columns/,
    );
    // The same as UTF-16 must be transcoded into the heap: refused for its bytes.
    const utf16 = new Uint8Array([0xff, 0xfe, ...[...text].flatMap((c) => [c.charCodeAt(0), 0])]);
    await expect(ingestFile(engine, handle(utf16), async () => {})).rejects.toThrow(
      /big\.csv is 3072\.0 MB, more than this browser tab can hold/,
    );
  });
});

describe('role guessing', () => {
  const prof = (name: string, numeric = 0, date = 0) => ({
    name,
    numericShare: numeric,
    dateShare: date,
    nonEmpty: 10,
  });
  it('prefers an ID for the customer and keeps the name for display', () => {
    expect(guessMapping([prof('Customer Name'), prof('Customer ID'), prof('Sales', 1)])).toMatchObject({
      customer: 'Customer ID',
      customer_name: 'Customer Name',
      amount: 'Sales',
    });
  });
  it('does not take a text column as the amount', () => {
    expect(guessMapping([prof('customer'), prof('sales', 0)]).amount).toBeUndefined();
  });
});

describe('conventions chosen on the first 256 KB are checked against every row', () => {
  // 12,000 lines (about 330 KB): the sample is the head, the surprise sits at the end.
  const big = (tail: string, date: (i: number) => string = (i) => `2024-01-${String((i % 28) + 1).padStart(2, '0')}`) =>
    utf8(
      `customer,date,amount,discount\n${Array.from({ length: 12000 }, (_, i) => `C${i % 300},${date(i)},${(i % 97) + 1}.5,0.1`).join('\n')}\n${tail}\n`,
    );
  const types = async () =>
    Object.fromEntries(
      (await engine.query<{ n: string; t: string }>('SELECT column_name n, column_type t FROM (DESCRIBE raw)')).map(
        (r) => [r.n, r.t],
      ),
    );
  const rejected = () =>
    engine.query<{ line: number; reason: string; column: string; value: string }>(
      'SELECT line, reason, "column", "value" FROM rejected_rows ORDER BY line',
    );
  it('a clean file is read with its numbers and dates typed by read_csv, blanks and odd years rejected', async () => {
    const info = await load(engine, bufferSource('clean.csv', big('LATE,2024-02-01,,0.1\nOLD,1850-02-01,7,0.1')));
    expect(await types()).toMatchObject({ customer: 'VARCHAR', date: 'DATE', amount: 'DOUBLE', discount: 'DOUBLE' });
    expect(info.rowsRejected).toBe(2);
    expect(await rejected()).toEqual([
      { line: 12002, reason: 'Missing net revenue', column: 'amount', value: null },
      { line: 12003, reason: 'Date not recognised as YYYY-MM-DD', column: 'date', value: '1850-02-01' },
    ]);
    // Independent: 12,000 lines of (i % 97) + 1.5.
    let sum = 0;
    for (let i = 0; i < 12000; i++) sum += (i % 97) + 1.5;
    expect((await totals())?.revenue).toBeCloseTo(sum, 6);
    const [g] = await engine.query<{ g: number }>("SELECT sum(gross) g FROM sales WHERE customer = 'C1'");
    expect(g?.g).toBeGreaterThan(0);
  });
  it('customer IDs are the key as they are, or a trimmed copy when a value has spaces around it', async () => {
    await load(engine, bufferSource('keys.csv', big('')));
    expect(await types()).not.toHaveProperty('__kal_customer');
    expect((await totals())?.customers).toBe(300);
    await load(engine, bufferSource('padded.csv', big('  C7 ,2024-02-01,1,0.1\n   ,2024-02-01,1,0.1')));
    expect(await types()).toHaveProperty('__kal_customer');
    expect((await totals())?.customers).toBe(300);
    const [c] = await engine.query<{ n: number }>("SELECT count(*) n FROM sales WHERE customer = 'C7'");
    expect(c?.n).toBe(41);
    expect(await rejected()).toEqual([{ line: 12003, reason: 'Missing customer', column: 'customer', value: '   ' }]);
  });
  it('NaN and infinity are rejected as not a number, in the head (text read) and further in (typed read)', async () => {
    for (const [name, bytes] of [
      ['late.csv', big('NANCY,2024-02-01,NaN,0.1\nINFO,2024-02-01,1,inf')],
      [
        'head.csv',
        utf8(
          `customer,date,amount,discount\nA,2024-01-01,nan,0.1\n${Array.from({ length: 10 }, (_, i) => `B${i},2024-01-01,1,0.1`).join('\n')}\nC,2024-01-01,-Infinity,0\n`,
        ),
      ],
    ] as const) {
      const info = await load(engine, bufferSource(name, bytes));
      const t = await totals();
      expect(Number.isFinite(t?.revenue), name).toBe(true);
      expect(info.rejectedByReason.map((r) => r.reason).sort(), name).toEqual(
        name === 'late.csv'
          ? ['Discount is not a number (column "discount")', 'Net revenue is not a number (column "amount")']
          : ['Net revenue is not a number (column "amount")'],
      );
    }
    expect((await totals())?.revenue).toBe(10);
  });
  it('a typed load can be remapped: roles moved onto typed and text columns', async () => {
    const info = await load(engine, bufferSource('remap.csv', big('')));
    expect(await types()).toMatchObject({ amount: 'DOUBLE', date: 'DATE' });
    // The discount column (typed) as the amount, and the amount (typed) as the customer key.
    const next = await remap(
      engine,
      info,
      { customer: 'amount', amount: 'discount', date: 'date' },
      info.formats,
      'raw',
    );
    await commitStage(engine, next);
    expect(next.rowsRejected).toBe(0);
    const t = await totals();
    expect(t?.revenue).toBeCloseTo(12000 * 0.1, 6);
    expect(t?.customers).toBe(97);
    expect(t?.dmax).toBe('2024-01-28');
  });
  it('another date format chosen for a typed date column re-reads its values in that format', async () => {
    // Month first, unambiguous in the head (days up to 28), so read typed with %m/%d/%Y.
    const info = await load(
      engine,
      bufferSource(
        'md.csv',
        big('', (i) => `${(i % 12) + 1}/${(i % 28) + 1}/2024`),
      ),
    );
    expect(info.formats.date).toBe('mdY');
    expect(await types()).toMatchObject({ date: 'DATE' });
    const next = await remap(engine, info, info.mapping, { ...info.formats, date: 'dmY' }, 'raw');
    await commitStage(engine, next);
    // Read day first, only days 1-12 of the original month column survive as months; the rest are rejected.
    const valid = Array.from({ length: 12000 }, (_, i) => (i % 28) + 1 <= 12).filter(Boolean).length;
    expect(next.rowsLoaded).toBe(valid);
    expect(next.rejectedByReason[0]?.reason).toBe('Date not recognised as D/M/YYYY (day first) (column "date")');
    const [d] = await engine.query<{ d: string }>(
      // Line 30 is i = 28: "5/1/2024", 1 May as read first, 5 January now.
      "SELECT strftime(date, '%Y-%m-%d') d FROM sales WHERE line = 30",
    );
    expect(d?.d).toBe('2024-01-05');
  });
  it('a value read_csv cannot type far down the file: the file is read as text and the row reported', async () => {
    const info = await load(engine, bufferSource('na.csv', big('LATE,2024-02-01,n/a,0.1')));
    expect(await types()).toMatchObject({ amount: 'VARCHAR', date: 'VARCHAR' });
    expect(info.rowsLoaded).toBe(12000);
    expect(await rejected()).toEqual([
      { line: 12002, reason: 'Net revenue is not a number', column: 'amount', value: 'n/a' },
    ]);
  });
  it('a decorated amount far down the file is parsed, not rejected', async () => {
    const info = await load(engine, bufferSource('tail.csv', big('LATE,2024-02-01,"$1,234.50",0.1')));
    expect(info.rowsRejected).toBe(0);
    const [r] = await engine.query<{ a: number }>("SELECT amount a FROM sales WHERE customer = 'LATE'");
    expect(r?.a).toBe(1234.5);
  });
  it('day/month order undecided in the head is decided by the whole file', async () => {
    // The head holds only days 1-12 of January (ambiguous); a 25/01 at the end proves the order is day-first.
    const info = await load(
      engine,
      bufferSource(
        'dm.csv',
        big('LATE,25/01/2024,1,0.1', (i) => `${String((i % 12) + 1).padStart(2, '0')}/01/2024`),
      ),
    );
    expect(info.formats.date).toBe('dmY');
    expect(info.rowsRejected).toBe(0);
    expect((await totals())?.dmax).toBe('2024-01-25');
  });
  it('a discount column that looked like a rate but holds amounts further down', async () => {
    const info = await load(engine, bufferSource('disc.csv', big('LATE,2024-02-01,100,15')));
    expect(info.formats.discountKind).toBe('amount');
    const [r] = await engine.query<{ g: number }>("SELECT gross g FROM sales WHERE customer = 'LATE'");
    expect(r?.g).toBe(115);
  });
});
