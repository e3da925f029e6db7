//! The diff of JumpCloud against one target: project what JumpCloud would push, read the whole
//! target, compare with `drift`, and keep the result so the UI can page rows and open details
//! without reading the target again.
//!
//! A diff is never computed from a partial read: any read error (or a cancel) ends the run with
//! an error and leaves the previous result in place.

mod export;
mod query;
mod read;
mod record;
mod report;
mod store;

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Instant;

/// The cancel switch a diff takes, so callers need not depend on `tokio-util`.
pub use tokio_util::sync::CancellationToken;

use crate::error::{Error, Job, Result};
use crate::target_work::TargetWork;

/// The row types of a report, re-exported so callers need not depend on `drift`.
pub use drift::{AttrChange, DriftCode, DriftReason, DriftRow, DriftRowKind, DriftRowState};
pub use export::ExportFormat;
pub use query::RowQuery;
pub use read::{DiffPhase, DiffProgress};
pub use record::record_failed_diff;
/// State and kind names as the exports (and the CLI) spell them, and the order states are listed in.
pub use report::{kind_name, state_name, DiffReport, KindCounts, RowDetail, STATES};
pub(crate) use store::DiffStore;

impl TargetWork<'_> {
    /// Diffs JumpCloud against this target, reporting progress, and keeps the result as the
    /// target's last diff. `cancel` stops the run promptly with [`Error::Cancelled`]
    /// (the session registers it, see [`crate::session`]).
    pub async fn diff(
        &self,
        progress: impl Fn(DiffProgress) + Send + Sync,
        cancel: &CancellationToken,
    ) -> Result<Arc<DiffReport>> {
        self.diff_logged(progress, cancel, None).await
    }

    /// [`TargetWork::diff`], with every SCIM exchange also captured in `log`.
    pub(crate) async fn diff_logged(
        &self,
        progress: impl Fn(DiffProgress) + Send + Sync,
        cancel: &CancellationToken,
        log: Option<&crate::run_log::ExchangeLog>,
    ) -> Result<Arc<DiffReport>> {
        let (workspace, target) = (self.workspace, self.target);
        let directory = workspace.directory();
        // Never diff a configured target against a directory that was not read: everything on
        // the target would look extra.
        crate::directory_read::ready_to_diff(workspace, target)?;
        let started = Instant::now();
        let requests = Arc::new(AtomicU64::new(0));
        let counter = requests.clone();
        let logged = log.map(|l| l.observer());
        let client = target
            .client
            .with_cancellation(cancel.clone())
            .with_observer(Arc::new(move |x: &scim::Exchange| {
                counter.fetch_add(u64::from(x.attempts.max(1)), Ordering::Relaxed);
                if let Some(log) = &logged {
                    log(x);
                }
            }));

        let kind = target.info.kind;
        let scope = directory.app_scope(&target.app_id)?;
        let projection = targets::expected::project(kind, &target.settings, directory, &scope);

        let tracker = read::Tracker::new(&progress, &requests, &client);
        let actual = tokio::select! {
            biased;
            _ = cancel.cancelled() => return Err(Error::Cancelled(Job::Diff)),
            read = read::read_target(&client, target.settings.manage_groups, &tracker) => read?,
        };

        tracker.phase(DiffPhase::Comparing);
        let known = drift::KnownSources::new(
            directory.users.iter().map(|u| u.id.clone()),
            directory.groups.iter().map(|g| g.id.clone()),
        );
        // The comparison is CPU work (seconds at 100,000 users): keep it off the async workers.
        let spec = targets::compare_spec(kind);
        let (drift, projection, actual) = tokio::task::spawn_blocking(move || {
            let drift = drift::diff(&projection.expected, &actual, &spec, &known);
            (drift, projection, actual)
        })
        .await
        .map_err(|e| match e.try_into_panic() {
            Ok(panic) => std::panic::resume_unwind(panic),
            // Only a runtime shutting down aborts a blocking task.
            Err(_) => Error::Cancelled(Job::Diff),
        })?;
        if cancel.is_cancelled() {
            return Err(Error::Cancelled(Job::Diff));
        }

        let report = Arc::new(DiffReport::build(
            report::Header {
                target_id: target.info.id.clone(),
                target_name: target.info.name.clone(),
                kind,
                duration: started.elapsed(),
                requests: requests.load(Ordering::Relaxed),
            },
            drift,
            projection,
            actual,
        ));
        tracker.phase(DiffPhase::Done);
        workspace.diffs.keep(self.id(), report.clone());
        Ok(report)
    }
}

#[cfg(test)]
mod tests;
