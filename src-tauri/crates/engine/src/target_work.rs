//! Work on one usable target of a workspace: `TargetWork::new(&workspace, id)?.diff(..)`.
//!
//! The workspace is data (directory, targets, settings, guard, last diffs); the work on a
//! target lives where it happens and extends this handle there: diffing in [`crate::diff`]
//! (recorded in `diff/record.rs`), planning in [`crate::plan`], applying in [`crate::apply`],
//! the recorded connection check in [`crate::run_log`]. The session's
//! [`crate::session::TargetHandle`] adds jobs, history and retention on top; use this directly
//! only without a session (benchmarks, tests over a preloaded workspace).

use crate::connection::{self, ConnectionReport};
use crate::error::Result;
use crate::workspace::{Target, Workspace};

/// A usable target and the workspace it belongs to; the target is looked up once.
#[derive(Clone, Copy)]
pub struct TargetWork<'a> {
    pub(crate) workspace: &'a Workspace,
    pub(crate) target: &'a Target,
}

impl<'a> TargetWork<'a> {
    /// Target `id` of `workspace`: [`crate::Error::UnknownTarget`] when it is not listed,
    /// [`crate::Error::TargetUnavailable`] when it is listed but cannot be used.
    pub fn new(workspace: &'a Workspace, id: &str) -> Result<Self> {
        Ok(TargetWork {
            workspace,
            target: workspace.find(id)?,
        })
    }

    pub fn id(&self) -> &'a str {
        &self.target.info.id
    }

    /// Read-only check: discovery and user/group totals.
    pub async fn test_connection(&self) -> Result<ConnectionReport> {
        connection::check(&self.target.client).await
    }
}
