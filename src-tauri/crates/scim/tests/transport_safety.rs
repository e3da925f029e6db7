//! Where credentials and bodies may go: never along a redirect, never to an address a resolver
//! chose for `localhost`, and never more reply than the cap after decompression.

#![allow(clippy::unwrap_used)]

use std::io::Write as _;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use scim::models::{PatchOp, PatchOperation, User};
use scim::{Auth, Client, ClientConfig, Error, Secret, SystemResolver};

const TOKEN: &str = "custom-header-credential-91c2";
const HEADER: &str = "X-Custom-Auth";
const USER_NAME: &str = "body-marker-ada@example.com";

/// One request as a server saw it.
#[derive(Debug, Clone)]
struct Seen {
    method: String,
    headers: String,
    body: String,
}

type Log = Arc<Mutex<Vec<Seen>>>;

/// Serves `answer` for every request on `ip:port` (0 = any), recording each request.
async fn serve(
    ip: &str,
    port: u16,
    answer: impl Fn() -> Response + Clone + Send + Sync + 'static,
) -> (SocketAddr, Log) {
    let log: Log = Arc::default();
    let record = log.clone();
    let app = axum::Router::new().fallback(
        move |method: Method, _uri: Uri, headers: HeaderMap, body: Bytes| {
            let record = record.clone();
            let answer = answer.clone();
            async move {
                record.lock().unwrap().push(Seen {
                    method: method.to_string(),
                    headers: format!("{headers:?}"),
                    body: String::from_utf8_lossy(&body).into_owned(),
                });
                answer()
            }
        },
    );
    let listener = tokio::net::TcpListener::bind((ip, port))
        .await
        .unwrap_or_else(|e| panic!("bind {ip}:{port}: {e}"));
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (addr, log)
}

fn ok_json() -> Response {
    (
        [("content-type", "application/scim+json")],
        r#"{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"id":"1","userName":"x"}"#,
    )
        .into_response()
}

fn config(base: &str) -> ClientConfig {
    let mut cfg = ClientConfig::new(
        base,
        Auth::Header {
            name: HEADER.into(),
            value: Secret::new(TOKEN),
        },
    );
    cfg.retry = scim::fast_retry_policy(2);
    cfg
}

/// GET, POST, PUT and PATCH against `client`, each returning its result.
async fn every_method(client: &Client) -> Vec<(&'static str, Result<(), Error>)> {
    let user = User::new(USER_NAME);
    let patch = PatchOp::new(vec![PatchOperation::replace(
        Some("displayName"),
        serde_json::json!(USER_NAME),
    )]);
    vec![
        ("GET", client.get_user("1").await.map(drop)),
        ("POST", client.create_user(&user).await.map(drop)),
        ("PUT", client.replace_user("1", &user).await.map(drop)),
        ("PATCH", client.patch_user("1", &patch).await.map(drop)),
    ]
}

#[tokio::test]
async fn no_redirect_is_followed_for_any_method() {
    let (elsewhere, arrived) = serve("127.0.0.1", 0, ok_json).await;
    for status in [
        StatusCode::TEMPORARY_REDIRECT,
        StatusCode::PERMANENT_REDIRECT,
    ] {
        let target = format!(
            "http://127.0.0.1:{}/collect?sig=query-secret",
            elsewhere.port()
        );
        let (redirector, asked) = serve("127.0.0.1", 0, move || {
            (status, [("location", target.clone())]).into_response()
        })
        .await;
        let client = Client::new(config(&format!("http://{redirector}/scim/v2"))).unwrap();
        for (method, result) in every_method(&client).await {
            match result {
                Err(Error::Redirected {
                    status: got,
                    location,
                    ..
                }) => {
                    assert_eq!(got, status.as_u16(), "{method}");
                    assert_eq!(
                        location.as_deref(),
                        Some(format!("http://127.0.0.1:{}", elsewhere.port()).as_str())
                    );
                }
                other => panic!("{method} {status}: expected Redirected, got {other:?}"),
            }
        }
        let err = client.get_user("1").await.unwrap_err();
        let shown = format!("{err} {}", err.hint());
        assert!(
            shown.contains(&format!("127.0.0.1:{}", elsewhere.port())),
            "{shown}"
        );
        assert!(!shown.contains("query-secret"), "{shown}");
        // Each method reached the redirector exactly once: a 3xx is not retried either.
        assert_eq!(asked.lock().unwrap().len(), 5);
    }
    let arrived = arrived.lock().unwrap();
    assert!(
        arrived.is_empty(),
        "requests followed the redirect: {:?}",
        arrived
            .iter()
            .map(|s| (
                &s.method,
                s.headers.contains(TOKEN),
                s.body.contains(USER_NAME)
            ))
            .collect::<Vec<_>>()
    );
}

/// A resolver that sends every name to one address: a poisoned hosts file or DNS answer.
struct Poisoned(SocketAddr);

impl reqwest::dns::Resolve for Poisoned {
    fn resolve(&self, _name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let addr = self.0;
        Box::pin(async move {
            let addrs: reqwest::dns::Addrs = Box::new(std::iter::once(addr));
            Ok(addrs)
        })
    }
}

#[tokio::test]
async fn localhost_is_pinned_to_loopback_whatever_the_resolver_says() {
    // The real target on 127.0.0.1, and an impostor on another loopback address with the same
    // port, where a poisoned resolver sends `localhost`.
    let (real, at_real) = serve("127.0.0.1", 0, ok_json).await;
    let (impostor, at_impostor) = serve("127.0.0.2", real.port(), ok_json).await;
    let mut cfg = config(&format!("http://localhost:{}/scim/v2", real.port()));
    cfg.system_resolver = Some(SystemResolver(Arc::new(Poisoned(impostor))));
    let client = Client::new(cfg).unwrap();
    client.get_user("1").await.unwrap();
    assert_eq!(at_real.lock().unwrap().len(), 1);
    assert!(at_impostor.lock().unwrap().is_empty());
}

fn gzip_of_zeros(decompressed: usize) -> Vec<u8> {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    let chunk = vec![b' '; 64 * 1024];
    let mut left = decompressed;
    gz.write_all(b"{\"a\":\"").unwrap();
    while left > 0 {
        let n = left.min(chunk.len());
        gz.write_all(&chunk[..n]).unwrap();
        left -= n;
    }
    gz.finish().unwrap()
}

#[tokio::test]
async fn a_gzip_bomb_is_cut_at_the_cap_after_decompression() {
    let bomb = Bytes::from(gzip_of_zeros(8 * 1024 * 1024));
    let wire = bomb.len();
    let (addr, _) = serve("127.0.0.1", 0, move || {
        (
            [
                ("content-type", "application/scim+json"),
                ("content-encoding", "gzip"),
            ],
            bomb.clone(),
        )
            .into_response()
    })
    .await;
    let mut cfg = config(&format!("http://{addr}/scim/v2"));
    cfg.max_body_bytes = 1024 * 1024;
    assert!(
        wire < cfg.max_body_bytes,
        "the compressed bomb fits the cap"
    );
    let err = Client::new(cfg).unwrap().get_user("1").await.unwrap_err();
    assert!(
        matches!(err, Error::BodyTooLarge { limit: 1048576, .. }),
        "{err:?}"
    );
}
