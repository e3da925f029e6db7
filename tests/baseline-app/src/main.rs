//! An empty Tauri window that reports its first frame exactly like SCIM Companion does
//! (`READY epoch_ms=…` on stdout when `SCIM_COMPANION_STARTUP_PROBE` is set, quitting when it is
//! `exit`), so `scripts/perf-report.sh` can put the app's figures next to Tauri's own floor.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

use std::time::{SystemTime, UNIX_EPOCH};

#[tauri::command]
fn app_ready(app: tauri::AppHandle) {
    if let Ok(mode) = std::env::var("SCIM_COMPANION_STARTUP_PROBE") {
        let epoch_ms = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_millis())
            .unwrap_or(0);
        println!("READY epoch_ms={epoch_ms}");
        if mode == "exit" {
            app.exit(0);
        }
    }
}

fn main() {
    tauri::Builder::default()
        .invoke_handler(tauri::generate_handler![app_ready])
        .run(tauri::generate_context!())
        .expect("error while running the baseline window");
}
