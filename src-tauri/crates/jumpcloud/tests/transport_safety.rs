//! Where the API key may go and what comes back: never along a redirect, never to an address a
//! resolver chose for `localhost`, never more reply than the cap after decompression, and never
//! echoed back in an error.

#![allow(clippy::unwrap_used)]

use std::io::Write as _;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use jumpcloud::{Client, ClientConfig, Error, RetryPolicy, SystemResolver};

const KEY: &str = "jc-api-key-7f3e9a1b2c";

type Log = Arc<Mutex<Vec<String>>>;

/// Serves `answer` for every request on `ip:port` (0 = any), recording each request's headers.
async fn serve(
    ip: &str,
    port: u16,
    answer: impl Fn() -> Response + Clone + Send + Sync + 'static,
) -> (SocketAddr, Log) {
    let log: Log = Arc::default();
    let record = log.clone();
    let app = axum::Router::new().fallback(move |headers: HeaderMap| {
        let record = record.clone();
        let answer = answer.clone();
        async move {
            record.lock().unwrap().push(format!("{headers:?}"));
            answer()
        }
    });
    let listener = tokio::net::TcpListener::bind((ip, port))
        .await
        .unwrap_or_else(|e| panic!("bind {ip}:{port}: {e}"));
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (addr, log)
}

fn empty_list() -> Response {
    (
        [("content-type", "application/json")],
        r#"{"totalCount":0,"results":[]}"#,
    )
        .into_response()
}

fn client(base: &str, tweak: impl FnOnce(&mut ClientConfig)) -> Client {
    let mut cfg = ClientConfig::with_base_url(KEY, base)
        .unwrap()
        .retry(RetryPolicy {
            max_attempts: 2,
            ..RetryPolicy::default()
        });
    tweak(&mut cfg);
    Client::new(cfg).unwrap()
}

#[tokio::test]
async fn no_redirect_is_followed_and_the_error_names_only_the_host() {
    let (elsewhere, arrived) = serve("127.0.0.1", 0, empty_list).await;
    for status in [
        StatusCode::TEMPORARY_REDIRECT,
        StatusCode::PERMANENT_REDIRECT,
    ] {
        let to = format!(
            "http://127.0.0.1:{}/api/systemusers?sig=query-secret",
            elsewhere.port()
        );
        let (redirector, asked) = serve("127.0.0.1", 0, move || {
            (status, [("location", to.clone())]).into_response()
        })
        .await;
        let err = client(&format!("http://{redirector}"), |_| {})
            .system_users()
            .await
            .unwrap_err();
        match &err {
            Error::Redirected {
                status: got,
                location,
                ..
            } => {
                assert_eq!(*got, status.as_u16());
                assert_eq!(
                    location.as_deref(),
                    Some(format!("http://127.0.0.1:{}", elsewhere.port()).as_str())
                );
            }
            other => panic!("{status}: expected Redirected, got {other:?}"),
        }
        let shown = err.to_string();
        assert!(
            shown.contains(&format!("127.0.0.1:{}", elsewhere.port())),
            "{shown}"
        );
        assert!(!shown.contains("query-secret"), "{shown}");
        assert_eq!(asked.lock().unwrap().len(), 1, "a 3xx is not retried");
    }
    assert!(
        arrived.lock().unwrap().is_empty(),
        "a request followed the redirect"
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
    let (real, at_real) = serve("127.0.0.1", 0, empty_list).await;
    let (impostor, at_impostor) = serve("127.0.0.2", real.port(), empty_list).await;
    let c = client(&format!("http://localhost:{}", real.port()), |cfg| {
        cfg.system_resolver = Some(SystemResolver(Arc::new(Poisoned(impostor))));
    });
    c.system_users().await.unwrap();
    assert_eq!(at_real.lock().unwrap().len(), 1);
    assert!(
        at_impostor.lock().unwrap().is_empty(),
        "the key went where the resolver said"
    );
}

fn gzip_of_spaces(decompressed: usize) -> Vec<u8> {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(br#"{"totalCount":1,"results":[{"x":""#)
        .unwrap();
    let chunk = vec![b' '; 64 * 1024];
    let mut left = decompressed;
    while left > 0 {
        let n = left.min(chunk.len());
        gz.write_all(&chunk[..n]).unwrap();
        left -= n;
    }
    gz.finish().unwrap()
}

#[tokio::test]
async fn a_gzip_bomb_stops_at_the_cap_with_a_clear_error() {
    let bomb = Bytes::from(gzip_of_spaces(8 * 1024 * 1024));
    let wire = bomb.len();
    let (addr, _) = serve("127.0.0.1", 0, move || {
        (
            [
                ("content-type", "application/json"),
                ("content-encoding", "gzip"),
            ],
            bomb.clone(),
        )
            .into_response()
    })
    .await;
    let limit = 1024 * 1024;
    assert!(wire < limit, "the compressed bomb fits under the cap");
    let err = client(&format!("http://{addr}"), |cfg| cfg.max_body_bytes = limit)
        .system_users()
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::BodyTooLarge { limit: 1048576, .. }),
        "{err:?}"
    );
    assert!(err.to_string().contains("after decompression"), "{err}");
}

#[tokio::test]
async fn jumpcloud_error_text_is_scrubbed_before_it_is_kept() {
    let echo = format!(
        r#"{{"message":"bad key {KEY} sent as x-api-key: {KEY} with Authorization: Basic dXNlcjpwYXNzd29yZA=="}}"#
    );
    let (addr, _) = serve("127.0.0.1", 0, move || {
        (
            StatusCode::BAD_REQUEST,
            [("content-type", "application/json")],
            echo.clone(),
        )
            .into_response()
    })
    .await;
    let err = client(&format!("http://{addr}"), |_| {})
        .system_users()
        .await
        .unwrap_err();
    let Error::Status {
        message: Some(message),
        ..
    } = &err
    else {
        panic!("expected a status error with JumpCloud's message, got {err:?}");
    };
    let shown = format!("{err} {err:?} {message}");
    assert!(!shown.contains(KEY), "{shown}");
    assert!(!shown.contains("dXNlcjpwYXNzd29yZA"), "{shown}");
    assert!(message.starts_with("bad key [REDACTED]"), "{message}");
}

#[test]
fn debug_of_the_config_and_client_never_shows_the_key() {
    let cfg = ClientConfig::with_base_url(KEY, "http://127.0.0.1:9").unwrap();
    let shown = format!("{cfg:?} {:?}", Client::new(cfg.clone()).unwrap());
    assert!(!shown.contains(KEY), "{shown}");
}
