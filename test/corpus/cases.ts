/**
 * A corpus of odd but realistic sales exports, each with the outcome the generator knows from how it built the
 * file (never recorded from the product's output): loaded with these counts and totals, or refused with a
 * message that names the file (and the line or column where one is at fault).
 */
import { gzipSync } from 'node:zlib';
import { strToU8, zipSync } from 'fflate';
import { parquetWriteBuffer } from 'hyparquet-writer';
import {
  encodeBig5,
  encodeCp850,
  encodeGbk,
  encodeShiftJis,
  encodeUtf16le,
  encodeWindows1252,
} from '../helpers/encode';

export interface Loaded {
  loaded: number;
  rejected?: number;
  skipped?: number;
  revenue?: number;
  customers?: number;
  /** Reasons of rejected or skipped lines that must appear (substring) with their counts. */
  reasons?: Record<string, number>;
  encoding?: string;
  /** Text that must appear among the customers. */
  names?: string[];
  /** A warning (substring) that must be given. */
  warning?: RegExp;
  /** The dates read, first and last. */
  dates?: [string, string];
  /** The physical lines (as an editor numbers them) of the rejected and skipped rows. */
  lines?: number[];
}
export interface Refused {
  refused: RegExp;
  line?: number;
}
export interface Case {
  name: string;
  bytes: Uint8Array;
  expect: Loaded | Refused;
  /** Why the case exists. */
  about: string;
}

const utf8 = (s: string) => new TextEncoder().encode(s);
const bytesOf = (...parts: (string | number[] | Uint8Array)[]) => {
  const chunks = parts.map((p) => (typeof p === 'string' ? utf8(p) : p instanceof Uint8Array ? p : new Uint8Array(p)));
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let o = 0;
  for (const c of chunks) {
    out.set(c, o);
    o += c.length;
  }
  return out;
};

/** Rows of a small, valid export: customer, date, amount. Revenue and counts follow from the rows. */
interface Row {
  customer: string;
  date: string;
  amount: string;
  value: number;
}
const BASE: Row[] = [
  { customer: 'Acme Corp', date: '2024-01-15', amount: '1200.50', value: 1200.5 },
  { customer: 'Globex', date: '2024-02-03', amount: '830.00', value: 830 },
  { customer: 'Initech', date: '2024-02-20', amount: '99.95', value: 99.95 },
  { customer: 'Acme Corp', date: '2024-03-07', amount: '450.00', value: 450 },
  { customer: 'Umbrella', date: '2024-03-30', amount: '2100.00', value: 2100 },
];
const sum = (rows: { value: number }[]) => rows.reduce((s, r) => s + r.value, 0);
const csv = (rows: Row[], sep = ',', eol = '\n', header = 'customer,date,amount') =>
  [header.replaceAll(',', sep), ...rows.map((r) => [r.customer, r.date, r.amount].join(sep))].join(eol) + eol;
const ok = (rows = BASE, extra: Partial<Loaded> = {}): Loaded => ({
  loaded: rows.length,
  rejected: 0,
  revenue: sum(rows),
  customers: new Set(rows.map((r) => r.customer.trim())).size,
  ...extra,
});

/** One row with `amount` text, valued `value` (null: rejected). */
function numberCase(
  label: string,
  text: string,
  value: number | null,
  decimal: '.' | ',' = '.',
  reason?: string,
): Case {
  const others = BASE.slice(0, 4).map((r) => (decimal === ',' ? { ...r, amount: r.amount.replace('.', ',') } : r));
  const sep = decimal === ',' ? ';' : ',';
  const q = text.includes(sep) || text.includes('"') ? `"${text.replaceAll('"', '""')}"` : text;
  const body = `${csv(others, sep)}Zeta Ltd${sep}2024-04-01${sep}${q}\n`;
  return {
    name: `number-${label}.csv`,
    about: `the amount ${text} in a ${decimal === '.' ? 'dot' : 'comma'}-decimal column`,
    bytes: utf8(body),
    expect:
      value === null
        ? { loaded: 4, rejected: 1, revenue: sum(BASE.slice(0, 4)), reasons: { [reason ?? 'is not a number']: 1 } }
        : { loaded: 5, rejected: 0, revenue: sum(BASE.slice(0, 4)) + value },
  };
}

function dateCase(label: string, dates: string[], expect: Loaded): Case {
  const rows = dates.map((d, i) => `C${i % 3},${d},10`);
  return {
    name: `dates-${label}.csv`,
    about: `dates ${label}`,
    bytes: utf8(`customer,date,amount\n${rows.join('\n')}\n`),
    expect,
  };
}

export function corpus(): Case[] {
  const cases: Case[] = [];
  const add = (c: Case) => cases.push(c);

  // Empty and almost empty files.
  add({ name: 'empty.csv', about: 'zero bytes', bytes: new Uint8Array(), expect: { refused: /empty\.csv is empty/ } });
  add({
    name: 'bom-only.csv',
    about: 'a UTF-8 BOM and nothing else',
    bytes: bytesOf([0xef, 0xbb, 0xbf]),
    expect: { refused: /bom-only\.csv is empty/ },
  });
  add({
    name: 'blank-lines.csv',
    about: 'only line breaks',
    bytes: utf8('\n\r\n\n'),
    expect: { refused: /blank-lines\.csv is empty/ },
  });
  add({
    name: 'header-only.csv',
    about: 'a header row only',
    bytes: utf8('customer,date,amount\n'),
    expect: { refused: /header-only\.csv has a header but no data rows/ },
  });

  // Line endings.
  add({ name: 'eol-lf.csv', about: 'LF', bytes: utf8(csv(BASE)), expect: ok() });
  add({ name: 'eol-crlf.csv', about: 'CRLF', bytes: utf8(csv(BASE, ',', '\r\n')), expect: ok() });
  add({ name: 'eol-cr.csv', about: 'old Mac CR', bytes: utf8(csv(BASE, ',', '\r')), expect: ok() });
  add({
    name: 'eol-mixed.csv',
    about: 'LF and CRLF mixed, no final newline',
    bytes: utf8(
      csv(BASE)
        .split('\n')
        .map((l, i) => (i % 2 ? `${l}\r` : l))
        .join('\n')
        .trimEnd(),
    ),
    expect: ok(),
  });
  add({ name: 'tsv.tsv', about: 'tab separated', bytes: utf8(csv(BASE, '\t')), expect: ok() });
  add({
    name: 'semicolon.csv',
    about: 'semicolon separated, decimal comma',
    bytes: utf8(
      csv(
        BASE.map((r) => ({ ...r, amount: r.amount.replace('.', ',') })),
        ';',
      ),
    ),
    expect: ok(),
  });

  // Quotes and shapes.
  add({
    name: 'unterminated-quote.csv',
    about: 'a quote opened on line 4 and never closed',
    bytes: utf8(`${csv(BASE.slice(0, 2))}"Initech,2024-02-20,99.95\nUmbrella,2024-03-30,2100.00\n`),
    expect: { refused: /unterminated-quote\.csv.*line 4/, line: 4 },
  });
  add({
    name: 'quoted-newline.csv',
    about: 'a customer name with a line break inside quotes',
    bytes: utf8(`customer,date,amount\n"Acme\nCorp",2024-01-15,10\nGlobex,2024-02-03,20\n`),
    expect: { loaded: 2, rejected: 0, revenue: 30 },
  });
  add({
    name: 'quoted-newline-then-bad.csv',
    about: 'a name over two lines, then a bad amount on line 5 and a total on line 6',
    bytes: utf8(
      'customer,date,amount\n"Acme\nCorp",2024-01-15,10\nGlobex,2024-02-03,20\nInitech,2024-02-04,abc\nTotal,2024-02-29,30\n',
    ),
    expect: { loaded: 2, rejected: 1, skipped: 1, revenue: 30, lines: [5, 6] },
  });
  add({
    name: 'empty-lines-then-bad.csv',
    about: 'two empty lines between records, then a bad amount on line 5',
    bytes: utf8('customer,date,amount\nAcme,2024-01-15,10\n\n\r\nGlobex,2024-02-03,x\nInitech,2024-02-04,5\n'),
    expect: { loaded: 2, rejected: 1, revenue: 15, lines: [5] },
  });
  add({
    name: 'title-then-bad.csv',
    about: 'two title lines and a blank one, then a bad amount on line 6',
    bytes: utf8('Sales export\nRun 2024-04-02\n\ncustomer,date,amount\nAcme,2024-01-15,10\nGlobex,2024-02-03,x\n'),
    expect: { loaded: 1, rejected: 1, revenue: 10, lines: [6] },
  });
  add({
    name: 'ragged-short.csv',
    about: 'a row with its amount missing',
    bytes: utf8(`${csv(BASE)}Zeta Ltd,2024-04-01\n`),
    expect: ok(BASE, { rejected: 1, reasons: { 'Missing net revenue': 1 } }),
  });
  add({
    name: 'duplicate-headers.csv',
    about: 'two columns named amount',
    bytes: utf8(
      `customer,date,amount,amount\n${BASE.map((r) => `${r.customer},${r.date},${r.amount},1`).join('\n')}\n`,
    ),
    expect: ok(),
  });
  add({
    name: 'blank-header.csv',
    about: 'a column without a name',
    bytes: utf8(`customer,date,amount,\n${BASE.map((r) => `${r.customer},${r.date},${r.amount},x`).join('\n')}\n`),
    expect: ok(),
  });
  {
    const extra = Array.from({ length: 1997 }, (_, i) => `attr_${i}`);
    const rows = BASE.map((r) => [r.customer, r.date, r.amount, ...extra.map((_, i) => String(i))].join(','));
    add({
      name: 'wide-2000.csv',
      about: '2,000 columns',
      bytes: utf8(`customer,date,amount,${extra.join(',')}\n${rows.join('\n')}\n`),
      expect: ok(),
    });
  }
  add({
    name: 'big-cell.csv',
    about: 'a 1 MB note in one cell',
    bytes: utf8(
      `customer,date,amount,note\n${BASE.map((r, i) => `${r.customer},${r.date},${r.amount},${i === 2 ? 'x'.repeat(1 << 20) : 'ok'}`).join('\n')}\n`,
    ),
    expect: ok(),
  });
  add({
    name: 'long-name.csv',
    about: 'a 2,000-character customer name',
    bytes: utf8(csv([...BASE, { customer: 'N'.repeat(2000), date: '2024-04-01', amount: '5', value: 5 }])),
    expect: ok([...BASE, { customer: 'N'.repeat(2000), date: '2024-04-01', amount: '5', value: 5 }]),
  });
  add({
    name: 'nul-bytes.csv',
    about: 'two NUL bytes inside line 3',
    bytes: bytesOf(
      csv(BASE.slice(0, 1)),
      'Glo',
      [0, 0],
      'bex,2024-02-03,830.00\n',
      csv(BASE.slice(2)).split('\n').slice(1).join('\n'),
    ),
    expect: { refused: /nul-bytes\.csv contains 2 NUL.*line 3/, line: 3 },
  });

  // Encodings.
  const names = [
    { customer: 'Müller GmbH', value: 100 },
    { customer: 'Société Générale', value: 200 },
    { customer: 'Peña & Hijos', value: 300 },
  ];
  const euro = names.map((n, i) => `${n.customer},2024-0${i + 1}-10,${n.value}`).join('\n');
  const euroOk = (encoding: string): Loaded => ({
    loaded: 3,
    rejected: 0,
    revenue: 600,
    encoding,
    names: names.map((n) => n.customer),
  });
  add({
    name: 'enc-utf8.csv',
    about: 'UTF-8 without BOM',
    bytes: utf8(`customer,date,amount\n${euro}\n`),
    expect: euroOk('utf-8'),
  });
  add({
    name: 'enc-utf8-bom.csv',
    about: 'UTF-8 with BOM',
    bytes: bytesOf([0xef, 0xbb, 0xbf], `customer,date,amount\n${euro}\n`),
    expect: euroOk('utf-8'),
  });
  add({
    name: 'enc-1252.csv',
    about: 'Windows-1252',
    bytes: encodeWindows1252(`customer,date,amount\n${euro}\n`),
    expect: euroOk('windows-1252'),
  });
  add({
    name: 'enc-cp850.csv',
    about: 'DOS CP850',
    bytes: encodeCp850(`customer,date,amount\n${euro}\n`),
    expect: euroOk('cp850'),
  });
  add({
    name: 'enc-utf16le.csv',
    about: 'UTF-16 LE with BOM',
    bytes: encodeUtf16le(`customer,date,amount\n${euro}\n`),
    expect: euroOk('utf-16le'),
  });
  add({
    name: 'enc-utf16le-nobom.csv',
    about: 'UTF-16 LE without BOM',
    bytes: encodeUtf16le(`customer,date,amount\n${euro}\n`, false),
    expect: euroOk('utf-16le'),
  });
  {
    // A few stray Windows-1252 bytes in an otherwise UTF-8 file: read as UTF-8, only those bytes replaced.
    const good = Array.from(
      { length: 40 },
      (_, i) => `${names[i % 3]?.customer},2024-01-${String((i % 28) + 1).padStart(2, '0')},10`,
    );
    const bytes = bytesOf(
      `customer,date,amount\n${good.slice(0, 20).join('\n')}\nJos`,
      [0xe9],
      ` Ltd,2024-02-01,10\n${good.slice(20).join('\n')}\n`,
    );
    add({
      name: 'enc-utf8-few-invalid.csv',
      about: 'valid UTF-8 but one byte of Windows-1252 on line 22',
      bytes,
      expect: {
        loaded: 41,
        rejected: 0,
        revenue: 410,
        encoding: 'utf-8',
        names: ['Müller GmbH', 'Jos\uFFFD Ltd'],
        warning: /line 22/,
      },
    });
  }
  {
    // Chinese header, English names with curly quotes and accented letters, in GBK.
    const rows = Array.from(
      { length: 30 },
      (_, i) =>
        `${['O’Brien Café', 'Zoé “Best” Foods', 'Acme'][i % 3]},2024-01-${String((i % 28) + 1).padStart(2, '0')},${i + 1}`,
    );
    add({
      name: 'enc-gbk-mixed.csv',
      about: 'GBK: Chinese header only, Latin names with curly quotes and accents',
      bytes: encodeGbk(`客户名称,订单日期,销售额\n${rows.join('\n')}\n`),
      expect: {
        loaded: 30,
        rejected: 0,
        revenue: 465,
        encoding: 'gb18030',
        names: ['O’Brien Café', 'Zoé “Best” Foods'],
      },
    });
  }
  {
    const rows = ['北京华联超市', '上海联华', '广州百货大楼'].map((c, i) => `${c},2024-0${i + 1}-05,${(i + 1) * 1000}`);
    add({
      name: 'enc-gbk.csv',
      about: 'GBK, Chinese throughout',
      bytes: encodeGbk(`客户名称,订单日期,销售额\n${rows.join('\n')}\n`),
      expect: { loaded: 3, rejected: 0, revenue: 6000, encoding: 'gb18030', names: ['上海联华'] },
    });
  }
  {
    const rows = ['台北國際貿易', '香港聯合百貨', '高雄海運'].map((c, i) => `${c},2024-0${i + 1}-05,${(i + 1) * 1000}`);
    add({
      name: 'enc-big5.csv',
      about: 'Big5 (Taiwan, Hong Kong)',
      bytes: encodeBig5(`客戶名稱,訂單日期,銷售額\n${rows.join('\n')}\n`),
      expect: { loaded: 3, rejected: 0, revenue: 6000, encoding: 'big5', names: ['香港聯合百貨'] },
    });
  }
  {
    const rows = ['株式会社さくら商事', 'トヨタ販売店', '山田電機'].map(
      (c, i) => `${c},2024-0${i + 1}-05,${(i + 1) * 1000}`,
    );
    add({
      name: 'enc-sjis.csv',
      about: 'Shift_JIS',
      bytes: encodeShiftJis(`得意先名,受注日,売上金額\n${rows.join('\n')}\n`),
      expect: { loaded: 3, rejected: 0, revenue: 6000, encoding: 'shift_jis', names: ['トヨタ販売店'] },
    });
  }

  // Numbers.
  add(
    numberCase(
      'space-comma-in-dot',
      '1 234,56',
      null,
      '.',
      "digit grouping that does not fit the column's decimal point",
    ),
  );
  add(numberCase('comma-2-in-dot', '1,23', null, '.', 'digit grouping that does not fit'));
  add(numberCase('thousands', '1,234.56', 1234.56));
  add(numberCase('lakh', '12,34,567.00', 1234567));
  add(numberCase('dollar-minus', '$-12', -12));
  add(numberCase('trailing-minus', '12-', -12));
  add(numberCase('brackets', '(200.00)', -200));
  add(numberCase('exponent', '1e3', 1000));
  add(numberCase('nan', 'NaN', null));
  add(numberCase('na', '#N/A', null));
  add(numberCase('div0', '#DIV/0!', null));
  add(numberCase('apostrophe', "1'234.50", 1234.5));
  add(numberCase('comma-decimal', '1.234,56', 1234.56, ','));
  add(numberCase('comma-space', '1 234,56', 1234.56, ','));
  add(numberCase('dot-3-in-comma', '1.23', null, ',', "digit grouping that does not fit the column's decimal comma"));

  // Dates.
  add(
    dateCase('impossible', ['2024-01-05', '2024-02-30', '2024-03-05'], {
      loaded: 2,
      rejected: 1,
      reasons: { 'Date not recognised': 1 },
    }),
  );
  add(
    dateCase('mixed', ['2024-01-05', '2024-01-20', '2024-02-10', '2024-03-01', '15.03.2024', '20240402'], {
      loaded: 6,
      rejected: 0,
      dates: ['2024-01-05', '2024-04-02'],
      warning: /D\.M\.YYYY.*1|YYYYMMDD.*1/,
    }),
  );
  add(
    dateCase('us', ['1/15/2024', '2/28/2024', '12/1/2024'], {
      loaded: 3,
      rejected: 0,
      dates: ['2024-01-15', '2024-12-01'],
    }),
  );
  add(
    dateCase('excel-serial', ['45306', '45350', '45500'], {
      loaded: 3,
      rejected: 0,
      dates: ['2024-01-15', '2024-07-27'],
    }),
  );

  // Lines that are not order lines.
  add({
    name: 'returns-zero.csv',
    about: 'a return (negative) and a zero line',
    bytes: utf8(`${csv(BASE)}Acme Corp,2024-04-01,-200.50\nGlobex,2024-04-02,0\n`),
    expect: ok([
      ...BASE,
      { customer: 'Acme Corp', date: '', amount: '', value: -200.5 },
      { customer: 'Globex', date: '', amount: '', value: 0 },
    ]),
  });
  add({
    name: 'customer-spaces.csv',
    about: 'the same customer with spaces around it',
    bytes: utf8('customer,date,amount\nACME,2024-01-01,10\n ACME ,2024-01-02,10\nacme,2024-01-03,10\n'),
    expect: { loaded: 3, rejected: 0, revenue: 30, customers: 2 },
  });
  add({
    name: 'title-lines.csv',
    about: 'a report name and a run date above the header',
    bytes: utf8(`Sales report Q1 2024\nRun date: 2024-04-02 08:00\n\n${csv(BASE)}`),
    expect: ok(BASE, { warning: /line 4/ }),
  });
  add({
    name: 'grand-total.csv',
    about: 'a Grand Total row with a date, equal to the sum',
    bytes: utf8(`${csv(BASE)}Grand Total,2024-03-31,${sum(BASE).toFixed(2)}\n`),
    expect: ok(BASE, { skipped: 1, reasons: { 'Total row': 1 } }),
  });
  add({
    name: 'subtotals.csv',
    about: 'a Total row after each month and a grand total',
    bytes: utf8(
      `customer,date,amount\n${BASE.slice(0, 1)
        .map((r) => `${r.customer},${r.date},${r.amount}`)
        .join('\n')}\nTotal,2024-01-31,1200.50\n${BASE.slice(1, 3)
        .map((r) => `${r.customer},${r.date},${r.amount}`)
        .join('\n')}\nTotal,2024-02-29,929.95\n${BASE.slice(3)
        .map((r) => `${r.customer},${r.date},${r.amount}`)
        .join('\n')}\nTotal,2024-03-31,2550.00\nGrand Total,2024-03-31,${sum(BASE).toFixed(2)}\n`,
    ),
    expect: ok(BASE, { skipped: 4, reasons: { 'Total row': 4 } }),
  });
  {
    const rows = [
      { customer: '北京华联', date: '2024-01-05', amount: '100', value: 100 },
      { customer: '上海联华', date: '2024-01-06', amount: '200', value: 200 },
    ];
    add({
      name: 'total-chinese.csv',
      about: '合计 row in a Chinese export',
      bytes: utf8(
        `客户,日期,金额\n${rows.map((r) => `${r.customer},${r.date},${r.amount}`).join('\n')}\n合计,2024-01-31,300\n`,
      ),
      expect: { loaded: 2, rejected: 0, skipped: 1, revenue: 300 },
    });
  }
  add({
    name: 'total-summe.csv',
    about: 'Summe row in a German export',
    bytes: utf8('Kunde;Datum;Umsatz\nMüller;01.02.2024;10,50\nWeber;02.02.2024;20,00\nSumme;29.02.2024;30,50\n'),
    expect: { loaded: 2, rejected: 0, skipped: 1, revenue: 30.5 },
  });
  add({
    name: 'total-named-customer.csv',
    about: 'a real customer called Total Logistics whose amount is not a sum',
    bytes: utf8(`${csv(BASE)}Total Logistics,2024-04-01,50\n`),
    expect: ok([...BASE, { customer: 'Total Logistics', date: '', amount: '', value: 50 }]),
  });
  add({
    name: 'total-label-not-sum.csv',
    about: 'a row labelled Total whose amount is not the sum of anything above it',
    bytes: utf8('customer,date,amount\nA,2024-01-01,10\nB,2024-01-02,10\nTotal,2024-01-03,7\n'),
    expect: { loaded: 3, rejected: 0, revenue: 27 },
  });
  add({
    name: 'duplicate-equal-sum.csv',
    about: 'a line repeated with the amount of the one above (equal amount alone is no total)',
    bytes: utf8('customer,date,amount\nA,2024-01-01,10\nA,2024-01-01,10\n'),
    expect: { loaded: 2, rejected: 0, revenue: 20 },
  });
  add({
    name: 'excel-blank-rows.csv',
    about: '200 empty rows (,,) at the end, as Excel writes them',
    bytes: utf8(`${csv(BASE)}${',,\n'.repeat(200)}`),
    expect: ok(BASE, { skipped: 200, reasons: { 'Blank line': 200 } }),
  });
  add({
    name: 'repeated-header.csv',
    about: 'two exports pasted together, header repeated',
    bytes: utf8(`${csv(BASE.slice(0, 2))}${csv(BASE.slice(2))}`),
    expect: ok(BASE, { skipped: 1, reasons: { 'Repeated header': 1 } }),
  });

  // Not CSV at all, or cut short.
  add({
    name: 'error-page.csv',
    about: 'an HTML error page saved as .csv',
    bytes: utf8('<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head><body><h1>502</h1></body></html>\n'),
    expect: { refused: /error-page\.csv is a web page \(HTML\)/ },
  });
  const gz = gzipSync(Buffer.from(csv(BASE)));
  add({
    name: 'truncated.csv.gz',
    about: 'a gzip cut in half',
    bytes: new Uint8Array(gz.subarray(0, Math.floor(gz.length / 2))),
    expect: { refused: /truncated\.csv\.gz.*(cut short|incomplete|truncated)/ },
  });
  const zip = zipSync({ 'sales.csv': strToU8(csv(BASE)) });
  add({
    name: 'truncated.zip',
    about: 'a zip cut in half',
    bytes: zip.subarray(0, Math.floor(zip.length / 2)),
    expect: { refused: /truncated\.zip.*(cut short|incomplete|truncated|damaged)/ },
  });
  const pq = new Uint8Array(
    parquetWriteBuffer({
      columnData: [
        { name: 'customer', data: BASE.map((r) => r.customer) },
        { name: 'amount', data: BASE.map((r) => r.value), type: 'DOUBLE' },
      ],
    }),
  );
  add({
    name: 'truncated.parquet',
    about: 'a Parquet file cut short',
    bytes: pq.subarray(0, pq.length - 20),
    expect: { refused: /truncated\.parquet.*(cut short|incomplete|truncated|damaged)/ },
  });
  const json = JSON.stringify(BASE.map(({ customer, date, value }) => ({ customer, date, amount: value })));
  add({
    name: 'truncated.json',
    about: 'a JSON array cut short',
    bytes: utf8(json.slice(0, json.length - 30)),
    expect: { refused: /truncated\.json.*(cut short|incomplete|ends)/ },
  });
  add({
    name: 'object.json',
    about: 'a pretty-printed JSON object, not an array of records',
    bytes: utf8(JSON.stringify({ report: 'sales', generated: '2024-04-02', total: 5 }, null, 2)),
    expect: { refused: /object\.json.*array of records/ },
  });
  add({ name: 'ok.json', about: 'an array of records', bytes: utf8(json), expect: ok() });
  add({ name: 'ok.csv.gz', about: 'gzip of a CSV', bytes: new Uint8Array(gz), expect: ok() });
  return cases;
}
