import type { AppInfo } from '../bindings/AppInfo';
import type { HomeOverview } from '../bindings/HomeOverview';
import type { IpcError } from '../bindings/IpcError';
import type { PlanOperation } from '../bindings/PlanOperation';
import type { TargetStatus } from '../bindings/TargetStatus';

export const appInfoFixture: AppInfo = {
  name: 'SCIM Companion',
  version: '0.1.0',
  mode: 'demo',
  data_dir: '/home/admin/.local/share/scim-companion',
};

export function overviewFixture(): HomeOverview {
  return {
    directory: {
      source: 'Demo directory',
      users: 1250,
      groups: 48,
      suspended_users: 7,
      applications: 5,
      needs_read: false,
    },
    targets: [
      {
        id: 'aws-demo',
        name: 'AWS IAM Identity Center',
        kind: 'aws',
        base_url: 'http://127.0.0.1:41001/scim/v2',
        simulated: true,
        status: {
          state: 'unknown',
          detail: 'Not checked yet',
          hint: null,
          checked_at: null,
          latency_ms: null,
          user_count: null,
          group_count: null,
        },
      },
      {
        id: 'strongdm-demo',
        name: 'StrongDM',
        kind: 'strong_dm',
        base_url: 'http://127.0.0.1:41002/provisioning/generic/v2',
        simulated: true,
        status: {
          state: 'error',
          detail: 'The target rejected the token (401).',
          hint: 'Create a new SCIM token in StrongDM.',
          checked_at: '2026-11-23T09:00:00Z',
          latency_ms: 85,
          user_count: null,
          group_count: null,
        },
      },
    ],
  };
}

export const okStatus: TargetStatus = {
  state: 'ok',
  detail: 'SCIM 2.0 service answered',
  hint: null,
  checked_at: '2026-11-23T10:00:00Z',
  latency_ms: 42,
  user_count: 1180,
  group_count: 45,
};

export const unauthorized: IpcError = {
  code: 'unauthorized',
  message: 'JumpCloud rejected the API key.',
  hint: 'Create a new API key in the JumpCloud admin console.',
};

/** A promise plus the functions that settle it, to hold a mocked command "in flight". */
export function deferred<T>(): {
  promise: Promise<T>;
  resolve: (value: T) => void;
  reject: (reason: unknown) => void;
} {
  let resolve!: (value: T) => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** A plan operation with everything but its id, action and approval keys left empty. */
export function planOperation(id: string, action: PlanOperation['action'], destructive = false, intents = [id]): PlanOperation {
  return {
    id,
    action,
    phase: 0,
    label: id,
    reason: '',
    reason_code: '',
    destructive,
    source_id: null,
    target_id: null,
    attributes: [],
    body: null,
    member_count: 0,
    member_labels: [],
    intents,
  };
}
