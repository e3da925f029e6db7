import { describe, expect, it } from 'vitest';
import { dayBoundary, formatDuration, formatRunTime, statusTone } from './historyFormat';

describe('history formatting', () => {
  it('colours HTTP statuses by class, a missing reply as an error', () => {
    expect(statusTone(200)).toBe('ok');
    expect(statusTone(204)).toBe('ok');
    expect(statusTone(404)).toBe('warn');
    expect(statusTone(503)).toBe('error');
    expect(statusTone(null)).toBe('error');
  });

  it('turns an inclusive day range into [start of from, start of the day after to)', () => {
    const from = dayBoundary('2026-03-09')!;
    const to = dayBoundary('2026-03-09', true)!;
    expect(new Date(to).getTime() - new Date(from).getTime()).toBe(24 * 3600 * 1000);
    expect(new Date(from).getHours()).toBe(0);
    expect(dayBoundary('not a date')).toBeNull();
  });

  it('reports durations and still-running runs', () => {
    expect(formatDuration('2026-01-01T00:00:00Z', '2026-01-01T00:00:00.250Z')).toBe('250 ms');
    expect(formatDuration('2026-01-01T00:00:00Z', '2026-01-01T00:00:02.5Z')).toBe('2.5 s');
    expect(formatDuration('2026-01-01T00:00:00Z', null)).toBe('still running');
  });

  it('leaves the year out of run times of this year only', () => {
    const now = new Date('2026-06-01T12:00:00Z');
    expect(formatRunTime('2026-03-09T10:00:00Z', now)).not.toContain('2026');
    expect(formatRunTime('2025-03-09T10:00:00Z', now)).toContain('2025');
    expect(formatRunTime('garbage', now)).toBe('garbage');
  });
});
