// The one place the window talks to Rust. API modules call `call`, never Tauri's `invoke`, so every
// command name is checked against `Command` and every failure arrives as the same IpcError shape.
import { Channel, invoke, type InvokeArgs } from '@tauri-apps/api/core';
import type { Command } from './commands';
import { toIpcError } from './ipcError';

export async function call<T>(command: Command, args?: InvokeArgs): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (e) {
    // Rejecting with the plain IpcError object (not an Error) keeps one shape across the app.
    // eslint-disable-next-line @typescript-eslint/only-throw-error
    throw toIpcError(e);
  }
}

/** A channel for a long command's progress messages, handed to Rust as an `onProgress` argument. */
export function progressChannel<P>(onProgress: (progress: P) => void): Channel<P> {
  const channel = new Channel<P>();
  channel.onmessage = onProgress;
  return channel;
}
