//! Raw rows as SQLite returns them, and their conversion to API types.

use chrono::{DateTime, Utc};

use crate::model::{
    NewOperation, Operation, OperationOutcome, RunCounts, RunId, RunKind, RunOutcome, RunSummary,
};
use crate::{Error, Result};

pub(super) const RUN_COLUMNS: &str =
    "id, kind, target_id, target_name, started_at, finished_at, outcome, counts, \
     summary, app_version, actor, operation_count";

#[derive(sqlx::FromRow)]
pub(super) struct RunRow {
    id: i64,
    kind: String,
    target_id: String,
    target_name: String,
    started_at: i64,
    finished_at: Option<i64>,
    outcome: String,
    counts: String,
    summary: String,
    app_version: String,
    actor: String,
    operation_count: i64,
}

impl TryFrom<RunRow> for RunSummary {
    type Error = Error;

    fn try_from(r: RunRow) -> Result<Self> {
        Ok(RunSummary {
            id: RunId(r.id),
            kind: RunKind::parse("runs.kind", &r.kind)?,
            target_id: r.target_id,
            target_name: r.target_name,
            started_at: from_millis("runs.started_at", r.started_at)?,
            finished_at: r
                .finished_at
                .map(|ms| from_millis("runs.finished_at", ms))
                .transpose()?,
            outcome: RunOutcome::parse("runs.outcome", &r.outcome)?,
            counts: serde_json::from_str::<RunCounts>(&r.counts).map_err(|_| {
                Error::UnexpectedValue {
                    column: "runs.counts",
                    value: r.counts.clone(),
                }
            })?,
            summary: r.summary,
            app_version: r.app_version,
            actor: r.actor,
            operation_count: u32::try_from(r.operation_count).unwrap_or(u32::MAX),
        })
    }
}

pub(super) const OPERATION_COLUMNS: &str = "run_id, seq, started_at, method, path, resource_kind, resource_label, \
     status, latency_ms, outcome, scim_type, error_detail, request_excerpt, response_excerpt, modified_attributes";

#[derive(sqlx::FromRow)]
pub(super) struct OperationRow {
    run_id: i64,
    seq: i64,
    started_at: i64,
    method: String,
    path: String,
    resource_kind: String,
    resource_label: String,
    status: Option<i64>,
    latency_ms: Option<i64>,
    outcome: String,
    scim_type: Option<String>,
    error_detail: Option<String>,
    request_excerpt: Option<String>,
    response_excerpt: Option<String>,
    modified_attributes: String,
}

impl TryFrom<OperationRow> for Operation {
    type Error = Error;

    fn try_from(r: OperationRow) -> Result<Self> {
        Ok(Operation {
            run_id: RunId(r.run_id),
            seq: u32::try_from(r.seq).map_err(|_| unexpected("operations.seq", r.seq))?,
            op: NewOperation {
                started_at: from_millis("operations.started_at", r.started_at)?,
                method: r.method,
                path: r.path,
                resource_kind: r.resource_kind,
                resource_label: r.resource_label,
                status: r
                    .status
                    .map(|s| u16::try_from(s).map_err(|_| unexpected("operations.status", s)))
                    .transpose()?,
                latency_ms: r.latency_ms.map(|l| u32::try_from(l).unwrap_or(u32::MAX)),
                outcome: OperationOutcome::parse("operations.outcome", &r.outcome)?,
                scim_type: r.scim_type,
                error_detail: r.error_detail,
                request_excerpt: r.request_excerpt,
                response_excerpt: r.response_excerpt,
                modified_attributes: serde_json::from_str(&r.modified_attributes).map_err(
                    |_| Error::UnexpectedValue {
                        column: "operations.modified_attributes",
                        value: r.modified_attributes.clone(),
                    },
                )?,
            },
        })
    }
}

pub(super) fn to_millis(at: DateTime<Utc>) -> i64 {
    at.timestamp_millis()
}

pub(super) fn from_millis(column: &'static str, ms: i64) -> Result<DateTime<Utc>> {
    DateTime::from_timestamp_millis(ms).ok_or_else(|| unexpected(column, ms))
}

fn unexpected(column: &'static str, value: i64) -> Error {
    Error::UnexpectedValue {
        column,
        value: value.to_string(),
    }
}
