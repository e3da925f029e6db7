//! The apply journal: every planned step is written before the first request and updated as it
//! runs, so an interrupted apply shows exactly what was done and what was in flight.

use chrono::Utc;
use sqlx::{QueryBuilder, Sqlite};

use super::rows::{from_millis, to_millis};
use super::History;
use crate::model::{ApplyStep, NewStep, RunId, StepState};
use crate::Result;

/// seq, op_id, action, label, destructive, state, target_id, detail, updated_at.
type StepRow = (
    i64,
    String,
    String,
    String,
    bool,
    String,
    Option<String>,
    String,
    i64,
);

/// 7 bound values per row: far below SQLite's limit at 500 rows per statement.
const ROWS_PER_INSERT: usize = 500;

impl History {
    /// Writes the planned steps of an apply as `pending`, numbered from 0 in plan order, in one
    /// transaction.
    pub async fn record_steps(&self, run_id: RunId, steps: &[NewStep]) -> Result<()> {
        let now = to_millis(Utc::now());
        // Scoped, so the lock guard is gone before the first await.
        let labels: Vec<String> = {
            let r = self.redactor();
            steps.iter().map(|s| r.excerpt(&s.label)).collect()
        };
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        for (chunk_index, chunk) in steps.chunks(ROWS_PER_INSERT).enumerate() {
            let base = chunk_index * ROWS_PER_INSERT;
            let mut q = QueryBuilder::<Sqlite>::new(
                "INSERT INTO apply_steps (run_id, seq, op_id, action, label, destructive, state, updated_at) ",
            );
            q.push_values(chunk.iter().enumerate(), |mut row, (i, step)| {
                row.push_bind(run_id.0)
                    .push_bind((base + i) as i64)
                    .push_bind(step.op_id.as_str())
                    .push_bind(step.action.as_str())
                    .push_bind(labels[base + i].as_str())
                    .push_bind(step.destructive)
                    .push_bind(StepState::Pending.as_str())
                    .push_bind(now);
            });
            q.build().execute(&mut *tx).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Moves one step to `state`, with what happened (redacted) and the target id it wrote.
    pub async fn update_step(
        &self,
        run_id: RunId,
        seq: u32,
        state: StepState,
        target_id: Option<&str>,
        detail: &str,
    ) -> Result<()> {
        let detail = self.redactor().excerpt(detail);
        let done = sqlx::query(
            "UPDATE apply_steps SET state = ?, target_id = COALESCE(?, target_id), detail = ?, updated_at = ? \
             WHERE run_id = ? AND seq = ?",
        )
        .bind(state.as_str())
        .bind(target_id)
        .bind(detail)
        .bind(to_millis(Utc::now()))
        .bind(run_id.0)
        .bind(i64::from(seq))
        .execute(&self.pool)
        .await?;
        if done.rows_affected() == 0 {
            return Err(crate::Error::RunNotFound(run_id));
        }
        Ok(())
    }

    /// The journal of one apply, in plan order.
    pub async fn steps(&self, run_id: RunId) -> Result<Vec<ApplyStep>> {
        let rows: Vec<StepRow> = sqlx::query_as(
            "SELECT seq, op_id, action, label, destructive, state, target_id, detail, updated_at \
                 FROM apply_steps WHERE run_id = ? ORDER BY seq",
        )
        .bind(run_id.0)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(
                |(seq, op_id, action, label, destructive, state, target_id, detail, updated)| {
                    Ok(ApplyStep {
                        seq: u32::try_from(seq).unwrap_or(u32::MAX),
                        op_id,
                        action,
                        label,
                        destructive,
                        state: StepState::parse("apply_steps.state", &state)?,
                        target_id,
                        detail,
                        updated_at: from_millis("apply_steps.updated_at", updated)?,
                    })
                },
            )
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{NewRun, RunKind};

    fn step(id: &str) -> NewStep {
        NewStep {
            op_id: id.to_owned(),
            action: "create user".to_owned(),
            label: format!("label of {id}"),
            destructive: false,
        }
    }

    #[tokio::test]
    async fn steps_are_written_pending_then_moved_through_their_states() {
        let h = History::open_in_memory().await.unwrap();
        h.add_secret("s3cr3t-token");
        let run = h
            .start_run(NewRun::new(RunKind::Apply, "t", "T", "test"))
            .await
            .unwrap();
        let planned: Vec<NewStep> = (0..1_203).map(|i| step(&format!("op{i}"))).collect();
        h.record_steps(run, &planned).await.unwrap();
        h.update_step(run, 0, StepState::Running, None, "")
            .await
            .unwrap();
        h.update_step(run, 1, StepState::Succeeded, Some("u-1"), "created")
            .await
            .unwrap();
        h.update_step(
            run,
            2,
            StepState::Failed,
            None,
            "HTTP 500 with s3cr3t-token echoed",
        )
        .await
        .unwrap();
        let steps = h.steps(run).await.unwrap();
        assert_eq!(steps.len(), 1_203);
        assert_eq!(steps[0].state, StepState::Running);
        assert_eq!(
            (steps[1].state, steps[1].target_id.as_deref()),
            (StepState::Succeeded, Some("u-1"))
        );
        assert_eq!(steps[2].state, StepState::Failed);
        assert!(
            !steps[2].detail.contains("s3cr3t-token"),
            "{}",
            steps[2].detail
        );
        assert!(steps[3..].iter().all(|s| s.state == StepState::Pending));
        assert_eq!(steps[1_202].op_id, "op1202");
        assert!(h
            .update_step(run, 5_000, StepState::Failed, None, "")
            .await
            .is_err());
    }
}
