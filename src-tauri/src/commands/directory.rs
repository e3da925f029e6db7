//! Reading the JumpCloud directory of a configured workspace (streaming progress, cancellable).
//! A configured target is never diffed before a read succeeded; a failed read keeps the previous
//! directory. The demo has its directory already and never reads.

use ipc::{DirectoryReadPhase, DirectoryReadProgress, DirectoryReadResult, ErrorCode, IpcError};
use tauri::ipc::Channel;
use tauri::State;

use crate::error::to_ipc_error;
use crate::state::AppState;

/// Reads JumpCloud with the saved connection and the API key from the keychain, for every
/// application the configured targets use, and makes it the workspace's directory.
#[tauri::command]
pub async fn directory_read(
    state: State<'_, AppState>,
    on_progress: Channel<DirectoryReadProgress>,
) -> Result<DirectoryReadResult, IpcError> {
    let read = state
        .read_directory(|p| {
            // A closed window drops the channel; the read itself carries on.
            let _ = on_progress.send(progress_dto(&p));
        })
        .await
        .map_err(|e| read_error(&e))?;
    Ok(DirectoryReadResult {
        directory: summary_dto(&read.workspace),
        requests: small(read.requests),
        duration_ms: small(read.duration.as_millis() as u64),
    })
}

/// Stops the JumpCloud read in flight; false when none was running.
#[tauri::command]
pub fn directory_cancel(state: State<'_, AppState>) -> bool {
    state.cancel(engine::JobKind::DirectoryRead, "")
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

pub(crate) fn progress_dto(p: &engine::directory_read::SnapshotProgress) -> DirectoryReadProgress {
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
