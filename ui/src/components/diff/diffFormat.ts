// The Diff page's words, colours and request building, kept out of the components so they are
// tested on their own.
import type { DiffExportFormat } from '../../bindings/DiffExportFormat';
import type { DiffKind } from '../../bindings/DiffKind';
import type { DiffProgress } from '../../bindings/DiffProgress';
import type { DiffRowQuery } from '../../bindings/DiffRowQuery';
import type { DiffState } from '../../bindings/DiffState';
import type { DiffSummary } from '../../bindings/DiffSummary';
import type { JsonValue } from '../../bindings/serde_json/JsonValue';
import type { IconName } from '../icons';

export interface StateInfo {
  state: DiffState;
  label: string;
  icon: IconName;
  /** Text colour (also the tile's accent). */
  color: string;
  /** Pale background. */
  soft: string;
}

/** The order of the tiles and the legend: what the plan writes first, then what waits for a
 * person, then what is left alone on purpose, in sync last. */
export const STATE_ORDER: readonly DiffState[] = [
  'missing',
  'extra',
  'changed',
  'deactivate',
  'conflict',
  'decision',
  'disabled',
  'left_as_is',
  'unmanaged',
  'ineligible',
  'in_sync',
];

/** States the default plan writes: the diff's drift. Every other state says why nothing is
 * written, so right after a complete apply these are all zero. */
export const DRIFT_STATES: readonly DiffState[] = ['missing', 'extra', 'changed', 'deactivate'];

/** Rows that wait for a person's decision. */
export const DECISION_STATES: readonly DiffState[] = ['conflict', 'decision'];

export const STATE_INFO: Record<DiffState, StateInfo> = {
  missing: { state: 'missing', label: 'Missing', icon: 'plus', color: '#b4510b', soft: '#fdf0e4' },
  extra: { state: 'extra', label: 'Extra', icon: 'minus', color: '#7a3fc2', soft: '#f3ecfb' },
  changed: { state: 'changed', label: 'Changed', icon: 'pencil', color: '#2553c0', soft: '#eaf0fc' },
  deactivate: { state: 'deactivate', label: 'Deactivate', icon: 'userOff', color: '#0e6f78', soft: '#e3f4f5' },
  conflict: { state: 'conflict', label: 'Conflict', icon: 'conflict', color: '#c23a33', soft: '#fcecea' },
  decision: { state: 'decision', label: 'Needs a decision', icon: 'question', color: '#a3313f', soft: '#fbeef0' },
  disabled: { state: 'disabled', label: 'Disabled in target', icon: 'lock', color: '#4b5563', soft: '#eef0f3' },
  left_as_is: { state: 'left_as_is', label: 'Left as is', icon: 'pause', color: '#5b6470', soft: '#f1f2f4' },
  unmanaged: { state: 'unmanaged', label: 'Not managed', icon: 'outside', color: '#6b5b95', soft: '#f2f0f7' },
  ineligible: { state: 'ineligible', label: 'Ineligible', icon: 'ban', color: '#7a5c00', soft: '#fbf1d3' },
  in_sync: { state: 'in_sync', label: 'In sync', icon: 'check', color: '#17804a', soft: '#e5f5ec' },
};

/** A few words under each tile's number. */
export const STATE_HINTS: Record<DiffState, string> = {
  missing: 'to create',
  extra: 'deleted in JumpCloud',
  changed: 'attributes differ',
  deactivate: 'to deactivate',
  conflict: 'linked elsewhere',
  decision: 'your choice',
  disabled: 'stays disabled',
  left_as_is: 'JumpCloud writes nothing',
  unmanaged: 'not from JumpCloud',
  ineligible: 'rules reject it',
  in_sync: 'nothing to do',
};

const USER_OR_GROUP: Record<DiffState, string> = {
  missing: 'In JumpCloud and assigned to this target, but not in the target yet: it would be created.',
  extra: 'In the target with the id of a JumpCloud object that no longer exists (deleted in JumpCloud): JumpCloud would remove it; users are deactivated unless you choose to mirror deletes.',
  changed: 'On both sides, but some attributes differ: the target copy would be updated.',
  deactivate: 'Still active in the target, but suspended or no longer assigned in JumpCloud: it would be deactivated.',
  conflict:
    'The target has an account with the same userName or email that is linked to another JumpCloud id: syncing would take it over, so check it first.',
  decision:
    'JumpCloud would deactivate it, but this target deletes instead of deactivating: nothing is written unless you choose the delete in the plan.',
  disabled:
    'Active in JumpCloud but disabled in the target by someone: JumpCloud keeps its attributes in sync and never re-enables it, nor does the plan. Re-enabling is an explicit choice in the plan.',
  left_as_is:
    "Differs, but JumpCloud's connector would write nothing (for example a user never provisioned while suspended, an account already deactivated, or a group unbound from the app, which JumpCloud keeps).",
  unmanaged: 'In the target, but not created by JumpCloud (a manual account or another tool): reported, never changed by default.',
  ineligible: "In JumpCloud, but the target's rules reject it as it is (for example no last name for AWS): fix it in JumpCloud.",
  in_sync: 'Identical on both sides: nothing to do.',
};

const MEMBERSHIP: Partial<Record<DiffState, string>> = {
  missing: 'A JumpCloud group member the target group lacks: the member would be added.',
  extra: 'A member of the target group that JumpCloud does not list: the member would be removed.',
  left_as_is: 'A JumpCloud group member whose user is not provisioned while inactive: JumpCloud adds no membership for it.',
  unmanaged: 'A member of the target group that JumpCloud did not provision: left alone.',
};

/** One plain sentence saying what a state means (for memberships when `kind` says so). */
export function stateDescription(state: DiffState, kind?: DiffKind): string {
  return (kind === 'membership' ? MEMBERSHIP[state] : undefined) ?? USER_OR_GROUP[state];
}

/** The row label a state shows in the table (memberships read as "Add" and "Remove"). */
export function stateLabel(state: DiffState, kind?: DiffKind): string {
  if (kind === 'membership' && state === 'missing') return 'To add';
  if (kind === 'membership' && state === 'extra') return 'To remove';
  return STATE_INFO[state].label;
}

export type KindTab = 'user' | 'group' | 'membership';

export const KIND_TABS: readonly { kind: KindTab; label: string; icon: IconName }[] = [
  { kind: 'user', label: 'Users', icon: 'user' },
  { kind: 'group', label: 'Groups', icon: 'group' },
  { kind: 'membership', label: 'Memberships', icon: 'network' },
];

/** Rows of `state` for one kind in a summary. */
export function countOf(summary: DiffSummary | null, state: DiffState, kind: KindTab): number {
  const c = summary?.counts.find((x) => x.state === state);
  if (!c) return 0;
  return kind === 'user' ? c.users : kind === 'group' ? c.groups : c.memberships;
}

/** All rows of one kind in a summary. */
export function kindTotal(summary: DiffSummary | null, kind: KindTab): number {
  return STATE_ORDER.reduce((sum, s) => sum + countOf(summary, s, kind), 0);
}

/** Rows of one kind in a drift state (what the default plan writes). */
export function kindDrift(summary: DiffSummary | null, kind: KindTab): number {
  return DRIFT_STATES.reduce((sum, s) => sum + countOf(summary, s, kind), 0);
}

/** Whether the default plan writes for rows in this state. */
export function isDrift(state: DiffState): boolean {
  return DRIFT_STATES.includes(state);
}

/** States that can occur for a kind: memberships are added or removed, or left alone. */
export function statesFor(kind: KindTab): readonly DiffState[] {
  return kind === 'membership' ? ['missing', 'extra', 'left_as_is', 'unmanaged'] : STATE_ORDER;
}

export interface RowFilters {
  kind: KindTab;
  /** Empty: every state. */
  states: readonly DiffState[];
  /** Empty: any attribute. */
  attribute: string;
  search: string;
  /** A group row's key: only that group's memberships. Empty: all groups. */
  group: string;
  /** With no state chosen, list only the rows that differ. */
  hideInSync: boolean;
}

export const DEFAULT_FILTERS: RowFilters = { kind: 'user', states: [], attribute: '', search: '', group: '', hideInSync: true };

/** The query `diff_rows` gets for the filters shown; filters that do not apply to the kind are dropped. */
export function buildQuery(f: RowFilters): DiffRowQuery {
  const applicable = statesFor(f.kind);
  const chosen = f.states.filter((s) => applicable.includes(s));
  return {
    kinds: [f.kind],
    states: chosen.length === 0 && f.hideInSync && f.kind !== 'membership' ? applicable.filter((s) => s !== 'in_sync') : chosen,
    search: f.search.trim(),
    attribute: f.kind === 'membership' || f.attribute === '' ? null : f.attribute,
    group: f.kind === 'membership' && f.group !== '' ? f.group : null,
  };
}

/** Flips `state` in the state filter, keeping the legend's order. */
export function toggleState(states: readonly DiffState[], state: DiffState): DiffState[] {
  const next = states.includes(state) ? states.filter((s) => s !== state) : [...states, state];
  return STATE_ORDER.filter((s) => next.includes(s));
}

/** The filters on the `kind` tab: memberships have no attribute filter, and a chosen group belongs to one tab. */
export function withKind(f: RowFilters, kind: KindTab): RowFilters {
  return { ...f, kind, attribute: kind === 'membership' ? '' : f.attribute, group: '' };
}

/** The filters after a state chip or tile is clicked; a state the tab cannot show switches to a tab that has rows. */
export function withStateToggled(f: RowFilters, state: DiffState, summary: DiffSummary | null): RowFilters {
  let kind = f.kind;
  if (!statesFor(kind).includes(state) && summary) {
    kind = (['user', 'group'] as const).find((k) => kindTotal(summary, k) > 0) ?? 'user';
  }
  return { ...f, kind, states: toggleState(f.states, state) };
}

/** Drops what narrows the list; the tab and "Hide rows in sync" stay as they are. */
export function clearedFilters(f: RowFilters): RowFilters {
  return { ...DEFAULT_FILTERS, kind: f.kind, hideInSync: f.hideInSync };
}

/** Rows per `diff_rows` call: a few screens, so scrolling rarely waits. */
export const PAGE_SIZE = 200;

/** Pages (by number) covering rows `start..end` that are neither loaded nor being loaded. */
export function pagesToLoad(start: number, end: number, total: number, pageSize: number, have: ReadonlySet<number>): number[] {
  const last = Math.min(end, total) - 1;
  if (last < start || pageSize <= 0) return [];
  const pages: number[] = [];
  for (let p = Math.floor(Math.max(0, start) / pageSize); p <= Math.floor(last / pageSize); p++) {
    if (!have.has(p)) pages.push(p);
  }
  return pages;
}

/**
 * The rows the table should have around its viewport: the visible ones and `margin` rows on each
 * side. The margin must exceed the table's overscan (rows rendered just outside the viewport), or
 * a jump that lands a few rows past a page boundary leaves the rows rendered above it waiting.
 */
export function rowsAround(scrollTop: number, viewportPx: number, rowHeight: number, margin: number): { start: number; end: number } {
  const first = Math.floor(scrollTop / rowHeight);
  return { start: Math.max(0, first - margin), end: Math.ceil((scrollTop + viewportPx) / rowHeight) + margin };
}

/** The `offset`/`limit` of page `page`. */
export function pageWindow(page: number, pageSize: number): { offset: number; limit: number } {
  return { offset: page * pageSize, limit: pageSize };
}

const PHASES: Record<DiffProgress['phase'], string> = {
  jumpcloud: 'Reading JumpCloud',
  reading: 'Reading the target',
  memberships: 'Reading group members',
  comparing: 'Comparing with JumpCloud',
  done: 'Done',
};

function ofTotal(read: number, total: number | null): string {
  return total === null ? String(read) : `${read} / ${total}`;
}

/** "4 min 55 s", "1 h 12 min": a time left, to the second under an hour. */
export function formatSecondsLeft(seconds: number): string {
  if (seconds < 60) return `${seconds} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
  return `${Math.floor(seconds / 3600)} h ${Math.floor((seconds % 3600) / 60)} min`;
}

/**
 * "Reading group members · users 50000 · groups 10000 · member lists 4210 / 10000 ·
 * 4810 requests · 19.6 lists/s · about 4 min 55 s left".
 */
export function progressText(p: DiffProgress): string {
  const parts = [
    PHASES[p.phase],
    `users ${ofTotal(p.users_read, p.users_total)}`,
    `groups ${ofTotal(p.groups_read, p.groups_total)}`,
  ];
  if (p.phase === 'memberships') parts.push(`member lists ${ofTotal(p.member_lists_read, p.member_lists_total)}`);
  parts.push(`${p.requests} ${p.requests === 1 ? 'request' : 'requests'}`);
  if (p.per_second !== null) {
    parts.push(`${p.per_second.toFixed(1)} ${p.phase === 'memberships' ? 'lists' : 'resources'}/s`);
  }
  if (p.seconds_left !== null) parts.push(`about ${formatSecondsLeft(p.seconds_left)} left`);
  return parts.join(' · ');
}

/**
 * Why a read is slow, when the target throttles: "The target limited the request rate 12 times;
 * the app keeps to 19.6 requests a second." Null while it has not.
 */
export function throttleText(p: DiffProgress): string | null {
  if (p.refused === 0) return null;
  const times = p.refused === 1 ? 'once' : `${p.refused} times`;
  const pace = p.pace === null ? '' : `; the app keeps to ${p.pace.toFixed(1)} requests a second`;
  return `The target limited the request rate ${times}${pace}. Nothing is lost: each refused request was sent again.`;
}

/** 0..1 of the current phase when its total is known, else null (indeterminate). */
export function progressFraction(p: DiffProgress): number | null {
  if (p.phase === 'comparing' || p.phase === 'done') return 1;
  if (p.phase === 'memberships') {
    const total = p.member_lists_total;
    return total === null || total <= 0 ? null : Math.min(1, p.member_lists_read / total);
  }
  const total = (p.users_total ?? NaN) + (p.groups_total ?? NaN);
  if (!Number.isFinite(total) || total <= 0) return null;
  return Math.min(1, (p.users_read + p.groups_read) / total);
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const minutes = Math.floor(ms / 60_000);
  return `${minutes} min ${Math.round((ms % 60_000) / 1000)} s`;
}

/** A JSON value on one line: strings bare, absent values as "(none)". */
export function formatValue(value: JsonValue | undefined): string {
  if (value === null || value === undefined) return '(none)';
  if (typeof value === 'string') return value === '' ? '""' : value;
  return JSON.stringify(value);
}

export const EXPORT_FORMATS: readonly { format: DiffExportFormat; label: string; filter: string }[] = [
  { format: 'csv', label: 'CSV', filter: 'CSV spreadsheet' },
  { format: 'json', label: 'JSON', filter: 'JSON' },
  { format: 'html', label: 'HTML', filter: 'HTML report' },
];

/** "Users" column headings per kind. */
export function labelHeader(kind: KindTab): string {
  return kind === 'user' ? 'User' : kind === 'group' ? 'Group' : 'Member';
}

/** A membership row's label is "Group: member"; split it for two columns. */
export function splitMembershipLabel(label: string): { group: string; member: string } {
  const at = label.indexOf(': ');
  return at < 0 ? { group: '', member: label } : { group: label.slice(0, at), member: label.slice(at + 2) };
}

/** Leaf values of a JSON record by path: `name.familyName`, `emails[0].value`. */
export function flatten(value: JsonValue | null | undefined, prefix = ''): [string, JsonValue][] {
  if (value === null || value === undefined) return prefix === '' ? [] : [[prefix, null]];
  if (Array.isArray(value)) {
    if (value.length === 0) return [[prefix, []]];
    return value.flatMap((v, i) => flatten(v, `${prefix}[${i}]`));
  }
  if (typeof value === 'object') {
    const entries = Object.entries(value);
    if (entries.length === 0) return prefix === '' ? [] : [[prefix, {}]];
    return entries.flatMap(([k, v]) => flatten(v, prefix === '' ? k : `${prefix}.${k}`));
  }
  return [[prefix, value]];
}

/** A path without list positions or filters, lower-cased: `emails[primary eq true].value` -> `emails.value`. */
function basePath(path: string): string {
  return path.replace(/\[[^\]]*\]/g, '').toLowerCase();
}

/** True when `path` (from a flattened record) is one of the changed attributes or below one. */
export function isChangedPath(path: string, changed: readonly string[]): boolean {
  const p = basePath(path);
  return changed.some((c) => {
    const b = basePath(c);
    return p === b || p.startsWith(`${b}.`);
  });
}

export interface SideBySideRow {
  path: string;
  expected: JsonValue | undefined;
  actual: JsonValue | undefined;
  changed: boolean;
}

/** Expected and actual aligned by attribute path (expected's order first), changed rows marked. */
export function sideBySide(
  expected: JsonValue | null,
  actual: JsonValue | null,
  changed: readonly string[],
): SideBySideRow[] {
  const left = new Map(flatten(expected));
  const right = new Map(flatten(actual));
  const paths = [...left.keys(), ...[...right.keys()].filter((k) => !left.has(k))];
  return paths.map((path) => ({
    path,
    expected: left.get(path),
    actual: right.get(path),
    changed: isChangedPath(path, changed),
  }));
}
