import type { StatusState } from '../bindings/StatusState';
import type { TargetKind } from '../bindings/TargetKind';
import type { WorkspaceMode } from '../bindings/WorkspaceMode';

// The engine's display names (targets::Kind::display_name); a Rust test in ipc keeps them equal.
const KIND_LABELS: Record<TargetKind, string> = {
  aws: 'AWS IAM Identity Center',
  unity: 'Unity Cloud',
  strong_dm: 'StrongDM',
  axis: 'Axis Security (HPE Aruba SSE)',
  generic: 'Generic SCIM 2.0',
};

export function kindLabel(kind: TargetKind): string {
  return KIND_LABELS[kind];
}

// The end-to-end tests read these words; keep them stable.
const STATUS_LABELS: Record<StatusState, string> = {
  ok: 'OK',
  error: 'Error',
  unknown: 'Not checked',
};

export function statusLabel(state: StatusState): string {
  return STATUS_LABELS[state];
}

export function modeLabel(mode: WorkspaceMode): string {
  return mode === 'demo' ? 'Demo workspace' : 'Configured workspace';
}

/** Plain digits, like the directory tiles, so the same number reads the same everywhere. */
export function formatCount(value: number | null): string {
  return value === null ? '—' : String(value);
}

export function formatLatency(ms: number | null): string | null {
  if (ms === null) return null;
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** Local time of day for today's checks, date and time otherwise; null for missing or bad input. */
export function formatCheckedAt(rfc3339: string | null, now: Date = new Date()): string | null {
  if (rfc3339 === null) return null;
  const at = new Date(rfc3339);
  if (Number.isNaN(at.getTime())) return null;
  const sameDay = at.toDateString() === now.toDateString();
  return sameDay
    ? at.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' })
    : at.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}
