//! Reading the JumpCloud directory of a configured workspace: progress of a read and its result.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::diff::small;
use crate::DirectorySummary;

/// A JumpCloud read's phase crosses as the reader's own type.
pub use engine::directory_read::SnapshotPhase as DirectoryReadPhase;

/// One step of a JumpCloud read, streamed to the UI.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DirectoryReadProgress {
    pub phase: DirectoryReadPhase,
    pub done: u32,
    pub total: u32,
    pub requests: u32,
}

/// What a finished read brought: the new directory counts and the read's own figures.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DirectoryReadResult {
    pub directory: DirectorySummary,
    pub requests: u32,
    pub duration_ms: u32,
}

impl From<&engine::directory_read::SnapshotProgress> for DirectoryReadProgress {
    fn from(p: &engine::directory_read::SnapshotProgress) -> Self {
        DirectoryReadProgress {
            phase: p.phase,
            done: small(p.done),
            total: small(p.total),
            requests: small(p.requests),
        }
    }
}

impl DirectorySummary {
    /// Home's directory card: counts, source, and whether (and when) JumpCloud was read.
    pub fn new(
        summary: engine::DirectorySummary,
        status: engine::directory_read::DirectoryStatus,
    ) -> Self {
        DirectorySummary {
            summary,
            needs_read: status.needs_read,
            read_at: status.read_at.map(|t| t.to_rfc3339()),
        }
    }
}

impl From<&engine::Workspace> for DirectorySummary {
    fn from(workspace: &engine::Workspace) -> Self {
        DirectorySummary::new(workspace.directory_summary(), workspace.directory_status())
    }
}

impl DirectoryReadResult {
    /// What a finished read brought: the read's own figures and the directory it left.
    pub fn new(
        requests: u64,
        duration: std::time::Duration,
        workspace: &engine::Workspace,
    ) -> Self {
        DirectoryReadResult {
            directory: workspace.into(),
            requests: small(requests),
            duration_ms: small(duration.as_millis()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progress_keeps_the_phase_and_saturates_counts() {
        let p = DirectoryReadProgress::from(&engine::directory_read::SnapshotProgress {
            phase: engine::directory_read::SnapshotPhase::Relations,
            done: 3,
            total: u64::MAX,
            requests: 9,
        });
        assert_eq!(p.phase, DirectoryReadPhase::Relations);
        assert_eq!((p.done, p.total, p.requests), (3, u32::MAX, 9));
    }

    #[test]
    fn a_directory_never_read_says_so_and_has_no_read_time() {
        let summary = engine::DirectorySummary {
            source: "JumpCloud (EU)".into(),
            users: 10,
            groups: 2,
            suspended_users: 1,
            applications: 3,
        };
        let unread = DirectorySummary::new(
            summary.clone(),
            engine::directory_read::DirectoryStatus {
                needs_read: true,
                read_at: None,
            },
        );
        assert!(unread.needs_read);
        assert_eq!(unread.read_at, None);
        let at = chrono::DateTime::from_timestamp(60, 0).unwrap();
        let read = DirectorySummary::new(
            summary,
            engine::directory_read::DirectoryStatus {
                needs_read: false,
                read_at: Some(at),
            },
        );
        assert_eq!(read.read_at.as_deref(), Some("1970-01-01T00:01:00+00:00"));
        assert_eq!((read.summary.users, read.summary.suspended_users), (10, 1));
    }
}
