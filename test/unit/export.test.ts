import { describe, expect, it } from 'vitest';
import { safeCell, toCsv } from '../../src/export/csv';

describe('CSV export', () => {
  it('neutralises cells a spreadsheet would run as formulas', () => {
    expect(safeCell('=HYPERLINK("http://x","click")')).toBe('"\'=HYPERLINK(""http://x"",""click"")"');
    expect(safeCell('+1+2')).toBe("'+1+2");
    expect(safeCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(safeCell('-2+3')).toBe("'-2+3");
    expect(safeCell('\tcmd')).toBe("'\tcmd");
  });
  it('leaves numbers, negative numbers and plain text alone, and quotes what CSV needs quoted', () => {
    expect(safeCell(-12.5)).toBe('-12.5');
    expect(safeCell('-12.5')).toBe('-12.5');
    expect(safeCell('Acme, Inc.')).toBe('"Acme, Inc."');
    expect(safeCell(null)).toBe('');
    expect(safeCell(Number.NaN)).toBe('');
    expect(toCsv(['customer', 'revenue'], [['=cmd|calc', 10]])).toBe("customer,revenue\r\n'=cmd|calc,10");
  });
});
