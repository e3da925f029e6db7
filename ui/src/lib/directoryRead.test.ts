import { describe, expect, it } from 'vitest';
import type { DirectorySummary } from '../bindings/DirectorySummary';
import { lastReadText, readFraction, readProgressText, readsJumpCloud } from './directoryRead';

const base: DirectorySummary = {
  source: 'JumpCloud (US region), not read yet',
  users: 0,
  groups: 0,
  suspended_users: 0,
  applications: 0,
  needs_read: true,
};

describe('JumpCloud read texts', () => {
  it('the demo never reads; a configured workspace does, before or after a read', () => {
    const demo = { ...base, source: 'Demo directory', needs_read: false };
    expect(readsJumpCloud(demo)).toBe(false);
    expect(lastReadText(demo)).toBeNull();
    expect(readsJumpCloud(base)).toBe(true);
    expect(lastReadText(base)).toMatch(/^Not read yet/);
    const read = { ...base, needs_read: false, read_at: '2026-11-23T09:05:00Z' };
    expect(readsJumpCloud(read)).toBe(true);
    expect(lastReadText(read, new Date('2026-11-23T10:00:00Z'))).toMatch(/^Last read /);
  });

  it('progress names the phase, the step and the requests', () => {
    expect(readProgressText({ phase: 'collections', done: 1, total: 3, requests: 1 })).toBe(
      'Reading JumpCloud users, groups and applications · 1 of 3 · 1 request',
    );
    expect(readProgressText({ phase: 'relations', done: 10, total: 40, requests: 25 })).toContain('10 of 40 · 25 requests');
    expect(readProgressText({ phase: 'done', done: 40, total: 40, requests: 60 })).toBe('JumpCloud read complete · 60 requests');
  });

  it('the bar moves forward through both phases and is indeterminate before the first step', () => {
    expect(readFraction(null)).toBeNull();
    expect(readFraction({ phase: 'collections', done: 0, total: 3, requests: 0 })).toBe(0);
    expect(readFraction({ phase: 'collections', done: 3, total: 3, requests: 3 })).toBeCloseTo(0.1);
    expect(readFraction({ phase: 'relations', done: 20, total: 40, requests: 23 })).toBeCloseTo(0.55);
    expect(readFraction({ phase: 'done', done: 40, total: 40, requests: 43 })).toBe(1);
  });
});
