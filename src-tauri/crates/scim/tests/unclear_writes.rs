//! Writes whose outcome is unknown (a 5xx, a timeout, a cut-off reply) finish in the same call
//! when repeating them is safe: creates are looked up before they are sent again, PATCH, PUT
//! and DELETE are repeated, a cut-off success is not sent twice, and a 429 holds every request
//! of the client, not only the one throttled.

#![allow(clippy::unwrap_used)]

mod fault_server;

use std::time::Duration;

use axum::http::Method;
use scim::models::{PatchOp, PatchOperation, User};
use scim::{Client, Error, TransportKind};
use serde_json::json;
use tokio::time::Instant;

use fault_server::*;

fn found(user_name: &str) -> Reply {
    scim(
        200,
        json!({"totalResults": 1, "Resources": [{"id": "u-7", "userName": user_name}]}),
    )
}

fn none_found() -> Reply {
    scim(200, json!({"totalResults": 0, "Resources": []}))
}

fn methods(fault: &Fault) -> Vec<Method> {
    fault.seen().into_iter().map(|s| s.method).collect()
}

#[tokio::test]
async fn a_create_answered_500_is_looked_up_then_sent_again_when_absent() {
    let fault = Fault::start(|seen, n| match (seen.method.clone(), n) {
        (Method::POST, 0) => scim(500, json!({"status": "500", "detail": "Internal"})),
        (Method::GET, _) => {
            assert_eq!(seen.param("filter"), Some(r#"userName eq "ann""#));
            none_found()
        }
        _ => scim(201, json!({"id": "u-1", "userName": "ann"})),
    })
    .await;
    let created = fault.client().create_user(&User::new("ann")).await.unwrap();
    assert_eq!(methods(&fault), [Method::POST, Method::GET, Method::POST]);
    assert_eq!(created.resource.id.as_deref(), Some("u-1"));
    assert!(!created.adopted && !created.found_after_unclear_reply);
}

#[tokio::test]
async fn a_create_whose_reply_was_lost_is_found_and_not_sent_again() {
    // A gateway's 502 page, a cut-off 201 and a timeout: each time the user was created.
    let gateway = || {
        reply(
            502,
            "text/html",
            "<html><head><title>502 Bad Gateway</title></head></html>",
        )
    };
    let cut_off = || reply(201, "application/scim+json", r#"{"id": "u-7", "userNa"#);
    for (name, post) in [
        (
            "502 page",
            Box::new(gateway) as Box<dyn Fn() -> Reply + Send + Sync>,
        ),
        ("cut-off 201", Box::new(cut_off)),
    ] {
        let fault = Fault::start(move |seen, _| match seen.method {
            Method::POST => post(),
            _ => found("ann"),
        })
        .await;
        let created = fault.client().create_user(&User::new("ann")).await.unwrap();
        assert_eq!(methods(&fault), [Method::POST, Method::GET], "{name}");
        assert!(created.found_after_unclear_reply, "{name}");
        assert!(!created.adopted, "{name}");
        assert_eq!(created.resource.id.as_deref(), Some("u-7"));
    }

    let fault = Fault::start(|seen, _| match seen.method {
        Method::POST => delayed(
            scim(201, json!({"id": "u-7", "userName": "ann"})),
            Duration::from_secs(5),
        ),
        _ => found("ann"),
    })
    .await;
    let mut cfg = fault.config();
    cfg.timeouts.request = Duration::from_millis(300);
    let created = Client::new(cfg)
        .unwrap()
        .create_user(&User::new("ann"))
        .await
        .unwrap();
    assert_eq!(methods(&fault), [Method::POST, Method::GET], "timeout");
    assert!(created.found_after_unclear_reply);
}

#[tokio::test]
async fn creates_that_keep_failing_stop_at_the_cap_with_the_last_error() {
    let fault = Fault::start(|seen, _| match seen.method {
        Method::POST => scim(503, json!({"status": "503", "detail": "down"})),
        _ => none_found(),
    })
    .await;
    let err = fault
        .client() // max_attempts = 3
        .create_user(&User::new("ann"))
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(503));
    assert_eq!(
        methods(&fault),
        [
            Method::POST,
            Method::GET,
            Method::POST,
            Method::GET,
            Method::POST
        ]
    );
}

#[tokio::test]
async fn a_refused_create_is_not_looked_up() {
    let fault =
        Fault::start(|_, _| scim(400, json!({"status": "400", "scimType": "invalidValue"}))).await;
    let err = fault
        .client()
        .create_user(&User::new("ann"))
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(400));
    assert_eq!(methods(&fault), [Method::POST]);
}

fn title_patch() -> PatchOp {
    PatchOp::new(vec![PatchOperation::replace(
        Some("title"),
        json!("Engineer"),
    )])
}

#[tokio::test]
async fn patch_and_delete_are_repeated_after_a_server_error_or_timeout() {
    let fault = Fault::start(|seen, n| match (seen.method.clone(), n) {
        (_, 0) => reply(502, "text/html", "<html><title>502</title></html>"),
        (Method::PATCH, 1) => delayed(scim(200, json!({})), Duration::from_secs(5)),
        (Method::PATCH, _) => scim(
            200,
            json!({"id": "u-1", "userName": "ann", "title": "Engineer"}),
        ),
        _ => reply(204, "application/scim+json", ""),
    })
    .await;
    let mut cfg = fault.config();
    cfg.timeouts.request = Duration::from_millis(300);
    let client = Client::new(cfg).unwrap();
    let patched = client.patch_user("u-1", &title_patch()).await.unwrap();
    assert_eq!(patched.and_then(|u| u.title).as_deref(), Some("Engineer"));
    assert_eq!(fault.seen().len(), 3, "502, timeout, then the answer");

    client.delete_user("u-1").await.unwrap();
    assert_eq!(methods(&fault).last(), Some(&Method::DELETE));
}

#[tokio::test]
async fn a_repeated_delete_that_finds_nothing_is_done() {
    let fault = Fault::start(|_, n| match n {
        0 => scim(504, json!({"status": "504"})),
        _ => scim(404, json!({"status": "404"})),
    })
    .await;
    let outcome = fault.client().delete_user("u-1").await.unwrap();
    assert_eq!(outcome, scim::DeleteOutcome::AlreadyGone);
}

#[tokio::test]
async fn a_cut_off_success_of_patch_or_put_is_not_sent_again() {
    let cut = r#"{"id": "u-1", "userName": "ann", "ti"#;
    let fault = Fault::start(move |seen, _| match seen.method {
        Method::GET => scim(
            200,
            json!({"id": "u-1", "userName": "ann", "title": "Engineer"}),
        ),
        _ => reply(200, "application/scim+json", cut),
    })
    .await;
    let client = fault.client();
    assert_eq!(
        client.patch_user("u-1", &title_patch()).await.unwrap(),
        None
    );
    assert_eq!(methods(&fault), [Method::PATCH]);

    let mut user = User::new("ann");
    user.title = Some("Engineer".into());
    let replaced = client.replace_user("u-1", &user).await.unwrap();
    assert_eq!(replaced.title.as_deref(), Some("Engineer"));
    assert_eq!(
        methods(&fault),
        [Method::PATCH, Method::PUT, Method::GET],
        "the PUT is read back, not repeated"
    );
}

#[tokio::test]
async fn a_cut_off_read_is_repeated() {
    let fault = Fault::start(|_, n| match n {
        0 => reply(200, "application/scim+json", r#"{"id": "u-1", "user"#),
        _ => scim(200, json!({"id": "u-1", "userName": "ann"})),
    })
    .await;
    let user = fault.client().get_user("u-1").await.unwrap();
    assert_eq!(user.user_name, "ann");
    assert_eq!(fault.seen().len(), 2);
}

#[tokio::test]
async fn a_refused_connection_is_reported_with_its_attempts() {
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let mut cfg =
        scim::ClientConfig::new(format!("http://127.0.0.1:{port}/scim"), scim::Auth::None);
    cfg.retry = scim::fast_retry_policy(2);
    let err = Client::new(cfg)
        .unwrap()
        .create_user(&User::new("x"))
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::Transport {
                kind: TransportKind::Connect,
                attempts: 2,
                ..
            }
        ),
        "{err:?}"
    );
}

#[tokio::test]
async fn a_429_holds_every_request_of_the_client_until_retry_after() {
    let fault = Fault::start(|_, n| match n {
        0 => with_header(scim(429, json!({})), "retry-after", "1"),
        _ => scim(200, json!({"id": "x", "userName": "x"})),
    })
    .await;
    let client = fault.client();
    let throttled = {
        let client = client.clone();
        tokio::spawn(async move { client.get_user("first").await })
    };
    // Let the first request meet its 429, then send another one.
    tokio::time::sleep(Duration::from_millis(200)).await;
    let sent = Instant::now();
    client.get_user("second").await.unwrap();
    throttled.await.unwrap().unwrap();
    let seen = fault.seen();
    let throttled_at = seen[0].at;
    let second = seen
        .iter()
        .find(|s| s.path.ends_with("/second"))
        .expect("the second request arrived");
    assert!(
        second.at - throttled_at >= Duration::from_millis(950),
        "the other request waited for the Retry-After too ({:?} after the 429, sent {:?})",
        second.at - throttled_at,
        sent.elapsed()
    );
}
