// Typed wrappers over the diff commands (Rust: src-tauri/src/commands/diff.rs).
import type { DiffDetail } from '../../bindings/DiffDetail';
import type { DiffKind } from '../../bindings/DiffKind';
import type { DiffProgress } from '../../bindings/DiffProgress';
import type { DiffRowQuery } from '../../bindings/DiffRowQuery';
import type { DiffRowsPage } from '../../bindings/DiffRowsPage';
import type { DiffSummary } from '../../bindings/DiffSummary';
import type { TargetCard } from '../../bindings/TargetCard';
import { call, progressChannel } from '../ipc';

/** Reads the whole target and compares it with JumpCloud; `onProgress` gets each step. */
export function diffRun(targetId: string, onProgress: (progress: DiffProgress) => void): Promise<DiffSummary> {
  return call<DiffSummary>('diff_run', { targetId, onProgress: progressChannel(onProgress) });
}

/** Stops the target's running diff; false when none was running. */
export function diffCancel(targetId: string): Promise<boolean> {
  return call<boolean>('diff_cancel', { targetId });
}

/** The target's last diff since the app started, or null. */
export function diffSummary(targetId: string): Promise<DiffSummary | null> {
  return call<DiffSummary | null>('diff_summary', { targetId });
}

export function diffRows(targetId: string, query: DiffRowQuery, offset: number, limit: number): Promise<DiffRowsPage> {
  return call<DiffRowsPage>('diff_rows', { targetId, query, offset, limit });
}

export function diffDetail(targetId: string, rowKey: string, kind: DiffKind): Promise<DiffDetail> {
  return call<DiffDetail>('diff_detail', { targetId, rowKey, kind });
}

/** The targets, without checking them over SCIM (Home does that), so the page sends nothing. */
export function diffTargets(): Promise<TargetCard[]> {
  return call<TargetCard[]>('targets_list');
}
