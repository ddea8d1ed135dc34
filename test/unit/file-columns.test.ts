/**
 * A load reads the columns with a role and the first; the others are read from the registered file when a filter,
 * a remap or the rejected-row download asks for them, in the file's row order, with line numbers that count quoted
 * line breaks and empty lines in every column.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { overview } from '../../src/analysis/overview';
import { fileColumnsOf } from '../../src/data/canonical';
import type { Engine } from '../../src/data/engine';
import { liveSource, readColumns, unreadColumns } from '../../src/data/file-columns';
import { columnsToRead, commitStage, remap } from '../../src/data/ingest';
import { bufferSource, load } from '../helpers/files';
import { nodeEngine } from '../helpers/node-engine';

const enc = (s: string) => new TextEncoder().encode(s);

/** Order lines with six columns no role reads: a note with a quoted line break, an empty line, a bad amount. */
function wide(): string {
  const head = 'Order ID,Customer,Order Date,Net Sales,Warehouse,Ship Via,Note,Batch,Terms,Packaging';
  const rows: string[] = [];
  for (let i = 1; i <= 40; i++) {
    const note = i === 5 ? '"two\nlines"' : `n${i}`;
    const amount = i === 30 ? 'n/a' : String(100 + i);
    rows.push(
      `SO${i},C${i % 7},2024-0${1 + (i % 9)}-1${i % 10},${amount},W${i % 3},${i % 2 ? 'Truck' : 'Air'},${note},B${i},NET30,${i % 4 ? 'Box' : 'Pallet'}`,
    );
    if (i === 20) rows.push('');
  }
  return `${head}\n${rows.join('\n')}\n`;
}

let engine: Engine;
beforeEach(async () => {
  engine = await nodeEngine();
});

describe('columns read when asked for', () => {
  it('reads the mapped columns and the first; the others stay in the file until asked for', async () => {
    const info = await load(engine, bufferSource('wide.csv', enc(wide())));
    expect(info.mapping.customer).toBe('Customer');
    expect(info.columns).toHaveLength(10);
    expect(info.columnsRead).toBe(4);
    expect(await fileColumnsOf(engine, 'raw')).toEqual(['Order ID', 'Customer', 'Order Date', 'Net Sales']);
    expect(liveSource(engine)?.columns).toHaveLength(10);
    const o = await overview(engine, {});
    expect(o.rows).toBe(39);
    expect(o.revenue).toBe(
      Array.from({ length: 40 }, (_, i) => i + 1)
        .filter((i) => i !== 30)
        .reduce((s, i) => s + 100 + i, 0),
    );
    expect(await unreadColumns(engine, ['Packaging', 'Customer'])).toEqual(['Packaging']);
  });

  it('a column read later sits beside its own row, and the figures do not move', async () => {
    await load(engine, bufferSource('wide.csv', enc(wide())));
    const before = await overview(engine, {});
    expect(await readColumns(engine, ['Packaging', 'Ship Via'])).toBe(2);
    expect(await readColumns(engine, ['Packaging'])).toBe(0);
    // Read back in the file's order: raw's columns follow it, not the order they were asked for.
    expect(await fileColumnsOf(engine, 'raw')).toEqual([
      'Order ID',
      'Customer',
      'Order Date',
      'Net Sales',
      'Ship Via',
      'Packaging',
    ]);
    const rows = await engine.query<{ id: string; ch: string; via: string }>(
      `SELECT "file:Order ID" AS id, "file:Packaging" AS ch, "file:Ship Via" AS via FROM sales ORDER BY line`,
    );
    for (const r of rows) {
      const i = Number(r.id.slice(2));
      expect(r.ch).toBe(i % 4 ? 'Box' : 'Pallet');
      expect(r.via).toBe(i % 2 ? 'Truck' : 'Air');
    }
    expect(await overview(engine, {})).toEqual(before);
  });

  it('the rejected-row download holds every column, at the line an editor shows', async () => {
    const info = await load(engine, bufferSource('wide.csv', enc(wide())));
    expect(info.rowsRejected).toBe(1);
    await readColumns(engine, 'all');
    const [r] = await engine.query<Record<string, unknown>>('SELECT * FROM rejected_rows');
    // Header, 29 lines before it, one of them two lines long, and the empty line after SO20: line 1 + 29 + 1 + 1 + 1.
    expect(r?.line).toBe(33);
    expect(r?.['Order ID']).toBe('SO30');
    expect(r?.Batch).toBe('B30');
    expect(Object.keys(r ?? {})).toHaveLength(4 + 10);
  });

  it('a remap onto a column the load left out reads it, and keeps the file for the next', async () => {
    const info = await load(engine, bufferSource('wide.csv', enc(wide())));
    const next = await remap(engine, info, { ...info.mapping, segment: 'Packaging' }, info.formats, 'raw');
    await commitStage(engine, next);
    const seg = await engine.query<{ segment: string; n: number }>(
      'SELECT segment, count(*) AS n FROM sales GROUP BY 1 ORDER BY 1',
    );
    expect(seg).toEqual([
      { segment: 'Box', n: 29 },
      { segment: 'Pallet', n: 10 },
    ]);
    expect(await unreadColumns(engine, 'all')).toHaveLength(5);
    expect(await readColumns(engine, ['Note'])).toBe(1);
    const [rej] = await engine.query<{ line: number }>('SELECT line FROM rejected_rows');
    expect(rej?.line).toBe(33);
  });

  it('a clean load does not look for line breaks; a remap that rejects rows counts the ones in the columns read', async () => {
    // Without rejected rows the load runs no line scan (ingest.ts), and Score, without a role, is read at the remap.
    const text =
      'Customer,Order Date,Net Sales,Score\n"Acme\nEast",2024-01-05,10,1\nC2,2024-01-06,20,2\nC3,2024-01-07,30,n/a\n';
    const info = await load(engine, bufferSource('broken.csv', enc(text)));
    expect(info.rowsRejected).toBe(0);
    expect(info.mapping.amount).toBe('Net Sales');
    const next = await remap(engine, info, { ...info.mapping, amount: 'Score' }, {}, 'raw');
    expect(next.rowsRejected).toBe(1);
    await commitStage(engine, next);
    // Header on line 1, Acme on lines 2 and 3, C2 on line 4: C3's "n/a" is on line 5.
    expect(await engine.query('SELECT line, "value" FROM rejected_rows')).toEqual([{ line: 5, value: 'n/a' }]);
  });

  it('the size check before a load counts the columns the header says will be read', () => {
    const wideHead = `order_id,order_date,customer_id,customer_name,segment,region,product,quantity,net_sales,cogs,discount,${Array.from({ length: 30 }, (_, i) => `attr_${i}`).join(',')}\nSO1,2024-01-01,C1,N,S,R,P,1,2,1,0,${'x,'.repeat(29)}x\n`;
    expect(columnsToRead(wideHead, { delimiter: ',', quote: '"', header: true, columns: 41 })).toBe(11);
    // No customer or amount by name: the values must decide, so every column counts.
    expect(columnsToRead('a,b,c\n1,2,3\n', { delimiter: ',', quote: '"', header: true, columns: 3 })).toBe(3);
    expect(columnsToRead('x;Kunde;Umsatz;y\n', { delimiter: ';', quote: '"', header: true, columns: 4, skip: 0 })).toBe(
      3,
    );
  });

  it('a file whose columns all have a role (or are first) is not kept', async () => {
    await load(engine, bufferSource('narrow.csv', enc('Customer,Net Sales\nA,1\nB,2\n')));
    expect(liveSource(engine)).toBeNull();
    expect(await readColumns(engine, 'all')).toBe(0);
  });
});
