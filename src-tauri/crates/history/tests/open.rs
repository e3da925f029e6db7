//! Opening real files: creation, upgrades from every earlier schema, refusal
//! of newer and corrupt files without touching them, crash recovery.

#![allow(clippy::unwrap_used)]

mod common;

use std::borrow::Cow;

use common::{file_bytes, new_run, ops};
use history::{
    Error, History, OperationPage, RunFilter, RunKind, RunOutcome, RunPage, INTERRUPTED_SUMMARY,
};
use sqlx::migrate::Migrator;
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{ConnectOptions, Connection};

async fn raw(path: &std::path::Path) -> sqlx::SqliteConnection {
    SqliteConnectOptions::new()
        .filename(path)
        .create_if_missing(true)
        .connect()
        .await
        .unwrap()
}

fn latest_version() -> i64 {
    history::migrator().iter().map(|m| m.version).max().unwrap()
}

#[tokio::test]
async fn creates_missing_file_and_parent_dirs_in_wal_mode() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nested/deeper/history.db");
    let h = History::open(&path).await.unwrap();
    assert_eq!(h.path(), Some(path.as_path()));
    let id = h.start_run(new_run(RunKind::Diff, "t1")).await.unwrap();
    h.close().await;

    assert!(path.exists());
    // SQLite file header bytes 18/19 are 2/2 once the file is in WAL mode.
    let header = file_bytes(&path);
    assert_eq!(&header[..16], b"SQLite format 3\0");
    assert_eq!((header[18], header[19]), (2, 2));

    let h = History::open(&path).await.unwrap();
    assert_eq!(h.run(id).await.unwrap().run.target_id, "t1");
}

#[tokio::test]
async fn upgrades_from_every_earlier_schema_version() {
    let all: Vec<_> = history::migrator().iter().cloned().collect();
    // Version 0 (empty file) through the one before the latest: each is a
    // file an older build could have left behind.
    for applied in 0..all.len() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("history.db");
        let older = Migrator {
            migrations: Cow::Owned(all[..applied].to_vec()),
            ..Migrator::DEFAULT
        };
        let mut conn = raw(&path).await;
        older.run_direct(&mut conn).await.unwrap();
        conn.close().await.unwrap();

        let h = History::open(&path)
            .await
            .unwrap_or_else(|e| panic!("open after {applied} migrations: {e}"));
        let id = h.start_run(new_run(RunKind::Apply, "t")).await.unwrap();
        h.record_operations(id, &ops("u", 0..3)).await.unwrap();
        assert_eq!(
            h.operations(id, OperationPage::first(10))
                .await
                .unwrap()
                .len(),
            3
        );
        h.close().await;

        let mut conn = raw(&path).await;
        let versions: Vec<i64> = sqlx::query_scalar(
            "SELECT version FROM _sqlx_migrations WHERE success ORDER BY version",
        )
        .fetch_all(&mut conn)
        .await
        .unwrap();
        assert_eq!(
            versions,
            all.iter().map(|m| m.version).collect::<Vec<_>>(),
            "after {applied}"
        );
    }
}

#[tokio::test]
async fn newer_schema_is_refused_and_file_left_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("history.db");
    let h = History::open(&path).await.unwrap();
    h.start_run(new_run(RunKind::Diff, "t")).await.unwrap();
    h.close().await;

    // What a future build would leave: an extra applied migration.
    let future = latest_version() + 1000;
    let mut conn = raw(&path).await;
    sqlx::query(
        "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) \
         VALUES (?, 'from the future', 1, x'00', 0)",
    )
    .bind(future)
    .execute(&mut conn)
    .await
    .unwrap();
    sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
        .execute(&mut conn)
        .await
        .unwrap();
    conn.close().await.unwrap();

    let before = file_bytes(&path);
    match History::open(&path).await {
        Err(Error::SchemaNewerThanApp {
            db_version,
            app_version,
        }) => {
            assert_eq!(db_version, future);
            assert_eq!(app_version, latest_version());
        }
        other => panic!("expected SchemaNewerThanApp, got {other:?}"),
    }
    assert_eq!(file_bytes(&path), before, "refused file must not change");
}

#[tokio::test]
async fn garbage_file_is_corrupt_and_left_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("history.db");
    let garbage: Vec<u8> = (0..8192u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    std::fs::write(&path, &garbage).unwrap();

    match History::open(&path).await {
        Err(Error::Corrupt {
            path: reported,
            detail,
        }) => {
            assert_eq!(reported, path);
            assert!(!detail.is_empty());
        }
        other => panic!("expected Corrupt, got {other:?}"),
    }
    assert_eq!(file_bytes(&path), garbage);
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(
        names,
        vec![std::ffi::OsString::from("history.db")],
        "no side files created"
    );
}

#[tokio::test]
async fn damaged_pages_are_corrupt_and_left_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("history.db");
    let h = History::open(&path).await.unwrap();
    for _ in 0..20 {
        let id = h.start_run(new_run(RunKind::Apply, "t")).await.unwrap();
        h.record_operations(id, &ops("u", 0..50)).await.unwrap();
    }
    h.close().await;

    // Keep the valid header and first page, scribble over the rest.
    let mut bytes = file_bytes(&path);
    assert!(bytes.len() > 3 * 4096);
    let page = 4096;
    for b in &mut bytes[page..] {
        *b = 0xA5;
    }
    std::fs::write(&path, &bytes).unwrap();

    assert!(matches!(
        History::open(&path).await,
        Err(Error::Corrupt { .. })
    ));
    assert_eq!(file_bytes(&path), bytes);
}

#[tokio::test]
async fn runs_left_running_by_a_dead_process_become_interrupted() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("history.db");
    let h = History::open(&path).await.unwrap();
    let finished = h.start_run(new_run(RunKind::Diff, "t")).await.unwrap();
    h.finish_run(finished, RunOutcome::Succeeded, &Default::default(), "ok")
        .await
        .unwrap();
    let abandoned = h.start_run(new_run(RunKind::Apply, "t")).await.unwrap();
    h.close().await; // the "process" ends without finishing `abandoned`

    let h = History::open(&path).await.unwrap();
    let run = h.run(abandoned).await.unwrap().run;
    assert_eq!(run.outcome, RunOutcome::Failed);
    assert_eq!(run.summary, INTERRUPTED_SUMMARY);
    assert!(run.finished_at.is_some());
    assert_eq!(
        h.run(finished).await.unwrap().run.outcome,
        RunOutcome::Succeeded
    );
    let running = RunFilter {
        outcome: Some(RunOutcome::Running),
        ..Default::default()
    };
    assert!(h
        .list_runs(&running, RunPage::first(10))
        .await
        .unwrap()
        .is_empty());
}

#[tokio::test]
async fn writes_for_unknown_runs_are_rejected() {
    let dir = tempfile::tempdir().unwrap();
    let h = History::open(dir.path().join("h.db")).await.unwrap();
    let missing = history::RunId(4242);
    assert!(
        matches!(h.record_operations(missing, &ops("u", 0..1)).await, Err(Error::RunNotFound(id)) if id == missing)
    );
    assert!(matches!(
        h.save_diff_snapshot(missing, &Default::default()).await,
        Err(Error::RunNotFound(_))
    ));
    assert_eq!(h.integrity_check().await.unwrap(), ["ok"]);
}

/// Files above QUICK_CHECK_MAX_BYTES skip the page scan but keep every
/// other open-time guarantee.
#[tokio::test]
async fn large_files_open_and_newer_schema_is_still_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("history.db");
    let h = History::open(&path).await.unwrap();
    let id = h.start_run(new_run(RunKind::Diff, "t")).await.unwrap();
    h.close().await;

    let mut conn = raw(&path).await;
    let filler = history::QUICK_CHECK_MAX_BYTES as i64 + 1024 * 1024;
    sqlx::query("CREATE TABLE filler (b BLOB)")
        .execute(&mut conn)
        .await
        .unwrap();
    sqlx::query("INSERT INTO filler VALUES (zeroblob(?))")
        .bind(filler)
        .execute(&mut conn)
        .await
        .unwrap();
    sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
        .execute(&mut conn)
        .await
        .unwrap();
    conn.close().await.unwrap();
    assert!(std::fs::metadata(&path).unwrap().len() > history::QUICK_CHECK_MAX_BYTES);

    let started = std::time::Instant::now();
    let h = History::open(&path).await.unwrap();
    let took = started.elapsed();
    assert_eq!(h.run(id).await.unwrap().run.target_id, "t");
    h.close().await;
    println!("open of a {} MiB file: {took:?}", filler >> 20);

    let mut conn = raw(&path).await;
    sqlx::query(
        "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) \
         VALUES (?, 'from the future', 1, x'00', 0)",
    )
    .bind(latest_version() + 1)
    .execute(&mut conn)
    .await
    .unwrap();
    sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
        .execute(&mut conn)
        .await
        .unwrap();
    conn.close().await.unwrap();
    let before = file_bytes(&path);
    assert!(matches!(
        History::open(&path).await,
        Err(Error::SchemaNewerThanApp { .. })
    ));
    assert!(file_bytes(&path) == before, "refused file must not change");
}

#[cfg(unix)]
fn mode(path: &std::path::Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[cfg(unix)]
fn side(path: &std::path::Path, suffix: &str) -> std::path::PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(suffix);
    s.into()
}

/// The history holds every run's names, emails and error text: only its user may read it,
/// whatever the process umask (the test runs with the usual 022, which would give 0644).
#[cfg(unix)]
#[tokio::test]
async fn a_new_history_and_its_journal_are_private() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("data");
    let path = folder.join("history.sqlite");
    let h = History::open(&path).await.unwrap();
    let id = h.start_run(new_run(RunKind::Apply, "t1")).await.unwrap();
    h.record_operations(id, &ops("p", 0..3)).await.unwrap();
    for file in [path.clone(), side(&path, "-wal"), side(&path, "-shm")] {
        assert!(file.exists(), "{}", file.display());
        assert_eq!(mode(&file), 0o600, "{}", file.display());
    }
    assert_eq!(mode(&folder), 0o700);
    h.close().await;
}

#[cfg(unix)]
#[tokio::test]
async fn loose_history_files_are_tightened_on_open() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("history.sqlite");
    let h = History::open(&path).await.unwrap();
    h.start_run(new_run(RunKind::Diff, "t1")).await.unwrap();
    // Kept open so the -wal and -shm files exist while their modes are loosened.
    let loose = [path.clone(), side(&path, "-wal"), side(&path, "-shm")];
    for file in &loose {
        std::fs::set_permissions(file, std::fs::Permissions::from_mode(0o644)).unwrap();
    }
    let again = History::open(&path).await.unwrap();
    for file in &loose {
        assert_eq!(mode(file), 0o600, "{}", file.display());
    }
    again.close().await;
    h.close().await;
}
