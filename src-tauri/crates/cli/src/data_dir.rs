//! The app's data folder (settings.json, history.sqlite), found the way the desktop app finds it,
//! so the CLI and the app share targets and history.

use std::path::PathBuf;

use crate::error::{CliError, CliResult};

/// The app's bundle identifier (tauri.conf.json); Tauri names the data folder after it.
pub const APP_IDENTIFIER: &str = "dev.scimcompanion.app";

/// Environment variable that overrides the folder, for the app and the CLI alike.
pub const ENV: &str = "SCIM_COMPANION_DATA_DIR";

/// `--data-dir` when given (clap also reads it from `SCIM_COMPANION_DATA_DIR`), else the
/// platform's app data folder: `$XDG_DATA_HOME` or `~/.local/share` on Linux,
/// `~/Library/Application Support` on macOS, `%APPDATA%` on Windows.
pub fn resolve(explicit: Option<PathBuf>) -> CliResult<PathBuf> {
    let dir = match explicit.filter(|d| !d.as_os_str().is_empty()) {
        Some(dir) => dir,
        None => platform_data_dir()
            .map(|base| base.join(APP_IDENTIFIER))
            .ok_or_else(|| {
                CliError::new("cannot find the app's data folder (no home directory)")
                    .with_hint(format!("Pass --data-dir DIR or set {ENV}."))
            })?,
    };
    // Like the app at start: anything other users could read is tightened, with a warning.
    if let Err(e) = engine::private_dir::secure(&dir) {
        tracing::warn!(error = %e, "could not check the data folder's permissions");
    }
    Ok(dir)
}

fn env_dir(name: &str) -> Option<PathBuf> {
    std::env::var_os(name)
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
}

#[cfg(target_os = "macos")]
fn platform_data_dir() -> Option<PathBuf> {
    env_dir("HOME").map(|h| h.join("Library").join("Application Support"))
}

#[cfg(windows)]
fn platform_data_dir() -> Option<PathBuf> {
    env_dir("APPDATA")
}

#[cfg(not(any(target_os = "macos", windows)))]
fn platform_data_dir() -> Option<PathBuf> {
    env_dir("XDG_DATA_HOME")
        .filter(|p| p.is_absolute())
        .or_else(|| env_dir("HOME").map(|h| h.join(".local").join("share")))
}
