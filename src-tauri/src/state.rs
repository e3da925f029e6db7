//! What the app keeps while it runs: the data folder and the workspace (demo or configured).

use std::path::PathBuf;
use std::sync::Arc;

use tauri::{AppHandle, Manager};

pub struct AppState {
    pub data_dir: PathBuf,
    pub workspace: Arc<engine::Workspace>,
    /// The local sync history, or why it could not be opened (the app runs on without it).
    pub history: crate::commands::history::HistoryState,
}

impl AppState {
    /// Opens the workspace. Nothing is configured yet in this version, so it is the demo.
    pub fn start(data_dir: PathBuf) -> Result<Self, Box<dyn std::error::Error>> {
        std::fs::create_dir_all(&data_dir)?;
        let workspace = engine::Workspace::demo()?;
        let history = crate::commands::history::HistoryState::open(&data_dir);
        Ok(Self {
            history,
            data_dir,
            workspace: Arc::new(workspace),
        })
    }
}

/// `SCIM_COMPANION_DATA_DIR` overrides the platform's app data folder; tests use it to start
/// from a clean slate without touching the user's settings.
pub fn data_dir(app: &AppHandle) -> Result<PathBuf, tauri::Error> {
    match std::env::var_os("SCIM_COMPANION_DATA_DIR") {
        Some(dir) if !dir.is_empty() => Ok(PathBuf::from(dir)),
        _ => app.path().app_data_dir(),
    }
}
