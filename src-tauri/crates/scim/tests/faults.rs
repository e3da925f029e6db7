//! Quirks no real test server has, against the scripted fault server.

mod fault_server;

use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::http::Method;
use scim::models::{Group, User};
use scim::{
    Auth, CancellationToken, Client, ClientConfig, DeactivateForm, Error, Filter, MemberRemoveForm,
    MembershipRead, Paging, Secret, TransportKind,
};
use serde_json::{json, Value};
use tokio::time::Instant;

use fault_server::*;

fn users_page(ids: &[&str]) -> Vec<Value> {
    ids.iter()
        .map(|id| json!({"id": id, "userName": format!("{id}@x.org")}))
        .collect()
}

// ---------- paging ----------

#[tokio::test]
async fn cursor_paging_follows_next_cursor_and_never_sends_start_index() {
    let fault = Fault::start(|seen, _| {
        let (ids, next) = match seen.param("cursor").unwrap_or("<absent>") {
            "" => (vec!["u1", "u2"], Some("c1")),
            "c1" => (vec!["u3", "u4"], Some("c2")),
            "c2" => (vec!["u5"], None),
            other => panic!("unexpected cursor {other:?}"),
        };
        let mut body = json!({"itemsPerPage": ids.len(), "Resources": users_page(&ids)});
        if let Some(n) = next {
            body["nextCursor"] = json!(n);
        }
        scim(200, body)
    })
    .await;
    let mut cfg = fault.config();
    cfg.paging = Paging::Cursor { page_size: 500 };
    let users = Client::new(cfg)
        .unwrap()
        .list_all_users(Some(&Filter::eq("userName", "x")))
        .await
        .unwrap();
    let ids: Vec<_> = users.iter().map(|u| u.id.clone().unwrap()).collect();
    assert_eq!(ids, ["u1", "u2", "u3", "u4", "u5"]);
    let seen = fault.seen();
    assert_eq!(seen.len(), 3);
    for s in &seen {
        assert_eq!(s.path, "/scim/v2/Users");
        assert!(
            s.param("startIndex").is_none(),
            "startIndex sent: {:?}",
            s.query
        );
        assert_eq!(s.param("count"), Some("100"), "count clamped to AWS max");
        assert_eq!(s.param("filter"), Some(r#"userName eq "x""#));
    }
}

#[tokio::test]
async fn count_sends_no_paging_position_even_for_cursor_targets() {
    let fault = Fault::start(|seen, _| {
        assert!(seen.param("cursor").is_none() && seen.param("startIndex").is_none(), "{:?}", seen.query);
        scim(200, json!({"totalResults": 4321, "itemsPerPage": 1, "startIndex": 1, "Resources": users_page(&["u1"])}))
    })
    .await;
    let mut cfg = fault.config();
    cfg.paging = Paging::Cursor { page_size: 100 };
    let client = Client::new(cfg).unwrap();
    assert_eq!(client.count::<User>().await.unwrap(), Some(4321));
    assert_eq!(
        client.check_connection().await.unwrap().users_total,
        Some(4321)
    );
    assert!(fault.seen().iter().all(|s| s.param("count") == Some("1")));
}

#[tokio::test]
async fn cursor_paging_stops_when_the_server_repeats_a_cursor() {
    let fault = Fault::start(|_, n| {
        scim(
            200,
            json!({"Resources": users_page(&[&format!("u{n}")]), "nextCursor": "same"}),
        )
    })
    .await;
    let mut cfg = fault.config();
    cfg.paging = Paging::Cursor { page_size: 10 };
    let err = Client::new(cfg)
        .unwrap()
        .list_all_users(None)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::PagingLoop { .. }), "{err:?}");
    assert_eq!(fault.seen().len(), 2);
}

#[tokio::test]
async fn index_paging_detects_a_server_that_ignores_start_index() {
    let fault = Fault::start(|_, _| {
        scim(200, json!({"totalResults": 100, "itemsPerPage": 2, "startIndex": 1, "Resources": users_page(&["a", "b"])}))
    })
    .await;
    let err = fault.client().list_all_users(None).await.unwrap_err();
    assert!(matches!(err, Error::PagingLoop { pages: 2, .. }), "{err:?}");
    assert_eq!(fault.seen().len(), 2);
}

#[tokio::test]
async fn index_paging_advances_by_short_pages_and_stops_at_total() {
    // The server caps pages at 2 whatever count we ask for.
    let all = ["a", "b", "c", "d", "e"];
    let fault = Fault::start(move |seen, _| {
        let start: usize = seen.param("startIndex").unwrap().parse().unwrap();
        let page: Vec<&str> = all.iter().skip(start - 1).take(2).copied().collect();
        scim(200, json!({"totalResults": 5, "itemsPerPage": page.len(), "startIndex": start, "Resources": users_page(&page)}))
    })
    .await;
    let reports = Mutex::new(Vec::new());
    let users: Vec<User> = fault
        .client()
        .list_all_with_progress(None, &|p| {
            reports.lock().unwrap().push((p.fetched, p.total, p.pages))
        })
        .await
        .unwrap();
    assert_eq!(users.len(), 5);
    assert_eq!(
        *reports.lock().unwrap(),
        [(2, Some(5), 1), (4, Some(5), 2), (5, Some(5), 3)]
    );
    let starts: Vec<_> = fault
        .seen()
        .iter()
        .map(|s| s.param("startIndex").unwrap().to_owned())
        .collect();
    assert_eq!(starts, ["1", "3", "5"]);
    assert!(fault.seen().iter().all(|s| s.param("count") == Some("100")));
}

#[tokio::test]
async fn index_paging_without_total_stops_on_an_empty_page() {
    let all = ["a", "b", "c"];
    let fault = Fault::start(move |seen, _| {
        let start: usize = seen.param("startIndex").unwrap().parse().unwrap();
        let page: Vec<&str> = all.iter().skip(start - 1).take(2).copied().collect();
        scim(200, json!({"Resources": users_page(&page)}))
    })
    .await;
    let users = fault.client().list_all_users(None).await.unwrap();
    assert_eq!(users.len(), 3);
    assert_eq!(fault.seen().len(), 3, "pages of 2, 1, then empty");
}

#[tokio::test]
async fn discovered_max_results_caps_the_page_size() {
    let fault = Fault::start(|seen, _| {
        if seen.path.ends_with("ServiceProviderConfig") {
            return scim(200, json!({"filter": {"supported": true, "maxResults": 7}}));
        }
        scim(200, json!({"totalResults": 0, "Resources": []}))
    })
    .await;
    let client = fault.client();
    client.service_provider_config().await.unwrap();
    client.list_all_users(None).await.unwrap();
    assert_eq!(fault.seen()[1].param("count"), Some("7"));
}

// ---------- dialect write forms ----------

#[tokio::test]
async fn strongdm_deactivation_sends_a_value_object() {
    let fault = Fault::start(|_, _| reply(204, "application/scim+json", "")).await;
    let mut cfg = fault.config();
    cfg.dialect.deactivate = DeactivateForm::PatchValueObject;
    Client::new(cfg)
        .unwrap()
        .deactivate_user("a-123")
        .await
        .unwrap();
    let s = &fault.seen()[0];
    assert_eq!(s.method, Method::PATCH);
    assert_eq!(s.path, "/scim/v2/Users/a-123");
    assert_eq!(
        s.json(),
        json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
               "Operations": [{"op": "replace", "value": {"active": false}}]})
    );
    assert_eq!(s.headers["content-type"], "application/scim+json");
}

#[tokio::test]
async fn value_list_removal_and_adds_are_chunked_to_100() {
    let fault = Fault::start(|_, _| reply(204, "application/scim+json", "")).await;
    let mut cfg = fault.config();
    cfg.dialect.membership.remove_form = MemberRemoveForm::ValueList;
    let client = Client::new(cfg).unwrap();
    let ids: Vec<String> = (0..250).map(|i| format!("u{i}")).collect();
    assert_eq!(client.add_group_members("g1", &ids).await.unwrap(), 3);
    assert_eq!(
        client
            .remove_group_members("g1", &ids[..120])
            .await
            .unwrap(),
        2
    );
    let seen = fault.seen();
    let sizes: Vec<usize> = seen
        .iter()
        .map(|s| s.json()["Operations"][0]["value"].as_array().unwrap().len())
        .collect();
    assert_eq!(sizes, [100, 100, 50, 100, 20]);
    let removal = seen[3].json();
    assert_eq!(removal["Operations"][0]["op"], "remove");
    assert_eq!(removal["Operations"][0]["path"], "members");
    assert_eq!(removal["Operations"][0]["value"][0], json!({"value": "u0"}));
}

#[tokio::test]
async fn aws_memberships_use_member_filters_with_bounded_concurrency() {
    // AWS returns empty members; membership comes from filtered ListGroups.
    let fault = Fault::start(|seen, _| {
        let filter = seen.param("filter").unwrap().to_owned();
        let groups = match filter.as_str() {
            r#"members eq "u1""# | r#"members eq "u3""# => {
                vec![json!({"id": "g1", "displayName": "G1", "members": []})]
            }
            _ => vec![],
        };
        delayed(
            scim(
                200,
                json!({"itemsPerPage": groups.len(), "Resources": groups}),
            ),
            Duration::from_millis(60),
        )
    })
    .await;
    let mut cfg = fault.config();
    cfg.paging = Paging::Cursor { page_size: 100 };
    cfg.dialect.membership_read = MembershipRead::FilterByMember;
    cfg.max_concurrency = 2;
    let client = Client::new(cfg).unwrap();
    let groups: Vec<Group> = vec![
        serde_json::from_value(json!({"id": "g1", "displayName": "G1"})).unwrap(),
        serde_json::from_value(json!({"id": "g2", "displayName": "G2"})).unwrap(),
    ];
    let users: Vec<String> = (0..8).map(|i| format!("u{i}")).collect();
    let m = client.group_memberships(&groups, &users).await.unwrap();
    assert_eq!(m["g1"].iter().collect::<Vec<_>>(), ["u1", "u3"]);
    assert!(m["g2"].is_empty());
    assert_eq!(fault.seen().len(), 8, "one lookup per user");
    assert!(fault
        .seen()
        .iter()
        .all(|s| s.path == "/scim/v2/Groups" && s.param("startIndex").is_none()));
    assert_eq!(
        fault.in_flight_max.load(Ordering::SeqCst),
        2,
        "at most max_concurrency in flight"
    );
}

#[tokio::test]
async fn group_conflict_adopts_by_display_name() {
    let fault = Fault::start(|seen, _| match seen.method {
        Method::POST => with_header(
            scim(409, json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:Error"], "status": "409", "detail": "Duplicate GroupDisplayName"})),
            "x-amzn-ErrorType",
            "ConflictException",
        ),
        _ => {
            assert_eq!(seen.param("filter"), Some(r#"displayName eq "Admins""#));
            scim(200, json!({"totalResults": 1, "Resources": [{"id": "g-9", "displayName": "Admins"}]}))
        }
    })
    .await;
    let created = fault
        .client()
        .create_group(&Group::new("Admins"))
        .await
        .unwrap();
    assert!(created.adopted);
    assert_eq!(created.resource.id.as_deref(), Some("g-9"));
}

#[tokio::test]
async fn conflict_without_a_findable_object_is_a_typed_error() {
    let fault = Fault::start(|seen, _| match seen.method {
        Method::POST => scim(409, json!({"status": 409, "scimType": "uniqueness"})),
        _ => scim(200, json!({"totalResults": 0, "Resources": []})),
    })
    .await;
    let err = fault
        .client()
        .create_user(&User::new("ghost"))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::AdoptNotFound { key, .. } if key == "ghost"),
        "{err:?}"
    );
}

// ---------- retries ----------

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

// ---------- bad bodies ----------

#[tokio::test]
async fn html_page_on_success_is_not_json_with_title() {
    let fault = Fault::start(|_, _| {
        reply(
            200,
            "text/html; charset=utf-8",
            "<html><head><title>Sign in - Portal</title></head><body>x</body></html>",
        )
    })
    .await;
    let err = fault.client().list_all_users(None).await.unwrap_err();
    match &err {
        Error::NotJson { title, status, .. } => {
            assert_eq!(title.as_deref(), Some("Sign in - Portal"));
            assert_eq!(*status, 200);
        }
        other => panic!("{other:?}"),
    }
    assert!(err.to_string().contains("Sign in - Portal"));
}

#[tokio::test]
async fn html_404_on_discovery_points_at_the_base_url() {
    let fault = Fault::start(|_, _| {
        reply(
            404,
            "text/html",
            "<html><title>404 Not Found</title></html>",
        )
    })
    .await;
    let err = fault.client().service_provider_config().await.unwrap_err();
    assert_eq!(err.status(), Some(404));
    assert!(
        err.hint().contains("tenant ID / base URL"),
        "{}",
        err.hint()
    );
    assert!(err.to_string().contains("404 Not Found"), "{err}");
}

#[tokio::test]
async fn truncated_json_is_reported_as_such() {
    let fault = Fault::start(|_, _| {
        reply(
            200,
            "application/scim+json",
            r#"{"totalResults": 3, "Resources": [{"id": "u1", "userN"#,
        )
    })
    .await;
    let err = fault.client().list_all_users(None).await.unwrap_err();
    match &err {
        Error::MalformedJson { message, .. } => assert!(message.contains("truncated"), "{message}"),
        other => panic!("{other:?}"),
    }
    assert_eq!(
        fault.seen().len(),
        3,
        "a cut-off read is repeated up to the cap"
    );
}

#[tokio::test]
async fn plain_text_success_is_not_json() {
    let fault = Fault::start(|_, _| reply(200, "text/plain", "OK")).await;
    let err = fault.client().get_user("u1").await.unwrap_err();
    assert!(
        matches!(err, Error::NotJson { ref content_type, .. } if content_type == "text/plain"),
        "{err:?}"
    );
}

#[tokio::test]
async fn bodies_over_the_cap_are_refused() {
    let big = "x".repeat(64 * 1024);
    let fault = Fault::start(move |_, _| reply(200, "application/scim+json", big.clone())).await;
    let mut cfg = fault.config();
    cfg.max_body_bytes = 16 * 1024;
    let err = Client::new(cfg).unwrap().get_user("u1").await.unwrap_err();
    assert!(
        matches!(err, Error::BodyTooLarge { limit: 16384, .. }),
        "{err:?}"
    );
}

#[tokio::test]
async fn chunked_bodies_over_the_cap_are_refused() {
    // Raw TCP: a chunked reply has no Content-Length to check up front.
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        let (mut sock, _) = listener.accept().await.unwrap();
        let mut buf = [0u8; 4096];
        let _ = sock.read(&mut buf).await;
        let _ = sock
            .write_all(b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n")
            .await;
        let chunk = vec![b'a'; 8192];
        for _ in 0..64 {
            let head = format!("{:x}\r\n", chunk.len());
            if sock.write_all(head.as_bytes()).await.is_err()
                || sock.write_all(&chunk).await.is_err()
                || sock.write_all(b"\r\n").await.is_err()
            {
                return;
            }
        }
        let _ = sock.write_all(b"0\r\n\r\n").await;
    });
    let mut cfg = ClientConfig::new(format!("http://127.0.0.1:{port}/"), Auth::None);
    cfg.max_body_bytes = 32 * 1024;
    let err = Client::new(cfg).unwrap().get_user("u1").await.unwrap_err();
    assert!(matches!(err, Error::BodyTooLarge { .. }), "{err:?}");
}

// ---------- auth and secrets ----------

#[tokio::test]
async fn credentials_are_sent_but_never_shown() {
    // A careless server that echoes the Authorization header in its error.
    let fault = Fault::start(|seen, _| {
        let auth = seen.headers.get("authorization").map(|v| v.to_str().unwrap().to_owned());
        scim(401, json!({"status": "401", "detail": format!("bad credentials: {}", auth.unwrap_or_default())}))
    })
    .await;
    let secret = "sup3r-s3cret-v4lue";
    let auths = [
        Auth::Bearer(Secret::new(secret)),
        Auth::Basic {
            key_id: "key-1".into(),
            secret: Secret::new(secret),
        },
        Auth::Header {
            name: "x-api-key".into(),
            value: Secret::new(secret),
        },
    ];
    for auth in auths {
        let mut cfg = fault.config();
        cfg.auth = auth.clone();
        let client = Client::new(cfg.clone()).unwrap();
        let err = client.get_user("u1").await.unwrap_err();
        assert_eq!(err.status(), Some(401));
        assert!(err
            .hint()
            .contains("Token expired, revoked or for another tenant"));
        for text in [
            format!("{err}"),
            format!("{err:?}"),
            format!("{cfg:?}"),
            format!("{client:?}"),
            format!("{auth:?}"),
        ] {
            assert!(!text.contains(secret), "secret leaked via {auth:?}: {text}");
        }
    }
    let seen = fault.seen();
    assert_eq!(seen[0].headers["authorization"], format!("Bearer {secret}"));
    use base64::Engine;
    let basic = base64::engine::general_purpose::STANDARD.encode(format!("key-1:{secret}"));
    assert_eq!(seen[1].headers["authorization"], format!("Basic {basic}"));
    assert_eq!(seen[2].headers["x-api-key"], secret);
    assert!(seen[2].headers.get("authorization").is_none());
    let ua = seen[0].headers["user-agent"].to_str().unwrap();
    assert!(ua.starts_with("scim-companion/"), "{ua}");
}

#[tokio::test]
async fn observer_gets_redacted_excerpts() {
    let fault = Fault::start(|_, _| scim(201, json!({"id": "u1", "userName": "x"}))).await;
    let log = Arc::new(Mutex::new(Vec::new()));
    let sink = log.clone();
    let client = fault
        .client()
        .with_observer(Arc::new(move |ex: &scim::Exchange| {
            sink.lock().unwrap().push(ex.clone())
        }));
    let mut u = User::new("x");
    u.password = Some(Secret::new("pw-9f8e7d"));
    client.create_user(&u).await.unwrap();
    let log = log.lock().unwrap();
    assert_eq!(log.len(), 1);
    assert_eq!(log[0].status, Some(201));
    let req = log[0].request_excerpt.as_deref().unwrap();
    assert!(
        req.contains("\"userName\":\"x\"") && !req.contains("pw-9f8e7d"),
        "{req}"
    );
    // The password did reach the server.
    assert_eq!(fault.seen()[0].json()["password"], "pw-9f8e7d");
}

// ---------- cancellation ----------

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
