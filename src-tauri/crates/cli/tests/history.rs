//! `scim-companion history` over real SQLite files written by the history crate, as the app
//! and `diff` write them.

mod common;

use chrono::{TimeDelta, Utc};
use common::run_in;
use history::{History, NewOperation, NewRun, OperationOutcome, RunCounts, RunKind, RunOutcome};

/// A history with a connection check (two requests, one failed) and a diff run.
async fn seed(path: &std::path::Path) -> (i64, i64) {
    let store = History::open(path).await.unwrap();
    let started = Utc::now() - TimeDelta::seconds(30);
    let mut check = NewRun::new(
        RunKind::TestConnection,
        "aws-prod",
        "AWS production",
        "0.1.0",
    );
    check.started_at = started;
    let check_id = store.start_run(check).await.unwrap();
    let op = |path: &str, status: u16, outcome| NewOperation {
        started_at: started,
        method: "GET".into(),
        path: path.into(),
        resource_kind: "User".into(),
        resource_label: String::new(),
        status: Some(status),
        latency_ms: Some(12),
        outcome,
        scim_type: None,
        error_detail: (status >= 400).then(|| "bad token".to_owned()),
        request_excerpt: None,
        response_excerpt: None,
        modified_attributes: Vec::new(),
    };
    store
        .record_operations(
            check_id,
            &[
                op("ServiceProviderConfig", 200, OperationOutcome::Succeeded),
                op("Users?count=1", 401, OperationOutcome::Failed),
            ],
        )
        .await
        .unwrap();
    store
        .finish_run(
            check_id,
            RunOutcome::Failed,
            &RunCounts::default(),
            "HTTP 401",
        )
        .await
        .unwrap();

    let diff_id = store
        .start_run(NewRun::new(RunKind::Diff, "unity", "Unity Cloud", "0.1.0"))
        .await
        .unwrap();
    let counts = RunCounts {
        missing: 3,
        extra: 1,
        changed: 2,
        ineligible: 4,
        ..RunCounts::default()
    };
    store
        .finish_run(
            diff_id,
            RunOutcome::Succeeded,
            &counts,
            "3 missing, 1 extra",
        )
        .await
        .unwrap();
    store.close().await;
    (check_id.0, diff_id.0)
}

#[tokio::test]
async fn list_show_and_export_read_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let (check_id, diff_id) = seed(&dir.path().join("history.sqlite")).await;

    let list = run_in(dir.path(), &["history", "list"]);
    assert_eq!(list.code, 0, "{list:?}");
    let ids: Vec<i64> = list
        .stdout
        .lines()
        .skip(1)
        .map(|l| l.split_whitespace().next().unwrap().parse().unwrap())
        .collect();
    assert_eq!(ids, vec![diff_id, check_id], "newest first: {list:?}");
    assert!(
        list.stdout.contains("3 missing, 1 extra, 2 changed"),
        "{list:?}"
    );

    let filtered = run_in(
        dir.path(),
        &["history", "list", "--target", "aws-prod", "--json"],
    );
    let runs = filtered.json();
    assert_eq!(runs.as_array().unwrap().len(), 1, "{filtered:?}");
    assert_eq!(runs[0]["id"].as_i64(), Some(check_id));
    let failed = run_in(
        dir.path(),
        &[
            "history",
            "list",
            "--outcome",
            "failed",
            "--kind",
            "test-connection",
            "--json",
        ],
    );
    assert_eq!(failed.json().as_array().unwrap().len(), 1, "{failed:?}");

    let show = run_in(dir.path(), &["history", "show", &check_id.to_string()]);
    assert_eq!(show.code, 0, "{show:?}");
    assert!(
        show.stdout
            .contains("test_connection of AWS production (aws-prod)"),
        "{show:?}"
    );
    assert!(
        show.stdout
            .contains("Requests: 2 (1 succeeded, 1 failed, 0 skipped)"),
        "{show:?}"
    );
    assert!(
        show.stdout.contains("Users?count=1") && show.stdout.contains("401"),
        "{show:?}"
    );
    let show = run_in(dir.path(), &["history", "show", &diff_id.to_string()]);
    assert!(
        show.stdout
            .contains("3 missing, 1 extra, 2 changed, 4 ineligible"),
        "{show:?}"
    );

    let json = run_in(dir.path(), &["history", "export", &check_id.to_string()]);
    assert_eq!(json.code, 0, "{json:?}");
    let text = json.stdout.clone();
    assert!(
        text.contains("aws-prod") && text.contains("Users?count=1"),
        "{json:?}"
    );
    json.json();

    let csv = run_in(
        dir.path(),
        &[
            "history",
            "export",
            &check_id.to_string(),
            "--format",
            "csv",
        ],
    );
    assert_eq!(csv.code, 0, "{csv:?}");
    let header = csv.stdout.lines().next().unwrap();
    assert_eq!(
        header.split(',').collect::<Vec<_>>(),
        history::CSV_COLUMNS.to_vec()
    );
    assert_eq!(
        csv.stdout.lines().count(),
        3,
        "header and two requests: {csv:?}"
    );

    // Without a run id: the latest run.
    let latest = run_in(dir.path(), &["history", "export"]);
    assert_eq!(latest.code, 0, "{latest:?}");
    assert!(latest.stdout.contains("unity"), "{latest:?}");
}

#[tokio::test]
async fn unknown_run_exits_1() {
    let dir = tempfile::tempdir().unwrap();
    seed(&dir.path().join("history.sqlite")).await;
    let r = run_in(dir.path(), &["history", "show", "999"]);
    assert_eq!(r.code, 1, "{r:?}");
    assert!(r.stderr.contains("run 999 does not exist"), "{r:?}");
}

#[test]
fn missing_history_is_reported_and_not_created() {
    let dir = tempfile::tempdir().unwrap();
    let r = run_in(dir.path(), &["history", "list"]);
    assert_eq!(r.code, 0, "{r:?}");
    assert!(r.stderr.contains("No history yet"), "{r:?}");
    let r = run_in(dir.path(), &["history", "show", "1"]);
    assert_eq!(r.code, 1, "{r:?}");
    assert!(!dir.path().join("history.sqlite").exists());
}

#[test]
fn a_file_that_is_not_sqlite_is_an_error_and_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("history.sqlite");
    std::fs::write(&path, b"not a database at all, just text").unwrap();
    let r = run_in(dir.path(), &["history", "list"]);
    assert_eq!(r.code, 1, "{r:?}");
    assert!(
        r.stderr.contains("corrupt") || r.stderr.contains("unreadable"),
        "{r:?}"
    );
    assert_eq!(
        std::fs::read(&path).unwrap(),
        b"not a database at all, just text"
    );
}
