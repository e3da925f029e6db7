// Typed wrappers over the history commands (src-tauri/src/commands/history.rs).
import type { HistoryInfo } from '../../bindings/HistoryInfo';
import type { ApplyStep } from '../../bindings/history/ApplyStep';
import type { DriftPoint } from '../../bindings/history/DriftPoint';
import type { Operation } from '../../bindings/history/Operation';
import type { OperationPage } from '../../bindings/history/OperationPage';
import type { RunDetail } from '../../bindings/history/RunDetail';
import type { RunFilter } from '../../bindings/history/RunFilter';
import type { RunPage } from '../../bindings/history/RunPage';
import type { RunSummary } from '../../bindings/history/RunSummary';
import type { Retention } from '../../bindings/history/Retention';
import type { SnapshotDelta } from '../../bindings/history/SnapshotDelta';
import { call } from '../ipc';

export function historyInfo(): Promise<HistoryInfo> {
  return call<HistoryInfo>('history_info');
}

export function historyList(filter: RunFilter, page: RunPage): Promise<RunSummary[]> {
  return call<RunSummary[]>('history_list', { filter, page });
}

export function historyRun(runId: number): Promise<RunDetail> {
  return call<RunDetail>('history_run', { runId });
}

export function historyOperations(runId: number, page: OperationPage): Promise<Operation[]> {
  return call<Operation[]>('history_operations', { runId, page });
}

/** Every operation of a run, fetched page by page (runs are bounded by what one action sends). */
export async function historyAllOperations(runId: number, pageSize = 500): Promise<Operation[]> {
  const all: Operation[] = [];
  let afterSeq: number | null = null;
  for (;;) {
    const page: Operation[] = await historyOperations(runId, { limit: pageSize, afterSeq });
    all.push(...page);
    const last = page.at(-1);
    if (page.length < pageSize || last === undefined) return all;
    afterSeq = last.seq;
  }
}

/** The journal of an apply or provision run, in plan order (empty for other kinds). */
export function historySteps(runId: number): Promise<ApplyStep[]> {
  return call<ApplyStep[]>('history_steps', { runId });
}

export function historyDriftOverTime(targetId: string, limit: number): Promise<DriftPoint[]> {
  return call<DriftPoint[]>('history_drift_over_time', { targetId, limit });
}

export function historyComparePrevious(runId: number): Promise<SnapshotDelta> {
  return call<SnapshotDelta>('history_compare_previous', { runId });
}

/** The saved history retention; `null` keeps everything. */
export function historyRetentionGet(): Promise<Retention | null> {
  return call<Retention | null>('history_retention_get');
}

/** Saves the retention and applies it at once; resolves to how many runs were removed now. */
export function historyRetentionSet(retention: Retention | null): Promise<number> {
  return call<number>('history_retention_set', { retention });
}
