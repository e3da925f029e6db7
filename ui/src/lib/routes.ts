import type { IconName } from '../components/icons';

export type RouteId = 'home' | 'setup' | 'diff' | 'plan' | 'saml' | 'history' | 'settings';

export interface RouteDef {
  id: RouteId;
  label: string;
  icon: IconName;
}

/** Sidebar order. Adding a page means adding it here and in App's page table. */
export const ROUTES: readonly RouteDef[] = [
  { id: 'home', label: 'Home', icon: 'home' },
  { id: 'setup', label: 'Setup', icon: 'setup' },
  { id: 'diff', label: 'Diff', icon: 'diff' },
  { id: 'plan', label: 'Plan', icon: 'shield' },
  { id: 'saml', label: 'SAML', icon: 'saml' },
  { id: 'history', label: 'History', icon: 'history' },
  { id: 'settings', label: 'Settings', icon: 'settings' },
];

const DEFAULT_ROUTE: RouteId = 'home';

export function hrefFor(id: RouteId): string {
  return `#/${id}`;
}

/** `#/diff`, `#diff` and `#/diff/anything` all mean the Diff page; unknown hashes go Home. */
export function routeFromHash(hash: string): RouteId {
  const first = hash.replace(/^#\/?/, '').split(/[/?]/)[0] ?? '';
  const match = ROUTES.find((r) => r.id === first);
  return match ? match.id : DEFAULT_ROUTE;
}

/** Link that opens one run's details on the History page. */
export function historyRunHref(runId: number): string {
  return `#/history/${runId}`;
}

/** The run id of a `#/history/<id>` link; null for any other hash. */
export function runIdFromHash(hash: string): number | null {
  const match = /^#\/?history\/(\d+)(?:[/?].*)?$/.exec(hash);
  if (!match) return null;
  const id = Number(match[1]);
  return Number.isSafeInteger(id) && id > 0 ? id : null;
}

/** Link that opens the Diff page on one target (the tray, a notification). */
export function diffHref(targetId: string): string {
  return `#/diff/${encodeURIComponent(targetId)}`;
}

/** The target of a `#/diff/<id>` link; null for any other hash or a malformed id. */
export function diffTargetFromHash(hash: string): string | null {
  const match = /^#\/?diff\/([^/?]+)/.exec(hash);
  if (!match?.[1]) return null;
  try {
    return decodeURIComponent(match[1]);
  } catch {
    return null;
  }
}
