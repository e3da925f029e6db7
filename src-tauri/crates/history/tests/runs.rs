//! Runs and operations on a real file: filters, keyset pages, retention, exports.

#![allow(clippy::unwrap_used)]

mod common;

use chrono::{Duration, Utc};
use common::{new_run, op, ops, run_at};
use history::{
    Error, History, OperationOutcome, OperationPage, Retention, RunCounts, RunFilter, RunId,
    RunKind, RunOutcome, RunPage, CSV_COLUMNS,
};

async fn open() -> (tempfile::TempDir, History) {
    let dir = tempfile::tempdir().unwrap();
    let h = History::open(dir.path().join("history.db")).await.unwrap();
    (dir, h)
}

#[tokio::test]
async fn run_lifecycle_is_recorded() {
    let (_dir, h) = open().await;
    let mut new = new_run(RunKind::Apply, "aws-1");
    new.actor = "alice@laptop".into();
    let id = h.start_run(new).await.unwrap();
    let started = h.run(id).await.unwrap();
    assert_eq!(started.run.outcome, RunOutcome::Running);
    assert!(started.run.finished_at.is_none());

    h.record_operations(id, &ops("u", 0..10)).await.unwrap();
    let counts = RunCounts {
        created: 8,
        failed: 2,
        ..Default::default()
    };
    h.finish_run(id, RunOutcome::Partial, &counts, "8 created, 2 failed")
        .await
        .unwrap();

    let detail = h.run(id).await.unwrap();
    assert_eq!(detail.run.outcome, RunOutcome::Partial);
    assert_eq!(detail.run.counts, counts);
    assert_eq!(detail.run.summary, "8 created, 2 failed");
    assert_eq!(detail.run.actor, "alice@laptop");
    assert_eq!(detail.run.operation_count, 10);
    // op() fails every i with i % 7 == 3: i = 3 in 0..10.
    assert_eq!(detail.operation_outcomes.failed, 1);
    assert_eq!(detail.operation_outcomes.succeeded, 9);
    assert!(!detail.has_snapshot);
    assert!(detail.run.finished_at.unwrap() >= detail.run.started_at);

    assert!(matches!(
        h.run(RunId(999)).await,
        Err(Error::RunNotFound(RunId(999)))
    ));
    assert!(matches!(
        h.finish_run(RunId(999), RunOutcome::Failed, &counts, "")
            .await,
        Err(Error::RunNotFound(_))
    ));
}

#[tokio::test]
async fn list_filters_by_target_kind_outcome_and_time() {
    let (_dir, h) = open().await;
    let now = Utc::now();
    let mut ids = Vec::new();
    for i in 0..12i64 {
        let kind = if i % 3 < 1 {
            RunKind::Diff
        } else {
            RunKind::Apply
        };
        let target = if i % 2 == 1 { "unity" } else { "aws" };
        let id = h
            .start_run(run_at(kind, target, now - Duration::hours(12 - i)))
            .await
            .unwrap();
        let outcome = if i % 4 < 1 {
            RunOutcome::Failed
        } else {
            RunOutcome::Succeeded
        };
        h.finish_run(id, outcome, &RunCounts::default(), "")
            .await
            .unwrap();
        ids.push((id, kind, target, outcome, now - Duration::hours(12 - i)));
    }
    let page = RunPage::first(100);
    let check = |filter: RunFilter, expected: Vec<RunId>| {
        let h = &h;
        async move {
            let got: Vec<RunId> = h
                .list_runs(&filter, page)
                .await
                .unwrap()
                .iter()
                .map(|r| r.id)
                .collect();
            assert_eq!(got, expected, "{filter:?}");
        }
    };
    type Made<'a> = (RunId, RunKind, &'a str, RunOutcome, chrono::DateTime<Utc>);
    let newest_first = |pred: &dyn Fn(&Made) -> bool| {
        ids.iter()
            .rev()
            .filter(|r| pred(r))
            .map(|r| r.0)
            .collect::<Vec<_>>()
    };

    check(RunFilter::default(), newest_first(&|_| true)).await;
    check(
        RunFilter {
            target: Some("aws".into()),
            ..Default::default()
        },
        newest_first(&|r| r.2 == "aws"),
    )
    .await;
    check(
        RunFilter {
            kind: Some(RunKind::Diff),
            ..Default::default()
        },
        newest_first(&|r| r.1 == RunKind::Diff),
    )
    .await;
    check(
        RunFilter {
            outcome: Some(RunOutcome::Failed),
            target: Some("aws".into()),
            ..Default::default()
        },
        newest_first(&|r| r.3 == RunOutcome::Failed && r.2 == "aws"),
    )
    .await;
    let (from, to) = (now - Duration::hours(8), now - Duration::hours(3));
    check(
        RunFilter {
            from: Some(from),
            to: Some(to),
            ..Default::default()
        },
        newest_first(&|r| r.4 >= from && r.4 < to),
    )
    .await;
}

#[tokio::test]
async fn run_pages_walk_every_run_once_newest_first() {
    let (_dir, h) = open().await;
    let mut all = Vec::new();
    for _ in 0..23 {
        all.push(
            h.start_run(new_run(RunKind::TestConnection, "t"))
                .await
                .unwrap(),
        );
    }
    let mut seen = Vec::new();
    let mut page = RunPage::first(5);
    loop {
        let rows = h.list_runs(&RunFilter::default(), page).await.unwrap();
        if rows.is_empty() {
            break;
        }
        assert!(rows.len() <= 5);
        seen.extend(rows.iter().map(|r| r.id));
        page.before = Some(rows.last().unwrap().id);
    }
    all.reverse();
    assert_eq!(seen, all);
}

#[tokio::test]
async fn operation_pages_follow_seq_across_batches() {
    let (_dir, h) = open().await;
    let id = h.start_run(new_run(RunKind::Apply, "t")).await.unwrap();
    let other = h.start_run(new_run(RunKind::Apply, "t")).await.unwrap();
    // Batches of odd sizes, one larger than a single INSERT chunk (500 rows).
    h.record_operations(id, &ops("a", 0..7)).await.unwrap();
    h.record_operations(other, &ops("x", 0..5)).await.unwrap();
    h.record_operations(id, &ops("a", 7..1213)).await.unwrap();
    h.record_operations(id, &[]).await.unwrap();
    h.record_operations(id, &ops("a", 1213..1250))
        .await
        .unwrap();

    let mut labels = Vec::new();
    let mut page = OperationPage::first(100);
    loop {
        let rows = h.operations(id, page).await.unwrap();
        let Some(last) = rows.last() else { break };
        page.after_seq = Some(last.seq);
        for (offset, row) in rows.iter().enumerate() {
            assert_eq!(row.run_id, id);
            assert_eq!(row.seq as usize, labels.len() + offset);
        }
        labels.extend(rows.into_iter().map(|r| r.op.resource_label));
    }
    let expected: Vec<String> = (0..1250).map(|i| format!("a-{i}@example.com")).collect();
    assert_eq!(labels, expected);
    assert_eq!(h.run(id).await.unwrap().run.operation_count, 1250);
    assert_eq!(
        h.operations(other, OperationPage::first(100))
            .await
            .unwrap()
            .len(),
        5
    );

    let third = h
        .operations(
            id,
            OperationPage {
                limit: 3,
                after_seq: Some(2),
            },
        )
        .await
        .unwrap();
    let o = &third[0];
    assert_eq!(o.seq, 3);
    assert_eq!(
        (o.op.outcome, o.op.status, o.op.scim_type.as_deref()),
        (OperationOutcome::Failed, Some(409), Some("uniqueness"))
    );
    assert_eq!(o.op.modified_attributes, ["userName", "active"]);
    assert_eq!(o.op.method, "PATCH");
}

#[tokio::test]
async fn retention_keeps_newest_runs_and_cascades() {
    let (_dir, h) = open().await;
    let mut ids = Vec::new();
    for i in 0..6 {
        let id = h.start_run(new_run(RunKind::Apply, "t")).await.unwrap();
        h.record_operations(id, &ops("r", 0..4)).await.unwrap();
        if i != 0 {
            h.finish_run(id, RunOutcome::Succeeded, &RunCounts::default(), "")
                .await
                .unwrap();
        }
        ids.push(id);
    }
    // ids[0] is still running: never deleted.
    assert_eq!(h.apply_retention(Retention::KeepRuns(2)).await.unwrap(), 3);
    let left: Vec<RunId> = h
        .list_runs(&RunFilter::default(), RunPage::first(10))
        .await
        .unwrap()
        .iter()
        .map(|r| r.id)
        .collect();
    assert_eq!(left, vec![ids[5], ids[4], ids[0]]);
    for gone in &ids[1..4] {
        assert!(h
            .operations(*gone, OperationPage::first(10))
            .await
            .unwrap()
            .is_empty());
    }
    assert_eq!(
        h.operations(ids[5], OperationPage::first(10))
            .await
            .unwrap()
            .len(),
        4
    );
    assert_eq!(h.apply_retention(Retention::KeepRuns(2)).await.unwrap(), 0);
}

#[tokio::test]
async fn retention_by_age_deletes_only_old_runs() {
    let (_dir, h) = open().await;
    let now = Utc::now();
    let old = h
        .start_run(run_at(RunKind::Diff, "t", now - Duration::days(40)))
        .await
        .unwrap();
    let recent = h
        .start_run(run_at(RunKind::Diff, "t", now - Duration::days(5)))
        .await
        .unwrap();
    for id in [old, recent] {
        h.finish_run(id, RunOutcome::Succeeded, &RunCounts::default(), "")
            .await
            .unwrap();
    }
    h.save_diff_snapshot(old, &Default::default())
        .await
        .unwrap();
    assert_eq!(h.apply_retention(Retention::KeepDays(30)).await.unwrap(), 1);
    assert!(matches!(h.run(old).await, Err(Error::RunNotFound(_))));
    assert!(matches!(
        h.diff_since_previous(old).await,
        Err(Error::SnapshotNotFound(_))
    ));
    assert!(h.run(recent).await.is_ok());
    // Ids are never reused after a delete (keyset cursors depend on it).
    let next = h.start_run(new_run(RunKind::Diff, "t")).await.unwrap();
    assert!(next > recent);
}

#[tokio::test]
async fn json_export_holds_run_and_every_operation() {
    let (_dir, h) = open().await;
    let id = h.start_run(new_run(RunKind::Apply, "aws")).await.unwrap();
    h.record_operations(id, &ops("e", 0..5)).await.unwrap();
    h.finish_run(
        id,
        RunOutcome::Partial,
        &RunCounts {
            created: 4,
            failed: 1,
            ..Default::default()
        },
        "done",
    )
    .await
    .unwrap();

    let json = h.export_run_json(id).await.unwrap();
    assert_eq!(json["run"]["run"]["id"], id.0);
    assert_eq!(json["run"]["run"]["outcome"], "partial");
    assert_eq!(json["run"]["run"]["counts"]["created"], 4);
    assert_eq!(json["run"]["run"]["targetName"], "aws name");
    let operations = json["operations"].as_array().unwrap();
    assert_eq!(operations.len(), 5);
    assert_eq!(operations[3]["seq"], 3);
    assert_eq!(operations[3]["status"], 409);
    assert_eq!(operations[3]["errorDetail"], "userName e-3 already exists");
    assert_eq!(
        operations[0]["modifiedAttributes"],
        serde_json::json!(["userName", "active"])
    );
}

#[tokio::test]
async fn csv_export_has_one_row_per_operation() {
    let (_dir, h) = open().await;
    let id = h.start_run(new_run(RunKind::Apply, "aws")).await.unwrap();
    let mut batch = ops("c", 0..4);
    batch[1].error_detail = Some("has, comma and \"quotes\"\nand a newline".into());
    batch[2].method = "DELETE".into();
    h.record_operations(id, &batch).await.unwrap();

    let text = h.export_run_csv(id).await.unwrap();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    assert_eq!(
        reader.headers().unwrap().iter().collect::<Vec<_>>(),
        CSV_COLUMNS
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 4);
    let col = |name: &str| CSV_COLUMNS.iter().position(|c| *c == name).unwrap();
    assert_eq!(&rows[0][col("run_id")], id.to_string());
    assert_eq!(&rows[0][col("target")], "aws name");
    assert_eq!(&rows[0][col("action")], "create");
    assert_eq!(&rows[1][col("action")], "update");
    assert_eq!(&rows[2][col("action")], "delete");
    assert_eq!(
        &rows[1][col("error")],
        "has, comma and \"quotes\"\nand a newline"
    );
    assert_eq!(&rows[3][col("http_status")], "409");
    assert_eq!(&rows[3][col("outcome")], "failed");
    assert_eq!(&rows[0][col("object")], "c-0@example.com");
    assert_eq!(&rows[0][col("modified_attributes")], "userName;active");
    assert!(rows[0][col("time")].ends_with('Z'));
    // The single-op helper is independent of batch position.
    assert_eq!(&rows[3][col("path")], op("c", 3).path);
}

#[tokio::test]
async fn csv_export_defuses_spreadsheet_formulas() {
    let (_dir, h) = open().await;
    let id = h.start_run(new_run(RunKind::Apply, "aws")).await.unwrap();
    let mut batch = ops("f", 0..2);
    batch[0].resource_label = "=HYPERLINK(\"http://evil.example\",\"click\")".into();
    batch[0].error_detail = Some("@SUM(1+1)*cmd|' /C calc'!A0".into());
    batch[1].error_detail = Some("-1+2".into());
    h.record_operations(id, &batch).await.unwrap();

    let text = h.export_run_csv(id).await.unwrap();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let col = |name: &str| CSV_COLUMNS.iter().position(|c| *c == name).unwrap();
    assert_eq!(
        &rows[0][col("object")],
        "'=HYPERLINK(\"http://evil.example\",\"click\")"
    );
    assert_eq!(&rows[0][col("error")], "'@SUM(1+1)*cmd|' /C calc'!A0");
    assert_eq!(&rows[1][col("error")], "'-1+2");
    // Every cell of every row: none starts like a formula.
    for row in &rows {
        for cell in row.iter() {
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "{cell:?}"
            );
        }
    }
}
