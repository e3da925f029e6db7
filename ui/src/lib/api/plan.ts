// Typed wrappers over the plan commands (Rust: src-tauri/src/commands/plan.rs).
import type { ApplyOutcomeDto } from '../../bindings/ApplyOutcomeDto';
import type { ApplyProgressDto } from '../../bindings/ApplyProgressDto';
import type { PlanPolicy } from '../../bindings/PlanPolicy';
import type { PlanView } from '../../bindings/PlanView';
import { call, progressChannel } from '../ipc';

/** The plan from the target's last diff under `policy`. */
export function planPreview(targetId: string, policy: PlanPolicy): Promise<PlanView> {
  return call<PlanView>('plan_preview', { targetId, policy });
}

/** Re-reads the target and applies the approved intents still needed; recorded in History. */
export function planApply(
  targetId: string,
  policy: PlanPolicy,
  approved: string[],
  confirmDestructive: number | null,
  overrideGuard: number | null,
  onProgress: (p: ApplyProgressDto) => void,
): Promise<ApplyOutcomeDto> {
  return call<ApplyOutcomeDto>('plan_apply', {
    targetId,
    policy,
    approved,
    confirmDestructive,
    overrideGuard,
    onProgress: progressChannel(onProgress),
  });
}

export function planCancel(targetId: string): Promise<boolean> {
  return call<boolean>('plan_cancel', { targetId });
}

/** Creates or updates one JumpCloud user in the target and adds it to its groups. */
export function provisionUser(
  targetId: string,
  sourceId: string,
  onProgress: (p: ApplyProgressDto) => void,
): Promise<ApplyOutcomeDto> {
  return call<ApplyOutcomeDto>('provision_user', { targetId, sourceId, onProgress: progressChannel(onProgress) });
}
