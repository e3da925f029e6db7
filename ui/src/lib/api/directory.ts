// Typed wrappers over the JumpCloud read commands (Rust: src-tauri/src/commands/directory.rs).
import type { DirectoryReadProgress } from '../../bindings/DirectoryReadProgress';
import type { DirectoryReadResult } from '../../bindings/DirectoryReadResult';
import { call, progressChannel } from '../ipc';

/**
 * Reads the whole JumpCloud directory with the saved connection (all or nothing) and makes it
 * the one every diff compares with. A failed read leaves the previous directory in place.
 */
export function directoryRead(onProgress: (progress: DirectoryReadProgress) => void): Promise<DirectoryReadResult> {
  return call<DirectoryReadResult>('directory_read', { onProgress: progressChannel(onProgress) });
}

/** Stops the JumpCloud read in flight; false when none was running. */
export function directoryCancel(): Promise<boolean> {
  return call<boolean>('directory_cancel');
}
