import { describe, expect, it } from 'vitest';
import type { DiffSummary } from '../../bindings/DiffSummary';
import type { DiffProgress } from '../../bindings/DiffProgress';
import { ICONS } from '../icons';
import {
  DEFAULT_FILTERS,
  STATE_HINTS,
  STATE_INFO,
  STATE_ORDER,
  buildQuery,
  clearedFilters,
  countOf,
  flatten,
  formatDuration,
  formatValue,
  isChangedPath,
  kindDrift,
  isDrift,
  kindTotal,
  pagesToLoad,
  rowsAround,
  pageWindow,
  formatSecondsLeft,
  progressFraction,
  progressText,
  sideBySide,
  splitMembershipLabel,
  stateDescription,
  stateLabel,
  throttleText,
  toggleState,
  withKind,
  withStateToggled,
} from './diffFormat';

function summary(): DiffSummary {
  return {
    target_id: 'demo-aws',
    target_name: 'AWS (demo)',
    counts: [
      { state: 'missing', users: 4, groups: 1, memberships: 9 },
      { state: 'extra', users: 2, groups: 0, memberships: 3 },
      { state: 'changed', users: 5, groups: 0, memberships: 0 },
      { state: 'left_as_is', users: 3, groups: 1, memberships: 2 },
      { state: 'disabled', users: 1, groups: 0, memberships: 0 },
      { state: 'in_sync', users: 150, groups: 12, memberships: 0 },
    ],
    total_rows: 186,
    drifted: 24,
    duration_ms: 412,
    requests: 31,
    finished_at: '2026-11-23T10:00:00Z',
    attributes: ['title'],
  };
}

describe('state legend', () => {
  it('describes, labels and colours every state differently', () => {
    expect(STATE_ORDER).toHaveLength(11);
    expect(new Set(STATE_ORDER)).toEqual(new Set(Object.keys(STATE_INFO)));
    const colours = STATE_ORDER.map((s) => STATE_INFO[s].color);
    const icons = STATE_ORDER.map((s) => STATE_INFO[s].icon);
    const texts = STATE_ORDER.map((s) => stateDescription(s));
    expect(new Set(colours).size).toBe(11);
    expect(new Set(icons).size).toBe(11);
    expect(new Set(texts).size).toBe(11);
    for (const s of STATE_ORDER) {
      expect(ICONS[STATE_INFO[s].icon]).toBeDefined();
      expect(STATE_HINTS[s].length).toBeGreaterThan(3);
    }
    expect(stateDescription('ineligible')).toMatch(/rules/);
  });

  it('words membership rows as additions and removals', () => {
    expect(stateLabel('missing', 'membership')).toBe('To add');
    expect(stateLabel('extra', 'membership')).toBe('To remove');
    expect(stateLabel('missing', 'user')).toBe('Missing');
    expect(stateDescription('missing', 'membership')).toMatch(/added/);
    expect(stateDescription('extra', 'membership')).toMatch(/removed/);
    // States memberships never have fall back to the general sentence.
    expect(stateDescription('changed', 'membership')).toBe(stateDescription('changed'));
  });
});

describe('counts', () => {
  it('reads a state per kind and totals a kind', () => {
    const s = summary();
    expect(countOf(s, 'missing', 'membership')).toBe(9);
    expect(countOf(s, 'deactivate', 'user')).toBe(0);
    expect(countOf(null, 'missing', 'user')).toBe(0);
    expect(kindTotal(s, 'user')).toBe(165);
    // Only what the default plan writes is drift: left-as-is and disabled rows are not.
    expect(kindDrift(s, 'user')).toBe(11);
    expect(kindDrift(s, 'group')).toBe(1);
    expect(kindDrift(s, 'membership')).toBe(12);
    expect(isDrift('missing')).toBe(true);
    expect(isDrift('left_as_is')).toBe(false);
    expect(isDrift('decision')).toBe(false);
  });
});

describe('row requests', () => {
  it('asks for one kind and drops filters that kind cannot have', () => {
    expect(buildQuery({ kind: 'user', states: ['changed'], attribute: 'title', search: '  ann ', group: 'g1', hideInSync: true })).toEqual({
      kinds: ['user'],
      states: ['changed'],
      search: 'ann',
      attribute: 'title',
      group: null,
    });
    expect(buildQuery({ kind: 'membership', states: ['changed', 'missing'], attribute: 'title', search: '', group: 'g1', hideInSync: true })).toEqual({
      kinds: ['membership'],
      states: ['missing'],
      search: '',
      attribute: null,
      group: 'g1',
    });
    expect(buildQuery({ kind: 'group', states: [], attribute: '', search: '', group: '', hideInSync: false })).toMatchObject({ states: [], attribute: null });
  });

  it('lists only the differences unless asked for rows in sync', () => {
    const base = { kind: 'user' as const, states: [], attribute: '', search: '', group: '', hideInSync: true };
    expect(buildQuery(base).states).toEqual([
      'missing',
      'extra',
      'changed',
      'deactivate',
      'conflict',
      'decision',
      'disabled',
      'left_as_is',
      'unmanaged',
      'ineligible',
    ]);
    expect(buildQuery({ ...base, hideInSync: false }).states).toEqual([]);
    // A chosen state wins, in sync included.
    expect(buildQuery({ ...base, states: ['in_sync'] }).states).toEqual(['in_sync']);
    // Memberships have no rows in sync: all of them.
    expect(buildQuery({ ...base, kind: 'membership' }).states).toEqual([]);
  });

  it('toggles states in legend order', () => {
    expect(toggleState([], 'ineligible')).toEqual(['ineligible']);
    expect(toggleState(['ineligible'], 'missing')).toEqual(['missing', 'ineligible']);
    expect(toggleState(['missing', 'ineligible'], 'missing')).toEqual(['ineligible']);
  });

  it('moves the filters between tabs and clears what narrows the list', () => {
    const members = { ...DEFAULT_FILTERS, kind: 'membership' as const, group: 'g1' };
    // A state memberships never have switches to the first tab that has rows.
    expect(withStateToggled(members, 'changed', summary())).toMatchObject({ kind: 'user', states: ['changed'] });
    expect(withStateToggled(members, 'missing', summary())).toMatchObject({ kind: 'membership', states: ['missing'] });
    expect(withKind({ ...DEFAULT_FILTERS, attribute: 'title', group: 'g1' }, 'membership')).toMatchObject({ attribute: '', group: '' });
    expect(withKind({ ...DEFAULT_FILTERS, attribute: 'title' }, 'group').attribute).toBe('title');
    const narrowed = { ...DEFAULT_FILTERS, kind: 'group' as const, states: ['extra' as const], search: 'x', hideInSync: false };
    expect(clearedFilters(narrowed)).toEqual({ ...DEFAULT_FILTERS, kind: 'group', hideInSync: false });
  });

  it('loads only the pages under the viewport that are not there yet', () => {
    expect(pagesToLoad(0, 30, 1000, 200, new Set())).toEqual([0]);
    expect(pagesToLoad(0, 30, 1000, 200, new Set([0]))).toEqual([]);
    expect(pagesToLoad(190, 420, 1000, 200, new Set([0]))).toEqual([1, 2]);
    // Never past the last row.
    expect(pagesToLoad(950, 1200, 1000, 200, new Set())).toEqual([4]);
    expect(pagesToLoad(0, 10, 0, 200, new Set())).toEqual([]);
    expect(pageWindow(3, 200)).toEqual({ offset: 600, limit: 200 });
  });

  it('asks for the rows rendered just above a jump that lands past a page boundary', () => {
    // A jump to row 5004 renders rows from 4996 (8 rows of overscan): page 24 (4800-4999) too.
    const { start, end } = rowsAround(5004 * 34, 388, 34, 20);
    expect(start).toBe(4984);
    expect(end).toBe(5004 + 12 + 20);
    expect(pagesToLoad(start, end, 20017, 200, new Set([0]))).toEqual([24, 25]);
    // Never before the first row.
    expect(rowsAround(5 * 34, 388, 34, 20).start).toBe(0);
  });
});

function progress(p: Partial<DiffProgress>): DiffProgress {
  return {
    phase: 'reading',
    users_read: 0,
    users_total: null,
    groups_read: 0,
    groups_total: null,
    member_lists_read: 0,
    member_lists_total: null,
    per_second: null,
    seconds_left: null,
    requests: 0,
    refused: 0,
    pace: null,
    ...p,
  };
}

describe('progress', () => {
  it('says the phase and what was read', () => {
    const p = progress({ users_read: 120, users_total: 200, groups_read: 3, requests: 1 });
    expect(progressText(p)).toBe('Reading the target · users 120 / 200 · groups 3 · 1 request');
    expect(progressFraction(p)).toBeNull();
    expect(progressFraction({ ...p, groups_total: 50 })).toBeCloseTo(123 / 250);
    expect(progressFraction({ ...p, phase: 'comparing' })).toBe(1);
    expect(throttleText(p)).toBeNull();
  });

  it('gives a long membership read its lists, rate, time left and throttling', () => {
    const p = progress({
      phase: 'memberships',
      users_read: 50000,
      groups_read: 10000,
      member_lists_read: 4210,
      member_lists_total: 10000,
      per_second: 19.64,
      seconds_left: 295,
      requests: 4810,
      refused: 12,
      pace: 19.6,
    });
    expect(progressText(p)).toBe(
      'Reading group members · users 50000 · groups 10000 · member lists 4210 / 10000 · 4810 requests · 19.6 lists/s · about 4 min 55 s left',
    );
    expect(progressFraction(p)).toBeCloseTo(0.421);
    expect(progressFraction({ ...p, member_lists_total: null })).toBeNull();
    expect(throttleText(p)).toBe(
      'The target limited the request rate 12 times; the app keeps to 19.6 requests a second. Nothing is lost: each refused request was sent again.',
    );
    expect(formatSecondsLeft(4330)).toBe('1 h 12 min');
  });
});

describe('formatters', () => {
  it('formats durations, values and file names', () => {
    expect(formatDuration(412)).toBe('412 ms');
    expect(formatDuration(2500)).toBe('2.5 s');
    expect(formatDuration(125_000)).toBe('2 min 5 s');
    expect(formatValue(null)).toBe('(none)');
    expect(formatValue(undefined)).toBe('(none)');
    expect(formatValue('Engineer')).toBe('Engineer');
    expect(formatValue(false)).toBe('false');
    expect(formatValue({ a: 1 })).toBe('{"a":1}');
    expect(splitMembershipLabel('Engineering: Ann Lee')).toEqual({ group: 'Engineering', member: 'Ann Lee' });
    expect(splitMembershipLabel('solo')).toEqual({ group: '', member: 'solo' });
  });
});

describe('side by side', () => {
  it('flattens records to leaf paths', () => {
    expect(flatten({ userName: 'ann', name: { familyName: 'Lee' }, emails: [{ value: 'a@x', primary: true }], groups: [] })).toEqual([
      ['userName', 'ann'],
      ['name.familyName', 'Lee'],
      ['emails[0].value', 'a@x'],
      ['emails[0].primary', true],
      ['groups', []],
    ]);
    expect(flatten(null)).toEqual([]);
  });

  it('matches changed attributes through list positions and filters', () => {
    expect(isChangedPath('name.familyName', ['name.familyName'])).toBe(true);
    expect(isChangedPath('name.familyName', ['name'])).toBe(true);
    expect(isChangedPath('emails[0].value', ['emails[primary eq true].value'])).toBe(true);
    expect(isChangedPath('displayName', ['name'])).toBe(false);
    expect(isChangedPath('title', [])).toBe(false);
  });

  it('aligns both sides by path and marks the changed rows', () => {
    const rows = sideBySide({ userName: 'ann', title: 'Lead' }, { id: 'u1', userName: 'ann', title: 'Eng' }, ['title']);
    expect(rows.map((r) => r.path)).toEqual(['userName', 'title', 'id']);
    expect(rows.find((r) => r.path === 'title')).toEqual({ path: 'title', expected: 'Lead', actual: 'Eng', changed: true });
    expect(rows.find((r) => r.path === 'id')).toMatchObject({ expected: undefined, actual: 'u1', changed: false });
    expect(rows.find((r) => r.path === 'userName')?.changed).toBe(false);
  });
});
