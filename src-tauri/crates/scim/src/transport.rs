//! One HTTP exchange with retries, size cap, cancellation and counters.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use reqwest::header::{HeaderMap, HeaderName, HeaderValue, CONTENT_TYPE, RETRY_AFTER};
use reqwest::{Method, StatusCode};
use serde::de::DeserializeOwned;
use tokio_util::sync::CancellationToken;

use crate::config::RetryPolicy;
use crate::error::{Error, HttpError, Result, TransportKind};
use crate::excerpt::{html_title, redact_with};
use crate::models::ScimErrorBody;
use crate::pacing::{Load, Pacer};
use crate::retry::{classify, delay_for, parse_retry_after, Kind, Observed, Verdict};
use crate::throttle::ThrottleGate;
use crate::Secret;

/// Request and retry counts since the client was built.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, ts_rs::TS)]
#[ts(export_to = "scim/")]
pub struct StatsSnapshot {
    /// HTTP attempts sent, retries included.
    pub requests: u64,
    pub retries: u64,
    /// Attempts refused for load (429, or 503 with `Retry-After`).
    pub throttled: u64,
}

#[derive(Debug, Default)]
pub(crate) struct Stats {
    requests: AtomicU64,
    retries: AtomicU64,
    throttled: AtomicU64,
}

impl Stats {
    pub(crate) fn snapshot(&self) -> StatsSnapshot {
        StatsSnapshot {
            requests: self.requests.load(Ordering::Relaxed),
            retries: self.retries.load(Ordering::Relaxed),
            throttled: self.throttled.load(Ordering::Relaxed),
        }
    }
}

/// A record of one logical request (after retries), for the history crate.
/// Excerpts are redacted; no headers are kept.
#[derive(Debug, Clone, PartialEq, serde::Serialize, ts_rs::TS)]
#[ts(export_to = "scim/")]
pub struct Exchange {
    pub method: String,
    pub path: String,
    /// None when no reply arrived (transport error, cancelled).
    pub status: Option<u16>,
    pub attempts: u32,
    pub elapsed_ms: u64,
    pub request_excerpt: Option<String>,
    pub response_excerpt: Option<String>,
}

/// Receives every [`Exchange`]; must be cheap and must not block.
pub type Observer = Arc<dyn Fn(&Exchange) + Send + Sync>;

pub(crate) struct Request {
    pub method: Method,
    /// Path relative to the base URL, e.g. `Users/123`.
    pub path: String,
    pub query: Vec<(&'static str, String)>,
    pub body: Option<Vec<u8>>,
}

impl Request {
    pub(crate) fn new(method: Method, path: impl Into<String>) -> Self {
        Self {
            method,
            path: path.into(),
            query: Vec::new(),
            body: None,
        }
    }

    fn kind(&self) -> Kind {
        match self.method {
            Method::GET | Method::HEAD => Kind::Read,
            Method::POST => Kind::Create,
            _ => Kind::Idempotent,
        }
    }
}

pub(crate) struct RawResponse {
    /// The target's custom auth header, if it has one: removed from excerpts.
    pub secret_header: Option<HeaderName>,
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
    pub attempts: u32,
    pub method: Method,
    pub path: String,
}

pub(crate) struct Transport {
    pub http: reqwest::Client,
    pub base: String,
    pub auth: Option<(HeaderName, HeaderValue)>,
    pub retry: RetryPolicy,
    pub max_body_bytes: usize,
    pub stats: Stats,
    /// Shared by every request of the client: a 429 holds them all.
    pub gate: ThrottleGate,
    /// Shared too: the requests in flight and the pace, adapted to the server's replies.
    pub pacer: Pacer,
    /// Credential strings to scrub from replies: a server may echo the
    /// Authorization header back in an error detail.
    pub scrub: Vec<Secret>,
}

enum Attempt {
    Reply(RawResponse),
    Failed {
        kind: TransportKind,
        message: String,
    },
}

impl Transport {
    /// Sends with retries. Returns any reply (error statuses included) once
    /// retries are spent or not allowed.
    pub(crate) async fn execute(
        &self,
        req: &Request,
        cancel: &CancellationToken,
        observer: Option<&Observer>,
    ) -> Result<RawResponse> {
        let started = Instant::now();
        let mut attempts = 0u32;
        let mut transient = 0u32;
        let mut throttled = 0u32;
        let result = loop {
            if cancel.is_cancelled() || !self.gate.wait(cancel).await {
                break Err(Error::Cancelled);
            }
            let Some(slot) = self.pacer.slot(cancel).await else {
                break Err(Error::Cancelled);
            };
            // A refusal may have paused everything while this one waited for its turn.
            if !self.gate.wait(cancel).await {
                break Err(Error::Cancelled);
            }
            attempts += 1;
            self.stats.requests.fetch_add(1, Ordering::Relaxed);
            let attempt = tokio::select! {
                biased;
                _ = cancel.cancelled() => break Err(Error::Cancelled),
                a = self.attempt(req) => a,
            };
            let attempt = match attempt {
                Ok(a) => a,
                Err(e) => break Err(e),
            };
            let retry_after = match &attempt {
                Attempt::Reply(r) => r
                    .headers
                    .get(RETRY_AFTER)
                    .and_then(|v| parse_retry_after(v, SystemTime::now())),
                Attempt::Failed { .. } => None,
            };
            let verdict = classify(req.kind(), attempt.observed(retry_after.is_some()));
            slot.done(if verdict == Verdict::Throttled {
                self.stats.throttled.fetch_add(1, Ordering::Relaxed);
                Load::Refused
            } else {
                Load::Answered
            });
            let retry_number = match verdict {
                Verdict::Throttled if throttled + 1 < self.retry.max_throttled_attempts => {
                    throttled += 1;
                    Some(throttled - 1)
                }
                Verdict::Transient if transient + 1 < self.retry.max_attempts => {
                    transient += 1;
                    Some(transient - 1)
                }
                _ => None,
            };
            let too_long = retry_after.is_some_and(|ra| ra > self.retry.max_retry_after);
            let Some(retry_number) = retry_number.filter(|_| !too_long) else {
                break match attempt {
                    Attempt::Reply(mut r) => {
                        r.attempts = attempts;
                        Ok(r)
                    }
                    Attempt::Failed { kind, message } => Err(Error::Transport {
                        method: req.method.to_string(),
                        path: req.path.clone(),
                        kind,
                        attempts,
                        message,
                    }),
                };
            };
            let delay = delay_for(&self.retry, retry_number, retry_after);
            if let Some(ra) = retry_after {
                // The server named a time: every request to it waits, not only this one.
                self.gate.pause(ra);
            } else if verdict == Verdict::Throttled {
                self.gate.pause(delay);
            }
            tracing::debug!(method = %req.method, path = %req.path, attempt = attempts, ?delay, "retrying SCIM request");
            self.stats.retries.fetch_add(1, Ordering::Relaxed);
            tokio::select! {
                biased;
                _ = cancel.cancelled() => break Err(Error::Cancelled),
                _ = tokio::time::sleep(delay) => {}
            }
        };
        if let Some(observe) = observer {
            observe(&Exchange {
                method: req.method.to_string(),
                path: req.path.clone(),
                status: result.as_ref().ok().map(|r| r.status.as_u16()),
                attempts,
                elapsed_ms: started.elapsed().as_millis() as u64,
                request_excerpt: req
                    .body
                    .as_deref()
                    .map(|b| redact_with(b, self.secret_header())),
                response_excerpt: result
                    .as_ref()
                    .ok()
                    .filter(|r| !r.body.is_empty())
                    .map(|r| redact_with(&r.body, self.secret_header())),
            });
        }
        result
    }

    async fn attempt(&self, req: &Request) -> Result<Attempt> {
        let url = format!("{}/{}", self.base, req.path);
        let mut builder = self.http.request(req.method.clone(), url).header(
            reqwest::header::ACCEPT,
            "application/scim+json, application/json;q=0.9",
        );
        if !req.query.is_empty() {
            builder = builder.query(&req.query);
        }
        if let Some((name, value)) = &self.auth {
            builder = builder.header(name.clone(), value.clone());
        }
        if let Some(body) = &req.body {
            builder = builder
                .header(CONTENT_TYPE, "application/scim+json")
                .body(body.clone());
        }
        let mut resp = match builder.send().await {
            Ok(r) => r,
            Err(e) => return Ok(failed(&e)),
        };
        let status = resp.status();
        if status.is_redirection() {
            return Err(Error::Redirected {
                method: req.method.to_string(),
                path: req.path.clone(),
                status: status.as_u16(),
                location: http_safety::location_host(resp.url(), resp.headers()),
            });
        }
        if resp
            .content_length()
            .is_some_and(|n| n > self.max_body_bytes as u64)
        {
            return Err(self.too_large(req));
        }
        let mut body = Vec::new();
        loop {
            match resp.chunk().await {
                Ok(Some(chunk)) => {
                    if body.len() + chunk.len() > self.max_body_bytes {
                        return Err(self.too_large(req));
                    }
                    body.extend_from_slice(&chunk);
                }
                Ok(None) => break,
                Err(e) => return Ok(failed(&e)),
            }
        }
        scrub_secrets(&mut body, &self.scrub);
        tracing::debug!(method = %req.method, path = %req.path, status = status.as_u16(), bytes = body.len(), "SCIM reply");
        Ok(Attempt::Reply(RawResponse {
            secret_header: self.secret_header().cloned(),
            status,
            headers: resp.headers().clone(),
            body,
            attempts: 1,
            method: req.method.clone(),
            path: req.path.clone(),
        }))
    }

    /// The auth header's name when it is not `Authorization` (a Generic target's custom one).
    fn secret_header(&self) -> Option<&HeaderName> {
        self.auth
            .as_ref()
            .map(|(name, _)| name)
            .filter(|name| *name != reqwest::header::AUTHORIZATION)
    }

    fn too_large(&self, req: &Request) -> Error {
        Error::BodyTooLarge {
            method: req.method.to_string(),
            path: req.path.clone(),
            limit: self.max_body_bytes,
        }
    }
}

/// Replaces every occurrence of a credential in `body` with `[REDACTED]`.
fn scrub_secrets(body: &mut Vec<u8>, secrets: &[Secret]) {
    let secrets: Vec<&str> = secrets
        .iter()
        .map(Secret::expose)
        .filter(|s| s.len() >= 4)
        .collect();
    if secrets.is_empty() || body.is_empty() {
        return;
    }
    let text = String::from_utf8_lossy(body);
    if !secrets.iter().any(|s| text.contains(s)) {
        return;
    }
    let mut cleaned = text.into_owned();
    for s in secrets {
        cleaned = cleaned.replace(s, "[REDACTED]");
    }
    *body = cleaned.into_bytes();
}

fn failed(e: &reqwest::Error) -> Attempt {
    let kind = if e.is_connect() {
        TransportKind::Connect
    } else if e.is_timeout() {
        TransportKind::Timeout
    } else {
        TransportKind::Other
    };
    // Walk the source chain for the useful part ("connection refused") but
    // drop the URL: it may carry a filter with personal data.
    let mut message = String::new();
    let mut source: Option<&dyn std::error::Error> = Some(e);
    while let Some(err) = source {
        let text = match err.downcast_ref::<reqwest::Error>() {
            Some(re) if re.url().is_some() => {
                let mut plain = String::new();
                if re.is_timeout() {
                    plain.push_str("operation timed out");
                } else if re.is_connect() {
                    plain.push_str("connection failed");
                } else if re.is_body() || re.is_decode() {
                    plain.push_str("error reading the body");
                } else {
                    plain.push_str("request failed");
                }
                plain
            }
            _ => err.to_string(),
        };
        if !message.is_empty() {
            message.push_str(": ");
        }
        message.push_str(&text);
        source = err.source();
    }
    Attempt::Failed { kind, message }
}

impl Attempt {
    fn observed(&self, has_retry_after: bool) -> Observed {
        match self {
            Attempt::Failed { kind, .. } => Observed::Failed(*kind),
            Attempt::Reply(r) => Observed::Reply {
                status: r.status,
                has_retry_after,
                broken_json: r.status.is_success() && r.has_broken_json(),
            },
        }
    }
}

fn content_type(r: &RawResponse) -> String {
    r.headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase()
}

/// The first non-blank byte opens a JSON object or array.
fn starts_like_json(body: &[u8]) -> bool {
    body.iter()
        .find(|b| !b.is_ascii_whitespace())
        .is_some_and(|b| *b == b'{' || *b == b'[')
}

fn looks_like_html(ct: &str, body: &[u8]) -> bool {
    if ct.contains("html") {
        return true;
    }
    let start = String::from_utf8_lossy(&body[..body.len().min(64)])
        .trim_start()
        .to_ascii_lowercase();
    start.starts_with("<!doctype html") || start.starts_with("<html")
}

impl RawResponse {
    /// A JSON body that does not parse: cut off in transit, or broken by the server. An empty
    /// body and an HTML page are not "broken JSON" (the first is a 204, the second a wrong
    /// address or a login wall).
    pub(crate) fn has_broken_json(&self) -> bool {
        if self.body.iter().all(u8::is_ascii_whitespace) {
            return false;
        }
        if !starts_like_json(&self.body) && !content_type(self).contains("json") {
            return false;
        }
        serde_json::from_slice::<serde::de::IgnoredAny>(&self.body).is_err()
    }

    /// Decodes a success reply into `T`, or turns an error reply into `Error`.
    pub(crate) fn json<T: DeserializeOwned>(self) -> Result<T> {
        if !self.status.is_success() {
            return Err(self.into_error());
        }
        let ct = content_type(&self);
        if looks_like_html(&ct, &self.body) {
            return Err(Error::NotJson {
                method: self.method.to_string(),
                path: self.path.clone(),
                status: self.status.as_u16(),
                content_type: ct,
                title: html_title(&self.body),
                body_excerpt: redact_with(&self.body, self.secret_header.as_ref()),
            });
        }
        match serde_json::from_slice::<T>(&self.body) {
            Ok(v) => Ok(v),
            Err(e) => {
                let json_ct = ct.is_empty() || ct.contains("json");
                if !json_ct && !starts_like_json(&self.body) {
                    return Err(Error::NotJson {
                        method: self.method.to_string(),
                        path: self.path.clone(),
                        status: self.status.as_u16(),
                        content_type: ct,
                        title: None,
                        body_excerpt: redact_with(&self.body, self.secret_header.as_ref()),
                    });
                }
                let message = if e.is_eof() {
                    format!(
                        "the body ends early (truncated after {} bytes)",
                        self.body.len()
                    )
                } else {
                    e.to_string()
                };
                Err(Error::MalformedJson {
                    method: self.method.to_string(),
                    path: self.path.clone(),
                    status: self.status.as_u16(),
                    message,
                    body_excerpt: redact_with(&self.body, self.secret_header.as_ref()),
                })
            }
        }
    }

    /// Like [`Self::json`] but a success without body (204) gives `None`.
    pub(crate) fn json_opt<T: DeserializeOwned>(self) -> Result<Option<T>> {
        if self.status.is_success() && self.body.iter().all(u8::is_ascii_whitespace) {
            return Ok(None);
        }
        self.json().map(Some)
    }

    /// Success with any (or no) body.
    pub(crate) fn ok(self) -> Result<()> {
        if self.status.is_success() {
            Ok(())
        } else {
            Err(self.into_error())
        }
    }

    pub(crate) fn into_error(self) -> Error {
        let ct = content_type(&self);
        let parsed = serde_json::from_slice::<ScimErrorBody>(&self.body).ok();
        let mut err = HttpError::from_body(self.status.as_u16(), parsed.as_ref());
        if parsed.is_none() && !self.body.is_empty() {
            err.detail = Some(if looks_like_html(&ct, &self.body) {
                match html_title(&self.body) {
                    Some(t) => format!("non-JSON reply: HTML page titled \"{t}\""),
                    None => "non-JSON reply: an HTML page".to_owned(),
                }
            } else {
                format!(
                    "non-JSON reply ({})",
                    if ct.is_empty() {
                        "no content type"
                    } else {
                        &ct
                    }
                )
            });
        }
        if err.vendor_error.is_none() {
            // AWS also names the exception in a header.
            err.vendor_error = self
                .headers
                .get("x-amzn-errortype")
                .and_then(|v| v.to_str().ok())
                .map(crate::models::normalise_vendor_name)
                .filter(|s| !s.is_empty());
        }
        err.method = self.method.to_string();
        err.path = self.path.clone();
        err.retry_after = self
            .headers
            .get(RETRY_AFTER)
            .and_then(|v| parse_retry_after(v, SystemTime::now()));
        err.body_excerpt = redact_with(&self.body, self.secret_header.as_ref());
        err.attempts = self.attempts;
        Error::Http(Box::new(err))
    }
}

/// Decodes a reply exactly as the client does after a request: a success
/// status gives `T` (or [`Error::NotJson`] / [`Error::MalformedJson`]), any
/// other status gives [`Error::Http`] with the SCIM error body read leniently.
/// `headers` are (name, value) pairs as received; pairs that are not valid
/// HTTP headers are skipped, and a status outside 100..=999 is read as 502.
/// Public for fuzzing and tests; the client itself goes through the same code.
#[doc(hidden)]
pub fn decode_reply<T: DeserializeOwned>(
    status: u16,
    headers: &[(&str, &str)],
    body: &[u8],
) -> Result<T> {
    raw_reply(status, headers, body).json()
}

/// Like [`decode_reply`] for replies that may have no body (204 after a PUT).
#[doc(hidden)]
pub fn decode_reply_opt<T: DeserializeOwned>(
    status: u16,
    headers: &[(&str, &str)],
    body: &[u8],
) -> Result<Option<T>> {
    raw_reply(status, headers, body).json_opt()
}

fn raw_reply(status: u16, headers: &[(&str, &str)], body: &[u8]) -> RawResponse {
    let mut map = HeaderMap::new();
    for (name, value) in headers {
        if let (Ok(n), Ok(v)) = (
            HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_str(value),
        ) {
            map.append(n, v);
        }
    }
    RawResponse {
        secret_header: None,
        status: StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_GATEWAY),
        headers: map,
        body: body.to_vec(),
        attempts: 1,
        method: Method::GET,
        path: "Users".to_owned(),
    }
}

/// Used by tests to build a policy with tiny delays.
#[doc(hidden)]
pub fn fast_retry_policy(max_attempts: u32) -> RetryPolicy {
    RetryPolicy {
        max_attempts,
        max_throttled_attempts: max_attempts,
        base_delay: Duration::from_millis(5),
        max_delay: Duration::from_millis(20),
        max_retry_after: Duration::from_secs(30),
    }
}
