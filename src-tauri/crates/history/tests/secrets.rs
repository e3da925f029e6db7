//! No secret may reach the history file, in any of SQLite's files.

#![allow(clippy::unwrap_used)]

mod common;

use common::{new_run, op};
use history::{History, RunCounts, RunKind, RunOutcome};

const TOKEN: &str = "scimTok3n-7f3a9c2e5b81d4460aa9";
const OTHER_SECRET: &str = "jc-api-key-00ff11ee22dd33cc";

/// Occurrences of `needle` in the raw bytes of `path` (0 if absent).
fn hits(path: &std::path::Path, needle: &str) -> usize {
    let Ok(bytes) = std::fs::read(path) else {
        return 0;
    };
    bytes
        .windows(needle.len())
        .filter(|w| *w == needle.as_bytes())
        .count()
}

fn all_hits(db: &std::path::Path, needle: &str) -> usize {
    ["", "-wal", "-shm"]
        .iter()
        .map(|suffix| {
            hits(
                &std::path::PathBuf::from(format!("{}{suffix}", db.display())),
                needle,
            )
        })
        .sum()
}

#[tokio::test]
async fn tokens_never_reach_db_wal_or_shm() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("history.db");
    let h = History::open(&path).await.unwrap();
    h.add_secret(TOKEN);

    let id = h.start_run(new_run(RunKind::Apply, "aws")).await.unwrap();
    let mut batch = Vec::new();
    for (i, (request, response, error)) in [
        (
            format!("POST /Users\nAuthorization: Bearer {TOKEN}\n\n{{}}"),
            String::new(),
            None,
        ),
        (
            format!(r#"{{"token":"{TOKEN}","userName":"a"}}"#),
            format!("echo {TOKEN}"),
            None,
        ),
        (
            "GET /Users".to_owned(),
            "401".to_owned(),
            Some(format!("rejected bearer {TOKEN}")),
        ),
        (
            format!("x-api-key: {OTHER_SECRET}"),
            String::new(),
            Some(format!("key={TOKEN}")),
        ),
        (
            format!(r#"{{"password":"{OTHER_SECRET}"}}"#),
            String::new(),
            None,
        ),
        (
            format!("url?access_token={OTHER_SECRET}&x=1"),
            format!("Basic {OTHER_SECRET}"),
            None,
        ),
    ]
    .into_iter()
    .enumerate()
    {
        let mut o = op("s", i);
        o.request_excerpt = Some(request);
        o.response_excerpt = Some(response);
        o.error_detail = error;
        o.path = format!("/scim/v2/Users?token={TOKEN}");
        batch.push(o);
    }
    h.record_operations(id, &batch).await.unwrap();
    h.finish_run(
        id,
        RunOutcome::Failed,
        &RunCounts::default(),
        &format!("failed with token {TOKEN}"),
    )
    .await
    .unwrap();

    // The redacted text is what was stored, and it is still useful.
    let stored = h.export_run_json(id).await.unwrap().to_string();
    assert!(stored.contains("[REDACTED]"));
    assert!(stored.contains(r#"\"userName\":\"a\""#), "{stored}");

    // While open (data in the WAL) and after close (checkpointed into the db).
    for needle in [TOKEN, OTHER_SECRET] {
        assert_eq!(all_hits(&path, needle), 0, "{needle} found while open");
    }
    h.close().await;
    for needle in [TOKEN, OTHER_SECRET] {
        assert_eq!(all_hits(&path, needle), 0, "{needle} found after close");
    }
    // Sanity check of the grep itself: non-secret data is found.
    assert!(hits(&path, "s-0@example.com") > 0);
}
