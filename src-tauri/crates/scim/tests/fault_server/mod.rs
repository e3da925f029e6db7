//! A scripted fault server (axum) that records what the client sent and answers as told: the
//! quirks no real test server has.
#![allow(dead_code)] // each test binary uses a different subset

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, Method, Request, Response};
use scim::{Auth, Client, ClientConfig, Secret};
use serde_json::Value;
use tokio::time::Instant;

pub const TOKEN: &str = "fault-token-7c2d";

#[derive(Debug, Clone)]
pub struct Seen {
    pub method: Method,
    pub path: String,
    pub query: Vec<(String, String)>,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
    pub at: Instant,
}

impl Seen {
    pub fn param(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).expect("request body is JSON")
    }
}

/// What the script answers: an optional delay, then the response.
pub struct Reply {
    pub delay: Duration,
    pub response: Response<Body>,
}

pub fn reply(status: u16, content_type: &str, body: impl Into<Body>) -> Reply {
    Reply {
        delay: Duration::ZERO,
        response: Response::builder()
            .status(status)
            .header("content-type", content_type)
            .body(body.into())
            .unwrap(),
    }
}

pub fn scim(status: u16, v: Value) -> Reply {
    reply(status, "application/scim+json", v.to_string())
}

pub fn with_header(mut r: Reply, name: &'static str, value: &str) -> Reply {
    r.response
        .headers_mut()
        .insert(name, value.parse().unwrap());
    r
}

pub fn delayed(mut r: Reply, delay: Duration) -> Reply {
    r.delay = delay;
    r
}

type Script = dyn Fn(&Seen, usize) -> Reply + Send + Sync;

pub struct Fault {
    pub base_url: String,
    seen: Arc<Mutex<Vec<Seen>>>,
    pub in_flight_max: Arc<AtomicUsize>,
}

impl Fault {
    /// Serves `script` on a free loopback port; the n-th request (0-based) gets `script(seen, n)`.
    pub async fn start(script: impl Fn(&Seen, usize) -> Reply + Send + Sync + 'static) -> Self {
        let script: Arc<Script> = Arc::new(script);
        let seen = Arc::new(Mutex::new(Vec::<Seen>::new()));
        let in_flight = Arc::new(AtomicUsize::new(0));
        let in_flight_max = Arc::new(AtomicUsize::new(0));
        let (seen2, flight2, max2) = (seen.clone(), in_flight.clone(), in_flight_max.clone());
        let app = axum::Router::new().fallback(move |req: Request<Body>| {
            let (script, seen, flight, max) =
                (script.clone(), seen2.clone(), flight2.clone(), max2.clone());
            async move {
                let now = flight.fetch_add(1, Ordering::SeqCst) + 1;
                max.fetch_max(now, Ordering::SeqCst);
                let (parts, body) = req.into_parts();
                let body: Bytes = axum::body::to_bytes(body, usize::MAX).await.unwrap();
                let query = url::form_urlencoded::parse(parts.uri.query().unwrap_or("").as_bytes())
                    .map(|(k, v)| (k.into_owned(), v.into_owned()))
                    .collect();
                let record = Seen {
                    method: parts.method,
                    path: parts.uri.path().to_owned(),
                    query,
                    headers: parts.headers,
                    body: body.to_vec(),
                    at: Instant::now(),
                };
                let n = {
                    let mut s = seen.lock().unwrap();
                    s.push(record.clone());
                    s.len() - 1
                };
                let r = script(&record, n);
                tokio::time::sleep(r.delay).await;
                flight.fetch_sub(1, Ordering::SeqCst);
                r.response
            }
        });
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        Self {
            base_url: format!("http://127.0.0.1:{port}/scim/v2/"),
            seen,
            in_flight_max,
        }
    }

    pub fn config(&self) -> ClientConfig {
        let mut cfg = ClientConfig::new(self.base_url.clone(), Auth::Bearer(Secret::new(TOKEN)));
        cfg.retry = scim::fast_retry_policy(3);
        cfg
    }

    pub fn client(&self) -> Client {
        Client::new(self.config()).unwrap()
    }

    pub fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }
}
