//! Several writers and readers on one file at once (the app's UI reads while
//! an apply writes): no "database is locked", nothing lost.

#![allow(clippy::unwrap_used)]

mod common;

use common::{new_run, ops};
use history::{History, OperationPage, RunFilter, RunKind, RunPage};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_writers_and_readers_lose_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let h = std::sync::Arc::new(History::open(dir.path().join("h.db")).await.unwrap());

    let writers: Vec<_> = (0..4)
        .map(|w| {
            let h = h.clone();
            tokio::spawn(async move {
                let id = h
                    .start_run(new_run(RunKind::Apply, &format!("t{w}")))
                    .await
                    .unwrap();
                for batch in 0..20 {
                    h.record_operations(id, &ops(&format!("w{w}"), batch * 25..(batch + 1) * 25))
                        .await
                        .unwrap();
                }
                id
            })
        })
        .collect();
    let reader = {
        let h = h.clone();
        tokio::spawn(async move {
            for _ in 0..50 {
                h.list_runs(&RunFilter::default(), RunPage::first(50))
                    .await
                    .unwrap();
            }
        })
    };

    reader.await.unwrap();
    for (w, writer) in writers.into_iter().enumerate() {
        let id = writer.await.unwrap();
        let got = h.operations(id, OperationPage::first(1000)).await.unwrap();
        let labels: Vec<_> = got.iter().map(|o| o.op.resource_label.clone()).collect();
        let expected: Vec<_> = (0..500).map(|i| format!("w{w}-{i}@example.com")).collect();
        assert_eq!(labels, expected);
        assert_eq!(h.run(id).await.unwrap().run.operation_count, 500);
    }
}
