import { describe, expect, it } from 'vitest';
import type { PlanGuard } from '../../bindings/PlanGuard';
import type { PlanOperation } from '../../bindings/PlanOperation';
import { guardTrips, overrideReady, selectedDeprovisions } from './guard';

const guard: PlanGuard = { deprovisions: 4, target_objects: 60, max_count: 10, max_percent: 5, tripped: true };

function op(id: string, action: PlanOperation['action']): PlanOperation {
  return {
    id, action, phase: 0, label: id, reason: '', reason_code: '', destructive: true, source_id: null,
    target_id: null, attributes: [], body: null, member_count: 0, member_labels: [], intents: [id],
  };
}

describe('deletion guard step', () => {
  it('counts only selected deactivations and deletions', () => {
    const ops = [op('a', 'deactivate_user'), op('b', 'delete_group'), op('c', 'remove_members'), op('d', 'delete_user')];
    expect(selectedDeprovisions(ops, new Set(['a', 'b', 'c']))).toBe(2);
  });

  it('trips on the count or the share, like the engine', () => {
    expect(guardTrips(guard, 3)).toBe(false); // 3 of 60 is exactly 5 %
    expect(guardTrips(guard, 4)).toBe(true);
    expect(guardTrips({ ...guard, target_objects: 1000 }, 11)).toBe(true);
    expect(guardTrips({ ...guard, target_objects: 1000 }, 10)).toBe(false);
    expect(guardTrips(guard, 0)).toBe(false);
  });

  it('is ready only for the exact number', () => {
    expect(overrideReady(4, 4)).toBe(true);
    for (const typed of [null, undefined, 3, 5, 4.5, -4, NaN]) expect(overrideReady(typed, 4)).toBe(false);
  });
});
