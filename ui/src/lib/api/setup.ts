// Typed wrappers over the setup commands (src-tauri/src/commands/setup.rs). Secrets go in as
// arguments and never come back: no command returns a token or an API key.
import type { JumpCloudApp } from '../../bindings/JumpCloudApp';
import type { JumpCloudConnection } from '../../bindings/JumpCloudConnection';
import type { JumpCloudForm } from '../../bindings/JumpCloudForm';
import type { KeychainStatus } from '../../bindings/KeychainStatus';
import type { ProbeResult } from '../../bindings/ProbeResult';
import type { RemoveResult } from '../../bindings/RemoveResult';
import type { SavedTarget } from '../../bindings/SavedTarget';
import type { SetupState } from '../../bindings/SetupState';
import type { TargetDraft } from '../../bindings/TargetDraft';
import type { UrlCheck } from '../../bindings/UrlCheck';
import type { WriteTestResult } from '../../bindings/WriteTestResult';
import type { TargetKind } from '../../bindings/TargetKind';
import type { TargetCredentials } from '../../bindings/targets/TargetCredentials';
import type { TargetProfileInfo } from '../../bindings/targets/TargetProfileInfo';
import { call } from '../ipc';
import { notifyWorkspaceChanged } from '../workspaceEvents';

export function setupProfiles(): Promise<TargetProfileInfo[]> {
  return call<TargetProfileInfo[]>('setup_profiles');
}

export function setupState(): Promise<SetupState> {
  return call<SetupState>('setup_state');
}

export function keychainStatus(): Promise<KeychainStatus> {
  return call<KeychainStatus>('keychain_status');
}

export function targetValidateUrl(kind: TargetKind, baseUrl: string, localEndpoint: boolean): Promise<UrlCheck> {
  return call<UrlCheck>('target_validate_url', { kind, baseUrl, localEndpoint });
}

export function targetTestConfig(draft: TargetDraft, credentials: TargetCredentials | null): Promise<ProbeResult> {
  return call<ProbeResult>('target_test_config', { draft, credentials });
}

/** Creates one clearly named test user and deletes it; call only after the admin confirmed. */
export function targetWriteTest(
  draft: TargetDraft,
  credentials: TargetCredentials | null,
  userName: string | null,
): Promise<WriteTestResult> {
  return call<WriteTestResult>('target_write_test', { draft, credentials, userName });
}

export async function targetSave(draft: TargetDraft, credentials: TargetCredentials | null): Promise<SavedTarget> {
  const saved = await call<SavedTarget>('target_save', { draft, credentials });
  notifyWorkspaceChanged();
  return saved;
}

export async function targetRemove(targetId: string): Promise<RemoveResult> {
  const removed = await call<RemoveResult>('target_remove', { targetId });
  notifyWorkspaceChanged();
  return removed;
}

export function jumpcloudSave(form: JumpCloudForm): Promise<JumpCloudConnection> {
  return call<JumpCloudConnection>('jumpcloud_save', { form });
}

export function jumpcloudTest(form: JumpCloudForm): Promise<JumpCloudApp[]> {
  return call<JumpCloudApp[]>('jumpcloud_test', { form });
}

export function jumpcloudApps(): Promise<JumpCloudApp[]> {
  return call<JumpCloudApp[]>('jumpcloud_apps');
}
