//! Errors of the history store.

use std::path::PathBuf;

use crate::model::RunId;

/// Everything that can go wrong in the history store.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The file was written by a newer build (it has applied a migration this
    /// build does not know). The file was left untouched.
    #[error("history database schema version {db_version} is newer than this app supports ({app_version})")]
    SchemaNewerThanApp { db_version: i64, app_version: i64 },

    /// The file is not a SQLite database or failed its integrity check. It was
    /// left untouched so the user can move it aside.
    #[error("history database {path} is unreadable or corrupt: {detail}")]
    Corrupt { path: PathBuf, detail: String },

    /// Creating the parent directory of the database failed.
    #[error("cannot create directory {path}: {source}")]
    CreateDir {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    #[error("run {0} does not exist")]
    RunNotFound(RunId),

    #[error("run {0} has no diff snapshot")]
    SnapshotNotFound(RunId),

    /// A stored snapshot blob could not be decoded.
    #[error("diff snapshot of run {run_id} is malformed: {detail}")]
    SnapshotMalformed { run_id: RunId, detail: String },

    /// A stored value does not match what this build expects (e.g. an unknown
    /// enum code in a column).
    #[error("unexpected value {value:?} in column {column}")]
    UnexpectedValue { column: &'static str, value: String },

    #[error("applying history migrations failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),

    #[error("history database error: {0}")]
    Database(#[from] sqlx::Error),

    #[error("JSON encoding failed: {0}")]
    Json(#[from] serde_json::Error),

    #[error("CSV export failed: {0}")]
    Csv(#[from] csv::Error),
}

pub type Result<T> = std::result::Result<T, Error>;
