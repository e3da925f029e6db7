//! Reading the JumpCloud directory of a configured workspace (streaming progress, cancellable).
//! A configured target is never diffed before a read succeeded; a failed read keeps the previous
//! directory. The demo has its directory already and never reads.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;

use ipc::{DirectoryReadPhase, DirectoryReadProgress, DirectoryReadResult, ErrorCode, IpcError};
use scim::CancellationToken;
use tauri::ipc::Channel;
use tauri::State;

use crate::error::to_ipc_error;
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
        return Err(to_ipc_error(&engine::Error::JumpCloudNotConfigured));
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
            let _ = on_progress.send(progress_dto(&p));
        },
        &cancel,
    )
    .await
    .map_err(|e| read_error(&e))?;
    let requests = small(read.requests);
    let duration_ms = small(read.duration.as_millis() as u64);
    let updated = state
        .workspace
        .update(|current| current.with_directory_read(read))
        .map_err(|e| read_error(&e))?;
    Ok(DirectoryReadResult {
        directory: summary_dto(&updated),
        requests,
        duration_ms,
    })
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

/// Home's directory card: counts, source, and whether (and when) JumpCloud was read.
pub fn summary_dto(workspace: &engine::Workspace) -> ipc::DirectorySummary {
    let summary = workspace.directory_summary();
    let status = workspace.directory_status();
    ipc::DirectorySummary {
        source: summary.source,
        users: summary.users,
        groups: summary.groups,
        suspended_users: summary.suspended_users,
        applications: summary.applications,
        needs_read: status.needs_read,
        read_at: status.read_at.map(|t| t.to_rfc3339()),
    }
}

fn read_error(e: &engine::Error) -> IpcError {
    match e {
        engine::Error::Cancelled => IpcError::new(
            ErrorCode::Cancelled,
            "The JumpCloud read was cancelled; the directory is as it was before.",
        ),
        other => to_ipc_error(other),
    }
}

fn small(n: u64) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

fn progress_dto(p: &engine::directory_read::SnapshotProgress) -> DirectoryReadProgress {
    DirectoryReadProgress {
        phase: match p.phase {
            engine::directory_read::SnapshotPhase::Collections => DirectoryReadPhase::Collections,
            engine::directory_read::SnapshotPhase::Relations => DirectoryReadPhase::Relations,
            engine::directory_read::SnapshotPhase::Done => DirectoryReadPhase::Done,
        },
        done: small(p.done),
        total: small(p.total),
        requests: small(p.requests),
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

    #[test]
    fn a_cancelled_read_says_the_directory_did_not_change() {
        let e = read_error(&engine::Error::Cancelled);
        assert_eq!(e.code, ErrorCode::Cancelled);
        assert!(e.message.contains("as it was before"));
    }

    #[test]
    fn a_diff_before_the_read_maps_to_its_own_code_with_the_hint() {
        let e = to_ipc_error(&engine::Error::DirectoryNotRead);
        assert_eq!(e.code, ErrorCode::DirectoryNotRead);
        assert!(e.hint.unwrap().starts_with("Read JumpCloud first"));
    }
}
