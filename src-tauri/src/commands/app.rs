use std::sync::OnceLock;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use tauri::{AppHandle, State};

use crate::state::AppState;

#[tauri::command]
pub fn app_info(state: State<'_, AppState>) -> ipc::AppInfo {
    ipc::AppInfo {
        name: "SCIM Companion".into(),
        version: env!("CARGO_PKG_VERSION").into(),
        mode: state.mode(),
        data_dir: state.data_dir().display().to_string(),
    }
}

/// When `main` started; `app_ready` reports the time from here to the first rendered page.
static STARTED: OnceLock<Instant> = OnceLock::new();

pub fn mark_start() {
    STARTED.get_or_init(Instant::now);
}

/// The UI calls this once, right after its first page is mounted. With
/// `SCIM_COMPANION_STARTUP_PROBE` set, the app prints when that happened (for
/// `scripts/measure-startup.sh`), and with the value `exit` it then quits.
#[tauri::command]
pub fn app_ready(app: AppHandle) {
    crate::links::ui_ready();
    let since_main = STARTED.get().map(|t| t.elapsed().as_millis()).unwrap_or(0);
    tracing::info!(since_main_ms = since_main as u64, "first page rendered");
    if let Ok(mode) = std::env::var("SCIM_COMPANION_STARTUP_PROBE") {
        let epoch_ms = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_millis())
            .unwrap_or(0);
        println!("READY epoch_ms={epoch_ms} since_main_ms={since_main}");
        if mode == "exit" {
            app.exit(0);
        }
    }
}
