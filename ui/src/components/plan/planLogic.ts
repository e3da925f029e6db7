// Pure logic of the plan review: phases, selection, approvals and the confirmation rule.
import type { ApplyProgressDto } from '../../bindings/ApplyProgressDto';
import type { PlanAction } from '../../bindings/PlanAction';
import type { PlanOperation } from '../../bindings/PlanOperation';
import type { PlanDecisionKind } from '../../bindings/PlanDecisionKind';
import type { PlanPolicy } from '../../bindings/PlanPolicy';

/** The safe defaults; the deletion guard is always the one saved in Settings. */
export const DEFAULT_POLICY: PlanPolicy = {
  upsert_only: false,
  managed_only: true,
  mirror_deletes: false,
  decided: [],
};

/** How a decision reads in the review. */
export const DECISION_KIND_LABEL: Record<PlanDecisionKind, string> = {
  reenable: 'Re-enable',
  delete: 'Delete',
};

/** The policy's chosen decisions with `id` added or removed. */
export function choose(decided: readonly string[], id: string, chosen: boolean): string[] {
  const rest = decided.filter((d) => d !== id);
  return chosen ? [...rest, id] : rest;
}

export const ACTION_LABEL: Record<PlanAction, string> = {
  create_user: 'Create users',
  patch_user: 'Update users',
  replace_user: 'Replace users',
  create_group: 'Create groups',
  patch_group: 'Update groups',
  add_members: 'Add members',
  remove_members: 'Remove members',
  deactivate_user: 'Deactivate users',
  delete_user: 'Delete users',
  delete_group: 'Delete groups',
};

export interface Phase {
  action: PlanAction;
  label: string;
  ops: PlanOperation[];
}

/** Operations grouped by phase, in the order they run (the plan lists them that way). */
export function phases(ops: readonly PlanOperation[]): Phase[] {
  const out: Phase[] = [];
  for (const op of ops) {
    const last = out[out.length - 1];
    if (last && last.action === op.action) last.ops.push(op);
    else out.push({ action: op.action, label: ACTION_LABEL[op.action], ops: [op] });
  }
  return out;
}

/** Every operation selected: the review starts with everything checked. */
export function selectAll(ops: readonly PlanOperation[]): Set<string> {
  return new Set(ops.map((o) => o.id));
}

/** The approval keys of the selected operations, to send to `plan_apply`. */
export function approvedIntents(ops: readonly PlanOperation[], selected: ReadonlySet<string>): string[] {
  return ops.filter((o) => selected.has(o.id)).flatMap((o) => o.intents);
}

export function selectedCount(ops: readonly PlanOperation[], selected: ReadonlySet<string>): number {
  return ops.filter((o) => selected.has(o.id)).length;
}

/** Destructive operations among the selected ones: the number the admin confirms. */
export function destructiveCount(ops: readonly PlanOperation[], selected: ReadonlySet<string>): number {
  return ops.filter((o) => o.destructive && selected.has(o.id)).length;
}

/** The confirmation is complete when the typed name matches the target's exactly (trimmed). */
export function confirmationReady(typed: string, targetName: string): boolean {
  return typed.trim() !== '' && typed.trim() === targetName.trim();
}

/** Toggles every operation of one phase on or off. */
export function setPhase(selected: ReadonlySet<string>, phase: Phase, on: boolean): Set<string> {
  const next = new Set(selected);
  for (const op of phase.ops) {
    if (on) next.add(op.id);
    else next.delete(op.id);
  }
  return next;
}

export function toggle(selected: ReadonlySet<string>, id: string): Set<string> {
  const next = new Set(selected);
  if (next.has(id)) next.delete(id);
  else next.add(id);
  return next;
}

export function applyFraction(p: ApplyProgressDto): number | null {
  if (p.phase === 'reading') return null;
  return p.total === 0 ? 1 : p.done / p.total;
}

export function applyText(p: ApplyProgressDto): string {
  if (p.phase === 'reading') {
    const users = p.users_total === null ? `${p.users_read}` : `${p.users_read} of ${p.users_total}`;
    return `Reading the target again before writing: ${users} users, ${p.groups_read} groups`;
  }
  const tail = p.last === '' ? '' : ` · last: ${p.last}`;
  return `${p.done} of ${p.total} operations · ${p.succeeded} succeeded · ${p.failed} failed · ${p.skipped} skipped${tail}`;
}
