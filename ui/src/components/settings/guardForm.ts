// The Settings page's deletion guard form: what the admin typed, checked before saving. The
// engine checks the same range again (0 < share <= 100) for the app and the CLI alike.
import type { DeletionGuard } from '../../bindings/drift/DeletionGuard';

export type GuardParse = { guard: DeletionGuard } | { problem: string };

export function parseGuard(count: string, percent: string): GuardParse {
  const c = count.trim();
  const p = percent.trim();
  if (!/^\d+$/.test(c) || !Number.isSafeInteger(Number(c)) || Number(c) > 4294967295) {
    return { problem: 'The count is a whole number of users and groups, 0 or more.' };
  }
  const share = Number(p);
  if (p === '' || !Number.isFinite(share) || share <= 0 || share > 100) {
    return { problem: 'The share is a percentage above 0 and at most 100.' };
  }
  return { guard: { max_count: Number(c), max_percent: share } };
}
