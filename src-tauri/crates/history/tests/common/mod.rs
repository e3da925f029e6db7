//! Shared helpers for the history integration tests.
#![allow(dead_code)] // each test binary uses a different subset

use chrono::{DateTime, Duration, Utc};
use history::{NewOperation, NewRun, OperationOutcome, RunKind};

pub fn new_run(kind: RunKind, target: &str) -> NewRun {
    NewRun::new(kind, target, format!("{target} name"), "0.1.0-test")
}

pub fn run_at(kind: RunKind, target: &str, started_at: DateTime<Utc>) -> NewRun {
    NewRun {
        started_at,
        ..new_run(kind, target)
    }
}

/// A distinguishable operation: its label encodes `tag` and `i`.
pub fn op(tag: &str, i: usize) -> NewOperation {
    let failed = i % 7 == 3;
    NewOperation {
        started_at: Utc::now() + Duration::milliseconds(i as i64),
        method: if i % 2 == 1 { "PATCH" } else { "POST" }.to_owned(),
        path: format!("/scim/v2/Users/{tag}-{i}"),
        resource_kind: "User".to_owned(),
        resource_label: format!("{tag}-{i}@example.com"),
        status: Some(if failed { 409 } else { 201 }),
        latency_ms: Some(10 + i as u32),
        outcome: if failed {
            OperationOutcome::Failed
        } else {
            OperationOutcome::Succeeded
        },
        scim_type: failed.then(|| "uniqueness".to_owned()),
        error_detail: failed.then(|| format!("userName {tag}-{i} already exists")),
        request_excerpt: Some(format!(r#"{{"userName":"{tag}-{i}"}}"#)),
        response_excerpt: Some(format!(r#"{{"id":"id-{tag}-{i}"}}"#)),
        modified_attributes: vec!["userName".to_owned(), "active".to_owned()],
    }
}

pub fn ops(tag: &str, range: std::ops::Range<usize>) -> Vec<NewOperation> {
    range.map(|i| op(tag, i)).collect()
}

pub fn file_bytes(path: &std::path::Path) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
}
