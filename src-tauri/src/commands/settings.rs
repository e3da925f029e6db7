//! Settings the Settings page edits (the deletion guard's limits, saved in settings.json and
//! enforced by the engine) and the UI's own preferences.
//!
//! UI preferences live in `ui-preferences.json`, a file of their own in the data folder, opened
//! here from Rust with tauri-plugin-store. The window holds no store permission, so it can
//! neither open `settings.json` nor any other file through the plugin; it only reads and
//! writes the typed [`UiPreferences`].

use engine::guard::DeletionGuard;
use ipc::{ErrorCode, IpcError, UiPreferences};
use tauri::{AppHandle, State};
use tauri_plugin_store::StoreExt;

use crate::state::AppState;

/// The preferences file inside the data folder.
pub const PREFS_FILE: &str = "ui-preferences.json";
/// The one key in that file.
const PREFS_KEY: &str = "preferences";
/// Preferences are a handful of ids and widths; anything larger is refused.
const MAX_PREFS_BYTES: usize = 64 * 1024;

/// The deletion guard limits the engine enforces.
#[tauri::command]
pub fn deletion_guard_get(state: State<'_, AppState>) -> DeletionGuard {
    state.workspace().deletion_guard()
}

/// Saves new limits (share in `0 < p <= 100`); every later plan and apply uses them.
#[tauri::command]
pub fn deletion_guard_set(
    state: State<'_, AppState>,
    guard: DeletionGuard,
) -> Result<DeletionGuard, IpcError> {
    let workspace = state.workspace();
    workspace.save_deletion_guard(state.data_dir(), guard)?;
    Ok(workspace.deletion_guard())
}

/// The saved UI preferences (defaults when none, or when the file cannot be read).
#[tauri::command]
pub fn prefs_get(app: AppHandle, state: State<'_, AppState>) -> UiPreferences {
    let store = match app.store(state.data_dir().join(PREFS_FILE)) {
        Ok(store) => store,
        Err(e) => {
            tracing::warn!(error = %e, "UI preferences unreadable; using the defaults");
            return UiPreferences::default();
        }
    };
    store
        .get(PREFS_KEY)
        .and_then(|v| serde_json::from_value(v).ok())
        .unwrap_or_default()
}

/// Saves the UI preferences to their own file.
#[tauri::command]
pub fn prefs_set(
    app: AppHandle,
    state: State<'_, AppState>,
    prefs: UiPreferences,
) -> Result<(), IpcError> {
    let value = checked_size(&prefs)?;
    let store = app
        .store(state.data_dir().join(PREFS_FILE))
        .map_err(storage_error)?;
    store.set(PREFS_KEY, value);
    store.save().map_err(storage_error)
}

/// The preferences as JSON, refused when larger than a handful of ids and widths can be.
fn checked_size(prefs: &UiPreferences) -> Result<serde_json::Value, IpcError> {
    let value = serde_json::to_value(prefs).expect("preferences serialise");
    if value.to_string().len() > MAX_PREFS_BYTES {
        return Err(IpcError::new(
            ErrorCode::InvalidInput,
            "The UI preferences are too large to save.",
        ));
    }
    Ok(value)
}

fn storage_error(e: tauri_plugin_store::Error) -> IpcError {
    IpcError::new(
        ErrorCode::Storage,
        format!("Could not save the UI preferences: {e}"),
    )
    .with_hint("Check that your user can write to the app's data folder.")
}
