//! Pruning old runs (operations and snapshots go with them by cascade).

use chrono::{Duration, Utc};

use super::rows::to_millis;
use super::History;
use crate::model::Retention;
use crate::Result;

impl History {
    /// Deletes runs outside the retention window and returns how many.
    /// Runs still `running` are never deleted.
    pub async fn apply_retention(&self, retention: Retention) -> Result<u64> {
        let done = match retention {
            Retention::KeepDays(days) => {
                let cutoff = Utc::now() - Duration::days(i64::from(days));
                sqlx::query("DELETE FROM runs WHERE started_at < ? AND outcome <> 'running'")
                    .bind(to_millis(cutoff))
                    .execute(&self.pool)
                    .await?
            }
            Retention::KeepRuns(keep) => {
                sqlx::query(
                    "DELETE FROM runs WHERE outcome <> 'running' \
                     AND id NOT IN (SELECT id FROM runs ORDER BY id DESC LIMIT ?)",
                )
                .bind(i64::from(keep))
                .execute(&self.pool)
                .await?
            }
        };
        Ok(done.rows_affected())
    }
}
