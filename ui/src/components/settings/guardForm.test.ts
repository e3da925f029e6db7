import { describe, expect, it } from 'vitest';
import { parseGuard } from './guardForm';

describe('deletion guard form', () => {
  it('accepts a count and a share in range', () => {
    expect(parseGuard('25', '10')).toEqual({ guard: { max_count: 25, max_percent: 10 } });
    expect(parseGuard(' 0 ', '100')).toEqual({ guard: { max_count: 0, max_percent: 100 } });
    expect(parseGuard('3', '0.5')).toEqual({ guard: { max_count: 3, max_percent: 0.5 } });
  });

  it('refuses a share of 0, above 100 or not a number, and a count that is not whole', () => {
    for (const [count, percent] of [['10', '0'], ['10', '100.5'], ['10', ''], ['10', 'x'], ['-1', '5'], ['2.5', '5'], ['', '5']] as const) {
      expect('problem' in parseGuard(count, percent), `${count} ${percent}`).toBe(true);
    }
  });
});
