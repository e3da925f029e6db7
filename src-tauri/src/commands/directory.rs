//! Reading the JumpCloud directory of a configured workspace (streaming progress, cancellable).
//! A configured target is never diffed before a read succeeded; a failed read keeps the previous
//! directory. The demo has its directory already and never reads.

use ipc::{DirectoryReadProgress, DirectoryReadResult, IpcError};
use tauri::ipc::Channel;
use tauri::State;

use crate::state::AppState;

/// Reads JumpCloud with the saved connection and the API key from the keychain, for every
/// application the configured targets use, and makes it the workspace's directory. One read
/// at a time: a second read cancels the first.
#[tauri::command]
pub async fn directory_read(
    state: State<'_, AppState>,
    on_progress: Channel<DirectoryReadProgress>,
) -> Result<DirectoryReadResult, IpcError> {
    let read = state
        .read_directory(|p| {
            // A closed window drops the channel; the read itself carries on.
            let _ = on_progress.send((&p).into());
        })
        .await?;
    Ok(DirectoryReadResult::new(
        read.requests,
        read.duration,
        &read.workspace,
    ))
}

/// Stops the JumpCloud read in flight; false when none was running.
#[tauri::command]
pub fn directory_cancel(state: State<'_, AppState>) -> bool {
    state.cancel(engine::JobKind::DirectoryRead, "")
}
