//! Diff snapshots, delta against the previous diff, drift over time.

use super::rows::from_millis;
use super::History;
use crate::model::{DriftPoint, RunCounts, RunId};
use crate::snapshot::{decode, delta, encode, DiffSnapshot, SnapshotDelta};
use crate::{Error, Result};

impl History {
    /// Stores (or replaces) the per-object state of a diff run.
    pub async fn save_diff_snapshot(&self, run_id: RunId, snapshot: &DiffSnapshot) -> Result<()> {
        let blob = encode(snapshot);
        let done = sqlx::query(
            "INSERT OR REPLACE INTO diff_snapshots (run_id, target_id, object_count, entries) \
             SELECT id, target_id, ?, ? FROM runs WHERE id = ?",
        )
        .bind(snapshot.entries.len() as i64)
        .bind(blob)
        .bind(run_id.0)
        .execute(&self.pool)
        .await?;
        if done.rows_affected() == 0 {
            return Err(Error::RunNotFound(run_id));
        }
        Ok(())
    }

    /// Objects that appeared, disappeared or changed state/values since the
    /// previous snapshot of the same target.
    pub async fn diff_since_previous(&self, run_id: RunId) -> Result<SnapshotDelta> {
        let current: Option<(String, Vec<u8>)> =
            sqlx::query_as("SELECT target_id, entries FROM diff_snapshots WHERE run_id = ?")
                .bind(run_id.0)
                .fetch_optional(&self.pool)
                .await?;
        let (target_id, blob) = current.ok_or(Error::SnapshotNotFound(run_id))?;
        let current = decode_for(run_id, &blob)?;

        let previous: Option<(i64, Vec<u8>)> = sqlx::query_as(
            "SELECT run_id, entries FROM diff_snapshots WHERE target_id = ? AND run_id < ? \
             ORDER BY run_id DESC LIMIT 1",
        )
        .bind(&target_id)
        .bind(run_id.0)
        .fetch_optional(&self.pool)
        .await?;
        Ok(match previous {
            Some((prev_id, prev_blob)) => {
                let prev_id = RunId(prev_id);
                delta(
                    run_id,
                    Some(prev_id),
                    &decode_for(prev_id, &prev_blob)?,
                    &current,
                )
            }
            None => delta(run_id, None, &DiffSnapshot::default(), &current),
        })
    }

    /// Drift counts of the last `limit` finished diff runs of a target,
    /// oldest first (chart order).
    pub async fn drift_over_time(&self, target_id: &str, limit: u32) -> Result<Vec<DriftPoint>> {
        let rows: Vec<(i64, i64, String)> = sqlx::query_as(
            "SELECT id, started_at, counts FROM runs \
             WHERE kind = 'diff' AND target_id = ? AND outcome IN ('succeeded', 'partial') \
             ORDER BY id DESC LIMIT ?",
        )
        .bind(target_id)
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .rev()
            .map(|(id, started_at, counts)| {
                let c: RunCounts =
                    serde_json::from_str(&counts).map_err(|_| Error::UnexpectedValue {
                        column: "runs.counts",
                        value: counts.clone(),
                    })?;
                Ok(DriftPoint {
                    run_id: RunId(id),
                    at: from_millis("runs.started_at", started_at)?,
                    missing: c.missing,
                    extra: c.extra,
                    changed: c.changed,
                    ineligible: c.ineligible,
                })
            })
            .collect()
    }
}

fn decode_for(run_id: RunId, blob: &[u8]) -> Result<DiffSnapshot> {
    decode(blob).map_err(|detail| Error::SnapshotMalformed { run_id, detail })
}
