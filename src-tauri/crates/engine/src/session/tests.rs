//! The session over real temp folders, real SQLite histories and the demo's loopback targets.

use std::sync::Arc;

use chrono::Utc;
use history::{Retention, RunFilter, RunKind, RunOutcome, RunPage, RunSummary};

use super::*;
use crate::config::{TargetAuth, TargetSettings, WorkspaceConfig};
use crate::demo;
use crate::Job;

fn memory() -> Arc<dyn SecretStore> {
    Arc::new(secrets::MemorySecrets::default())
}

async fn runs(session: &Session) -> Vec<RunSummary> {
    session
        .history()
        .store()
        .unwrap()
        .list_runs(&RunFilter::default(), RunPage::first(100))
        .await
        .unwrap()
}

/// A data folder with one configured generic target (its token saved) and no JumpCloud key.
fn configured_folder(secrets: &dyn SecretStore) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let config = WorkspaceConfig {
        targets: vec![TargetSettings {
            id: "t1".into(),
            kind: targets::Kind::Generic,
            name: "Generic".into(),
            base_url: "http://127.0.0.1:9/scim/v2".into(),
            local_endpoint: true,
            auth: TargetAuth::Bearer,
            jumpcloud_app_id: Some("app1".into()),
            manage_groups: true,
            validated_domains: Vec::new(),
            created_at: Utc::now(),
            token_saved_at: None,
            token_created_on: None,
        }],
        ..WorkspaceConfig::default()
    };
    crate::config::save(dir.path(), &config).unwrap();
    secrets
        .set(&crate::setup::target_account("t1"), "target-token")
        .unwrap();
    dir
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_diff_is_recorded_and_the_saved_retention_prunes_after_it() {
    let dir = tempfile::tempdir().unwrap();
    let session = Session::open(dir.path(), memory(), Start::Configured, demo::workspace)
        .await
        .unwrap();
    assert_eq!(session.mode(), WorkspaceMode::Demo, "nothing configured");
    session
        .history()
        .set_retention(dir.path(), Some(Retention::KeepRuns(2)))
        .await
        .unwrap();
    for _ in 0..3 {
        session
            .target("demo-generic")
            .unwrap()
            .diff(|_| {})
            .await
            .unwrap();
    }
    let listed = runs(&session).await;
    assert_eq!(listed.len(), 2, "retention applied after the runs");
    assert!(listed.iter().all(|r| r.kind == RunKind::Diff));

    // A second session on the same folder (the CLI after the app) keeps the same retention.
    drop(session);
    let again = Session::open(dir.path(), memory(), Start::Demo, demo::workspace)
        .await
        .unwrap();
    assert_eq!(again.history().retention(), Some(Retention::KeepRuns(2)));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_diff_whose_jumpcloud_read_fails_is_recorded_as_failed() {
    let secrets = memory();
    let dir = configured_folder(secrets.as_ref());
    let session = Session::open(dir.path(), secrets, Start::Configured, demo::workspace)
        .await
        .unwrap();
    assert_eq!(session.mode(), WorkspaceMode::Configured);
    let err = session
        .target("t1")
        .unwrap()
        .diff(|_| {})
        .await
        .unwrap_err();
    assert!(matches!(err, Error::JumpCloudNotConfigured), "{err:?}");
    let listed = runs(&session).await;
    assert_eq!(listed.len(), 1, "{listed:?}");
    assert_eq!(listed[0].outcome, RunOutcome::Failed);
    assert!(
        listed[0].summary.contains("JumpCloud"),
        "{}",
        listed[0].summary
    );
    // An unknown target is refused before anything is read or recorded.
    assert!(matches!(
        session.target("nope"),
        Err(Error::UnknownTarget(_))
    ));
    assert_eq!(runs(&session).await.len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cancelled_diff_is_recorded_and_cancel_reaches_registered_jobs_only() {
    let dir = tempfile::tempdir().unwrap();
    let session = Session::open(dir.path(), memory(), Start::Demo, demo::workspace)
        .await
        .unwrap();
    assert!(!session.cancel(JobKind::Diff, "demo-aws"), "nothing runs");
    session.cancel_all();
    let err = session
        .target("demo-aws")
        .unwrap()
        .diff(|_| {})
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Cancelled(Job::Diff)), "{err:?}");
    let listed = runs(&session).await;
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].outcome, RunOutcome::Cancelled);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_history_nothing_is_applied() {
    let dir = tempfile::tempdir().unwrap();
    // A folder where the database file should be: the history cannot open.
    std::fs::create_dir(dir.path().join(HISTORY_FILE_NAME)).unwrap();
    let session = Session::open(dir.path(), memory(), Start::Demo, demo::workspace)
        .await
        .unwrap();
    assert!(session.history().open_error().is_some());
    // Diffs still run (unrecorded).
    session
        .target("demo-generic")
        .unwrap()
        .diff(|_| {})
        .await
        .unwrap();
    let request = crate::ApplyRequest {
        policy: drift::plan::Policy::default(),
        approved: Default::default(),
        confirm_destructive: None,
        override_guard: None,
        provision_one: false,
    };
    let err = session
        .target("demo-generic")
        .unwrap()
        .apply(&request, |_| {})
        .await
        .unwrap_err();
    assert!(matches!(err, Error::HistoryUnavailable(_)), "{err:?}");
    assert!(err.hint().unwrap().contains("History page"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bad_guard_share_is_refused_by_the_session_for_every_front_end() {
    let dir = tempfile::tempdir().unwrap();
    let session = Session::open(dir.path(), memory(), Start::Demo, demo::workspace)
        .await
        .unwrap();
    session
        .target("demo-generic")
        .unwrap()
        .diff(|_| {})
        .await
        .unwrap();
    for bad in [0.0, -1.0, 150.0, f64::NAN] {
        let mut policy = drift::plan::Policy::default();
        policy.deletion_guard.max_percent = bad;
        let err = session
            .target("demo-generic")
            .unwrap()
            .plan(&policy)
            .unwrap_err();
        assert!(matches!(err, Error::InvalidGuard(_)), "{bad}: {err:?}");
    }
    assert!(session
        .target("demo-generic")
        .unwrap()
        .plan(&drift::plan::Policy::default())
        .is_ok());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_reads_no_jumpcloud_and_a_file_directory_keeps_its_targets_running() {
    let dir = tempfile::tempdir().unwrap();
    let session = Session::open(dir.path(), memory(), Start::Demo, demo::workspace)
        .await
        .unwrap();
    assert!(matches!(
        session.read_directory(|_| {}).await,
        Err(Error::DemoHasDirectory)
    ));
    let mut smaller = session.workspace().directory().clone();
    smaller.users.truncate(5);
    session
        .update_workspace(|w| Ok(crate::directory_read::with_directory(w, smaller, "a file")))
        .unwrap();
    // The old workspace is gone; the demo's simulators live on in the copy.
    let report = session
        .target("demo-generic")
        .unwrap()
        .diff(|_| {})
        .await
        .unwrap();
    assert!(report.rows.iter().any(|r| r.state.is_drift()));
    assert_eq!(session.workspace().directory().users.len(), 5);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_damaged_settings_file_is_an_error_or_the_demo_with_the_reason() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(crate::config::settings_path(dir.path()), "{ not json").unwrap();
    assert!(matches!(
        Session::open(dir.path(), memory(), Start::Configured, demo::workspace).await,
        Err(Error::Config(_))
    ));
    let session = Session::open(
        dir.path(),
        memory(),
        Start::ConfiguredOrDemo,
        demo::workspace,
    )
    .await
    .unwrap();
    assert_eq!(session.mode(), WorkspaceMode::Demo);
    assert!(matches!(
        session.settings_error().as_deref(),
        Some(Error::Config(_))
    ));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_connection_check_of_a_target_without_its_token_says_why_with_a_history_open() {
    let saved = memory();
    let dir = configured_folder(saved.as_ref());
    // Another keychain: the settings list the target, its token is not there.
    let session = Session::open(dir.path(), memory(), Start::Configured, demo::workspace)
        .await
        .unwrap();
    assert!(session.history().store().is_some(), "the history is open");
    let err = session
        .target("t1")
        .unwrap()
        .test_connection()
        .await
        .unwrap_err();
    assert!(
        matches!(
            &err,
            Error::TargetUnavailable {
                problem: crate::TargetProblem::TokenMissing,
                ..
            }
        ),
        "{err:?}"
    );
    let checks = session.test_all_connections().await;
    assert_eq!(checks.len(), 1);
    assert!(
        matches!(checks[0].result, Err(Error::TargetUnavailable { .. })),
        "Home says why, not \"unknown target\": {:?}",
        checks[0].result
    );
}
