// What the UI says about reading the JumpCloud directory of a configured workspace.
import type { DirectoryReadProgress } from '../bindings/DirectoryReadProgress';
import type { DirectorySummary } from '../bindings/DirectorySummary';
import { formatCheckedAt } from './format';

/** A configured workspace reads JumpCloud; the demo has its directory from the start. */
export function readsJumpCloud(directory: DirectorySummary): boolean {
  return directory.needs_read || directory.read_at != null;
}

/** "Not read yet …" or "Last read 14:02"; null for the demo. */
export function lastReadText(directory: DirectorySummary, now: Date = new Date()): string | null {
  if (!readsJumpCloud(directory)) return null;
  if (directory.needs_read || directory.read_at == null) {
    return 'Not read yet. Diffs need a complete read of JumpCloud first.';
  }
  return `Last read ${formatCheckedAt(directory.read_at, now) ?? directory.read_at}`;
}

const PHASES: Record<DirectoryReadProgress['phase'], string> = {
  collections: 'Reading JumpCloud users, groups and applications',
  relations: 'Reading JumpCloud group members and application bindings',
  done: 'JumpCloud read complete',
};

export function readProgressText(p: DirectoryReadProgress): string {
  const parts = [PHASES[p.phase]];
  if (p.phase !== 'done' && p.total > 0) parts.push(`${p.done} of ${p.total}`);
  parts.push(`${p.requests} ${p.requests === 1 ? 'request' : 'requests'}`);
  return parts.join(' · ');
}

/**
 * 0..1 over the whole read: the three lists are the first tenth, the relations the rest.
 * Null before anything is known (indeterminate bar).
 */
export function readFraction(p: DirectoryReadProgress | null): number | null {
  if (p === null) return null;
  if (p.phase === 'done') return 1;
  const part = p.total > 0 ? Math.min(1, p.done / p.total) : 0;
  return p.phase === 'collections' ? part * 0.1 : 0.1 + part * 0.9;
}
