//! Runs: start, finish, list, detail, crash recovery.

use chrono::Utc;
use sqlx::{QueryBuilder, Sqlite};

use super::rows::{to_millis, RunRow, RUN_COLUMNS};
use super::History;
use crate::model::{
    NewRun, OutcomeTally, RunCounts, RunDetail, RunFilter, RunId, RunOutcome, RunPage, RunSummary,
};
use crate::{Error, Result};

/// Summary written on runs found `running` at start-up.
pub const INTERRUPTED_SUMMARY: &str = "interrupted";

/// Upper bound on a page, so a bad caller cannot ask for the whole table.
const MAX_PAGE: u32 = 1000;

impl History {
    /// Records a run as `running` and returns its id.
    pub async fn start_run(&self, run: NewRun) -> Result<RunId> {
        let (target_name, actor) = {
            let r = self.redactor();
            (r.redact(&run.target_name), r.redact(&run.actor))
        };
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO runs (kind, target_id, target_name, started_at, outcome, app_version, actor) \
             VALUES (?, ?, ?, ?, 'running', ?, ?) RETURNING id",
        )
        .bind(run.kind.as_str())
        .bind(&run.target_id)
        .bind(target_name)
        .bind(to_millis(run.started_at))
        .bind(&run.app_version)
        .bind(actor)
        .fetch_one(&self.pool)
        .await?;
        Ok(RunId(id))
    }

    /// Sets the final outcome, counts and summary (redacted, capped like an
    /// excerpt) of a run.
    pub async fn finish_run(
        &self,
        id: RunId,
        outcome: RunOutcome,
        counts: &RunCounts,
        summary: &str,
    ) -> Result<()> {
        let summary = self.redactor().excerpt(summary);
        let done = sqlx::query(
            "UPDATE runs SET outcome = ?, finished_at = ?, counts = ?, summary = ? WHERE id = ?",
        )
        .bind(outcome.as_str())
        .bind(to_millis(Utc::now()))
        .bind(serde_json::to_string(counts)?)
        .bind(summary)
        .bind(id.0)
        .execute(&self.pool)
        .await?;
        if done.rows_affected() == 0 {
            return Err(Error::RunNotFound(id));
        }
        Ok(())
    }

    /// Runs matching `filter`, newest first, one keyset page at a time.
    pub async fn list_runs(&self, filter: &RunFilter, page: RunPage) -> Result<Vec<RunSummary>> {
        let mut q =
            QueryBuilder::<Sqlite>::new(format!("SELECT {RUN_COLUMNS} FROM runs WHERE 1 = 1"));
        if let Some(target) = &filter.target {
            q.push(" AND target_id = ").push_bind(target.clone());
        }
        if let Some(kind) = filter.kind {
            q.push(" AND kind = ").push_bind(kind.as_str());
        }
        if let Some(outcome) = filter.outcome {
            q.push(" AND outcome = ").push_bind(outcome.as_str());
        }
        if let Some(from) = filter.from {
            q.push(" AND started_at >= ").push_bind(to_millis(from));
        }
        if let Some(to) = filter.to {
            q.push(" AND started_at < ").push_bind(to_millis(to));
        }
        if let Some(before) = page.before {
            q.push(" AND id < ").push_bind(before.0);
        }
        q.push(" ORDER BY id DESC LIMIT ")
            .push_bind(i64::from(page.limit.min(MAX_PAGE)));
        let rows: Vec<RunRow> = q.build_query_as().fetch_all(&self.pool).await?;
        rows.into_iter().map(RunSummary::try_from).collect()
    }

    /// One run with its operation tally and whether it has a diff snapshot.
    pub async fn run(&self, id: RunId) -> Result<RunDetail> {
        let row: Option<RunRow> =
            sqlx::query_as(&format!("SELECT {RUN_COLUMNS} FROM runs WHERE id = ?"))
                .bind(id.0)
                .fetch_optional(&self.pool)
                .await?;
        let run = RunSummary::try_from(row.ok_or(Error::RunNotFound(id))?)?;
        let (succeeded, failed, skipped): (i64, i64, i64) = sqlx::query_as(
            "SELECT COALESCE(SUM(outcome = 'succeeded'), 0), COALESCE(SUM(outcome = 'failed'), 0), \
             COALESCE(SUM(outcome = 'skipped'), 0) FROM operations WHERE run_id = ?",
        )
        .bind(id.0)
        .fetch_one(&self.pool)
        .await?;
        let has_snapshot: bool =
            sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM diff_snapshots WHERE run_id = ?)")
                .bind(id.0)
                .fetch_one(&self.pool)
                .await?;
        let tally = |n: i64| u32::try_from(n).unwrap_or(u32::MAX);
        Ok(RunDetail {
            run,
            has_snapshot,
            operation_outcomes: OutcomeTally {
                succeeded: tally(succeeded),
                failed: tally(failed),
                skipped: tally(skipped),
            },
        })
    }

    /// Marks every `running` run as failed with summary "interrupted" and
    /// returns how many. `open` calls this: a run still `running` when the
    /// file is opened was left by a process that died. (If another process,
    /// e.g. the CLI, is mid-run on the same file, its own `finish_run` later
    /// overwrites this.)
    pub async fn recover_interrupted(&self) -> Result<u64> {
        let done = sqlx::query(
            "UPDATE runs SET outcome = 'failed', summary = ?, finished_at = COALESCE(finished_at, ?) \
             WHERE outcome = 'running'",
        )
        .bind(INTERRUPTED_SUMMARY)
        .bind(to_millis(Utc::now()))
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected())
    }
}
