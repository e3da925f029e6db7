// Typed wrappers over the Rust commands. Pages call these, never `invoke` directly, so a renamed
// command or argument is a one-line change here and every failure arrives as an IpcError.
import { invoke, type InvokeArgs } from '@tauri-apps/api/core';
import type { AppInfo } from '../bindings/AppInfo';
import type { HomeOverview } from '../bindings/HomeOverview';
import type { TargetStatus } from '../bindings/TargetStatus';
import { toIpcError } from './ipcError';

export { toIpcError };

async function call<T>(command: string, args?: InvokeArgs): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (e) {
    // Rejecting with the plain IpcError object (not an Error) keeps one shape across the app.
    // eslint-disable-next-line @typescript-eslint/only-throw-error
    throw toIpcError(e);
  }
}

export function appInfo(): Promise<AppInfo> {
  return call<AppInfo>('app_info');
}

export function homeOverview(): Promise<HomeOverview> {
  return call<HomeOverview>('home_overview');
}

export function targetTestConnection(targetId: string): Promise<TargetStatus> {
  return call<TargetStatus>('target_test_connection', { targetId });
}
