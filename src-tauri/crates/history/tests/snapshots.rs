//! Diff snapshots on a real file: delta since the previous diff, drift over time.

#![allow(clippy::unwrap_used)]

mod common;

use common::new_run;
use history::{
    hash_attributes, DiffSnapshot, Error, History, ObjectKind, ObjectState, RunCounts, RunId,
    RunKind, RunOutcome,
};
use serde_json::json;

async fn diff_run(
    h: &History,
    target: &str,
    counts: RunCounts,
    snapshot: Option<&DiffSnapshot>,
) -> RunId {
    let id = h.start_run(new_run(RunKind::Diff, target)).await.unwrap();
    h.finish_run(id, RunOutcome::Succeeded, &counts, "")
        .await
        .unwrap();
    if let Some(s) = snapshot {
        h.save_diff_snapshot(id, s).await.unwrap();
    }
    id
}

fn snapshot(items: &[(ObjectKind, &str, ObjectState, serde_json::Value)]) -> DiffSnapshot {
    let mut s = DiffSnapshot::default();
    for (kind, key, state, attrs) in items {
        s.push(*kind, *key, *state, hash_attributes(attrs));
    }
    s
}

#[tokio::test]
async fn delta_compares_with_previous_snapshot_of_same_target() {
    use ObjectKind::*;
    use ObjectState::*;
    let dir = tempfile::tempdir().unwrap();
    let h = History::open(dir.path().join("h.db")).await.unwrap();

    let first = snapshot(&[
        (User, "alice", InSync, json!({"title": "Eng"})),
        (User, "bob", Missing, json!({"title": "Ops"})),
        (User, "carol", Changed, json!({"title": "PM"})),
        (Group, "eng", InSync, json!({"members": 2})),
    ]);
    let second = snapshot(&[
        (User, "alice", InSync, json!({"title": "Eng"})),
        (User, "carol", Changed, json!({"title": "Director"})),
        (User, "dave", Missing, json!({})),
        (Group, "eng", Changed, json!({"members": 2})),
    ]);

    let r1 = diff_run(&h, "aws", RunCounts::default(), Some(&first)).await;
    // Another target's diff in between must not be used as "previous".
    diff_run(
        &h,
        "unity",
        RunCounts::default(),
        Some(&snapshot(&[(User, "zed", Extra, json!(1))])),
    )
    .await;
    // A diff without a snapshot is skipped over.
    diff_run(&h, "aws", RunCounts::default(), None).await;
    let r2 = diff_run(&h, "aws", RunCounts::default(), Some(&second)).await;

    let baseline = h.diff_since_previous(r1).await.unwrap();
    assert_eq!(baseline.previous_run_id, None);
    assert_eq!(baseline.appeared.len(), 4);
    assert!(baseline.disappeared.is_empty() && baseline.changed.is_empty());

    let d = h.diff_since_previous(r2).await.unwrap();
    assert_eq!((d.run_id, d.previous_run_id), (r2, Some(r1)));
    let keys = |v: &[history::DeltaEntry]| {
        v.iter()
            .map(|e| (e.kind, e.key.clone()))
            .collect::<Vec<_>>()
    };
    assert_eq!(keys(&d.appeared), [(User, "dave".to_owned())]);
    assert_eq!(keys(&d.disappeared), [(User, "bob".to_owned())]);
    assert_eq!(
        keys(&d.changed),
        [(User, "carol".to_owned()), (Group, "eng".to_owned())]
    );
    let carol = &d.changed[0];
    assert!(carol.values_changed);
    assert_eq!((carol.before, carol.after), (Some(Changed), Some(Changed)));
    let eng = &d.changed[1];
    assert!(!eng.values_changed);
    assert_eq!((eng.before, eng.after), (Some(InSync), Some(Changed)));

    assert!(h.run(r2).await.unwrap().has_snapshot);
    let unknown = RunId(r2.0 + 100);
    assert!(
        matches!(h.diff_since_previous(unknown).await, Err(Error::SnapshotNotFound(id)) if id == unknown)
    );
}

#[tokio::test]
async fn saving_a_snapshot_again_replaces_it() {
    use ObjectKind::*;
    let h = History::open_in_memory().await.unwrap();
    let r = diff_run(
        &h,
        "t",
        RunCounts::default(),
        Some(&snapshot(&[(User, "a", ObjectState::Missing, json!(1))])),
    )
    .await;
    h.save_diff_snapshot(r, &snapshot(&[(User, "b", ObjectState::Extra, json!(2))]))
        .await
        .unwrap();
    let d = h.diff_since_previous(r).await.unwrap();
    assert_eq!(
        d.appeared
            .iter()
            .map(|e| e.key.as_str())
            .collect::<Vec<_>>(),
        ["b"]
    );
}

#[tokio::test]
async fn drift_over_time_lists_finished_diffs_oldest_first() {
    let dir = tempfile::tempdir().unwrap();
    let h = History::open(dir.path().join("h.db")).await.unwrap();
    let mut expected = Vec::new();
    for i in 0..6u32 {
        let counts = RunCounts {
            missing: 10 - i,
            extra: i,
            changed: 2 * i,
            ineligible: 1,
            ..Default::default()
        };
        let id = diff_run(&h, "aws", counts, None).await;
        expected.push((id, 10 - i, i, 2 * i));
    }
    // Not diff runs, other targets, failed and running diffs are left out.
    diff_run(
        &h,
        "unity",
        RunCounts {
            missing: 99,
            ..Default::default()
        },
        None,
    )
    .await;
    let apply = h.start_run(new_run(RunKind::Apply, "aws")).await.unwrap();
    h.finish_run(
        apply,
        RunOutcome::Succeeded,
        &RunCounts {
            missing: 77,
            ..Default::default()
        },
        "",
    )
    .await
    .unwrap();
    let failed = h.start_run(new_run(RunKind::Diff, "aws")).await.unwrap();
    h.finish_run(failed, RunOutcome::Failed, &RunCounts::default(), "")
        .await
        .unwrap();
    h.start_run(new_run(RunKind::Diff, "aws")).await.unwrap();

    let points = h.drift_over_time("aws", 4).await.unwrap();
    let got: Vec<_> = points
        .iter()
        .map(|p| (p.run_id, p.missing, p.extra, p.changed))
        .collect();
    assert_eq!(got, expected[2..].to_vec());
    assert!(points.iter().all(|p| p.ineligible == 1));
    assert!(points.windows(2).all(|w| w[0].at <= w[1].at));
    assert!(h.drift_over_time("nobody", 10).await.unwrap().is_empty());
}
