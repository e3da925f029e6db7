//! The [`History`] handle: one SQLite file (or memory) behind a small pool.

mod export;
mod open;
mod operations;
mod retention;
mod rows;
mod runs;
mod snapshots;
mod steps;

use std::path::{Path, PathBuf};
use std::sync::RwLock;

use sqlx::SqlitePool;

use crate::redact::Redactor;

pub use export::CSV_COLUMNS;
pub use open::{migrator, QUICK_CHECK_MAX_BYTES};
pub use runs::INTERRUPTED_SUMMARY;

/// Local sync history. Cheap to share behind an `Arc`; every method takes `&self`.
#[derive(Debug)]
pub struct History {
    pool: SqlitePool,
    path: Option<PathBuf>,
    redactor: RwLock<Redactor>,
}

impl History {
    /// The database file, for Settings to show. `None` when in memory.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// Registers a secret value (token, API key) so it is scrubbed from every
    /// text field written from now on. Kept in memory only.
    /// A [`crate::Sensitive::HeaderName`] registers a custom auth header's name instead.
    pub fn add_secret<'a>(&self, secret: impl Into<crate::Sensitive<'a>>) {
        self.redactor
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .add(secret);
    }

    /// Moves everything from the WAL into the main file, then closes the pool.
    /// The explicit checkpoint makes the file complete when this returns:
    /// the implicit one on last-connection close can finish after
    /// `Pool::close` has returned.
    pub async fn close(self) {
        if self.path.is_some() {
            // Best effort: a busy reader only delays the checkpoint, and
            // nothing is lost either way (the WAL is durable).
            let _ = sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
                .execute(&self.pool)
                .await;
        }
        self.pool.close().await;
    }

    fn redactor(&self) -> std::sync::RwLockReadGuard<'_, Redactor> {
        // A panic elsewhere while holding the lock cannot leave the redactor
        // half-updated (add_secret is a push + sort), so poisoning is ignored.
        self.redactor.read().unwrap_or_else(|e| e.into_inner())
    }
}

impl History {
    /// Full `PRAGMA integrity_check`: `["ok"]` when healthy, else the
    /// problems found. Slow on big files; for an explicit "check" action.
    pub async fn integrity_check(&self) -> crate::Result<Vec<String>> {
        Ok(sqlx::query_scalar("PRAGMA integrity_check")
            .fetch_all(&self.pool)
            .await?)
    }
}
