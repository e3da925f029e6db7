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
use std::sync::{Arc, Mutex};
use std::time::Instant;

/// The cancel switch `run_diff` takes, so callers need not depend on `tokio-util`.
pub use tokio_util::sync::CancellationToken;

use crate::error::{Error, Job, Result};
use crate::workspace::Workspace;

/// The row types of a report, re-exported so callers need not depend on `drift`.
pub use drift::{AttrChange, DriftCode, DriftReason, DriftRow, DriftRowKind, DriftRowState};
pub use export::ExportFormat;
pub use query::RowQuery;
pub use read::{DiffPhase, DiffProgress};
pub use record::record_failed_diff;
/// State and kind names as the exports (and the CLI) spell them, and the order states are listed in.
pub use report::{kind_name, state_name, DiffReport, KindCounts, RowDetail, STATES};
pub(crate) use store::DiffStore;

/// A poisoned lock only means another thread panicked mid-insert; the maps stay usable.
fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl Workspace {
    /// Diffs JumpCloud against target `target_id`, reporting progress, and keeps the result as
    /// the target's last diff. `cancel` stops the run promptly with [`Error::Cancelled`]
    /// (the session registers it, see [`crate::session`]).
    pub async fn run_diff(
        &self,
        target_id: &str,
        progress: impl Fn(DiffProgress) + Send + Sync,
        cancel: &CancellationToken,
    ) -> Result<Arc<DiffReport>> {
        self.run_diff_logged(target_id, progress, cancel, None)
            .await
    }

    /// [`Workspace::run_diff`], with every SCIM exchange also captured in `log`.
    pub(crate) async fn run_diff_logged(
        &self,
        target_id: &str,
        progress: impl Fn(DiffProgress) + Send + Sync,
        cancel: &CancellationToken,
        log: Option<&crate::run_log::ExchangeLog>,
    ) -> Result<Arc<DiffReport>> {
        let target = self.find(target_id)?;
        // Never diff a configured target against a directory that was not read: everything on
        // the target would look extra.
        self.ready_to_diff(target)?;
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
        let scope = self.directory.app_scope(&target.app_id)?;
        let projection =
            targets::expected::project(kind, &target.settings, &self.directory, &scope);

        let tracker = read::Tracker::new(&progress, &requests, &client);
        let actual = tokio::select! {
            biased;
            _ = cancel.cancelled() => return Err(Error::Cancelled(Job::Diff)),
            read = read::read_target(&client, target.settings.manage_groups, &tracker) => read?,
        };

        tracker.phase(DiffPhase::Comparing);
        let known = drift::KnownSources::new(
            self.directory.users.iter().map(|u| u.id.clone()),
            self.directory.groups.iter().map(|g| g.id.clone()),
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
        lock(&self.diffs.reports).insert(target_id.to_owned(), report.clone());
        lock(&self.diffs.stale).remove(target_id);
        Ok(report)
    }

    /// Marks the target's last diff stale: after an apply wrote, it no longer describes the
    /// target, and a plan made from it would repeat what was just done.
    pub(crate) fn mark_diff_stale(&self, target_id: &str) {
        lock(&self.diffs.stale).insert(target_id.to_owned());
    }

    /// Whether an apply wrote to the target after its last diff.
    pub fn diff_is_stale(&self, target_id: &str) -> bool {
        lock(&self.diffs.stale).contains(target_id)
    }

    /// The target's last completed diff.
    pub fn last_diff(&self, target_id: &str) -> Result<Arc<DiffReport>> {
        self.find(target_id)?;
        lock(&self.diffs.reports)
            .get(target_id)
            .cloned()
            .ok_or_else(|| Error::NoDiff(target_id.to_owned()))
    }

    /// One row of the last diff with the records on each side: the JumpCloud object, the SCIM
    /// resource JumpCloud would push, and the target's resource.
    pub fn diff_detail(
        &self,
        target_id: &str,
        kind: drift::DriftRowKind,
        key: &str,
    ) -> Result<RowDetail> {
        let report = self.last_diff(target_id)?;
        report
            .detail(&self.directory, kind, key)
            .ok_or_else(|| Error::UnknownRow {
                target: target_id.to_owned(),
                kind: report::kind_name(kind),
                key: key.to_owned(),
            })
    }
}

#[cfg(test)]
mod tests;
