//! Operations: batched insert and keyset pages.

use sqlx::{QueryBuilder, Sqlite};

use super::rows::{to_millis, OperationRow, OPERATION_COLUMNS};
use super::History;
use crate::model::{NewOperation, Operation, OperationPage, RunId};
use crate::{Error, Result};

/// Rows per INSERT statement: 15 columns x 500 = 7,500 bound values, well
/// under SQLite's 32,766 limit, and full chunks reuse one cached statement.
const ROWS_PER_INSERT: usize = 500;

const MAX_PAGE: u32 = 1000;

impl History {
    /// Appends `ops` to a run in ONE transaction (all or none), numbering
    /// them after the run's existing operations.
    pub async fn record_operations(&self, run_id: RunId, ops: &[NewOperation]) -> Result<()> {
        if ops.is_empty() {
            return Ok(());
        }
        // Redact before taking the write lock: it is the CPU-heavy part.
        let scrubbed = {
            let r = self.redactor();
            ops.iter()
                .map(|op| {
                    let scrubbed = NewOperation {
                        path: r.excerpt(&op.path),
                        resource_label: r.excerpt(&op.resource_label),
                        error_detail: op.error_detail.as_deref().map(|t| r.excerpt(t)),
                        request_excerpt: op.request_excerpt.as_deref().map(|t| r.excerpt(t)),
                        response_excerpt: op.response_excerpt.as_deref().map(|t| r.excerpt(t)),
                        ..op.clone()
                    };
                    // The column holds the attribute list as JSON.
                    let attributes = serde_json::to_string(&op.modified_attributes)?;
                    Ok((scrubbed, attributes))
                })
                .collect::<Result<Vec<_>>>()?
        };

        // IMMEDIATE takes the write lock up front (waiting on busy_timeout)
        // instead of failing on a read-to-write upgrade under contention.
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        // Reserve the seq range and check the run exists in one statement.
        let first_seq: Option<i64> = sqlx::query_scalar(
            "UPDATE runs SET operation_count = operation_count + ? WHERE id = ? RETURNING operation_count - ?",
        )
        .bind(scrubbed.len() as i64)
        .bind(run_id.0)
        .bind(scrubbed.len() as i64)
        .fetch_optional(&mut *tx)
        .await?;
        let first_seq = first_seq.ok_or(Error::RunNotFound(run_id))?;

        for (chunk_index, chunk) in scrubbed.chunks(ROWS_PER_INSERT).enumerate() {
            let base = first_seq + (chunk_index * ROWS_PER_INSERT) as i64;
            let mut q = QueryBuilder::<Sqlite>::new(format!(
                "INSERT INTO operations ({OPERATION_COLUMNS}) "
            ));
            q.push_values(
                chunk.iter().enumerate(),
                |mut row, (i, (op, attributes))| {
                    row.push_bind(run_id.0)
                        .push_bind(base + i as i64)
                        .push_bind(to_millis(op.started_at))
                        .push_bind(op.method.as_str())
                        .push_bind(op.path.as_str())
                        .push_bind(op.resource_kind.as_str())
                        .push_bind(op.resource_label.as_str())
                        .push_bind(op.status.map(i64::from))
                        .push_bind(op.latency_ms.map(i64::from))
                        .push_bind(op.outcome.as_str())
                        .push_bind(op.scim_type.as_deref())
                        .push_bind(op.error_detail.as_deref())
                        .push_bind(op.request_excerpt.as_deref())
                        .push_bind(op.response_excerpt.as_deref())
                        .push_bind(attributes.as_str());
                },
            );
            q.build().persistent(true).execute(&mut *tx).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// A page of a run's operations in order. Keyset on (run_id, seq), so
    /// page N costs the same as page 1.
    pub async fn operations(&self, run_id: RunId, page: OperationPage) -> Result<Vec<Operation>> {
        let after = page.after_seq.map_or(-1, i64::from);
        let rows: Vec<OperationRow> = sqlx::query_as(&format!(
            "SELECT {OPERATION_COLUMNS} FROM operations WHERE run_id = ? AND seq > ? ORDER BY seq LIMIT ?"
        ))
        .bind(run_id.0)
        .bind(after)
        .bind(i64::from(page.limit.min(MAX_PAGE)))
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(Operation::try_from).collect()
    }

    /// Every operation of a run, in order (exports).
    pub(super) async fn all_operations(&self, run_id: RunId) -> Result<Vec<Operation>> {
        let rows: Vec<OperationRow> = sqlx::query_as(&format!(
            "SELECT {OPERATION_COLUMNS} FROM operations WHERE run_id = ? ORDER BY seq"
        ))
        .bind(run_id.0)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(Operation::try_from).collect()
    }
}
