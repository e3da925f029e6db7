// The Settings page's history retention form: the choice as the admin sees it, and what it removes.
import type { Retention } from '../bindings/history/Retention';

export type RetentionMode = 'all' | 'runs' | 'days';

export interface RetentionForm {
  mode: RetentionMode;
  /** The number typed in the box, as text (the box may be empty or hold nonsense). */
  count: string;
}

export const DEFAULT_RUNS = 500;
export const DEFAULT_DAYS = 90;

export function formOf(retention: Retention | null): RetentionForm {
  if (retention === null) return { mode: 'all', count: '' };
  return { mode: retention.kind === 'keep_runs' ? 'runs' : 'days', count: String(retention.value) };
}

/** The retention to save, or a message saying why the form cannot be saved. */
export function retentionOf(form: RetentionForm): { retention: Retention | null } | { problem: string } {
  if (form.mode === 'all') return { retention: null };
  const text = form.count.trim();
  const n = /^\d+$/.test(text) ? Number(text) : NaN;
  const unit = form.mode === 'runs' ? 'runs' : 'days';
  if (!Number.isSafeInteger(n) || n < 1 || n > 4_294_967_295) {
    return { problem: `Enter a whole number of ${unit}, at least 1.` };
  }
  return { retention: form.mode === 'runs' ? { kind: 'keep_runs', value: n } : { kind: 'keep_days', value: n } };
}

/** One line saying what the choice removes, and when. */
export function describeRetention(retention: Retention | null): string {
  if (retention === null) return 'Every run is kept; nothing is ever removed.';
  const when = 'at start-up and after each run; runs still in progress are never removed.';
  if (retention.kind === 'keep_runs') {
    const runs = retention.value === 1 ? 'the newest run' : `the newest ${retention.value} runs`;
    return `All but ${runs} (across every target) are removed, with their operations and snapshots, ${when}`;
  }
  const days = retention.value === 1 ? '1 day' : `${retention.value} days`;
  return `Runs that started more than ${days} ago are removed, with their operations and snapshots, ${when}`;
}

export function sameRetention(a: Retention | null, b: Retention | null): boolean {
  if (a === null || b === null) return a === b;
  return a.kind === b.kind && a.value === b.value;
}
