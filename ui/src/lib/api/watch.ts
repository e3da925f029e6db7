import type { WatchCheckResult } from '../../bindings/WatchCheckResult';
import type { WatchOverview } from '../../bindings/WatchOverview';
import { call } from '../ipc';

/** Every target's schedule, where its checks run and what the last one found. */
export function watchOverview(): Promise<WatchOverview> {
  return call<WatchOverview>('watch_overview');
}

/** Turns a target's scheduled checks on (hours) or off (null), applying safe changes or not. */
export function watchScheduleSet(targetId: string, everyHours: number | null, applySafe: boolean): Promise<WatchOverview> {
  return call<WatchOverview>('watch_schedule_set', { targetId, everyHours, applySafe });
}

/** Checks one target now, as the schedule would. */
export function watchCheckNow(targetId: string): Promise<WatchCheckResult> {
  return call<WatchCheckResult>('watch_check_now', { targetId });
}
