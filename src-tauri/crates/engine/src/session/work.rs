//! The session's long jobs: read JumpCloud, diff (reading JumpCloud first when the workspace
//! has not), plan, apply and provision one user. Each registers its cancel switch, records
//! its run in the history and applies the retention afterwards, whoever called it.

use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;

use super::jobs::JobKind;
use super::Session;
use crate::apply::{ApplyOutcome, ApplyProgress, ApplyRequest};
use crate::connection::ConnectionReport;
use crate::diff::{DiffProgress, DiffReport};
use crate::directory_read::{self, SnapshotProgress};
use crate::error::{Error, Job, Result};
use crate::plan::PlanReport;
use crate::workspace::{Workspace, WorkspaceMode};

/// A finished JumpCloud read.
pub struct DirectoryReadDone {
    /// The workspace with the new directory (already the session's).
    pub workspace: Arc<Workspace>,
    pub requests: u64,
    pub duration: Duration,
}

/// Progress of a diff: the JumpCloud read it may start with, then the target's read.
#[derive(Debug, Clone, PartialEq, Eq)]
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
        let workspace = self.update_workspace(|current| current.with_directory_read(read))?;
        Ok(DirectoryReadDone {
            workspace,
            requests,
            duration,
        })
    }

    /// Diffs JumpCloud against `target_id`, reading JumpCloud first when the workspace has not
    /// read it yet, and records the run (finished, failed or cancelled) in the history.
    pub async fn diff(
        &self,
        target_id: &str,
        progress: impl Fn(DiffEvent) + Send + Sync,
    ) -> Result<Arc<DiffReport>> {
        let started = Utc::now();
        let before = self.workspace();
        // Unknown or unusable targets are refused before anything is read or recorded.
        before.find(target_id)?;
        // Registered before the JumpCloud read, so cancelling the diff also stops that read.
        let job = self.jobs.start(JobKind::Diff, target_id, false);
        let read = tokio::select! {
            biased;
            _ = job.token().cancelled() => Err(Error::Cancelled(Job::Diff)),
            read = self.directory_for(target_id, |p| progress(DiffEvent::JumpCloud(p))) => read,
        };
        let workspace = match read {
            Ok(workspace) => workspace,
            Err(e) => {
                drop(job);
                self.record_failed_diff(&before, target_id, started, &e)
                    .await;
                return Err(e);
            }
        };
        let history = self.history.store();
        let report = workspace
            .run_diff_recorded(
                target_id,
                |p| progress(DiffEvent::Target(p)),
                job.token(),
                history.as_deref(),
            )
            .await;
        drop(job);
        // Retention applies to failed and cancelled runs too.
        self.history.after_run().await;
        report
    }

    /// The workspace to work on `target_id` with: the current one, after reading JumpCloud
    /// when the target needs a directory the workspace has not read yet.
    pub async fn directory_for(
        &self,
        target_id: &str,
        progress: impl FnMut(SnapshotProgress),
    ) -> Result<Arc<Workspace>> {
        let workspace = self.workspace();
        if workspace.needs_directory_for(target_id)? {
            return Ok(self.read_directory(progress).await?.workspace);
        }
        Ok(workspace)
    }

    async fn record_failed_diff(
        &self,
        workspace: &Workspace,
        target_id: &str,
        started: chrono::DateTime<Utc>,
        error: &Error,
    ) {
        // A target without its application is refused before anything is read: not a run
        // (as `Workspace::run_diff_recorded` treats it).
        if matches!(error, Error::NoJumpCloudApp(_)) {
            return;
        }
        let (Some(history), Some(target)) = (self.history.store(), workspace.target(target_id))
        else {
            return;
        };
        if let Err(e) = crate::diff::record_failed_diff(&history, target, started, error, &[]).await
        {
            tracing::warn!(target_id, error = %e, "could not record the diff in history");
        }
        self.history.after_run().await;
    }

    /// The plan that would bring the target to what JumpCloud would push, from its last diff,
    /// under `policy` held to the saved deletion guard.
    pub fn plan(&self, target_id: &str, policy: &drift::plan::Policy) -> Result<Arc<PlanReport>> {
        self.workspace().plan(target_id, policy)
    }

    /// Reads the target again, re-plans and applies the approved intents still needed. Never
    /// runs unrecorded: without a history nothing is written.
    pub async fn apply(
        &self,
        target_id: &str,
        request: &ApplyRequest,
        progress: impl Fn(ApplyProgress) + Send + Sync,
    ) -> Result<ApplyOutcome> {
        let history = self.history.for_recording()?;
        let workspace = self.directory_for(target_id, |_| {}).await?;
        let job = self.jobs.start(JobKind::Apply, target_id, false);
        let outcome = workspace
            .apply(target_id, request, &history, progress, job.token())
            .await;
        drop(job);
        self.history.after_run().await;
        outcome
    }

    /// Creates or updates one JumpCloud user in the target and adds it to its groups; never
    /// removes anything. Plans from the last diff (diffing first when there is none or it is
    /// stale), then applies only that user's operations after a fresh read.
    pub async fn provision_user(
        &self,
        target_id: &str,
        source_id: &str,
        progress: impl Fn(ApplyProgress) + Send + Sync,
    ) -> Result<ApplyOutcome> {
        let policy = crate::plan::provision_policy();
        let report = match self.plan(target_id, &policy) {
            Err(Error::NoDiff(_) | Error::StaleDiff(_)) => {
                let workspace = self.workspace();
                let job = self.jobs.start(JobKind::Apply, target_id, false);
                let diff = workspace
                    .run_diff(
                        target_id,
                        |p| progress(ApplyProgress::Reading(p)),
                        job.token(),
                    )
                    .await;
                drop(job);
                diff.map_err(|e| e.cancelled_as(Job::ApplyRead))?;
                workspace.plan(target_id, &policy)
            }
            other => other,
        }?;
        let approved = crate::plan::intents_for_user(&report.plan, source_id);
        if approved.is_empty() {
            return Err(nothing_to_provision(&report, source_id));
        }
        let request = ApplyRequest {
            policy,
            approved,
            confirm_destructive: None,
            override_guard: None,
            provision_one: true,
        };
        self.apply(target_id, &request, progress).await
    }

    /// A read-only connection check of a target (discovery and totals), recorded in the
    /// history.
    pub async fn test_connection(&self, target_id: &str) -> Result<ConnectionReport> {
        let workspace = self.workspace();
        let history = self.history.store();
        let report = workspace
            .test_connection_recorded(target_id, history.as_deref())
            .await;
        self.history.after_run().await;
        report
    }
}

/// Why provisioning `source_id` has nothing to do: the plan leaves the user alone (and says
/// why), or the user is in sync or out of scope.
fn nothing_to_provision(report: &PlanReport, source_id: &str) -> Error {
    let why = report.plan.skipped.iter().find(|s| {
        s.source_id.as_deref() == Some(source_id) && s.kind == drift::plan::SkippedKind::User
    });
    Error::NothingToProvision {
        reason: why
            .map(|item| format!("{} is left alone by the plan: {}", item.label, item.reason)),
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
                let result = workspace
                    .test_connection_recorded(&id, history.as_deref())
                    .await;
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
