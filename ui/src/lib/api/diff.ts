// Typed wrappers over the diff commands (Rust: src-tauri/src/commands/diff.rs).
import { Channel, invoke, type InvokeArgs } from '@tauri-apps/api/core';
import type { DiffDetail } from '../../bindings/DiffDetail';
import type { DiffKind } from '../../bindings/DiffKind';
import type { DiffProgress } from '../../bindings/DiffProgress';
import type { DiffRowQuery } from '../../bindings/DiffRowQuery';
import type { DiffRowsPage } from '../../bindings/DiffRowsPage';
import type { DiffSummary } from '../../bindings/DiffSummary';
import type { TargetCard } from '../../bindings/TargetCard';
import { toIpcError } from '../ipcError';

async function call<T>(command: string, args?: InvokeArgs): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (e) {
    // Same contract as lib/api.ts: every failure arrives as a plain IpcError.
    // eslint-disable-next-line @typescript-eslint/only-throw-error
    throw toIpcError(e);
  }
}

/** Reads the whole target and compares it with JumpCloud; `onProgress` gets each step. */
export function diffRun(targetId: string, onProgress: (progress: DiffProgress) => void): Promise<DiffSummary> {
  const channel = new Channel<DiffProgress>();
  channel.onmessage = onProgress;
  return call<DiffSummary>('diff_run', { targetId, onProgress: channel });
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
