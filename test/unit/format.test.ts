import { describe, expect, it } from 'vitest';
import { fmt } from '../../src/ui/format';

describe('number formats', () => {
  it('counts agree with their noun', () => {
    expect(fmt.count(1, 'row')).toBe('1 row');
    expect(fmt.count(0, 'row')).toBe('0 rows');
    expect(fmt.count(2500, 'customer')).toBe('2,500 customers');
    expect(fmt.count(1, 'child', 'children')).toBe('1 child');
  });
  it('money keeps its sign and shortens large amounts; unknown is a dash, never 0', () => {
    expect(fmt.moneyShort(-71545.089)).toBe('−71.5k');
    expect(fmt.moneyShort(1_100_000_000)).toBe('1.1B');
    expect(fmt.money(null)).toBe('–');
    expect(fmt.pct(Number.NaN)).toBe('–');
  });
});
