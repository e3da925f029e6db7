// Words for the Scheduled checks panel, kept apart from the component so they are unit-tested.
import type { LastCheck } from '../../bindings/LastCheck';
import type { WatchTarget } from '../../bindings/WatchTarget';
import type { PillTone } from '../Pill.svelte';

/** "Every hour", "Every 4 hours". */
export function everyLabel(hours: number): string {
  return hours === 1 ? 'Every hour' : `Every ${hours} hours`;
}

/** "3 missing, 1 changed"; "no drift" when there is none. */
export function driftText(drift: [string, number][]): string {
  if (drift.length === 0) return 'no drift';
  return drift.map(([state, n]) => `${n} ${state}`).join(', ');
}

/** The last check as a pill: in sync, drift with its row count, or failed. */
export function lastCheckPill(last: LastCheck): { tone: PillTone; label: string } {
  switch (last.status) {
    case 'in_sync':
      return { tone: 'ok', label: 'In sync' };
    case 'drift': {
      const rows = last.drift.reduce((sum, [, n]) => sum + n, 0);
      return { tone: 'warn', label: `Drift: ${rows} ${rows === 1 ? 'row' : 'rows'}` };
    }
    case 'failed':
      return { tone: 'error', label: 'Check failed' };
  }
}

/** Where a target's checks run, in a few words. */
export function runsInText(target: WatchTarget, platform: string | null): string {
  if (target.every_hours === null) return 'Off';
  if (target.runs_in === 'background') return `Background (${platform ?? 'scheduler'})`;
  return 'While the app is open';
}

/** The background job's last exit code in words (0 in sync, 2 drift, else failed). */
export function exitText(code: number | null): string | null {
  if (code === null) return null;
  if (code === 0) return 'in sync';
  if (code === 2) return 'drift found';
  return `failed (exit ${code})`;
}
