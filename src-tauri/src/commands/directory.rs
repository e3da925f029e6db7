//! Reading the JumpCloud directory of a configured workspace (streaming progress, cancellable).
//! A configured target is never diffed before a read succeeded; a failed read keeps the previous
//! directory. The demo has its directory already and never reads.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

use ipc::{DirectoryReadProgress, DirectoryReadResult, ErrorCode, IpcError};
use scim::CancellationToken;
use tauri::ipc::Channel;
use tauri::State;

use crate::state::AppState;

/// The cancel switch of the read in flight with its run number (one read at a time: the app
/// has one window, and a second read replaces the first).
static RUNNING: Mutex<Option<(u64, CancellationToken)>> = Mutex::new(None);
static NEXT_RUN: AtomicU64 = AtomicU64::new(1);

fn running() -> std::sync::MutexGuard<'static, Option<(u64, CancellationToken)>> {
    RUNNING.lock().unwrap_or_else(|e| e.into_inner())
}

/// Clears the switch when the read ends, however it ends (unless a newer read replaced it).
struct Guard(u64);

impl Drop for Guard {
    fn drop(&mut self) {
        let mut slot = running();
        if slot.as_ref().is_some_and(|(run, _)| *run == self.0) {
            *slot = None;
        }
    }
}

/// Reads JumpCloud with the saved connection and the API key from the keychain, for every
/// application the configured targets use, and makes it the workspace's directory.
#[tauri::command]
pub async fn directory_read(
    state: State<'_, AppState>,
    on_progress: Channel<DirectoryReadProgress>,
) -> Result<DirectoryReadResult, IpcError> {
    let workspace = state.workspace.clone();
    if workspace.mode() != engine::WorkspaceMode::Configured {
        return Err(IpcError::new(
            ErrorCode::InvalidInput,
            "The demo has its directory already; there is no JumpCloud to read.",
        )
        .with_hint("Set up JumpCloud and a target on the Setup page to read your own directory."));
    }
    let Some(config) = workspace.config().cloned() else {
        return Err(engine::Error::JumpCloudNotConfigured.into());
    };
    let cancel = CancellationToken::new();
    let run = NEXT_RUN.fetch_add(1, Ordering::Relaxed);
    if let Some((_, previous)) = running().replace((run, cancel.clone())) {
        previous.cancel();
    }
    let _guard = Guard(run);
    let read = engine::directory_read::read_saved(
        &config,
        &state.vault,
        |p| {
            // A closed window drops the channel; the read itself carries on.
            let _ = on_progress.send((&p).into());
        },
        &cancel,
    )
    .await?;
    let (requests, duration) = (read.requests, read.duration);
    let updated = state
        .workspace
        .update(|current| current.with_directory_read(read))?;
    Ok(DirectoryReadResult::new(requests, duration, &updated))
}

/// Stops the JumpCloud read in flight; false when none was running.
#[tauri::command]
pub fn directory_cancel() -> bool {
    match running().take() {
        Some((_, token)) => {
            token.cancel();
            true
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cancel_without_a_read_says_so_and_cancel_stops_the_running_read() {
        assert!(!directory_cancel());
        let token = CancellationToken::new();
        *running() = Some((0, token.clone()));
        assert!(directory_cancel());
        assert!(token.is_cancelled());
        assert!(!directory_cancel());
    }
}
