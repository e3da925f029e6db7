import { describe, expect, it } from 'vitest';
import {
  applyFraction,
  applyText,
  approvedIntents,
  confirmationReady,
  destructiveCount,
  phases,
  selectAll,
  selectedCount,
  setPhase,
  toggle,
} from './planLogic';
import { planOperation } from '../../test/fixtures';

const op = planOperation;

const OPS = [
  op('c1', 'create_user'),
  op('c2', 'create_user'),
  op('m1', 'add_members', false, ['add:g:u1', 'add:g:u2']),
  op('r1', 'remove_members', true, ['remove:g:u3']),
  op('d1', 'deactivate_user', true),
];

describe('plan selection', () => {
  it('groups operations by phase in order', () => {
    const p = phases(OPS);
    expect(p.map((x) => x.action)).toEqual(['create_user', 'add_members', 'remove_members', 'deactivate_user']);
    expect(p[0]?.ops).toHaveLength(2);
  });

  it('approves the intents of selected operations, members one by one', () => {
    const all = selectAll(OPS);
    expect(approvedIntents(OPS, all)).toEqual(['c1', 'c2', 'add:g:u1', 'add:g:u2', 'remove:g:u3', 'd1']);
    const some = toggle(toggle(all, 'c2'), 'd1');
    expect(approvedIntents(OPS, some)).toEqual(['c1', 'add:g:u1', 'add:g:u2', 'remove:g:u3']);
    expect(selectedCount(OPS, some)).toBe(3);
  });

  it('counts destructive operations of the selection only', () => {
    const all = selectAll(OPS);
    expect(destructiveCount(OPS, all)).toBe(2);
    expect(destructiveCount(OPS, toggle(all, 'd1'))).toBe(1);
    const p = phases(OPS);
    const none = setPhase(setPhase(all, p[2]!, false), p[3]!, false);
    expect(destructiveCount(OPS, none)).toBe(0);
    expect(setPhase(none, p[3]!, true).has('d1')).toBe(true);
  });

  it('enables the confirmation only on the exact target name', () => {
    expect(confirmationReady('', 'Demo')).toBe(false);
    expect(confirmationReady('demo', 'Demo')).toBe(false);
    expect(confirmationReady(' Demo ', 'Demo')).toBe(true);
  });

  it('describes progress', () => {
    const base = {
      users_read: 3,
      users_total: 10,
      groups_read: 1,
      groups_total: null,
      done: 2,
      total: 4,
      succeeded: 2,
      failed: 0,
      skipped: 0,
      last: 'create user a',
    };
    expect(applyFraction({ ...base, phase: 'reading' })).toBeNull();
    expect(applyFraction({ ...base, phase: 'applying' })).toBe(0.5);
    expect(applyText({ ...base, phase: 'reading' })).toContain('3 of 10 users');
    expect(applyText({ ...base, phase: 'applying' })).toContain('2 of 4 operations');
  });
});
