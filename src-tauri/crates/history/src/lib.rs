//! Local sync history in SQLite (sqlx): runs, operations, diff snapshots.
//!
//! One file per user profile, WAL mode, append-only embedded migrations.
//! Every free-text field passes through a [`Redactor`] before it is written,
//! so secrets cannot reach the file even when a caller forgets to scrub.

#![cfg_attr(test, allow(clippy::unwrap_used))]

mod csv_safe;
mod error;
mod model;
mod redact;
mod snapshot;
mod store;

pub use csv_safe::defuse_formula;
pub use error::{Error, Result};
pub use model::{
    ApplyStep, DriftPoint, NewOperation, NewRun, NewStep, Operation, OperationOutcome,
    OperationPage, OutcomeTally, Retention, RunCounts, RunDetail, RunFilter, RunId, RunKind,
    RunOutcome, RunPage, RunSummary, StepState,
};
pub use redact::{Redactor, Sensitive, EXCERPT_CAP_BYTES, REDACTED};
pub use snapshot::{
    hash_attributes, DeltaEntry, DiffSnapshot, ObjectKind, ObjectState, SnapshotDelta,
    SnapshotEntry,
};
pub use store::{migrator, History, CSV_COLUMNS, INTERRUPTED_SUMMARY, QUICK_CHECK_MAX_BYTES};
