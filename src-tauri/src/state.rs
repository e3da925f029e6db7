//! What the app keeps while it runs: the engine session over the data folder (the same the CLI
//! opens), so both front-ends share workspace, history, retention and cancellation rules.

use std::path::PathBuf;
use std::sync::Arc;

use tauri::{AppHandle, Manager};

/// The app's state is the engine session; commands map arguments and call one of its methods.
pub type AppState = engine::Session;

/// Opens the session on `data_dir` with the OS keychain. Settings that cannot be read start the
/// demo; the setup page says why and refuses to save over the file.
pub fn start(data_dir: PathBuf) -> Result<AppState, engine::Error> {
    tauri::async_runtime::block_on(engine::Session::open(
        data_dir,
        Arc::new(secrets::Vault::default()),
        engine::Start::ConfiguredOrDemo,
        demo::workspace,
    ))
}

/// `SCIM_COMPANION_DATA_DIR` overrides the platform's app data folder; tests use it to start
/// from a clean slate without touching the user's settings.
pub fn data_dir(app: &AppHandle) -> Result<PathBuf, tauri::Error> {
    match std::env::var_os("SCIM_COMPANION_DATA_DIR") {
        Some(dir) if !dir.is_empty() => Ok(PathBuf::from(dir)),
        _ => app.path().app_data_dir(),
    }
}
