/**
 * Parquet through Arrow into DuckDB (typed columns, no CSV text): the same figures as the CSV conversion on the real
 * Superstore Parquet files, only the columns worth reading decoded, the rest decoded when asked for, and every
 * Parquet type carried as the pipeline reads it.
 */
import fs from 'node:fs';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { describe, expect, it } from 'vitest';
import { dateRange } from '../../src/analysis/dimensions';
import { overview } from '../../src/analysis/overview';
import { projectionSql } from '../../src/data/canonical';
import type { Engine } from '../../src/data/engine';
import { readColumns, unreadColumns } from '../../src/data/file-columns';
import { commitStage } from '../../src/data/ingest';
import { ingestParquet, type ParquetReader, typedRelation } from '../../src/data/parquet-load';
import { parquetToCsv } from '../../src/data/readers/parquet';
import { parquetToArrow, type WasmDecode } from '../../src/data/readers/parquet-arrow';
import { bufferSource, hasShared, load, shared } from '../helpers/files';
import { nodeEngine } from '../helpers/node-engine';
import { reader, wasmDecode } from '../helpers/parquet';

const bytesOf = (file: string) => {
  const b = fs.readFileSync(file);
  return b.buffer.slice(b.byteOffset, b.byteOffset + b.length) as ArrayBuffer;
};

async function loadArrow(engine: Engine, r: ParquetReader) {
  const info = await ingestParquet(engine, r);
  await commitStage(engine, info);
  return info;
}

describe.skipIf(!hasShared)('the Superstore Parquet files through Arrow', () => {
  for (const file of ['superstore.parquet', 'superstore_w_profit.parquet']) {
    it(`${file}: the figures of the CSV conversion, from the columns with a role`, async () => {
      const buf = bytesOf(shared(`superstore_parquet/${file}`));
      const viaCsv = await nodeEngine();
      const csv = await parquetToCsv(buf);
      const a = await load(viaCsv, bufferSource(file, csv.csv));
      const engine = await nodeEngine();
      const log: string[][] = [];
      const decoders: string[] = [];
      const b = await loadArrow(engine, reader(file, buf, log, true, decoders));
      expect(new Set(decoders)).toEqual(new Set(['parquet-wasm']));
      expect(b.mapping).toEqual(a.mapping);
      expect(b.rowsLoaded).toBe(a.rowsLoaded);
      expect(b.rowsRejected).toBe(a.rowsRejected);
      const [x, y] = [await overview(viaCsv, {}), await overview(engine, {})];
      expect(y.rows).toBe(x.rows);
      expect(y.customers).toBe(x.customers);
      expect(y.revenue).toBeCloseTo(x.revenue, 6);
      expect(y.profit ?? null).toEqual(x.profit ?? null);
      expect(await dateRange(engine)).toEqual(await dateRange(viaCsv));
      expect((await dateRange(engine))?.from).toMatch(/^20\d\d-/);
      // One decode, of fewer columns than the file has; the dialog still lists them all.
      expect(log).toHaveLength(1);
      expect(log[0]?.length).toBeLessThan(a.columns.length);
      expect(b.columns.map((c) => c.name)).toEqual(a.columns.map((c) => c.name));
      expect(b.columnsRead).toBe(log[0]?.length);
      // A column left out is decoded when asked for, beside its own rows.
      expect(await unreadColumns(engine, ['Ship Mode'])).toEqual(['Ship Mode']);
      expect(await readColumns(engine, ['Ship Mode'])).toBe(1);
      expect(log[1]).toEqual(['Ship Mode']);
      const q = `SELECT "file:Order ID" AS o, "file:Ship Mode" AS s FROM sales ORDER BY line`;
      expect(await engine.query(q)).toEqual(
        await (async () => {
          await readColumns(viaCsv, ['Ship Mode']);
          return viaCsv.query(q);
        })(),
      );
    });
  }
});

describe('Parquet types through Arrow', () => {
  const n = 300;
  const typesFile = () =>
    parquetWriteBuffer({
      columnData: [
        {
          name: 'customer',
          data: Array.from({ length: n }, (_, i) => (i % 50 === 7 ? null : `Kunde ${i % 40} ü`)),
          type: 'STRING',
        },
        { name: 'amount', data: Float64Array.from({ length: n }, (_, i) => i * 1.25 - 100), type: 'DOUBLE' },
        { name: 'qty', data: Int32Array.from({ length: n }, (_, i) => i - 5), type: 'INT32' },
        { name: 'id', data: BigInt64Array.from({ length: n }, (_, i) => BigInt(i) * 10_000_000_000n), type: 'INT64' },
        {
          name: 'order date',
          data: Array.from({ length: n }, (_, i) => new Date(Date.UTC(2024, 0, 1 + (i % 400), i % 3 ? 0 : 13, 5))),
          type: 'TIMESTAMP',
        },
        { name: 'flag', data: Array.from({ length: n }, (_, i) => i % 2 === 0), type: 'BOOLEAN' },
      ],
    }) as ArrayBuffer;
  const all = ['customer', 'amount', 'qty', 'id', 'order date', 'flag'];

  for (const decoder of ['parquet-wasm', 'hyparquet'] as const) {
    it(`${decoder}: doubles and dates typed, integers and booleans as text, missing values missing`, async () => {
      const buf = typesFile();
      const engine = await nodeEngine();
      const wasm = decoder === 'parquet-wasm' ? wasmDecode(buf) : undefined;
      // The decoder that ran: parquet-wasm keeps the timestamp and the boolean, hyparquet makes them a day and text.
      const { ipc, decoder: used } = await parquetToArrow(buf, all, undefined, wasm);
      expect(used).toBe(decoder);
      for (const [j, chunk] of ipc.entries()) await engine.insertArrow('t', chunk, { append: j > 0 });
      const arrow = await engine.query<{ column_type: string }>('DESCRIBE t');
      expect(arrow.map((t) => t.column_type)[4]).toBe(wasm ? 'TIMESTAMP WITH TIME ZONE' : 'DATE');
      await engine.exec(`CREATE TABLE r AS SELECT * FROM ${projectionSql(await typedRelation(engine, 't', all))}`);
      const types = await engine.query<{ column_name: string; column_type: string }>('DESCRIBE r');
      expect(Object.fromEntries(types.map((t) => [t.column_name, t.column_type]))).toEqual({
        customer: 'VARCHAR',
        amount: 'DOUBLE',
        qty: 'VARCHAR',
        id: 'VARCHAR',
        'order date': 'DATE',
        flag: 'VARCHAR',
      });
      const rows = await engine.query<Record<string, string | number | null>>(
        `SELECT customer, amount, qty, id, strftime("order date", '%Y-%m-%d') AS d, flag FROM r`,
      );
      rows.forEach((r, i) => {
        expect(r.customer).toBe(i % 50 === 7 ? null : `Kunde ${i % 40} ü`);
        expect(r.amount).toBe(i * 1.25 - 100);
        expect(r.qty).toBe(String(i - 5));
        expect(r.id).toBe(String(BigInt(i) * 10_000_000_000n));
        expect(r.d).toBe(new Date(Date.UTC(2024, 0, 1 + (i % 400))).toISOString().slice(0, 10));
        expect(r.flag).toBe(String(i % 2 === 0));
      });
      // Loaded through the pipeline: the missing customers rejected, the rest summed as typed.
      const engine2 = await nodeEngine();
      const info = await loadArrow(engine2, reader('types.parquet', buf, [], !!wasm));
      expect(info.mapping.customer).toBe('customer');
      expect(info.rowsRejected).toBe(6);
      const o = await overview(engine2, {});
      const keep = Array.from({ length: n }, (_, i) => i).filter((i) => i % 50 !== 7);
      expect(o.revenue).toBeCloseTo(
        keep.reduce((s, i) => s + i * 1.25 - 100, 0),
        6,
      );
      expect(o.customers).toBe(40);
    });
  }

  it('the decoded table becomes the lines in place, not copied: cast, coded and counted as a copy would be', async () => {
    const engine = await nodeEngine();
    const ran: string[] = [];
    const exec = engine.exec.bind(engine);
    engine.exec = (sql) => {
      ran.push(sql);
      return exec(sql);
    };
    const info = await loadArrow(engine, reader('types.parquet', typesFile()));
    expect(ran.some((s) => s.includes('ALTER TABLE pq_in RENAME TO raw_next'))).toBe(true);
    expect(ran.some((s) => /CREATE TABLE \S*raw_next AS/.test(s))).toBe(false);
    expect(info.mapping.quantity).toBe('qty');
    const types = await engine.query<{ column_name: string; column_type: string }>('DESCRIBE raw');
    expect(Object.fromEntries(types.map((t) => [t.column_name, t.column_type]))).toEqual({
      customer: 'VARCHAR',
      amount: 'DOUBLE',
      // An integer column with a role is cast as a number once (the id, without one, is not decoded at all).
      qty: 'DOUBLE',
      'order date': 'DATE',
      __kal_reason: 'UTINYINT',
    });
    expect(
      await engine.query('SELECT __kal_reason AS code, count(*) AS n FROM raw GROUP BY 1 ORDER BY 1 NULLS FIRST'),
    ).toEqual([
      { code: null, n: n - 6 },
      { code: 1, n: 6 },
    ]);
    const [q] = await engine.query<{ q: number }>('SELECT sum(quantity) AS q FROM sales');
    expect(q?.q).toBe(
      Array.from({ length: n }, (_, i) => i)
        .filter((i) => i % 50 !== 7)
        .reduce((s, i) => s + i - 5, 0),
    );
  });

  /** Order lines past one batch of the decoder, in several row groups. */
  const bigFile = (n: number, badDateAt = -1) =>
    parquetWriteBuffer({
      columnData: [
        { name: 'customer', data: Array.from({ length: n }, (_, i) => `c${i % 1000}`), type: 'STRING' },
        {
          name: 'order date',
          data: Array.from({ length: n }, (_, i) => (i === badDateAt ? 'soon' : `2024-0${1 + (i % 9)}-15`)),
          type: 'STRING',
        },
        { name: 'amount', data: Float64Array.from({ length: n }, (_, i) => i), type: 'DOUBLE' },
        { name: 'note', data: Array.from({ length: n }, (_, i) => (i % 7 ? `n${i}` : null)), type: 'STRING' },
      ],
      rowGroupSize: 70_000,
    }) as ArrayBuffer;

  it('a file of more rows than a batch: decoded and inserted batch by batch, in order', async () => {
    const n = 300_000;
    const buf = bigFile(n);
    const decoders: string[] = [];
    const fresh: boolean[] = [];
    const engine = await nodeEngine();
    await reader('big.parquet', buf, [], true, decoders).arrow(['amount', 'note'], (ipc, f) => {
      fresh.push(f);
      // Into the compressed database, as a large load's are.
      void engine.insertArrow('t', ipc, { append: !f, compressed: true });
    });
    expect(await engine.query("SELECT database_name AS db FROM duckdb_tables() WHERE table_name = 't'")).toEqual([
      { db: 'kal' },
    ]);
    expect(decoders).toEqual(['parquet-wasm']);
    // One stream per batch, the first one starting the table.
    expect(fresh.length).toBeGreaterThan(2);
    expect(fresh.filter(Boolean)).toHaveLength(1);
    expect(fresh[0]).toBe(true);
    const [r] = await engine.query<Record<string, number>>(
      `SELECT count(*) AS n, count(*) FILTER (WHERE CAST(amount AS BIGINT) <> rowid) AS off,
        count(*) FILTER (WHERE note IS DISTINCT FROM CASE WHEN rowid % 7 = 0 THEN NULL ELSE 'n' || CAST(rowid AS VARCHAR) END) AS notes_off
       FROM t`,
    );
    expect(r).toEqual({ n, off: 0, notes_off: 0 });
  });

  it('a decoder failing part way is replaced by hyparquet, whose rows replace the ones already inserted', async () => {
    const buf = bigFile(150_000);
    const good = wasmDecode(buf);
    // Emits the first batch, then fails as a damaged page would.
    const failing: WasmDecode = (columns, plain, emit) =>
      good(columns, plain, (ipc) => {
        emit(ipc);
        throw new Error('a damaged page');
      });
    const decoders: string[] = [];
    const engine = await nodeEngine();
    const info = await loadArrow(engine, reader('lines.parquet', buf, [], failing, decoders));
    expect(decoders).toEqual(['hyparquet']);
    expect(info.rowsLoaded).toBe(150_000);
    // The same file loaded whole by parquet-wasm, past the compression threshold (lowered to its size).
    const direct = await nodeEngine();
    await commitStage(direct, await ingestParquet(direct, reader('lines.parquet', buf), { compressFrom: 1 }));
    expect(await direct.query("SELECT database_name AS db FROM duckdb_tables() WHERE table_name = 'raw'")).toEqual([
      { db: 'kal' },
    ]);
    // Its text dates were cast as one column, not parsed value by value.
    const types = await direct.query<{ column_name: string; column_type: string }>('DESCRIBE raw');
    expect(types.find((t) => t.column_name === 'order date')?.column_type).toBe('DATE');
    expect(await overview(engine, {})).toEqual(await overview(direct, {}));
  });

  it('a text date far in that does not fit the cast: the text read takes over and rejects that line', async () => {
    const engine = await nodeEngine();
    const info = await loadArrow(engine, reader('late.parquet', bigFile(150_000, 140_000)));
    expect(info.rowsLoaded).toBe(149_999);
    expect(info.rowsRejected).toBe(1);
    const types = await engine.query<{ column_name: string; column_type: string }>('DESCRIBE raw');
    expect(types.find((t) => t.column_name === 'order date')?.column_type).toBe('VARCHAR');
  });

  it('a text column that is not UTF-8 is refused with a message', async () => {
    const buf = parquetWriteBuffer({
      columnData: [
        { name: 'blob', data: [new Uint8Array([0xff, 0xfe, 0x41]), new Uint8Array([0x42])], type: 'BYTE_ARRAY' },
      ],
    }) as ArrayBuffer;
    await expect(parquetToArrow(buf, ['blob'])).rejects.toThrow(/not UTF-8/);
    // parquet-wasm reads it as binary, which is left to hyparquet and its message.
    await expect(parquetToArrow(buf, ['blob'], undefined, wasmDecode(buf))).rejects.toThrow(/not UTF-8/);
  });
});
