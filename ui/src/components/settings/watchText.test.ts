import { describe, expect, it } from 'vitest';
import type { WatchTarget } from '../../bindings/WatchTarget';
import { driftText, everyLabel, exitText, lastCheckPill, runsInText } from './watchText';

const target = (over: Partial<WatchTarget>): WatchTarget => ({
  id: 'aws',
  name: 'AWS',
  every_hours: 4,
  apply_safe: false,
  runs_in: 'app',
  job: null,
  last_check: null,
  next_check: null,
  problem: null,
  ...over,
});

describe('scheduled checks text', () => {
  it('names intervals in hours', () => {
    expect(everyLabel(1)).toBe('Every hour');
    expect(everyLabel(24)).toBe('Every 24 hours');
  });

  it('sums drift per state and says so when there is none', () => {
    expect(driftText([['missing', 3], ['changed', 1]])).toBe('3 missing, 1 changed');
    expect(driftText([])).toBe('no drift');
  });

  it('colours the last check by its outcome and counts drifting rows', () => {
    const at = '2026-12-07T10:00:00Z';
    expect(lastCheckPill({ checked_at: at, status: 'in_sync', drift: [], error: null })).toEqual({ tone: 'ok', label: 'In sync' });
    expect(lastCheckPill({ checked_at: at, status: 'drift', drift: [['missing', 2], ['extra', 1]], error: null })).toEqual({ tone: 'warn', label: 'Drift: 3 rows' });
    expect(lastCheckPill({ checked_at: at, status: 'drift', drift: [['missing', 1]], error: null }).label).toBe('Drift: 1 row');
    expect(lastCheckPill({ checked_at: at, status: 'failed', drift: [], error: 'network' }).tone).toBe('error');
  });

  it('says where checks run', () => {
    expect(runsInText(target({ every_hours: null, runs_in: null }), 'systemd user timer')).toBe('Off');
    expect(runsInText(target({ runs_in: 'background' }), 'systemd user timer')).toBe('Background (systemd user timer)');
    expect(runsInText(target({ runs_in: 'app' }), null)).toBe('While the app is open');
  });

  it('reads the watcher exit codes', () => {
    expect(exitText(null)).toBeNull();
    expect(exitText(0)).toBe('in sync');
    expect(exitText(2)).toBe('drift found');
    expect(exitText(1)).toBe('failed (exit 1)');
  });
});
