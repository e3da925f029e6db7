//! Work on one target through a handle: `session.target(id)?.diff(..)`. The handle names the
//! target once; each job registers its cancel switch under (kind, target), records its run in
//! the history and applies the retention afterwards, whoever called it.

use std::sync::Arc;

use chrono::Utc;

use super::jobs::JobKind;
use super::work::DiffEvent;
use super::Session;
use crate::apply::{ApplyOutcome, ApplyProgress, ApplyRequest};
use crate::connection::ConnectionReport;
use crate::diff::DiffReport;
use crate::error::{Error, Job, Result};
use crate::plan::PlanReport;
use crate::target_work::TargetWork;
use crate::workspace::{TargetInfo, Workspace};

/// One listed target of the session's workspace (usable or not: an unusable one answers each
/// job with why).
pub struct TargetHandle<'a> {
    session: &'a Session,
    info: TargetInfo,
}

impl Session {
    /// The target `id` of the current workspace, or [`Error::UnknownTarget`].
    pub fn target(&self, id: &str) -> Result<TargetHandle<'_>> {
        let info = self
            .workspace()
            .target(id)
            .cloned()
            .ok_or_else(|| Error::UnknownTarget(id.to_owned()))?;
        Ok(TargetHandle {
            session: self,
            info,
        })
    }
}

impl TargetHandle<'_> {
    pub fn id(&self) -> &str {
        &self.info.id
    }

    pub fn info(&self) -> &TargetInfo {
        &self.info
    }

    /// Stops this target's running job of that kind; false when none was running.
    pub fn cancel(&self, kind: JobKind) -> bool {
        self.session.cancel(kind, self.id())
    }

    /// The last completed diff of this target.
    pub fn last_diff(&self) -> Result<Arc<DiffReport>> {
        self.session.workspace().last_diff(self.id())
    }

    /// Diffs JumpCloud against the target, reading JumpCloud first when the workspace has not
    /// read it yet, and records the run (finished, failed or cancelled) in the history.
    pub async fn diff(
        &self,
        progress: impl Fn(DiffEvent) + Send + Sync,
    ) -> Result<Arc<DiffReport>> {
        let target_id = self.id();
        let started = Utc::now();
        let before = self.session.workspace();
        // Unknown or unusable targets are refused before anything is read or recorded.
        before.find(target_id)?;
        // Registered before the JumpCloud read, so cancelling the diff also stops that read.
        let job = self.session.jobs.start(JobKind::Diff, target_id, false);
        let read = tokio::select! {
            biased;
            _ = job.token().cancelled() => Err(Error::Cancelled(Job::Diff)),
            read = self.session.directory_for(target_id, |p| progress(DiffEvent::JumpCloud(p))) => read,
        };
        let workspace = match read {
            Ok(workspace) => workspace,
            Err(e) => {
                drop(job);
                self.record_failed_diff(&before, started, &e).await;
                return Err(e);
            }
        };
        let history = self.session.history.store();
        let report = async {
            TargetWork::new(&workspace, target_id)?
                .diff_recorded(
                    |p| progress(DiffEvent::Target(p)),
                    job.token(),
                    history.as_deref(),
                )
                .await
        }
        .await;
        drop(job);
        // Retention applies to failed and cancelled runs too.
        self.session.history.after_run().await;
        report
    }

    async fn record_failed_diff(
        &self,
        workspace: &Workspace,
        started: chrono::DateTime<Utc>,
        error: &Error,
    ) {
        let target_id = self.id();
        // A target without its application is refused before anything is read: not a run
        // (as `TargetWork::diff_recorded` treats it).
        if matches!(error, Error::NoJumpCloudApp(_)) {
            return;
        }
        let (Some(history), Some(target)) =
            (self.session.history.store(), workspace.target(target_id))
        else {
            return;
        };
        if let Err(e) = crate::diff::record_failed_diff(&history, target, started, error, &[]).await
        {
            tracing::warn!(target_id, error = %e, "could not record the diff in history");
        }
        self.session.history.after_run().await;
    }

    /// The plan that would bring the target to what JumpCloud would push, from its last diff,
    /// under `policy` held to the saved deletion guard.
    pub fn plan(&self, policy: &drift::plan::Policy) -> Result<Arc<PlanReport>> {
        TargetWork::new(&self.session.workspace(), self.id())?.plan(policy)
    }

    /// Reads the target again, re-plans and applies the approved intents still needed. Never
    /// runs unrecorded: without a history nothing is written.
    pub async fn apply(
        &self,
        request: &ApplyRequest,
        progress: impl Fn(ApplyProgress) + Send + Sync,
    ) -> Result<ApplyOutcome> {
        let target_id = self.id();
        let history = self.session.history.for_recording()?;
        let workspace = self.session.directory_for(target_id, |_| {}).await?;
        let job = self.session.jobs.start(JobKind::Apply, target_id, false);
        let outcome = async {
            TargetWork::new(&workspace, target_id)?
                .apply(request, &history, progress, job.token())
                .await
        }
        .await;
        drop(job);
        self.session.history.after_run().await;
        outcome
    }

    /// Creates or updates one JumpCloud user in the target and adds it to its groups; never
    /// removes anything. Plans from the last diff (diffing first when there is none or it is
    /// stale), then applies only that user's operations after a fresh read.
    pub async fn provision_user(
        &self,
        source_id: &str,
        progress: impl Fn(ApplyProgress) + Send + Sync,
    ) -> Result<ApplyOutcome> {
        let target_id = self.id();
        let policy = crate::plan::provision_policy();
        let report = match self.plan(&policy) {
            Err(Error::NoDiff(_) | Error::StaleDiff(_)) => {
                let workspace = self.session.workspace();
                let work = TargetWork::new(&workspace, target_id)?;
                let job = self.session.jobs.start(JobKind::Apply, target_id, false);
                let diff = work
                    .diff(|p| progress(ApplyProgress::Reading(p)), job.token())
                    .await;
                drop(job);
                diff.map_err(|e| e.cancelled_as(Job::ApplyRead))?;
                work.plan(&policy)
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
        self.apply(&request, progress).await
    }

    /// A read-only connection check of a target (discovery and totals), recorded in the
    /// history.
    pub async fn test_connection(&self) -> Result<ConnectionReport> {
        let target_id = self.id();
        let workspace = self.session.workspace();
        let history = self.session.history.store();
        let report = crate::run_log::check_target(&workspace, target_id, history.as_deref()).await;
        self.session.history.after_run().await;
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
