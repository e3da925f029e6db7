//! Cancellation interrupts slow requests and retry waits; a Retry-After beyond the cap is
//! returned, not waited.

use super::*;

#[tokio::test]
async fn cancel_interrupts_a_slow_request_promptly() {
    let fault = Fault::start(|_, _| delayed(scim(200, json!({})), Duration::from_secs(10))).await;
    let token = CancellationToken::new();
    let client = fault.client().with_cancellation(token.clone());
    let t2 = token.clone();
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(100)).await;
        t2.cancel();
    });
    let started = Instant::now();
    let err = client.list_all_users(None).await.unwrap_err();
    assert!(matches!(err, Error::Cancelled), "{err:?}");
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn cancel_interrupts_a_retry_wait() {
    let fault = Fault::start(|_, _| with_header(scim(429, json!({})), "retry-after", "20")).await;
    let token = CancellationToken::new();
    let client = fault.client().with_cancellation(token.clone());
    let t2 = token.clone();
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(200)).await;
        t2.cancel();
    });
    let started = Instant::now();
    let err = client.get_user("u1").await.unwrap_err();
    assert!(matches!(err, Error::Cancelled), "{err:?}");
    assert!(started.elapsed() < Duration::from_secs(2));
    assert_eq!(fault.seen().len(), 1);
}

#[tokio::test]
async fn retry_after_beyond_the_cap_is_returned_not_waited() {
    let fault = Fault::start(|_, _| with_header(scim(429, json!({})), "retry-after", "3600")).await;
    let started = Instant::now();
    let err = fault.client().get_user("u1").await.unwrap_err();
    assert_eq!(err.status(), Some(429));
    assert_eq!(
        err.http().unwrap().retry_after,
        Some(Duration::from_secs(3600))
    );
    assert!(started.elapsed() < Duration::from_secs(2));
    assert_eq!(fault.seen().len(), 1);
}
