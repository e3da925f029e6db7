import type { ErrorCode } from '../bindings/ErrorCode';
import type { IpcError } from '../bindings/IpcError';

// Mirrors the Rust enum; `satisfies` makes the compiler flag a code added on the Rust side.
const ERROR_CODES = {
  invalid_input: true,
  unauthorized: true,
  forbidden: true,
  not_found: true,
  conflict: true,
  rate_limited: true,
  remote_error: true,
  network: true,
  keychain_unavailable: true,
  storage: true,
  cancelled: true,
  directory_not_read: true,
  confirmation_required: true,
  secret_not_for_this_address: true,
  guard_tripped: true,
  internal: true,
} satisfies Record<ErrorCode, true>;

function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(ERROR_CODES, value);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/**
 * Normalises whatever a failed call produced into the `{code, message, hint}` shape.
 * Commands reject with an IpcError, but Tauri itself rejects with plain strings
 * (e.g. an unknown command or a denied permission), and JS bugs throw Errors.
 */
export function toIpcError(e: unknown): IpcError {
  if (isRecord(e) && typeof e.message === 'string') {
    return {
      code: isErrorCode(e.code) ? e.code : 'internal',
      message: e.message,
      hint: typeof e.hint === 'string' && e.hint !== '' ? e.hint : null,
    };
  }
  if (typeof e === 'string' && e.trim() !== '') {
    return { code: 'internal', message: e, hint: null };
  }
  return { code: 'internal', message: 'Something went wrong and no details were given.', hint: null };
}
