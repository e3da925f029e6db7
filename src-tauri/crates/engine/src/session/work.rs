//! The session's work that is not about one target: reading JumpCloud (for every target's
//! application) and checking every target's connection for the Home page. Per-target work is
//! in [`super::target`].

use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;

use super::jobs::JobKind;
use super::Session;
use crate::connection::ConnectionReport;
use crate::diff::DiffProgress;
use crate::directory_read::{self, SnapshotProgress};
use crate::error::{Error, Job, Result};
use crate::workspace::{Workspace, WorkspaceMode};

/// A finished JumpCloud read.
pub struct DirectoryReadDone {
    /// The workspace with the new directory (already the session's).
    pub workspace: Arc<Workspace>,
    pub requests: u64,
    pub duration: Duration,
}

/// Progress of a diff: the JumpCloud read it may start with, then the target's read.
#[derive(Debug, Clone, PartialEq)]
pub enum DiffEvent {
    JumpCloud(SnapshotProgress),
    Target(DiffProgress),
}

impl Session {
    /// Reads JumpCloud with the saved connection for every application the configured targets
    /// use, and makes it the workspace's directory. A failed or cancelled read keeps the
    /// previous directory. One read at a time: a second read cancels the first.
    pub async fn read_directory(
        &self,
        progress: impl FnMut(SnapshotProgress),
    ) -> Result<DirectoryReadDone> {
        let workspace = self.workspace();
        if workspace.mode() != WorkspaceMode::Configured {
            return Err(Error::DemoHasDirectory);
        }
        let config = workspace
            .config()
            .cloned()
            .ok_or(Error::JumpCloudNotConfigured)?;
        let job = self.jobs.start(JobKind::DirectoryRead, "", true);
        let read = match (&self.jumpcloud_key, &config.jumpcloud) {
            (Some(key), Some(settings)) => {
                let apps = directory_read::apps_in_use(&config);
                directory_read::read_jumpcloud(settings, key.expose(), &apps, progress, job.token())
                    .await
            }
            _ => directory_read::read_saved(&config, self.secrets(), progress, job.token()).await,
        }
        .map_err(|e| e.cancelled_as(Job::DirectoryRead))?;
        drop(job);
        let (requests, duration) = (read.requests, read.duration);
        let workspace =
            self.update_workspace(|current| directory_read::with_read(current, read))?;
        Ok(DirectoryReadDone {
            workspace,
            requests,
            duration,
        })
    }

    /// The workspace to work on `target_id` with: the current one, after reading JumpCloud
    /// when the target needs a directory the workspace has not read yet.
    pub async fn directory_for(
        &self,
        target_id: &str,
        progress: impl FnMut(SnapshotProgress),
    ) -> Result<Arc<Workspace>> {
        let workspace = self.workspace();
        if directory_read::needs_read_for(&workspace, target_id)? {
            return Ok(self.read_directory(progress).await?.workspace);
        }
        Ok(workspace)
    }
}

/// One target's connection check, for the Home page.
pub struct TargetCheck {
    pub info: crate::TargetInfo,
    pub result: Result<ConnectionReport>,
    /// Said when the target's token is close to its vendor's expiry.
    pub token_warning: Option<String>,
}

impl Session {
    /// Checks every target over SCIM at once, each recorded in the history, in list order.
    pub async fn test_all_connections(&self) -> Vec<TargetCheck> {
        let workspace = self.workspace();
        let history = self.history.store();
        let mut checks = tokio::task::JoinSet::new();
        let listed = workspace.targets();
        for (at, info) in listed.iter().enumerate() {
            let (workspace, history, id) = (workspace.clone(), history.clone(), info.id.clone());
            checks.spawn(async move {
                let result =
                    crate::run_log::check_target(&workspace, &id, history.as_deref()).await;
                (at, result)
            });
        }
        let mut results: Vec<Option<Result<ConnectionReport>>> =
            listed.iter().map(|_| None).collect();
        while let Some(joined) = checks.join_next().await {
            match joined {
                Ok((at, result)) => results[at] = Some(result),
                Err(e) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
                // Only a runtime shutting down aborts the checks; the rest stay unchecked.
                Err(_) => {}
            }
        }
        self.history.after_run().await;
        let now = Utc::now();
        listed
            .into_iter()
            .zip(results)
            .map(|(info, result)| TargetCheck {
                token_warning: workspace
                    .target_settings(&info.id)
                    .and_then(|t| crate::setup::token_warning(t, now)),
                result: result.unwrap_or(Err(Error::Cancelled(Job::ConnectionTest))),
                info,
            })
            .collect()
    }
}
