//! Requests to open a target's diff from outside the window: `--open-diff <target>` when the
//! app is started by a clicked notification of a background check, and `open-request.json` when
//! the app was already running (see `engine::watch::launch`). Either is served once the window
//! listens (after `app_ready`).

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use engine::watch::launch::{self, AppLock};
use tauri::AppHandle;

/// How often the running app looks for a request: a click should feel immediate.
const POLL: Duration = Duration::from_millis(500);

static UI_READY: AtomicBool = AtomicBool::new(false);

/// The window has loaded and listens for `open-diff`.
pub fn ui_ready() {
    UI_READY.store(true, Ordering::SeqCst);
}

/// The app's claim on its data folder, kept (managed) for its lifetime.
pub struct Claim {
    _lock: Option<AppLock>,
}

/// Claims the data folder, queues the `--open-diff` of this start, and serves requests.
pub fn start(app: &AppHandle, data_dir: PathBuf) -> Claim {
    let lock = match AppLock::take(&data_dir) {
        Ok(Some(lock)) => Some(lock),
        Ok(None) => {
            tracing::warn!(
                "another SCIM Companion runs on this data folder; it receives the open requests"
            );
            None
        }
        Err(e) => {
            tracing::warn!(error = %e, "could not take the app lock; notifications start a new window");
            None
        }
    };
    let args: Vec<String> = std::env::args().collect();
    if let Some(target) = launch::open_diff_argument(&args) {
        if let Err(e) = launch::request_open(&data_dir, &target) {
            tracing::warn!(error = %e, "could not queue --open-diff");
        }
    }
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        loop {
            tokio::time::sleep(POLL).await;
            if !UI_READY.load(Ordering::SeqCst) {
                continue;
            }
            if let Some(target) = launch::take_open_request(&data_dir) {
                crate::tray::open_diff(&app, &target);
            }
        }
    });
    Claim { _lock: lock }
}
