//! The JumpCloud client against the simulator: full snapshots equal the generated directory,
//! and every fault either recovers (429) or fails the whole snapshot (never a partial directory).

#![allow(clippy::unwrap_used)]

use std::time::{Duration, Instant};

use jumpcloud::{
    CancellationToken, Client, ClientConfig, Directory, Error, Hint, RetryPolicy, SnapshotOptions,
    SnapshotPhase,
};
use sim::jumpcloud::{
    demo_directory, generate, Fault, FaultRule, SeedSpec, SimConfig, SimServer, SimThread,
};

fn fast_retries() -> RetryPolicy {
    RetryPolicy {
        max_attempts: 3,
        base_delay: Duration::from_millis(5),
        max_delay: Duration::from_millis(20),
        max_retry_after: Duration::from_secs(5),
    }
}

fn client_for(server: &SimServer) -> Client {
    let mut config = ClientConfig::with_base_url(server.api_key(), &server.base_url())
        .unwrap()
        .retry(fast_retries());
    if let Some(org) = server.org_id() {
        config = config.org_id(org);
    }
    Client::new(config).unwrap()
}

fn small() -> Directory {
    generate(&SeedSpec {
        users: 250,
        groups: 12,
        apps: 3,
        seed: 3,
    })
}

async fn snapshot(client: &Client) -> jumpcloud::Result<Directory> {
    client
        .snapshot(
            &SnapshotOptions::default(),
            |_| {},
            &CancellationToken::new(),
        )
        .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn snapshot_of_5000_users_and_300_groups_equals_the_generated_directory() {
    let expected = generate(&SeedSpec {
        users: 5000,
        groups: 300,
        apps: 8,
        seed: 2026,
    });
    let server = SimServer::start(expected.clone(), SimConfig::default())
        .await
        .unwrap();
    let client = client_for(&server);
    let mut phases = Vec::new();
    let started = Instant::now();
    let got = client
        .snapshot(
            &SnapshotOptions {
                concurrency: 8,
                ..SnapshotOptions::default()
            },
            |p| {
                if p.phase != SnapshotPhase::Relations || p.done == p.total {
                    println!("{:?} {p:?}", started.elapsed());
                }
                phases.push(p)
            },
            &CancellationToken::new(),
        )
        .await
        .unwrap();
    let elapsed = started.elapsed();
    println!(
        "snapshot 5000 users / 300 groups / 8 apps: {elapsed:?}, {} requests (server saw {}), by route: {:?}",
        client.request_count(),
        server.requests(),
        server.requests_by_route()
    );
    assert_eq!(got.users.len(), 5000);
    assert_eq!(
        got.effective_members, expected.effective_members,
        "effective nested membership"
    );
    for a in &expected.applications {
        assert_eq!(
            got.app_scope(&a.id).unwrap(),
            expected.app_scope(&a.id).unwrap()
        );
    }
    assert_eq!(got, expected);
    assert_eq!(client.request_count(), server.requests());
    let last = phases.last().unwrap();
    assert_eq!(last.phase, SnapshotPhase::Done);
    assert_eq!(last.total, 300 * 2 + 8 * 2);
    assert!(phases
        .windows(2)
        .all(|w| w[0].done <= w[1].done || w[0].phase != w[1].phase));
}

#[tokio::test]
async fn demo_directory_round_trips_through_api_and_json() {
    let demo = demo_directory();
    let server = SimServer::start(demo.clone(), SimConfig::default())
        .await
        .unwrap();
    let got = snapshot(&client_for(&server)).await.unwrap();
    assert_eq!(got, demo);
    let reloaded = Directory::from_json(&got.to_json()).unwrap();
    assert_eq!(reloaded, demo);
}

#[tokio::test]
async fn snapshot_for_one_app_reads_only_that_app() {
    let dir = small();
    let app = dir.applications[1].clone();
    let server = SimServer::start(dir.clone(), SimConfig::default())
        .await
        .unwrap();
    let client = client_for(&server);
    let options = SnapshotOptions {
        concurrency: 2,
        app_id: Some(app.id.clone()),
        ..SnapshotOptions::default()
    };
    let got = client
        .snapshot(&options, |_| {}, &CancellationToken::new())
        .await
        .unwrap();
    assert_eq!(got.applications, vec![app.clone()]);
    assert_eq!(
        got.app_scope(&app.id).unwrap(),
        dir.app_scope(&app.id).unwrap()
    );
    let missing = SnapshotOptions {
        app_id: Some("000000000000000000000000".into()),
        ..options
    };
    let err = client
        .snapshot(&missing, |_| {}, &CancellationToken::new())
        .await
        .unwrap_err();
    assert!(matches!(err, Error::AppNotFound(_)));
}

#[tokio::test]
async fn individual_reads_and_filters() {
    let dir = small();
    let server = SimServer::start(dir.clone(), SimConfig::default())
        .await
        .unwrap();
    let client = client_for(&server);
    let orgs = client.organizations().await.unwrap();
    assert_eq!(orgs[0].display_name, "Example Corp");

    let target = &dir.users[17];
    let found = client
        .system_users_where("username", &target.username)
        .await
        .unwrap();
    assert_eq!(found, vec![target.clone()]);
    let upper = target.username.to_uppercase();
    assert!(
        client
            .system_users_where("username", &upper)
            .await
            .unwrap()
            .is_empty(),
        "case-sensitive"
    );

    let g = &dir.groups[4];
    assert_eq!(
        client.user_groups_named(&g.name).await.unwrap(),
        vec![g.clone()]
    );
    assert_eq!(
        client.group_members(&g.id).await.unwrap(),
        dir.members[&g.id]
    );
    assert_eq!(
        client.group_membership(&g.id).await.unwrap(),
        dir.effective_members[&g.id]
    );

    let err = client
        .group_members("ffffffffffffffffffffffff")
        .await
        .unwrap_err();
    assert!(matches!(
        err,
        Error::Status {
            status: 404,
            hint: Some(Hint::CheckBaseUrl),
            ..
        }
    ));
    let err = client.group_members("../systemusers").await.unwrap_err();
    assert!(
        matches!(err, Error::InvalidId(_)),
        "ids cannot escape the route"
    );
}

#[tokio::test]
async fn small_pages_still_read_everything() {
    let dir = small();
    let server = SimServer::start(dir.clone(), SimConfig::default())
        .await
        .unwrap();
    let config = ClientConfig::with_base_url(server.api_key(), &server.base_url())
        .unwrap()
        .page_size(7);
    let client = Client::new(config).unwrap();
    assert_eq!(snapshot(&client).await.unwrap(), dir);
    assert!(server.requests_by_route()["/api/systemusers"] >= 250 / 7);
}

#[tokio::test]
async fn limit_above_100_is_rejected_by_the_simulator() {
    let server = SimServer::start(small(), SimConfig::default())
        .await
        .unwrap();
    let http = reqwest::Client::new();
    for (limit, status) in [("100", 200), ("101", 400)] {
        let resp = http
            .get(format!(
                "{}/api/systemusers?limit={limit}",
                server.base_url()
            ))
            .header("x-api-key", server.api_key())
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status().as_u16(), status, "limit={limit}");
    }
}

#[tokio::test]
async fn wrong_api_key_is_401_with_a_key_or_region_hint() {
    let server = SimServer::start(small(), SimConfig::default())
        .await
        .unwrap();
    let config = ClientConfig::with_base_url("wrong-key-123", &server.base_url()).unwrap();
    let client = Client::new(config).unwrap();
    let err = snapshot(&client).await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::Status {
                status: 401,
                hint: Some(Hint::CheckApiKeyOrRegion),
                ..
            }
        ),
        "{err:?}"
    );
    assert!(
        !format!("{err} {err:?}").contains("wrong-key-123"),
        "key never in errors"
    );
    assert!(
        !format!("{client:?}").contains("wrong-key-123"),
        "key never in Debug"
    );
}

#[tokio::test]
async fn multi_tenant_key_needs_the_org_id() {
    let config = SimConfig {
        required_org_id: Some("org-b".into()),
        organizations: vec![
            ("org-a".into(), "Tenant A".into()),
            ("org-b".into(), "Tenant B".into()),
        ],
        ..SimConfig::default()
    };
    let server = SimServer::start(small(), config).await.unwrap();
    let without =
        Client::new(ClientConfig::with_base_url(server.api_key(), &server.base_url()).unwrap())
            .unwrap();
    // The organization list needs no org id: it is how the admin picks one.
    let orgs = without.organizations().await.unwrap();
    let ids: Vec<&str> = orgs.iter().map(|o| o.id.as_str()).collect();
    assert_eq!(ids, vec!["org-a", "org-b"]);
    let err = without.system_users().await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::Status {
                status: 400,
                hint: Some(Hint::SetOrgId),
                ..
            }
        ),
        "{err:?}"
    );

    let wrong = Client::new(
        ClientConfig::with_base_url(server.api_key(), &server.base_url())
            .unwrap()
            .org_id("org-a"),
    )
    .unwrap();
    let err = wrong.system_users().await.unwrap_err();
    assert!(matches!(
        err,
        Error::Status {
            status: 403,
            hint: Some(Hint::CheckOrgAccess),
            ..
        }
    ));

    assert_eq!(
        snapshot(&client_for(&server)).await.unwrap().users.len(),
        250
    );
}

#[tokio::test]
async fn persistent_503_fails_the_snapshot_after_capped_retries() {
    let server = SimServer::start(small(), SimConfig::default())
        .await
        .unwrap();
    server.inject(FaultRule::always(Fault::Unavailable).on_path("/membership"));
    let client = client_for(&server);
    let err = snapshot(&client).await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::RetriesExhausted {
                attempts: 3,
                last_status: Some(503),
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(err.hint(), Some(Hint::RetryLater));
}

#[tokio::test]
async fn a_short_v1_page_fails_instead_of_dropping_users() {
    let server = SimServer::start(small(), SimConfig::default())
        .await
        .unwrap();
    server.inject(FaultRule::times(Fault::PartialPage, 1).on_path("/api/systemusers"));
    let err = snapshot(&client_for(&server)).await.unwrap_err();
    assert!(
        matches!(&err, Error::IncompleteRead { endpoint, expected: 250, received: 50 } if endpoint == "/api/systemusers"),
        "{err:?}"
    );
}

#[tokio::test]
async fn a_short_v2_page_fails_instead_of_dropping_members() {
    let dir = generate(&SeedSpec {
        users: 400,
        groups: 2,
        apps: 1,
        seed: 9,
    });
    let server = SimServer::start(dir, SimConfig::default()).await.unwrap();
    server.inject(FaultRule::always(Fault::PartialPage).on_path("/members"));
    let err = snapshot(&client_for(&server)).await.unwrap_err();
    assert!(matches!(err, Error::IncompleteRead { .. }), "{err:?}");
}

#[tokio::test]
async fn throttling_with_retry_after_is_waited_out_and_succeeds() {
    let dir = small();
    let server = SimServer::start(dir.clone(), SimConfig::default())
        .await
        .unwrap();
    server.inject(
        FaultRule::times(
            Fault::RateLimit {
                retry_after_secs: 1,
            },
            2,
        )
        .on_path("/api/systemusers"),
    );
    let client = client_for(&server);
    let started = Instant::now();
    let got = snapshot(&client).await.unwrap();
    assert_eq!(got, dir);
    // fast_retries() alone would wait milliseconds: the second here comes from Retry-After.
    assert!(
        started.elapsed() >= Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(server.requests_by_route()["/api/systemusers"], 3 + 2);
}

#[tokio::test]
async fn slow_server_hits_the_timeout_as_a_transport_error() {
    let server = SimServer::start(small(), SimConfig::default())
        .await
        .unwrap();
    server.inject(FaultRule::always(Fault::Slow(Duration::from_secs(2))));
    let config = ClientConfig::with_base_url(server.api_key(), &server.base_url())
        .unwrap()
        .retry(RetryPolicy {
            max_attempts: 1,
            ..fast_retries()
        })
        .timeout(Duration::from_millis(200));
    let err = Client::new(config)
        .unwrap()
        .organizations()
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::Transport { timeout: true, .. }),
        "{err:?}"
    );
}

#[tokio::test]
async fn cancelling_stops_the_snapshot() {
    let server = SimServer::start(small(), SimConfig::default())
        .await
        .unwrap();
    server.inject(FaultRule::always(Fault::Slow(Duration::from_millis(300))));
    let client = client_for(&server);
    let cancel = CancellationToken::new();
    let trigger = cancel.clone();
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(100)).await;
        trigger.cancel();
    });
    let started = Instant::now();
    let err = client
        .snapshot(&SnapshotOptions::default(), |_| {}, &cancel)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Cancelled), "{err:?}");
    assert!(started.elapsed() < Duration::from_millis(290));
}

#[test]
fn simulator_runs_on_its_own_thread_for_the_desktop_demo() {
    let demo = demo_directory();
    let sim = SimThread::start(demo.clone(), SimConfig::default()).unwrap();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let client =
        Client::new(ClientConfig::with_base_url(sim.api_key(), &sim.base_url()).unwrap()).unwrap();
    let apps = rt.block_on(client.applications()).unwrap();
    assert_eq!(apps, demo.applications);
    let addr = sim.addr();
    drop(sim);
    assert!(
        std::net::TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_err(),
        "stopped on drop"
    );
}

#[tokio::test]
async fn redirects_are_not_followed_so_the_key_stays_home() {
    use std::sync::atomic::{AtomicU64, Ordering};
    use std::sync::Arc;

    let hits = Arc::new(AtomicU64::new(0));
    let counter = hits.clone();
    let elsewhere = axum::Router::new().fallback(move || {
        counter.fetch_add(1, Ordering::SeqCst);
        async { "{}" }
    });
    let other = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let other_addr = other.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(other, elsewhere).await.unwrap() });

    let target = format!("http://{other_addr}/steal");
    let redirector = axum::Router::new().fallback(move || {
        let target = target.clone();
        async move { axum::response::Redirect::temporary(&target) }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, redirector).await.unwrap() });

    let client =
        Client::new(ClientConfig::with_base_url("secret-key", &format!("http://{addr}")).unwrap())
            .unwrap();
    let err = client.organizations().await.unwrap_err();
    assert!(
        matches!(err, Error::Redirected { status: 307, .. }),
        "{err:?}"
    );
    assert_eq!(
        hits.load(Ordering::SeqCst),
        0,
        "the redirect target was never contacted"
    );
}

#[tokio::test]
async fn a_total_that_changes_while_paging_fails_the_read() {
    use axum::extract::Query;
    use serde_json::json;

    // Every page claims a different total, as if users were added between requests.
    let app = axum::Router::new().route(
        "/api/systemusers",
        axum::routing::get(|Query(q): Query<Vec<(String, String)>>| async move {
            let skip: u64 = q
                .iter()
                .find(|(k, _)| k == "skip")
                .and_then(|(_, v)| v.parse().ok())
                .unwrap_or(0);
            let results: Vec<_> = (0..100)
                .map(|i| json!({ "_id": format!("{:024x}", skip + i), "username": format!("u{}", skip + i), "email": "x@example.com" }))
                .collect();
            axum::Json(json!({ "totalCount": 250 + skip, "results": results }))
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    let client =
        Client::new(ClientConfig::with_base_url("k", &format!("http://{addr}")).unwrap()).unwrap();
    let err = client.system_users().await.unwrap_err();
    assert!(
        matches!(&err, Error::Inconsistent(m) if m.contains("totalCount changed")),
        "{err:?}"
    );
}

#[tokio::test]
async fn a_body_cut_short_is_retried() {
    use std::sync::atomic::{AtomicU64, Ordering};
    use std::sync::Arc;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let connections = Arc::new(AtomicU64::new(0));
    let seen = connections.clone();
    tokio::spawn(async move {
        loop {
            let (mut sock, _) = listener.accept().await.unwrap();
            let n = seen.fetch_add(1, Ordering::SeqCst);
            let mut buf = vec![0u8; 4096];
            let _ = sock.read(&mut buf).await;
            let body = r#"{"totalCount":1,"results":[{"_id":"o1","displayName":"Org"}]}"#;
            let reply = if n == 0 {
                // Promise 1000 bytes, send a few, hang up.
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n{\"tot".to_string()
            } else {
                format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                    body.len()
                )
            };
            let _ = sock.write_all(reply.as_bytes()).await;
            let _ = sock.shutdown().await;
        }
    });
    let client = Client::new(
        ClientConfig::with_base_url("k", &format!("http://{addr}"))
            .unwrap()
            .retry(fast_retries()),
    )
    .unwrap();
    let orgs = client.organizations().await.unwrap();
    assert_eq!(orgs[0].display_name, "Org");
    assert_eq!(connections.load(Ordering::SeqCst), 2);
    assert_eq!(client.request_count(), 2);
}
