import { describe, expect, it } from 'vitest';
import { describeRetention, formOf, retentionOf, sameRetention } from './retention';

describe('history retention form', () => {
  it('turns the form into the retention to save', () => {
    expect(retentionOf({ mode: 'all', count: '' })).toEqual({ retention: null });
    expect(retentionOf({ mode: 'runs', count: ' 200 ' })).toEqual({ retention: { kind: 'keep_runs', value: 200 } });
    expect(retentionOf({ mode: 'days', count: '30' })).toEqual({ retention: { kind: 'keep_days', value: 30 } });
  });

  it('refuses zero, empty, fractions, negatives and numbers too large to store', () => {
    for (const count of ['', '0', '1.5', '-3', 'ten', '1e3', '4294967296']) {
      expect(retentionOf({ mode: 'days', count })).toEqual({ problem: 'Enter a whole number of days, at least 1.' });
    }
    expect(retentionOf({ mode: 'runs', count: '0' })).toEqual({ problem: 'Enter a whole number of runs, at least 1.' });
    expect(retentionOf({ mode: 'runs', count: '4294967295' })).toEqual({ retention: { kind: 'keep_runs', value: 4294967295 } });
  });

  it('shows a saved retention in the form', () => {
    expect(formOf(null)).toEqual({ mode: 'all', count: '' });
    expect(formOf({ kind: 'keep_runs', value: 50 })).toEqual({ mode: 'runs', count: '50' });
    expect(formOf({ kind: 'keep_days', value: 7 })).toEqual({ mode: 'days', count: '7' });
  });

  it('says what gets removed', () => {
    expect(describeRetention(null)).toBe('Every run is kept; nothing is ever removed.');
    expect(describeRetention({ kind: 'keep_runs', value: 50 })).toContain('All but the newest 50 runs (across every target) are removed');
    expect(describeRetention({ kind: 'keep_runs', value: 1 })).toContain('All but the newest run ');
    expect(describeRetention({ kind: 'keep_days', value: 1 })).toContain('more than 1 day ago');
    expect(describeRetention({ kind: 'keep_days', value: 30 })).toContain('runs still in progress are never removed');
  });

  it('compares retentions by kind and value', () => {
    expect(sameRetention(null, null)).toBe(true);
    expect(sameRetention(null, { kind: 'keep_days', value: 1 })).toBe(false);
    expect(sameRetention({ kind: 'keep_days', value: 1 }, { kind: 'keep_runs', value: 1 })).toBe(false);
    expect(sameRetention({ kind: 'keep_runs', value: 9 }, { kind: 'keep_runs', value: 9 })).toBe(true);
  });
});
