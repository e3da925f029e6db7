//! Fault injection over HTTP: 429 + Retry-After (and the early-retry detector), 503,
//! HTML error pages, truncated JSON, wrong content type, delays, scopes, determinism.

#![allow(clippy::unwrap_used)]

use std::time::{Duration, Instant};

use reqwest::{Client, StatusCode};
use serde_json::{json, Value};
use sim::target::{Dialect, Fault, FaultConfig, FaultScope, SimConfig, SimHandle, SimTarget};

async fn start(dialect: Dialect) -> SimHandle {
    let h = SimTarget::start(SimConfig::new(dialect)).await.unwrap();
    h.seed_users(vec![json!({"userName": "a@example.com"})])
        .unwrap();
    h
}

async fn get(h: &SimHandle, client: &Client, path: &str) -> reqwest::Response {
    client
        .get(format!("{}{path}", h.base_url()))
        .header("Authorization", h.auth_header())
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn throttle_carries_retry_after_and_early_retries_are_detected() {
    let h = start(Dialect::Aws).await;
    let client = Client::new();
    h.push_fault(Fault::Throttle {
        retry_after_secs: 1,
    });
    let r = get(&h, &client, "/Users").await;
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(r.headers()["retry-after"], "1");
    assert_eq!(r.headers()["x-amzn-errortype"], "ThrottlingException");
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["status"], "429");

    // an impatient client retries at once: flagged
    assert_eq!(get(&h, &client, "/Users").await.status(), StatusCode::OK);
    let v = h.retry_violations();
    assert_eq!(v.len(), 1);
    assert!(
        v[0].early_by > Duration::from_millis(500),
        "{:?}",
        v[0].early_by
    );
    assert_eq!(h.retry_after_log().len(), 1);
    assert_eq!(h.retry_after_log()[0].retry_after_secs, Some(1));

    // a patient one is not
    h.reset_stats();
    h.push_fault(Fault::Status(429));
    let r = get(&h, &client, "/Groups").await;
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    let wait: u64 = r.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    tokio::time::sleep(Duration::from_secs(wait) + Duration::from_millis(20)).await;
    assert_eq!(get(&h, &client, "/Groups").await.status(), StatusCode::OK);
    assert!(h.retry_violations().is_empty());
    assert_eq!(h.stats().status(429), 1);
}

#[tokio::test]
async fn html_truncated_and_mislabelled_answers() {
    let h = start(Dialect::Generic).await;
    let client = Client::new();

    h.push_fault(Fault::Html(401));
    let r = get(&h, &client, "/Users").await;
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    assert!(r.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/html"));
    assert!(r.text().await.unwrap().starts_with("<!DOCTYPE html>"));

    h.push_fault(Fault::TruncatedJson);
    let r = get(&h, &client, "/Users").await;
    assert_eq!(r.status(), StatusCode::OK);
    let text = r.text().await.unwrap();
    assert!(
        serde_json::from_str::<Value>(&text).is_err(),
        "truncated body must not parse: {text}"
    );
    assert!(text.starts_with('{'));

    h.push_fault(Fault::WrongContentType);
    let r = get(&h, &client, "/Users").await;
    assert_eq!(r.headers()["content-type"], "text/plain; charset=utf-8");
    assert!(r.json::<Value>().await.unwrap()["Resources"].is_array());

    h.push_fault(Fault::Status(502));
    let r = get(&h, &client, "/Users").await;
    assert_eq!(r.status(), StatusCode::BAD_GATEWAY);
    assert_eq!(r.json::<Value>().await.unwrap()["status"], "502");

    // after the queue drains, answers are normal again
    assert_eq!(h.pending_faults(), 0);
    let r = get(&h, &client, "/Users").await;
    assert_eq!(r.headers()["content-type"], "application/scim+json");
}

#[tokio::test]
async fn scoped_faults_and_delays() {
    let h = start(Dialect::Generic).await;
    let client = Client::new();
    h.push_fault_for(FaultScope::Writes, Fault::Status(503));
    h.push_fault_for(FaultScope::Reads, Fault::Delay(150));
    let t = Instant::now();
    assert_eq!(get(&h, &client, "/Users").await.status(), StatusCode::OK);
    assert!(t.elapsed() >= Duration::from_millis(150));
    let w = client
        .post(format!("{}/Users", h.base_url()))
        .header("Authorization", h.auth_header())
        .json(&json!({"userName": "b@example.com"}))
        .send()
        .await
        .unwrap();
    assert_eq!(w.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(h.user_count(), 1, "a faulted write is not processed");
}

#[tokio::test]
async fn random_faults_follow_the_seed() {
    async fn run() -> Vec<u16> {
        let h = start(Dialect::Generic).await;
        h.set_faults(FaultConfig {
            seed: 42,
            throttle_rate: 0.2,
            unavailable_rate: 0.2,
            retry_after_secs: 3,
            ..FaultConfig::default()
        });
        let client = Client::new();
        let mut statuses = Vec::new();
        for _ in 0..40 {
            let r = get(&h, &client, "/Users").await;
            if r.status() == StatusCode::TOO_MANY_REQUESTS {
                assert_eq!(r.headers()["retry-after"], "3");
            }
            statuses.push(r.status().as_u16());
        }
        statuses
    }
    let a = run().await;
    assert_eq!(a, run().await);
    assert!(
        a.contains(&429) && a.contains(&503) && a.contains(&200),
        "{a:?}"
    );
}
