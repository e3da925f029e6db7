//! Opening the file: safety checks that never modify it, then migrations.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::RwLock;
use std::time::Duration;

use sqlx::migrate::Migrator;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{ConnectOptions, Connection, SqliteConnection};

use super::History;
use crate::redact::Redactor;
use crate::{Error, Result};

static MIGRATOR: Migrator = sqlx::migrate!("./migrations");

/// The embedded, append-only migrations (exposed for schema-upgrade tests).
pub fn migrator() -> &'static Migrator {
    &MIGRATOR
}

const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// Files up to this size get `PRAGMA quick_check` on open. It reads every
/// page (about 6 ms per MiB measured), so 32 MiB costs ~0.2 s at start-up;
/// with retention applied a history file stays far below this.
pub const QUICK_CHECK_MAX_BYTES: u64 = 32 * 1024 * 1024;

impl History {
    /// Opens (creating if missing, with its parent directory) the history
    /// file, applies pending migrations and marks runs a crashed process left
    /// `running` as failed.
    ///
    /// An existing file is first inspected read-only: if it is not SQLite,
    /// fails `PRAGMA quick_check` (files up to [`QUICK_CHECK_MAX_BYTES`]), or
    /// was migrated by a newer build, this returns [`Error::Corrupt`] or
    /// [`Error::SchemaNewerThanApp`] and the file is neither written nor
    /// deleted (the UI can offer to move it aside).
    pub async fn open(path: impl AsRef<Path>) -> Result<History> {
        let path = path.as_ref().to_path_buf();
        if path.exists() {
            inspect_read_only(&path).await?;
        } else if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            create_private_dir(parent).map_err(|source| Error::CreateDir {
                path: parent.to_path_buf(),
                source,
            })?;
        }
        // SQLite gives the -wal and -shm files the mode of the database file, so a private
        // database keeps its journal private too.
        make_private(&path).map_err(|source| Error::CreateDir {
            path: path.clone(),
            source,
        })?;

        let options = SqliteConnectOptions::new()
            .filename(&path)
            .create_if_missing(true)
            .foreign_keys(true)
            // WAL: readers (the UI listing runs) never block the writer.
            .journal_mode(SqliteJournalMode::Wal)
            // NORMAL in WAL mode syncs only at checkpoints, not every commit.
            // A committed transaction is in the WAL (OS page cache) before
            // COMMIT returns, so it survives the process being killed; only a
            // power loss or OS crash can drop the last few commits, never
            // corrupt the file. History is an audit aid, not the source of
            // truth, so we take the much faster commits.
            .synchronous(SqliteSynchronous::Normal)
            .busy_timeout(BUSY_TIMEOUT);
        let pool = SqlitePoolOptions::new()
            .max_connections(4)
            .connect_with(options)
            .await
            .map_err(|e| classify(&path, e))?;
        MIGRATOR.run(&pool).await?;

        // Journals left by an older build (or copied in) may be looser than the database.
        for suffix in ["-wal", "-shm", "-journal"] {
            let mut side = path.clone().into_os_string();
            side.push(suffix);
            let side = PathBuf::from(side);
            if side.exists() {
                make_private(&side).map_err(|source| Error::CreateDir {
                    path: side.clone(),
                    source,
                })?;
            }
        }

        let history = History {
            pool,
            path: Some(path),
            redactor: RwLock::new(Redactor::new()),
        };
        history.recover_interrupted().await?;
        Ok(history)
    }

    /// A fresh private in-memory database (tests, demo mode).
    pub async fn open_in_memory() -> Result<History> {
        let options = SqliteConnectOptions::from_str("sqlite::memory:")?.foreign_keys(true);
        // Each connection to :memory: is its own database: keep exactly one,
        // forever.
        let pool = SqlitePoolOptions::new()
            .max_connections(1)
            .min_connections(1)
            .idle_timeout(None)
            .max_lifetime(None)
            .connect_with(options)
            .await?;
        MIGRATOR.run(&pool).await?;
        Ok(History {
            pool,
            path: None,
            redactor: RwLock::new(Redactor::new()),
        })
    }
}

/// Only its user may read the history (Unix: 0600), creating it empty when missing so that
/// SQLite never creates it with the process umask.
fn make_private(path: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
        let file = std::fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(false)
            .mode(0o600)
            .open(path)?;
        if file.metadata()?.permissions().mode() & 0o077 != 0 {
            file.set_permissions(std::fs::Permissions::from_mode(0o600))?;
        }
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

/// Creates the history's folder (and missing parents); the folder itself is made 0700 on Unix.
fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))?;
    }
    Ok(())
}

/// Checks an existing file through a read-only connection (no journal-mode
/// switch, no migration), so a file we must refuse is left exactly as it was.
async fn inspect_read_only(path: &Path) -> Result<()> {
    let options = SqliteConnectOptions::new()
        .filename(path)
        .read_only(true)
        .create_if_missing(false)
        .busy_timeout(BUSY_TIMEOUT)
        .disable_statement_logging();
    let mut conn = SqliteConnection::connect_with(&options)
        .await
        .map_err(|e| classify(path, e))?;
    let outcome = check(&mut conn, path).await;
    // Closing a read-only connection writes nothing.
    let _ = conn.close().await;
    outcome
}

async fn check(conn: &mut SqliteConnection, path: &Path) -> Result<()> {
    let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    if size <= QUICK_CHECK_MAX_BYTES {
        // quick_check reads every page but skips the costly index cross-checks.
        let problems: Vec<String> = sqlx::query_scalar("PRAGMA quick_check")
            .fetch_all(&mut *conn)
            .await
            .map_err(|e| classify(path, e))?;
        if problems != ["ok"] {
            let detail = problems.into_iter().take(5).collect::<Vec<_>>().join("; ");
            return Err(Error::Corrupt {
                path: path.to_path_buf(),
                detail,
            });
        }
    }
    // Bigger files get only the checks below (header, schema and migration
    // table are read, which catches "not a database" and a broken schema);
    // History::integrity_check does the full scan on request.

    let has_migrations: bool = sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_sqlx_migrations')",
    )
    .fetch_one(&mut *conn)
    .await
    .map_err(|e| classify(path, e))?;
    if !has_migrations {
        return Ok(());
    }
    let applied: Vec<i64> = sqlx::query_scalar("SELECT version FROM _sqlx_migrations")
        .fetch_all(&mut *conn)
        .await
        .map_err(|e| classify(path, e))?;
    let known: HashSet<i64> = MIGRATOR.iter().map(|m| m.version).collect();
    if let Some(&db_version) = applied.iter().filter(|v| !known.contains(v)).max() {
        let app_version = known.iter().copied().max().unwrap_or(0);
        return Err(Error::SchemaNewerThanApp {
            db_version,
            app_version,
        });
    }
    Ok(())
}

/// SQLITE_CORRUPT (11) and SQLITE_NOTADB (26), including extended codes,
/// mean the file is not a usable database; anything else stays a plain error.
fn classify(path: &Path, error: sqlx::Error) -> Error {
    if let sqlx::Error::Database(db) = &error {
        let primary = db
            .code()
            .and_then(|c| c.parse::<i64>().ok())
            .map(|c| c & 0xff);
        if matches!(primary, Some(11 | 26)) {
            return Error::Corrupt {
                path: PathBuf::from(path),
                detail: db.message().to_owned(),
            };
        }
    }
    Error::Database(error)
}
