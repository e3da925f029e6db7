// The deletion guard as the Plan page shows it. The engine decides (it re-plans and re-checks
// on apply against the limits saved in Settings); this only tells the admin in advance that the
// selection needs the separate override step, with the same rule as drift's guard.
import type { PlanGuard } from '../../bindings/PlanGuard';
import type { PlanOperation } from '../../bindings/PlanOperation';

const DEPROVISIONS = new Set(['deactivate_user', 'delete_user', 'delete_group']);

/** Deactivations and deletions among the selected operations. */
export function selectedDeprovisions(ops: readonly PlanOperation[], selected: ReadonlySet<string>): number {
  return ops.filter((op) => selected.has(op.id) && DEPROVISIONS.has(op.action)).length;
}

/** Whether `deprovisions` is over the guard's limits (count, or share of the target's objects). */
export function guardTrips(guard: PlanGuard, deprovisions: number): boolean {
  if (deprovisions === 0) return false;
  const shareExceeded = deprovisions * 100 > guard.max_percent * Math.max(guard.target_objects, 1);
  return deprovisions > guard.max_count || shareExceeded;
}

/** The override is ready only when the typed number is exactly the count. */
export function overrideReady(typed: number | null | undefined, deprovisions: number): boolean {
  return typeof typed === 'number' && Number.isInteger(typed) && typed === deprovisions;
}
