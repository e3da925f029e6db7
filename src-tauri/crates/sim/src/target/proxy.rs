//! A fault-injecting proxy in front of any SCIM server, so throttling and outage checks can run
//! against a server we did not write (the real scim2-server in the tests). It draws the same
//! random faults as the simulator ([`FaultConfig`]): 429s and 503s and a gateway's HTML 502
//! answered in the server's place (the request never reaches it), and replies cut in half
//! after the server acted. Everything else is forwarded unchanged. It keeps the same request
//! log, so [`ProxyHandle::retry_violations`] tells whether a client retried before
//! `Retry-After`.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{header, HeaderMap, Method, StatusCode, Uri};
use axum::response::Response;
use serde_json::json;
use tokio::sync::oneshot;

use super::error::ERROR_URN;
use super::error::{Result, SimError};
use super::faults::{Fault, FaultConfig, FaultState};
use super::handle::{serve_in_thread, stop_thread};
use super::server::{lock, SCIM_JSON};
use super::stats::{body_hash, RequestRecord, RequestStats, RetryViolation, Stats};

/// Entry point: `FaultProxy::spawn_in_thread("http://127.0.0.1:8000/v2", faults)?`.
pub struct FaultProxy;

struct Proxy {
    /// The server's base URL without a trailing slash; request paths are appended.
    upstream: String,
    client: reqwest::Client,
    stats: Mutex<Stats>,
    faults: Mutex<FaultState>,
    /// Answer the discovery endpoints with a gateway's HTML 404 instead of forwarding.
    hide_discovery: AtomicBool,
    /// Replies cut in half after the server acted.
    cut_replies: AtomicU64,
}

/// A running proxy. Dropping it shuts it down.
pub struct ProxyHandle {
    proxy: Arc<Proxy>,
    addr: SocketAddr,
    shutdown: Option<oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl FaultProxy {
    /// Listens on a free loopback port and forwards to `upstream` (a SCIM base URL).
    pub fn spawn_in_thread(upstream: &str, faults: FaultConfig) -> Result<ProxyHandle> {
        let addr = SocketAddr::from(([127, 0, 0, 1], 0));
        let listener =
            std::net::TcpListener::bind(addr).map_err(|source| SimError::Bind { addr, source })?;
        listener
            .set_nonblocking(true)
            .map_err(|source| SimError::Bind { addr, source })?;
        let addr = listener.local_addr().map_err(SimError::Runtime)?;
        let client = reqwest::Client::builder()
            .timeout(Duration::from_secs(60))
            .build()
            .map_err(|e| SimError::Runtime(std::io::Error::other(e)))?;
        let proxy = Arc::new(Proxy {
            upstream: upstream.trim_end_matches('/').to_owned(),
            client,
            stats: Mutex::new(Stats::new(100_000)),
            faults: Mutex::new(FaultState::new(faults)),
            hide_discovery: AtomicBool::new(false),
            cut_replies: AtomicU64::new(0),
        });
        let app = axum::Router::new()
            .fallback(forward)
            .with_state(proxy.clone());
        let (shutdown, thread) =
            serve_in_thread(listener, app, format!("fault-proxy-{}", addr.port()))?;
        Ok(ProxyHandle {
            proxy,
            addr,
            shutdown: Some(shutdown),
            thread: Some(thread),
        })
    }
}

impl ProxyHandle {
    /// The proxy's base URL: use it where the server's base URL would go.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn stats(&self) -> RequestStats {
        lock(&self.proxy.stats).counters.clone()
    }

    pub fn request_log(&self) -> Vec<RequestRecord> {
        lock(&self.proxy.stats).log.iter().cloned().collect()
    }

    /// Requests repeated (same method, path, query and body) before an earlier answer's
    /// `Retry-After` had elapsed.
    pub fn retry_violations(&self) -> Vec<RetryViolation> {
        lock(&self.proxy.stats).retry_violations()
    }

    /// How many replies were cut in half after the server had acted on the request.
    pub fn cut_replies(&self) -> u64 {
        self.proxy.cut_replies.load(Ordering::Relaxed)
    }

    /// The longest run of refusals (429 or 5xx) one request met in a row: its attempts less one.
    pub fn longest_refused_streak(&self) -> u64 {
        super::stats::longest_refused_streak(lock(&self.proxy.stats).log.iter())
    }

    /// Hides the server's `/ServiceProviderConfig`, `/Schemas` and `/ResourceTypes` behind a
    /// gateway's HTML 404 page, as a target that does not serve discovery would answer.
    pub fn hide_discovery(&self, hidden: bool) {
        self.proxy.hide_discovery.store(hidden, Ordering::Relaxed);
    }

    /// Replaces the random faults (e.g. turns them off for a clean re-run).
    pub fn set_faults(&self, faults: FaultConfig) {
        lock(&self.proxy.faults).set_config(faults);
    }
}

impl Drop for ProxyHandle {
    fn drop(&mut self) {
        stop_thread(self.shutdown.take(), self.thread.take());
    }
}

async fn forward(
    State(proxy): State<Arc<Proxy>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let started = Instant::now();
    let is_write = matches!(
        method,
        Method::POST | Method::PUT | Method::PATCH | Method::DELETE
    );
    let (decision, retry_after_secs, unavailable_retry_after) = {
        let mut f = lock(&proxy.faults);
        let c = &f.config;
        let (secs, on_503) = (c.retry_after_secs, c.unavailable_retry_after);
        (f.decide(is_write), secs, on_503)
    };
    if decision.delay_ms > 0 {
        tokio::time::sleep(Duration::from_millis(decision.delay_ms)).await;
    }
    let (status, retry_after, response) = match &decision.answer {
        Some(Fault::Throttle { retry_after_secs }) => refuse(
            429,
            Some(*retry_after_secs),
            "Too many requests: rate exceeded",
        ),
        Some(Fault::Status(code)) => {
            let wait = (*code == 429 || (*code == 503 && unavailable_retry_after))
                .then_some(retry_after_secs);
            refuse(*code, wait, &format!("simulated failure {code}"))
        }
        Some(Fault::Html(code)) => gateway_page(*code),
        _ if proxy.hide_discovery.load(Ordering::Relaxed) && is_discovery(uri.path()) => {
            not_found_page()
        }
        _ => {
            let cut = decision.mangle == Some(Fault::TruncatedJson);
            if cut {
                proxy.cut_replies.fetch_add(1, Ordering::Relaxed);
            }
            pass(&proxy, &method, &uri, &headers, body.clone(), cut).await
        }
    };
    lock(&proxy.stats).record(RequestRecord {
        at: started,
        method: method.as_str().to_owned(),
        path: uri.path().to_owned(),
        query: uri.query().map(str::to_owned),
        pattern: uri.path().to_owned(),
        status,
        duration: started.elapsed(),
        retry_after_secs: retry_after,
        body_hash: body_hash(&body),
    });
    response
}

fn is_discovery(path: &str) -> bool {
    let mut segments = path.trim_end_matches('/').rsplit('/');
    let last = segments.next().unwrap_or("");
    let before = segments.next().unwrap_or("");
    ["ServiceProviderConfig", "Schemas", "ResourceTypes"]
        .iter()
        .any(|name| last == *name || before == *name)
}

/// The HTML error page a load balancer sends when its backend did not answer.
fn gateway_page(status: u16) -> (u16, Option<u64>, Response) {
    let page = format!(
        "<!DOCTYPE html>\n<html><head><title>{status} Bad Gateway</title></head>\
         <body><h1>{status} Bad Gateway</h1></body></html>\n"
    );
    let response = Response::builder()
        .status(StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_GATEWAY))
        .header(header::CONTENT_TYPE, "text/html; charset=utf-8")
        .body(Body::from(page))
        .unwrap_or_default();
    (status, None, response)
}

fn not_found_page() -> (u16, Option<u64>, Response) {
    let page = "<!DOCTYPE html>\n<html><head><title>404 Not Found</title></head>\
                <body><h1>404 Not Found</h1></body></html>\n";
    let response = Response::builder()
        .status(StatusCode::NOT_FOUND)
        .header(header::CONTENT_TYPE, "text/html; charset=utf-8")
        .body(Body::from(page))
        .unwrap_or_default();
    (404, None, response)
}

/// A SCIM error answer in place of the server's.
fn refuse(status: u16, retry_after: Option<u64>, detail: &str) -> (u16, Option<u64>, Response) {
    let body = json!({"schemas": [ERROR_URN], "status": status.to_string(), "detail": detail});
    let mut builder = Response::builder()
        .status(StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR))
        .header(header::CONTENT_TYPE, SCIM_JSON);
    if let Some(secs) = retry_after {
        builder = builder.header(header::RETRY_AFTER, secs.to_string());
    }
    let response = builder
        .body(Body::from(body.to_string()))
        .unwrap_or_default();
    (status, retry_after, response)
}

/// The request sent on to the server, and its answer sent back; with `cut`, only the first half
/// of the answer's body (the server has acted; the client cannot see it).
async fn pass(
    proxy: &Proxy,
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
    body: Bytes,
    cut: bool,
) -> (u16, Option<u64>, Response) {
    let path_and_query = uri.path_and_query().map_or("/", |p| p.as_str());
    let url = format!("{}{path_and_query}", proxy.upstream);
    let mut request = proxy.client.request(method.clone(), url).body(body);
    for name in [header::AUTHORIZATION, header::CONTENT_TYPE, header::ACCEPT] {
        if let Some(value) = headers.get(&name) {
            request = request.header(name, value);
        }
    }
    let answer = match request.send().await {
        Ok(answer) => answer,
        Err(e) => return refuse(502, None, &format!("upstream unreachable: {e}")),
    };
    let status = answer.status().as_u16();
    let mut builder = Response::builder().status(status);
    for name in [header::CONTENT_TYPE, header::LOCATION, header::ETAG] {
        if let Some(value) = answer.headers().get(&name) {
            builder = builder.header(name, value);
        }
    }
    let mut bytes = answer.bytes().await.unwrap_or_default();
    if cut && bytes.len() > 1 {
        bytes.truncate(bytes.len() / 2);
    }
    let response = builder.body(Body::from(bytes)).unwrap_or_default();
    (status, None, response)
}
