//! Retries: Retry-After (seconds and HTTP date), attempt caps, 429/503 on reads and writes,
//! connect errors and timeouts.

use super::*;

#[tokio::test]
async fn retry_waits_at_least_retry_after_seconds() {
    let fault = Fault::start(|_, n| match n {
        0 => with_header(
            scim(
                429,
                json!({"__type": "ThrottlingException", "status": "429"}),
            ),
            "retry-after",
            "1",
        ),
        _ => scim(200, json!({"totalResults": 0, "Resources": []})),
    })
    .await;
    let client = fault.client();
    client.list_all_users(None).await.unwrap();
    let seen = fault.seen();
    assert_eq!(seen.len(), 2);
    let gap = seen[1].at - seen[0].at;
    assert!(gap >= Duration::from_secs(1), "retried after {gap:?}");
    assert_eq!(client.stats().retries, 1);
    assert_eq!(client.stats().requests, 2);
}

#[tokio::test]
async fn retry_after_as_http_date_is_honoured() {
    let fault = Fault::start(|_, n| match n {
        0 => {
            let when = chrono::Utc::now() + chrono::Duration::seconds(2);
            with_header(
                scim(503, json!({})),
                "retry-after",
                &when.format("%a, %d %b %Y %H:%M:%S GMT").to_string(),
            )
        }
        _ => scim(200, json!({"totalResults": 0, "Resources": []})),
    })
    .await;
    fault.client().list_all_users(None).await.unwrap();
    let seen = fault.seen();
    // The date has whole-second precision, so at least 1 s of the 2 s remain.
    assert!(seen[1].at - seen[0].at >= Duration::from_secs(1));
}

#[tokio::test]
async fn attempts_are_capped_and_the_throttle_is_reported() {
    let fault = Fault::start(|_, _| {
        with_header(
            scim(429, json!({"detail": "Rate exceeded"})),
            "x-amzn-ErrorType",
            "ThrottlingException:http://internal",
        )
    })
    .await;
    let client = fault.client(); // max_attempts = 3
    let err = client.get_user("u1").await.unwrap_err();
    assert_eq!(fault.seen().len(), 3);
    assert_eq!(err.status(), Some(429));
    assert_eq!(err.vendor_error(), Some("ThrottlingException"));
    assert_eq!(err.http().unwrap().attempts, 3);
    assert!(err.hint().contains("rate limiting"));
    assert_eq!(client.stats().retries, 2);
}

#[tokio::test]
async fn read_retries_a_503_then_succeeds() {
    let fault = Fault::start(|_, n| match n {
        0 => reply(503, "text/plain", "busy"),
        _ => scim(200, json!({"id": "u1", "userName": "a"})),
    })
    .await;
    let u = fault.client().get_user("u1").await.unwrap();
    assert_eq!(u.user_name, "a");
    assert_eq!(fault.seen().len(), 2);
}

#[tokio::test]
async fn writes_are_retried_on_429_and_503_with_retry_after() {
    let fault = Fault::start(|seen, n| match (n, seen.method.clone()) {
        (0, _) => with_header(reply(503, "text/plain", "later"), "retry-after", "0"),
        (1, _) => scim(429, json!({})),
        _ => scim(201, json!({"id": "u1", "userName": "x"})),
    })
    .await;
    let created = fault.client().create_user(&User::new("x")).await.unwrap();
    assert!(!created.adopted);
    assert!(!created.found_after_unclear_reply);
    assert_eq!(
        fault.seen().len(),
        3,
        "no lookup: the server refused both before acting"
    );
}

#[tokio::test]
async fn connect_errors_are_retried_then_reported() {
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let mut cfg = ClientConfig::new(format!("http://127.0.0.1:{port}/scim"), Auth::None);
    cfg.retry = scim::fast_retry_policy(3);
    let client = Client::new(cfg).unwrap();
    let err = client.create_user(&User::new("x")).await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::Transport {
                kind: TransportKind::Connect,
                attempts: 3,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(err.hint().contains("reach"));
}

#[tokio::test]
async fn slow_reply_times_out() {
    let fault = Fault::start(|_, _| delayed(scim(200, json!({})), Duration::from_secs(5))).await;
    let mut cfg = fault.config();
    cfg.timeouts.request = Duration::from_millis(300);
    cfg.retry = scim::fast_retry_policy(2);
    let started = Instant::now();
    let err = Client::new(cfg).unwrap().get_user("u1").await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::Transport {
                kind: TransportKind::Timeout,
                attempts: 2,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(started.elapsed() < Duration::from_secs(3));
}
