// Typed wrappers over saving exports, the deletion guard's saved limits and the UI preferences
// (Rust: src-tauri/src/commands/files.rs and settings.rs). The window never names a path or
// file contents: it says what to export and Rust opens the save dialog and writes the file.
import type { ExportRequest } from '../../bindings/ExportRequest';
import type { UiPreferences } from '../../bindings/UiPreferences';
import type { DeletionGuard } from '../../bindings/drift/DeletionGuard';
import { call } from '../ipc';

/** Computes the export in Rust, asks where to save it, writes it; the path, or null if cancelled. */
export function exportSave(request: ExportRequest): Promise<string | null> {
  return call<string | null>('export_save', { request });
}

/** The deletion guard limits the engine enforces on every plan and apply. */
export function deletionGuardGet(): Promise<DeletionGuard> {
  return call<DeletionGuard>('deletion_guard_get');
}

/** Saves new limits (share above 0 and at most 100); returns what is now enforced. */
export function deletionGuardSet(guard: DeletionGuard): Promise<DeletionGuard> {
  return call<DeletionGuard>('deletion_guard_set', { guard });
}

export function prefsGet(): Promise<UiPreferences> {
  return call<UiPreferences>('prefs_get');
}

export function prefsSet(prefs: UiPreferences): Promise<void> {
  return call<undefined>('prefs_set', { prefs });
}

/** Reads, changes and saves the preferences; a failure only loses the preference. */
export async function prefsUpdate(change: Partial<UiPreferences>): Promise<void> {
  try {
    const current = await prefsGet();
    await prefsSet({ ...current, ...change });
  } catch {
    // Preferences are a convenience; the page works without them.
  }
}
