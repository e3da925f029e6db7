//! HTTP plumbing: one axum fallback handler that strips the dialect's base path, applies
//! faults, checks credentials, dispatches to [`super::handlers`], renders the answer and
//! records it. Routing by hand keeps per-dialect base paths and route patterns in one place.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::response::Response;
use base64::Engine as _;
use serde_json::{json, Value};

use super::config::{Credential, Dialect, DiscoveryEndpoints};
use super::error::{aws_exception, ApiError, ScimType, ERROR_URN};
use super::faults::{Fault, FaultState};
use super::handlers;
use super::stats::{body_hash, RequestRecord, Stats};
use super::store::{Kind, Store};

pub const SCIM_JSON: &str = "application/scim+json";

pub(crate) struct Shared {
    pub dialect: Dialect,
    pub base_path: String,
    pub base_url: String,
    pub credential: Credential,
    pub max_results: usize,
    pub store: Mutex<Store>,
    pub stats: Mutex<Stats>,
    pub faults: Mutex<FaultState>,
    pub discovery: DiscoveryEndpoints,
}

/// Lock a mutex, recovering the data if a panicking holder poisoned it (the store stays
/// usable for assertions after a failed test thread).
pub(crate) fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Route {
    List(Kind),
    One(Kind, String),
    ServiceProviderConfig,
    Schemas,
    Schema(String),
    ResourceTypes,
    ResourceType(String),
    Bulk,
    Me,
    /// `/.search` (root, `None`) or `/Users/.search`.
    Search(Option<Kind>),
    Unknown,
}

impl Route {
    fn parse(rel: &str) -> Route {
        let parts: Vec<&str> = rel.trim_matches('/').split('/').collect();
        let kind = |s: &str| match s {
            "Users" => Some(Kind::User),
            "Groups" => Some(Kind::Group),
            _ => None,
        };
        match parts.as_slice() {
            [".search"] => Route::Search(None),
            [k, ".search"] if kind(k).is_some() => Route::Search(kind(k)),
            [k] if kind(k).is_some() => Route::List(kind(k).expect("checked")),
            [k, id] if kind(k).is_some() && !id.is_empty() => {
                Route::One(kind(k).expect("checked"), (*id).to_string())
            }
            ["ServiceProviderConfig"] => Route::ServiceProviderConfig,
            ["Schemas"] => Route::Schemas,
            ["Schemas", id] => Route::Schema((*id).to_string()),
            ["ResourceTypes"] => Route::ResourceTypes,
            ["ResourceTypes", id] => Route::ResourceType((*id).to_string()),
            ["Bulk"] => Route::Bulk,
            ["Me"] => Route::Me,
            _ => Route::Unknown,
        }
    }

    fn is_discovery(&self) -> bool {
        matches!(
            self,
            Route::ServiceProviderConfig
                | Route::Schemas
                | Route::Schema(_)
                | Route::ResourceTypes
                | Route::ResourceType(_)
        )
    }

    /// Pattern for counters: ids replaced by `{id}`.
    pub fn pattern(&self) -> String {
        match self {
            Route::List(k) => format!("/{}", k.endpoint()),
            Route::One(k, _) => format!("/{}/{{id}}", k.endpoint()),
            Route::ServiceProviderConfig => "/ServiceProviderConfig".into(),
            Route::Schemas => "/Schemas".into(),
            Route::Schema(_) => "/Schemas/{id}".into(),
            Route::ResourceTypes => "/ResourceTypes".into(),
            Route::ResourceType(_) => "/ResourceTypes/{id}".into(),
            Route::Bulk => "/Bulk".into(),
            Route::Me => "/Me".into(),
            Route::Search(None) => "/.search".into(),
            Route::Search(Some(k)) => format!("/{}/.search", k.endpoint()),
            Route::Unknown => "(unknown)".into(),
        }
    }
}

/// A parsed request handed to the handlers.
pub(crate) struct Req {
    pub method: Method,
    pub route: Route,
    pub params: Vec<(String, String)>,
    pub headers: HeaderMap,
    pub body: Option<Value>,
}

impl Req {
    /// Query parameter, name compared case-insensitively.
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

pub(crate) enum ReplyBody {
    Json(Value),
    Html(String),
    Empty,
}

pub(crate) struct Reply {
    pub status: u16,
    pub body: ReplyBody,
    pub headers: Vec<(header::HeaderName, String)>,
}

impl Reply {
    pub fn json(status: u16, body: Value) -> Self {
        Reply {
            status,
            body: ReplyBody::Json(body),
            headers: Vec::new(),
        }
    }
    pub fn empty(status: u16) -> Self {
        Reply {
            status,
            body: ReplyBody::Empty,
            headers: Vec::new(),
        }
    }
    pub fn with_header(mut self, name: header::HeaderName, value: impl Into<String>) -> Self {
        self.headers.push((name, value.into()));
        self
    }
    fn retry_after(&self) -> Option<u64> {
        self.headers
            .iter()
            .find(|(n, _)| n == header::RETRY_AFTER)
            .and_then(|(_, v)| v.parse().ok())
    }
}

/// SCIM Error body. The AWS dialect answers in AWS's own shape ([`super::aws_wire`]) and
/// names the exception in the `x-amzn-ErrorType` header.
pub(crate) fn error_reply(dialect: Dialect, e: &ApiError) -> Reply {
    if dialect == Dialect::Aws {
        let name = aws_exception(e.status);
        return Reply::json(e.status, super::aws_wire::error_body(e))
            .with_header(header::HeaderName::from_static("x-amzn-errortype"), name);
    }
    let mut body = json!({
        "schemas": [ERROR_URN],
        "status": e.status.to_string(),
        "detail": e.detail,
    });
    if let Some(t) = e.scim_type {
        body["scimType"] = Value::String(t.as_str().into());
    }
    Reply::json(e.status, body)
}

fn html_page(status: u16) -> String {
    let reason = StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason())
        .unwrap_or("Error");
    format!(
        "<!DOCTYPE html>\n<html><head><title>{status} {reason}</title></head>\
         <body><h1>{status} {reason}</h1><p>The gateway could not complete your request.</p>\
         <hr><address>simulated-proxy</address></body></html>\n"
    )
}

fn fault_reply(
    shared: &Shared,
    fault: &Fault,
    retry_after_secs: u64,
    unavailable_retry: bool,
) -> Reply {
    match fault {
        Fault::Throttle { retry_after_secs } => error_reply(
            shared.dialect,
            &ApiError::new(429, None, "Too many requests: rate exceeded"),
        )
        .with_header(header::RETRY_AFTER, retry_after_secs.to_string()),
        Fault::Status(code) => {
            let mut r = error_reply(
                shared.dialect,
                &ApiError::new(*code, None, format!("simulated failure {code}")),
            );
            if *code == 429 || (*code == 503 && unavailable_retry) {
                r = r.with_header(header::RETRY_AFTER, retry_after_secs.to_string());
            }
            r
        }
        Fault::Html(code) => Reply {
            status: *code,
            body: ReplyBody::Html(html_page(*code)),
            headers: Vec::new(),
        },
        // Delay and mangles never short-circuit.
        Fault::Delay(_) | Fault::TruncatedJson | Fault::WrongContentType => Reply::empty(500),
    }
}

/// `Authorization` against the expected credential; Unity also takes Basic.
fn authorized(shared: &Shared, headers: &HeaderMap) -> bool {
    let Some(value) = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
    else {
        return false;
    };
    let (scheme, rest) = value.split_once(' ').unwrap_or((value, ""));
    let rest = rest.trim();
    if scheme.eq_ignore_ascii_case("bearer") {
        return constant_time_eq(
            rest.as_bytes(),
            shared.credential.bearer.expose().as_bytes(),
        );
    }
    if scheme.eq_ignore_ascii_case("basic") && shared.dialect == Dialect::Unity {
        if let Some(basic) = &shared.credential.basic {
            let expected = format!("{}:{}", basic.key_id, basic.secret.expose());
            return base64::engine::general_purpose::STANDARD
                .decode(rest)
                .is_ok_and(|raw| constant_time_eq(&raw, expected.as_bytes()));
        }
    }
    false
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok();
                match hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                    Some(b) => {
                        out.push(b);
                        i += 2;
                    }
                    None => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

pub(crate) fn parse_query(q: Option<&str>) -> Vec<(String, String)> {
    q.unwrap_or("")
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (percent_decode(k), percent_decode(v))
        })
        .collect()
}

/// The single axum handler.
pub(crate) async fn serve(
    State(shared): State<Arc<Shared>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if let Some(refused) = crate::host::refuse_foreign_host(&headers) {
        return refused;
    }
    let started = Instant::now();
    let path = uri.path().to_string();
    let rel = path
        .strip_prefix(&shared.base_path)
        .filter(|r| r.is_empty() || r.starts_with('/'));
    let route = rel.map(Route::parse).unwrap_or(Route::Unknown);
    let is_write = matches!(
        method,
        Method::POST | Method::PUT | Method::PATCH | Method::DELETE
    );

    let decision = lock(&shared.faults).decide(is_write);
    let (retry_secs, unavailable_retry) = {
        let f = lock(&shared.faults);
        (f.config.retry_after_secs, f.config.unavailable_retry_after)
    };
    if decision.delay_ms > 0 {
        tokio::time::sleep(Duration::from_millis(decision.delay_ms)).await;
    }

    let mut reply = if let Some(fault) = &decision.answer {
        fault_reply(&shared, fault, retry_secs, unavailable_retry)
    } else if let Some(reply) = missing_discovery(&shared, &route) {
        reply
    } else if rel.is_none()
        && !(shared.dialect == Dialect::Aws && looks_like_aws_tenant_path(&path))
    {
        error_reply(
            shared.dialect,
            &ApiError::not_found(format!("no endpoint at {path}")),
        )
    } else if !authorized(&shared, &headers) || rel.is_none() {
        // AWS answers a wrong tenant id like a bad token (401 UnauthorizedException).
        let mut r = error_reply(
            shared.dialect,
            &ApiError::new(401, None, "invalid or missing credentials"),
        );
        if shared.dialect != Dialect::Aws {
            let scheme = if shared.dialect == Dialect::Unity {
                "Basic, Bearer"
            } else {
                "Bearer"
            };
            r = r.with_header(header::WWW_AUTHENTICATE, scheme);
        }
        r
    } else {
        let parsed_body = if body.is_empty() {
            Ok(None)
        } else {
            serde_json::from_slice::<Value>(&body)
                .map(Some)
                .map_err(|e| {
                    ApiError::bad(
                        ScimType::InvalidSyntax,
                        format!("request body is not JSON: {e}"),
                    )
                })
        };
        match parsed_body {
            Err(e) => error_reply(shared.dialect, &e),
            Ok(body) => {
                let req = Req {
                    method: method.clone(),
                    route: route.clone(),
                    params: parse_query(uri.query()),
                    headers,
                    body,
                };
                handlers::handle(&shared, &req).unwrap_or_else(|e| error_reply(shared.dialect, &e))
            }
        }
    };

    let retry_after_secs = reply.retry_after();
    let status = reply.status;
    let body_hash = body_hash(&body);
    // Never log headers or bodies: they carry the credential and directory data.
    tracing::debug!(
        method = %method,
        path = %uri.path(),
        status,
        elapsed_ms = started.elapsed().as_millis() as u64,
        "sim-target request"
    );
    let response = render(&mut reply, decision.mangle.as_ref());
    let rel_path = rel.map(str::to_string).unwrap_or(path);
    lock(&shared.stats).record(RequestRecord {
        at: started,
        method: method.as_str().to_string(),
        path: if rel_path.is_empty() {
            "/".into()
        } else {
            rel_path
        },
        query: uri.query().map(str::to_string),
        pattern: route.pattern(),
        status,
        duration: started.elapsed(),
        retry_after_secs,
        body_hash,
    });
    response
}

/// The answer of a server without discovery endpoints, before authentication like an
/// unrouted path.
fn missing_discovery(shared: &Shared, route: &Route) -> Option<Reply> {
    if !route.is_discovery() {
        return None;
    }
    match shared.discovery {
        DiscoveryEndpoints::Served => None,
        DiscoveryEndpoints::NotFound => Some(error_reply(
            shared.dialect,
            &ApiError::not_found("no such endpoint"),
        )),
        DiscoveryEndpoints::HtmlNotFound => Some(Reply {
            status: 404,
            body: ReplyBody::Html(html_page(404)),
            headers: Vec::new(),
        }),
        DiscoveryEndpoints::NotImplemented => Some(error_reply(
            shared.dialect,
            &ApiError::new(501, None, "operation not implemented"),
        )),
    }
}

fn looks_like_aws_tenant_path(path: &str) -> bool {
    let mut parts = path.trim_start_matches('/').splitn(3, '/');
    let _tenant = parts.next();
    parts.next() == Some("scim")
        && parts
            .next()
            .is_some_and(|r| r == "v2" || r.starts_with("v2/"))
}

fn render(reply: &mut Reply, mangle: Option<&Fault>) -> Response {
    let status = StatusCode::from_u16(reply.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let (bytes, content_type): (Vec<u8>, Option<&str>) = match &reply.body {
        ReplyBody::Json(v) => (serde_json::to_vec(v).unwrap_or_default(), Some(SCIM_JSON)),
        ReplyBody::Html(h) => (h.clone().into_bytes(), Some("text/html; charset=utf-8")),
        ReplyBody::Empty => (Vec::new(), None),
    };
    let (bytes, content_type) = match (mangle, content_type) {
        (Some(Fault::TruncatedJson), Some(SCIM_JSON)) => {
            let cut = (bytes.len() / 2).max(1).min(bytes.len());
            (bytes[..cut].to_vec(), content_type)
        }
        (Some(Fault::WrongContentType), Some(SCIM_JSON)) => {
            (bytes, Some("text/plain; charset=utf-8"))
        }
        _ => (bytes, content_type),
    };
    let mut builder = Response::builder().status(status);
    if let Some(ct) = content_type {
        builder = builder.header(header::CONTENT_TYPE, ct);
    }
    for (name, value) in &reply.headers {
        if let Ok(v) = HeaderValue::from_str(value) {
            builder = builder.header(name, v);
        }
    }
    builder
        .body(Body::from(bytes))
        .unwrap_or_else(|_| Response::new(Body::empty()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_routes_and_patterns() {
        assert_eq!(Route::parse("/Users"), Route::List(Kind::User));
        assert_eq!(
            Route::parse("/Groups/g1"),
            Route::One(Kind::Group, "g1".into())
        );
        assert_eq!(Route::parse("/Groups/g1").pattern(), "/Groups/{id}");
        assert_eq!(Route::parse("/Bulk"), Route::Bulk);
        assert_eq!(
            Route::parse("/Users/.search"),
            Route::Search(Some(Kind::User))
        );
        assert_eq!(Route::parse("/Users/.search").pattern(), "/Users/.search");
        assert_eq!(Route::parse("/Nope/x/y"), Route::Unknown);
    }

    #[test]
    fn decodes_query_strings() {
        let q = parse_query(Some(
            "filter=userName%20eq%20%22a%2Bb%22&count=5&cursor=ab+c%3D",
        ));
        assert_eq!(q[0], ("filter".into(), "userName eq \"a+b\"".into()));
        assert_eq!(q[1], ("count".into(), "5".into()));
        assert_eq!(q[2], ("cursor".into(), "ab c=".into()));
        assert_eq!(percent_decode("100%"), "100%");
    }
}
