// Typed wrappers over the JumpCloud read commands (Rust: src-tauri/src/commands/directory.rs).
import { Channel, invoke, type InvokeArgs } from '@tauri-apps/api/core';
import type { DirectoryReadProgress } from '../../bindings/DirectoryReadProgress';
import type { DirectoryReadResult } from '../../bindings/DirectoryReadResult';
import { toIpcError } from '../ipcError';

async function call<T>(command: string, args?: InvokeArgs): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (e) {
    // Same contract as lib/api.ts: every failure arrives as a plain IpcError.
    // eslint-disable-next-line @typescript-eslint/only-throw-error
    throw toIpcError(e);
  }
}

/**
 * Reads the whole JumpCloud directory with the saved connection (all or nothing) and makes it
 * the one every diff compares with. A failed read leaves the previous directory in place.
 */
export function directoryRead(onProgress: (progress: DirectoryReadProgress) => void): Promise<DirectoryReadResult> {
  const channel = new Channel<DirectoryReadProgress>();
  channel.onmessage = onProgress;
  return call<DirectoryReadResult>('directory_read', { onProgress: channel });
}

/** Stops the JumpCloud read in flight; false when none was running. */
export function directoryCancel(): Promise<boolean> {
  return call<boolean>('directory_cancel');
}
