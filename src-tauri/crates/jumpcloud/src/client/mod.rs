//! HTTP client for JumpCloud's v1 and v2 APIs: auth headers, retries, cancellation, request counting.
//! Reads are in [`reads`], paging in [`paging`].

mod endpoint;
mod paging;
mod reads;
mod reply;
mod retry;

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::HeaderMap;
use tokio_util::sync::CancellationToken;
use url::Url;

pub use endpoint::{parse_base_url, Region};
pub use paging::decode_body;
pub use reads::Bound;
pub use reply::error_text;
pub use retry::{parse_retry_after, RetryPolicy};

use crate::error::{Error, Hint, Result};
use crate::secret::ApiKey;

/// JumpCloud's documented maximum `limit`.
pub const MAX_PAGE_SIZE: u32 = 100;

#[derive(Debug, Clone)]
pub struct ClientConfig {
    pub base_url: Url,
    pub api_key: ApiKey,
    /// Required for multi-tenant administrators; sent as `x-org-id`.
    pub org_id: Option<String>,
    pub timeout: Duration,
    pub connect_timeout: Duration,
    pub retry: RetryPolicy,
    /// Records per page, 1..=100.
    pub page_size: u32,
    /// Replies larger than this (after decompression) fail with [`Error::BodyTooLarge`].
    pub max_body_bytes: usize,
    /// Stands in for the system resolver (tests): shows that `localhost` is pinned to loopback.
    #[doc(hidden)]
    pub system_resolver: Option<SystemResolver>,
}

/// Largest reply accepted: a page of 100 users is a few hundred KiB, so this only stops a
/// runaway or hostile (gzip bomb) reply from filling memory.
pub const MAX_BODY_BYTES: usize = 32 * 1024 * 1024;

pub use http_safety::SystemResolver;

impl ClientConfig {
    pub fn new(region: Region, api_key: impl Into<ApiKey>) -> Self {
        ClientConfig {
            base_url: Url::parse(region.base_url()).expect("region URLs are valid"),
            api_key: api_key.into(),
            org_id: None,
            timeout: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(10),
            retry: RetryPolicy::default(),
            page_size: MAX_PAGE_SIZE,
            max_body_bytes: MAX_BODY_BYTES,
            system_resolver: None,
        }
    }

    /// An explicit base URL such as the simulator's `http://127.0.0.1:PORT` (see [`parse_base_url`]).
    pub fn with_base_url(api_key: impl Into<ApiKey>, base_url: &str) -> Result<Self> {
        let mut c = ClientConfig::new(Region::Us, api_key);
        c.base_url = parse_base_url(base_url)?;
        Ok(c)
    }

    pub fn org_id(mut self, org_id: impl Into<String>) -> Self {
        let id = org_id.into();
        self.org_id = (!id.trim().is_empty()).then_some(id);
        self
    }

    pub fn retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    pub fn page_size(mut self, n: u32) -> Self {
        self.page_size = n.clamp(1, MAX_PAGE_SIZE);
        self
    }

    pub fn timeout(mut self, t: Duration) -> Self {
        self.timeout = t;
        self
    }
}

struct Inner {
    http: reqwest::Client,
    base: Url,
    api_key: ApiKey,
    org_id: Option<String>,
    retry: RetryPolicy,
    page_size: u32,
    max_body_bytes: usize,
    requests: AtomicU64,
}

/// Cheap to clone; clones share the connection pool and the request counter.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
    cancel: CancellationToken,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("base", &self.inner.base.as_str())
            .field("org_id", &self.inner.org_id)
            .field("api_key", &self.inner.api_key)
            .finish()
    }
}

/// A successful response: headers (for `x-total-count`) and the raw body.
pub(crate) struct Fetched {
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl Client {
    pub fn new(config: ClientConfig) -> Result<Client> {
        if config.api_key.is_empty() {
            return Err(Error::MissingApiKey);
        }
        let mut http = reqwest::Client::builder()
            .timeout(config.timeout)
            .connect_timeout(config.connect_timeout)
            .user_agent(concat!("scim-companion/", env!("CARGO_PKG_VERSION")))
            .https_only(config.base_url.scheme() == "https")
            // reqwest forwards custom headers on redirect; x-api-key must never reach another host.
            .redirect(reqwest::redirect::Policy::none());
        if let Some(resolver) = &config.system_resolver {
            http = http.dns_resolver(Arc::new(resolver.clone()));
        }
        // Loopback means loopback: no hosts file or DNS answer decides where the key goes.
        http = http_safety::pin_loopback(http, &config.base_url);
        let http = http.build().map_err(|e| Error::HttpClient(e.to_string()))?;
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                base: config.base_url,
                api_key: config.api_key,
                org_id: config.org_id,
                retry: config.retry,
                page_size: config.page_size.clamp(1, MAX_PAGE_SIZE),
                max_body_bytes: config.max_body_bytes,
                requests: AtomicU64::new(0),
            }),
            cancel: CancellationToken::new(),
        })
    }

    /// A handle whose requests stop with [`Error::Cancelled`] once `token` is cancelled.
    pub fn with_cancellation(&self, token: CancellationToken) -> Client {
        Client {
            inner: self.inner.clone(),
            cancel: token,
        }
    }

    /// HTTP requests sent so far, retries included.
    pub fn request_count(&self) -> u64 {
        self.inner.requests.load(Ordering::Relaxed)
    }

    pub fn base_url(&self) -> &Url {
        &self.inner.base
    }

    pub(crate) fn page_size(&self) -> u32 {
        self.inner.page_size
    }

    fn url(&self, path: &str) -> Url {
        let mut url = self.inner.base.clone();
        let base_path = url.path().trim_end_matches('/').to_string();
        url.set_path(&format!("{base_path}{path}"));
        url
    }

    /// GET with retries on 429/5xx and transport errors (reads are idempotent).
    pub(crate) async fn get(&self, path: &str, query: &[(&str, String)]) -> Result<Fetched> {
        let retry = &self.inner.retry;
        let max = retry.max_attempts.max(1);
        let mut last_status = None;
        for attempt in 1..=max {
            if self.cancel.is_cancelled() {
                return Err(Error::Cancelled);
            }
            self.inner.requests.fetch_add(1, Ordering::Relaxed);
            let mut req = self
                .inner
                .http
                .get(self.url(path))
                .query(query)
                .header("x-api-key", self.inner.api_key.expose())
                .header(reqwest::header::ACCEPT, "application/json");
            if let Some(org) = &self.inner.org_id {
                req = req.header("x-org-id", org);
            }
            let sent = tokio::select! {
                _ = self.cancel.cancelled() => return Err(Error::Cancelled),
                r = req.send() => r,
            };
            let wait = match sent {
                Err(e) => {
                    if attempt == max {
                        return Err(Error::Transport {
                            endpoint: path.to_string(),
                            timeout: e.is_timeout(),
                            // without_url: the message then cannot carry query values either.
                            message: e.without_url().to_string(),
                        });
                    }
                    retry.delay(attempt, None)
                }
                Ok(resp) => {
                    let status = resp.status().as_u16();
                    if resp.status().is_redirection() {
                        return Err(Error::Redirected {
                            endpoint: path.to_string(),
                            status,
                            location: http_safety::location_host(resp.url(), resp.headers()),
                        });
                    }
                    if resp.status().is_success() {
                        let headers = resp.headers().clone();
                        let body = tokio::select! {
                            _ = self.cancel.cancelled() => return Err(Error::Cancelled),
                            b = self.read_capped(resp, path) => b?,
                        };
                        match body {
                            Ok(body) => return Ok(Fetched { headers, body }),
                            // A connection cut mid-body is as transient as one cut before it.
                            Err(e) if attempt == max => {
                                return Err(Error::Transport {
                                    endpoint: path.to_string(),
                                    timeout: e.is_timeout(),
                                    message: e.without_url().to_string(),
                                })
                            }
                            Err(_) => {
                                tokio::select! {
                                    _ = self.cancel.cancelled() => return Err(Error::Cancelled),
                                    _ = tokio::time::sleep(retry.delay(attempt, None)) => {}
                                }
                                continue;
                            }
                        }
                    }
                    if !retry::is_retryable_status(status) {
                        let message = match self.read_capped(resp, path).await {
                            Ok(Ok(body)) => error_text(&body, self.inner.api_key.expose()),
                            _ => None,
                        };
                        return Err(Error::Status {
                            status,
                            endpoint: path.to_string(),
                            hint: self.hint_for(status),
                            message,
                        });
                    }
                    last_status = Some(status);
                    if attempt == max {
                        break;
                    }
                    retry.delay(attempt, retry::parse_retry_after(resp.headers()))
                }
            };
            tracing::debug!(path, attempt, ?wait, "retrying JumpCloud request");
            tokio::select! {
                _ = self.cancel.cancelled() => return Err(Error::Cancelled),
                _ = tokio::time::sleep(wait) => {}
            }
        }
        Err(Error::RetriesExhausted {
            endpoint: path.to_string(),
            attempts: max,
            last_status,
        })
    }

    /// The body, decompressed, stopping at `max_body_bytes`. The outer error ends the request
    /// (too large); the inner one is a transport failure the caller may retry.
    async fn read_capped(
        &self,
        mut resp: reqwest::Response,
        path: &str,
    ) -> Result<std::result::Result<Vec<u8>, reqwest::Error>> {
        let limit = self.inner.max_body_bytes;
        let too_large = || Error::BodyTooLarge {
            endpoint: path.to_string(),
            limit,
        };
        // With gzip the header gives the compressed size, so the real check is while reading.
        if resp.content_length().is_some_and(|n| n > limit as u64) {
            return Err(too_large());
        }
        let mut body = Vec::new();
        loop {
            match resp.chunk().await {
                Ok(Some(chunk)) => {
                    if body.len() + chunk.len() > limit {
                        return Err(too_large());
                    }
                    body.extend_from_slice(&chunk);
                }
                Ok(None) => return Ok(Ok(body)),
                Err(e) => return Ok(Err(e)),
            }
        }
    }

    fn hint_for(&self, status: u16) -> Option<Hint> {
        let has_org = self.inner.org_id.is_some();
        match status {
            401 => Some(Hint::CheckApiKeyOrRegion),
            400 | 403 if !has_org => Some(Hint::SetOrgId),
            403 => Some(Hint::CheckOrgAccess),
            404 => Some(Hint::CheckBaseUrl),
            _ => None,
        }
    }
}
