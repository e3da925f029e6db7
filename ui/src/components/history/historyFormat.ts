import type { ObjectKind } from '../../bindings/history/ObjectKind';
import type { ObjectState } from '../../bindings/history/ObjectState';
import type { RunKind } from '../../bindings/history/RunKind';
import type { RunOutcome } from '../../bindings/history/RunOutcome';
import type { StepState } from '../../bindings/history/StepState';
import type { IconName } from '../icons';

/** What the admin picked in the run filters; '' means "any". Dates are `YYYY-MM-DD`. */
export interface FilterValues {
  target: string;
  kind: RunKind | '';
  outcome: RunOutcome | '';
  from: string;
  to: string;
}

export const NO_FILTERS: FilterValues = { target: '', kind: '', outcome: '', from: '', to: '' };

// The end-to-end tests read these words; keep them stable.
export const KIND_LABELS: Record<RunKind, string> = {
  test_connection: 'Test connection',
  diff: 'Diff',
  apply: 'Apply',
  provision_one: 'Provision one',
};

export const OUTCOME_LABELS: Record<RunOutcome, string> = {
  running: 'Running',
  succeeded: 'Succeeded',
  failed: 'Failed',
  cancelled: 'Cancelled',
  partial: 'Partly done',
};

const STATE_LABELS: Record<ObjectState, string> = {
  in_sync: 'in sync',
  missing: 'missing',
  extra: 'extra',
  changed: 'changed',
  ineligible: 'ineligible',
};

const OBJECT_LABELS: Record<ObjectKind, string> = {
  user: 'User',
  group: 'Group',
  membership: 'Membership',
};

export function stateLabel(state: ObjectState | null): string {
  return state === null ? 'not present' : STATE_LABELS[state];
}

export function objectLabel(kind: ObjectKind): string {
  return OBJECT_LABELS[kind];
}

/** Colour class of an HTTP status: 2xx ok, 4xx client problem, 5xx or no reply an error. */
export function statusTone(status: number | null): 'ok' | 'warn' | 'error' {
  if (status === null || status >= 500) return 'error';
  if (status >= 400) return 'warn';
  return 'ok';
}

/** Date and time in the admin's locale; the raw text when it does not parse. */
export function formatDateTime(rfc3339: string): string {
  const at = new Date(rfc3339);
  if (Number.isNaN(at.getTime())) return rfc3339;
  return at.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
}

/** Compact time for the run list: no year when it is this year's. */
export function formatRunTime(rfc3339: string, now: Date = new Date()): string {
  const at = new Date(rfc3339);
  if (Number.isNaN(at.getTime())) return rfc3339;
  const sameYear = at.getFullYear() === now.getFullYear();
  return at.toLocaleString(undefined, {
    year: sameYear ? undefined : 'numeric',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
}

export function formatDuration(startedAt: string, finishedAt: string | null): string {
  if (finishedAt === null) return 'still running';
  const ms = new Date(finishedAt).getTime() - new Date(startedAt).getTime();
  if (Number.isNaN(ms) || ms < 0) return '—';
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/**
 * A date input's `YYYY-MM-DD` as the start of that local day in UTC ISO form; with `nextDay`,
 * the start of the following day (the filter's end is exclusive, the admin's "to" is inclusive).
 */
export function dayBoundary(day: string, nextDay = false): string | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!match) return null;
  const [, y, m, d] = match.map(Number) as [number, number, number, number];
  return new Date(y, m - 1, d + (nextDay ? 1 : 0)).toISOString();
}

/** Run kinds that keep a journal of planned steps. */
export function hasSteps(kind: RunKind): boolean {
  return kind === 'apply' || kind === 'provision_one';
}

export type StepTone = 'muted' | 'warn' | 'ok' | 'error';

export interface StepStateView {
  label: string;
  tone: StepTone;
  icon: IconName;
  /** Longer explanation, for the tooltip and screen readers. */
  title: string;
}

/**
 * How a journal step reads. A step still `running` (or `pending`) in a run that is no longer
 * running was cut off: the app stopped while that request was in flight (or before it was sent).
 */
export function stepStateView(state: StepState, runStillRunning: boolean): StepStateView {
  switch (state) {
    case 'pending':
      return runStillRunning
        ? { label: 'Pending', tone: 'muted', icon: 'minus', title: 'Not started yet' }
        : { label: 'Pending', tone: 'muted', icon: 'minus', title: 'Never started: the apply ended before this step' };
    case 'running':
      return runStillRunning
        ? { label: 'Running', tone: 'warn', icon: 'pulse', title: 'The request is being sent now' }
        : {
            label: 'Was in flight when the app stopped',
            tone: 'warn',
            icon: 'alert',
            title: 'Was in flight when the app stopped: check the target to see whether it took effect',
          };
    case 'succeeded':
      return { label: 'Succeeded', tone: 'ok', icon: 'check', title: 'Done' };
    case 'failed':
      return { label: 'Failed', tone: 'error', icon: 'close', title: 'The target refused the request or did not answer' };
    case 'skipped':
      return { label: 'Skipped', tone: 'muted', icon: 'ban', title: 'Not sent' };
  }
}

/** Per-state counts of a journal, in display order, zero counts left out. */
export function stepTally(states: readonly StepState[]): { state: StepState; count: number }[] {
  const order: StepState[] = ['succeeded', 'failed', 'running', 'pending', 'skipped'];
  const counts = new Map<StepState, number>();
  for (const s of states) counts.set(s, (counts.get(s) ?? 0) + 1);
  return order.filter((s) => (counts.get(s) ?? 0) > 0).map((s) => ({ state: s, count: counts.get(s) ?? 0 }));
}
