//! A diff recorded into the local history: a finished diff becomes a `diff` run with its counts
//! and snapshot (the drift-over-time chart reads those); a failed or cancelled one is still
//! listed, with the reason, so the History page shows every diff the admin ran.
//!
//! Recording never changes the diff's own result: a recording failure is logged and the report
//! (or the diff's error) is returned as if no history were given.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use history::{History, NewOperation, NewRun, RunCounts, RunId, RunKind, RunOutcome};
use tokio_util::sync::CancellationToken;

use super::{DiffProgress, DiffReport};
use crate::error::{Error, Result};
use crate::run_log::{record_diff, ExchangeLog, APP_VERSION};
use crate::target_work::TargetWork;
use crate::workspace::TargetInfo;

impl TargetWork<'_> {
    /// [`TargetWork::diff`], recorded as a `diff` run when a history is given.
    pub async fn diff_recorded(
        &self,
        progress: impl Fn(DiffProgress) + Send + Sync,
        cancel: &CancellationToken,
        history: Option<&History>,
    ) -> Result<Arc<DiffReport>> {
        let started = Utc::now();
        // Every SCIM request of the run is listed with it, as for tests and applies.
        let log = ExchangeLog::new();
        let result = self.diff_logged(progress, cancel, Some(&log)).await;
        // Refused before anything was read (JumpCloud not read yet, no application chosen): not
        // a run, so the History page does not fill with them.
        if matches!(
            result,
            Err(Error::DirectoryNotRead) | Err(Error::NoJumpCloudApp(_))
        ) {
            return result;
        }
        let Some(history) = history else {
            return result;
        };
        let (target, target_id) = (&self.target.info, self.id());
        // A failed diff stores the error text; a target may have echoed its token in it.
        for secret in crate::run_log::secrets_of(&self.target.client.config().auth) {
            history.add_secret(secret);
        }
        let recorded = match &result {
            Ok(report) => {
                let operations = log.operations();
                record_diff(
                    history,
                    target,
                    started,
                    Utc::now(),
                    &report.drift,
                    &operations,
                )
                .await
            }
            Err(error) => {
                record_failed_diff(history, target, started, error, &log.operations()).await
            }
        };
        if let Err(e) = recorded {
            tracing::warn!(target_id, error = %e, "could not record the diff in history");
        }
        result
    }
}

/// A diff that produced no report: a run with no counts (so it adds no point to the drift
/// chart) and the error as its summary.
pub async fn record_failed_diff(
    history: &History,
    target: &TargetInfo,
    started: DateTime<Utc>,
    error: &Error,
    operations: &[NewOperation],
) -> history::Result<RunId> {
    let mut run = NewRun::new(RunKind::Diff, &target.id, &target.name, APP_VERSION);
    run.started_at = started;
    let run_id = history.start_run(run).await?;
    history.record_operations(run_id, operations).await?;
    let (outcome, summary) = match error {
        Error::Cancelled(_) => (
            RunOutcome::Cancelled,
            "Cancelled before it finished".to_owned(),
        ),
        other => (RunOutcome::Failed, other.to_string()),
    };
    history
        .finish_run(run_id, outcome, &RunCounts::default(), &summary)
        .await?;
    Ok(run_id)
}

#[cfg(test)]
mod tests {
    use history::{RunFilter, RunPage};

    use super::*;
    use crate::demo;

    async fn diff_runs(history: &History) -> Vec<history::RunSummary> {
        history
            .list_runs(&RunFilter::default(), RunPage::first(10))
            .await
            .unwrap()
            .into_iter()
            .filter(|r| r.kind == RunKind::Diff)
            .collect()
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_demo_diff_is_listed_with_its_counts_and_charted() {
        let ws = demo::workspace().unwrap();
        let history = History::open_in_memory().await.unwrap();
        let report = TargetWork::new(&ws, "demo-aws")
            .unwrap()
            .diff_recorded(|_| {}, &CancellationToken::new(), Some(&history))
            .await
            .unwrap();

        let runs = diff_runs(&history).await;
        assert_eq!(runs.len(), 1);
        assert_eq!(runs[0].target_id, "demo-aws");
        assert_eq!(runs[0].outcome, RunOutcome::Succeeded);
        let summary = &report.drift.summary;
        assert_eq!(
            runs[0].counts.missing,
            summary.users.missing + summary.groups.missing
        );
        assert!(runs[0].counts.missing > 0 && runs[0].counts.ineligible > 0);
        // The run lists its SCIM requests (one per request: the demo answers each at once).
        assert_eq!(u64::from(runs[0].operation_count), report.requests);
        let ops = history
            .operations(runs[0].id, history::OperationPage::first(500))
            .await
            .unwrap();
        assert_eq!(ops.len() as u64, report.requests);
        assert!(
            ops.iter().all(|o| o.op.method == "GET"),
            "a diff only reads"
        );
        assert!(ops.iter().any(|o| o.op.path.starts_with("Users")));

        let points = history.drift_over_time("demo-aws", 10).await.unwrap();
        assert_eq!(points.len(), 1);
        assert_eq!(points[0].missing, runs[0].counts.missing);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_cancelled_diff_is_listed_but_not_charted() {
        let ws = demo::workspace().unwrap();
        let history = History::open_in_memory().await.unwrap();
        let cancel = CancellationToken::new();
        cancel.cancel();
        let result = TargetWork::new(&ws, "demo-generic")
            .unwrap()
            .diff_recorded(|_| {}, &cancel, Some(&history))
            .await;
        assert!(matches!(result, Err(Error::Cancelled(_))), "{result:?}");

        let runs = diff_runs(&history).await;
        assert_eq!(runs.len(), 1);
        assert_eq!(runs[0].outcome, RunOutcome::Cancelled);
        assert!(history
            .drift_over_time("demo-generic", 10)
            .await
            .unwrap()
            .is_empty());
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn without_a_history_or_for_an_unknown_target_nothing_is_recorded() {
        let ws = demo::workspace().unwrap();
        let history = History::open_in_memory().await.unwrap();
        let result = async {
            TargetWork::new(&ws, "no-such-target")?
                .diff_recorded(|_| {}, &CancellationToken::new(), Some(&history))
                .await
        }
        .await;
        assert!(matches!(result, Err(Error::UnknownTarget(_))));
        assert!(diff_runs(&history).await.is_empty());

        // No history: the plain diff result.
        let report = TargetWork::new(&ws, "demo-generic")
            .unwrap()
            .diff_recorded(|_| {}, &CancellationToken::new(), None)
            .await
            .unwrap();
        assert!(report.rows.len() > 1);
    }
}
