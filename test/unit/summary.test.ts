/**
 * The portable summary query: `sql/summary.sql` is the module's text, it uses only the SQL the four engines share,
 * and run in DuckDB on the bundled sample and on Superstore its groups add back up to every headline figure that
 * is defined at its grain (the other engines are untested: none can run here).
 */
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { discountBands } from '../../src/analysis/incentives';
import { overview } from '../../src/analysis/overview';
import { pareto } from '../../src/analysis/pareto';
import { SUMMARY_FORMAT, summarySql } from '../../src/analysis/summary';
import type { Engine } from '../../src/data/engine';
import { bufferSource, hasShared, load, shared } from '../helpers/files';
import { nodeEngine } from '../helpers/node-engine';

const FILE = path.resolve(__dirname, '../../sql/summary.sql');
const HEADER = `-- Key Account Lens summary, format ${SUMMARY_FORMAT}: order lines summed per customer, month, region, segment,
-- category, sales rep and discount band. Written in the SQL that DuckDB, Spark SQL, BigQuery and Snowflake share;
-- tested in DuckDB only. Run it over a view named sales with the canonical columns (README: "Past one tab").
-- Write the result as Parquet with the summarize command's kal_summary metadata for the site to read it as a summary.
-- Generated from src/analysis/summary.ts: edit that, not this.
`;

let engine: Engine;
beforeAll(async () => {
  engine = await nodeEngine();
});

describe('the summary query', () => {
  it('sql/summary.sql is the module text (UPDATE_SQL=1 rewrites it)', () => {
    const text = HEADER + summarySql();
    if (process.env.UPDATE_SQL) fs.writeFileSync(FILE, text);
    expect(fs.readFileSync(FILE, 'utf8')).toBe(text);
  });

  it('uses only the SQL the four engines share', () => {
    const sql = summarySql();
    for (const dialectOnly of [
      /::/,
      /date_trunc/i,
      /strftime/i,
      /any_value/i,
      /FILTER\s*\(/i,
      /QUALIFY/i,
      /ILIKE/i,
      /\bLIST\b/i,
      /\[/,
    ]) {
      expect(sql).not.toMatch(dialectOnly);
    }
  });

  const files: [string, () => Uint8Array][] = [
    ['sample_sales.csv', () => new Uint8Array(fs.readFileSync(path.resolve(__dirname, '../../data/sample_sales.csv')))],
  ];
  if (hasShared)
    files.push([
      'Sample - Superstore.csv',
      () => new Uint8Array(fs.readFileSync(shared('superstore_2023/Sample - Superstore.csv'))),
    ]);

  it.each(files)('on %s its groups add up to the headline figures of the lines', async (name, bytes) => {
    await load(engine, bufferSource(name, bytes()));
    await engine.exec(`CREATE OR REPLACE TABLE summary AS ${summarySql()}`);
    const [s] = await engine.query<{ lines: number; revenue: number; profit: number; groups: number }>(
      'SELECT sum(lines) AS lines, sum(amount) AS revenue, sum(profit) AS profit, count(*) AS groups FROM summary',
    );
    const o = await overview(engine, {});
    expect(Number(s?.lines)).toBe(o.rows);
    expect(s?.revenue).toBeCloseTo(o.revenue, 4);
    if (o.profit !== null) expect(s?.profit).toBeCloseTo(o.profit, 4);
    // Fewer rows than lines, or it would not be worth making.
    expect(Number(s?.groups)).toBeLessThan(o.rows);
    // The Pareto figures from per-customer sums of the summary.
    const p = await pareto(engine, {}, { metric: 'revenue', a: 0.8, b: 0.95 });
    const cust = (
      await engine.numbers(
        'SELECT sum(amount) AS m FROM summary GROUP BY customer HAVING sum(amount) > 0 ORDER BY m DESC',
      )
    ).m as Float64Array;
    const total = cust.reduce((a, b) => a + b, 0);
    let cum = 0;
    let k80 = cust.length;
    for (let i = 0; i < cust.length; i++) {
      cum += cust[i] as number;
      if (cum / total >= 0.8 - 1e-12) {
        k80 = i + 1;
        break;
      }
    }
    expect(cust.length).toBe(p?.customers);
    expect(k80).toBe(p?.customersFor80);
    // The discount bands: lines, revenue and the loss-making share per band.
    const bands = await discountBands(engine, {});
    const fromSummary = await engine.query<{ band: number; lines: number; revenue: number; loss: number; pl: number }>(
      'SELECT discount_band AS band, sum(lines) AS lines, sum(amount) AS revenue, sum(loss_lines) AS loss, sum(profit_lines) AS pl FROM summary WHERE discount_band IS NOT NULL GROUP BY 1 ORDER BY 1',
    );
    for (const b of fromSummary) {
      const app = bands?.find((x) => x.band === Number(b.band));
      expect(Number(b.lines)).toBe(app?.lines);
      expect(b.revenue).toBeCloseTo(app?.revenue ?? Number.NaN, 4);
      if (app?.lossShare != null) expect(Number(b.loss) / Number(b.pl)).toBeCloseTo(app.lossShare, 12);
    }
  });
});
