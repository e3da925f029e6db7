// Typed wrappers over the app-wide commands (the other areas have a module each under lib/api/).
// Pages call these, never `call` or `invoke` directly, so a renamed argument is a one-line change.
import type { AppInfo } from '../bindings/AppInfo';
import type { HomeOverview } from '../bindings/HomeOverview';
import type { TargetStatus } from '../bindings/TargetStatus';
import { call } from './ipc';
import { toIpcError } from './ipcError';

export { toIpcError };

export function appInfo(): Promise<AppInfo> {
  return call<AppInfo>('app_info');
}

export function homeOverview(): Promise<HomeOverview> {
  return call<HomeOverview>('home_overview');
}

export function targetTestConnection(targetId: string): Promise<TargetStatus> {
  return call<TargetStatus>('target_test_connection', { targetId });
}
