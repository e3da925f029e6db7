import { describe, expect, it } from 'vitest';
import { formatCheckedAt, formatCount, formatLatency, kindLabel, modeLabel, statusLabel } from './format';
import { diffHref, diffTargetFromHash, historyRunHref, routeFromHash, runIdFromHash } from './routes';

describe('labels', () => {
  it('uses the state words the end-to-end tests read', () => {
    expect([statusLabel('ok'), statusLabel('error'), statusLabel('unknown')]).toEqual(['OK', 'Error', 'Not checked']);
  });

  it('names every target kind and mode', () => {
    expect(kindLabel('strong_dm')).toBe('StrongDM');
    expect(kindLabel('generic')).toBe('Generic SCIM 2.0');
    expect(modeLabel('demo')).toBe('Demo workspace');
  });
});

describe('numbers and times', () => {
  it('formats counts and latency', () => {
    expect(formatCount(null)).toBe('—');
    expect(formatCount(100000)).toBe('100000');
    expect(formatLatency(null)).toBeNull();
    expect(formatLatency(85)).toBe('85 ms');
    expect(formatLatency(1830)).toBe('1.8 s');
  });

  it('shows only the time for checks made today and rejects bad input', () => {
    const now = new Date('2026-11-23T12:00:00');
    const today = formatCheckedAt(new Date('2026-11-23T09:05:00').toISOString(), now);
    const earlier = formatCheckedAt(new Date('2026-11-20T09:05:00').toISOString(), now);
    expect(today).toMatch(/09:05|9:05/);
    expect(earlier).not.toBe(today);
    expect(earlier?.length).toBeGreaterThan(today?.length ?? 0);
    expect(formatCheckedAt(null)).toBeNull();
    expect(formatCheckedAt('not a date')).toBeNull();
  });
});

describe('routeFromHash', () => {
  it('accepts the usual hash shapes and falls back to home', () => {
    expect(routeFromHash('#/diff')).toBe('diff');
    expect(routeFromHash('#saml')).toBe('saml');
    expect(routeFromHash('#/history/run/42')).toBe('history');
    expect(routeFromHash('#/settings?tab=about')).toBe('settings');
    expect(routeFromHash('')).toBe('home');
    expect(routeFromHash('#/unknown')).toBe('home');
  });
});

describe('runIdFromHash', () => {
  it('reads the run of a History link and nothing else', () => {
    expect(runIdFromHash(historyRunHref(42))).toBe(42);
    expect(runIdFromHash('#history/7')).toBe(7);
    expect(routeFromHash(historyRunHref(42))).toBe('history');
    expect(runIdFromHash('#/history')).toBeNull();
    expect(runIdFromHash('#/history/abc')).toBeNull();
    expect(runIdFromHash('#/history/0')).toBeNull();
    expect(runIdFromHash('#/plan/42')).toBeNull();
  });
});

describe('diffTargetFromHash', () => {
  it('reads back the target of a diff link, odd characters included', () => {
    expect(diffTargetFromHash(diffHref('aws-prod'))).toBe('aws-prod');
    expect(diffTargetFromHash(diffHref('a b/ü?'))).toBe('a b/ü?');
    expect(routeFromHash(diffHref('aws-prod'))).toBe('diff');
  });

  it('is null for other pages, a bare diff link and a malformed id', () => {
    expect(diffTargetFromHash('#/diff')).toBeNull();
    expect(diffTargetFromHash('#/history/3')).toBeNull();
    expect(diffTargetFromHash('#/diff/%E0%A4%A')).toBeNull();
  });
});
