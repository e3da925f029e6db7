import { describe, expect, it } from 'vitest';
import { perfMark } from './perfMarks';

describe('perfMark', () => {
  it('keeps only the latest mark of a name', () => {
    perfMark('test:mark');
    const first = performance.getEntriesByName('test:mark', 'mark');
    perfMark('test:mark');
    const after = performance.getEntriesByName('test:mark', 'mark');
    expect(first).toHaveLength(1);
    expect(after).toHaveLength(1);
    expect(after[0]?.startTime ?? -1).toBeGreaterThanOrEqual(first[0]?.startTime ?? 0);
  });
});
