//! `scim-companion history` over real SQLite files written by the history crate, as the app
//! and `diff` write them.

#![allow(clippy::unwrap_used)]

mod common;

use chrono::{TimeDelta, Utc};
use common::run_in;
use history::{
    History, NewOperation, NewRun, NewStep, OperationOutcome, RunCounts, RunKind, RunOutcome,
    StepState,
};

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

/// An apply killed mid-run: its journal says what was done, what was in flight and what was
/// never sent, and `history show` prints one line per step.
#[tokio::test]
async fn show_prints_the_journal_of_an_interrupted_apply() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("history.sqlite");
    let store = History::open(&path).await.unwrap();
    let run = store
        .start_run(NewRun::new(RunKind::Apply, "unity", "Unity Cloud", "0.1.0"))
        .await
        .unwrap();
    let step = |op: &str, action: &str, label: &str, destructive| NewStep {
        op_id: op.to_owned(),
        action: action.to_owned(),
        label: label.to_owned(),
        destructive,
    };
    store
        .record_steps(
            run,
            &[
                step("user.create:1", "create user", "ada@example.com", false),
                step("user.update:2", "update user", "bob@example.com", false),
                step("user.delete:3", "delete user", "eve@example.com", true),
                step("group.create:4", "create group", "Engineering", false),
                step("member.add:5", "add member", "Engineering + ada", false),
            ],
        )
        .await
        .unwrap();
    store
        .update_step(run, 0, StepState::Succeeded, Some("t-ada"), "created")
        .await
        .unwrap();
    store
        .update_step(run, 1, StepState::Failed, None, "HTTP 409: uniqueness")
        .await
        .unwrap();
    store
        .update_step(run, 2, StepState::Running, None, "")
        .await
        .unwrap();
    // The process dies here: the run is never finished.
    store.close().await;

    let show = run_in(dir.path(), &["history", "show", &run.0.to_string()]);
    assert_eq!(show.code, 0, "{show:?}");
    let out = &show.stdout;
    // Opening the file recovers the dead run as failed ("interrupted").
    assert!(out.contains("outcome:   failed"), "{out}");
    assert!(
        out.contains("Steps: 5 (1 succeeded, 1 failed, 1 running, 2 pending)"),
        "{out}"
    );
    assert!(out.contains("stopped before it finished"), "{out}");
    let line = |seq: &str| {
        out.lines()
            .find(|l| l.split_whitespace().next() == Some(seq))
            .unwrap_or_else(|| panic!("no step {seq}: {out}"))
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    };
    assert_eq!(
        line("0"),
        "0 succeeded create user ada@example.com created (id t-ada)"
    );
    assert_eq!(
        line("1"),
        "1 failed update user bob@example.com HTTP 409: uniqueness"
    );
    assert_eq!(
        line("2"),
        "2 running delete user ! eve@example.com in flight when the run stopped"
    );
    assert_eq!(line("3"), "3 pending create group Engineering");
    assert_eq!(line("4"), "4 pending add member Engineering + ada");
    assert!(out.contains("! marks a destructive step"), "{out}");
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
