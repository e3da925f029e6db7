//! The SCIM client: construction, discovery and single-resource operations.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;

use base64::Engine;
use reqwest::header::{HeaderName, HeaderValue, AUTHORIZATION};
use reqwest::Method;
use serde::Deserialize;
use tokio::sync::Semaphore;
use tokio_util::sync::CancellationToken;

use crate::config::{normalize_base_url, Auth, ClientConfig, DeactivateForm};
use crate::error::{Error, Result};
use crate::filter::Filter;
use crate::models::{
    Group, ListResponse, PatchOp, PatchOperation, ResourceType, Schema, ServiceProviderConfig, User,
};
use crate::resource::Resource;
use crate::transport::{Observer, RawResponse, Request, Stats, StatsSnapshot, Transport};
use crate::Secret;

pub(crate) struct Inner {
    pub transport: Transport,
    pub config: ClientConfig,
    pub fan_out: Arc<Semaphore>,
    /// Page cap learned from `ServiceProviderConfig.filter.maxResults` (0 = unknown).
    pub server_max_results: AtomicU32,
}

/// A SCIM 2.0 client for one target. Cheap to clone: clones share the HTTP
/// connection pool, counters and concurrency limit.
#[derive(Clone)]
pub struct Client {
    pub(crate) inner: Arc<Inner>,
    pub(crate) cancel: CancellationToken,
    pub(crate) observer: Option<Observer>,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.transport.base)
            .field("auth", &self.inner.config.auth)
            .finish_non_exhaustive()
    }
}

/// Result of a create: the resource, and how the client came to hold it.
#[derive(Debug, Clone, PartialEq)]
pub struct Created<T> {
    pub resource: T,
    /// It already existed (409) and was fetched instead.
    pub adopted: bool,
    /// The server's answer to the POST was lost or unreadable (a 5xx, a timeout, a cut-off
    /// body) and the object was then found by its unique key: created by that POST, most
    /// likely, so not sent again.
    pub found_after_unclear_reply: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
#[ts(export_to = "scim/")]
pub enum DeleteOutcome {
    Deleted,
    /// The server answered 404: the goal (object absent) is met.
    AlreadyGone,
}

impl Client {
    pub fn new(config: ClientConfig) -> Result<Self> {
        let base = normalize_base_url(&config.base_url)?;
        if config.max_concurrency == 0 {
            return Err(Error::InvalidConfig {
                reason: "max_concurrency must be at least 1".to_owned(),
            });
        }
        if config.retry.max_attempts == 0 || config.retry.max_throttled_attempts == 0 {
            return Err(Error::InvalidConfig {
                reason: "retry.max_attempts and retry.max_throttled_attempts must be at least 1"
                    .to_owned(),
            });
        }
        let mut http = reqwest::Client::builder()
            .user_agent(concat!("scim-companion/", env!("CARGO_PKG_VERSION")))
            .connect_timeout(config.timeouts.connect)
            .timeout(config.timeouts.request)
            .https_only(base.scheme() == "https")
            // reqwest would resend a custom auth header and a POST/PUT/PATCH body (personal
            // data) on 307/308, to any host; a 3xx becomes `Error::Redirected` instead.
            .redirect(reqwest::redirect::Policy::none());
        if let Some(resolver) = &config.system_resolver {
            http = http.dns_resolver(Arc::new(resolver.clone()));
        }
        http = http_safety::pin_loopback(http, &base);
        let http = http.build().map_err(|e| Error::InvalidConfig {
            reason: format!("HTTP client: {e}"),
        })?;
        let auth = auth_header(&config.auth)?;
        let mut scrub = match &config.auth {
            Auth::Bearer(t) => vec![t.clone()],
            Auth::Basic { secret, .. } => vec![secret.clone()],
            Auth::Header { value, .. } => vec![value.clone()],
            Auth::None => Vec::new(),
        };
        if let Some((_, value)) = &auth {
            // The full header value too (covers the base64 form of Basic).
            if let Ok(v) = value.to_str() {
                scrub.push(Secret::new(v.rsplit(' ').next().unwrap_or(v)));
            }
        }
        let transport = Transport {
            http,
            base: base.as_str().trim_end_matches('/').to_owned(),
            auth,
            retry: config.retry,
            max_body_bytes: config.max_body_bytes,
            stats: Stats::default(),
            gate: Default::default(),
            pacer: crate::pacing::Pacer::new(config.max_concurrency),
            scrub,
        };
        Ok(Self {
            inner: Arc::new(Inner {
                transport,
                fan_out: Arc::new(Semaphore::new(config.max_concurrency)),
                server_max_results: AtomicU32::new(0),
                config,
            }),
            cancel: CancellationToken::new(),
            observer: None,
        })
    }

    /// A handle whose requests stop with `Error::Cancelled` once `token` fires.
    pub fn with_cancellation(&self, token: CancellationToken) -> Self {
        Self {
            cancel: token,
            ..self.clone()
        }
    }

    /// A handle that reports every exchange (redacted) to `observer`.
    pub fn with_observer(&self, observer: Observer) -> Self {
        Self {
            observer: Some(observer),
            ..self.clone()
        }
    }

    pub fn config(&self) -> &ClientConfig {
        &self.inner.config
    }

    /// The normalised base URL (no trailing slash).
    pub fn base_url(&self) -> &str {
        &self.inner.transport.base
    }

    pub fn stats(&self) -> StatsSnapshot {
        self.inner.transport.stats.snapshot()
    }

    /// The adaptive pace now: requests it may have in flight, and requests a second it keeps
    /// to (`None` until the server refused a request for load).
    pub fn pace(&self) -> crate::Pace {
        let (window, rate) = self.inner.transport.pacer.snapshot();
        crate::Pace { window, rate }
    }

    pub(crate) async fn send(&self, req: Request) -> Result<RawResponse> {
        self.inner
            .transport
            .execute(&req, &self.cancel, self.observer.as_ref())
            .await
    }

    fn with_body<B: serde::Serialize>(method: Method, path: String, body: &B) -> Result<Request> {
        let mut req = Request::new(method, path);
        req.body = Some(serde_json::to_vec(body).map_err(|e| Error::InvalidConfig {
            reason: format!("could not encode request: {e}"),
        })?);
        Ok(req)
    }

    // ---- discovery ----

    /// Reads `/ServiceProviderConfig` and remembers `filter.maxResults` as a page cap.
    pub async fn service_provider_config(&self) -> Result<ServiceProviderConfig> {
        let spc: ServiceProviderConfig = self
            .send(Request::new(Method::GET, "ServiceProviderConfig"))
            .await?
            .json()?;
        if let Some(max) = spc.max_results().filter(|m| *m > 0) {
            let cap = u32::try_from(max).unwrap_or(u32::MAX);
            self.inner.server_max_results.store(cap, Ordering::Relaxed);
        }
        Ok(spc)
    }

    pub async fn schemas(&self) -> Result<Vec<Schema>> {
        let list: ListOrArray<Schema> = self
            .send(Request::new(Method::GET, "Schemas"))
            .await?
            .json()?;
        Ok(list.into_vec())
    }

    pub async fn resource_types(&self) -> Result<Vec<ResourceType>> {
        let list: ListOrArray<ResourceType> = self
            .send(Request::new(Method::GET, "ResourceTypes"))
            .await?
            .json()?;
        Ok(list.into_vec())
    }

    // ---- single resources ----

    pub async fn get<T: Resource>(&self, id: &str) -> Result<T> {
        self.send(Request::new(Method::GET, resource_path::<T>(id)))
            .await?
            .json()
    }

    pub async fn get_user(&self, id: &str) -> Result<User> {
        self.get(id).await
    }

    pub async fn get_group(&self, id: &str) -> Result<Group> {
        self.get(id).await
    }

    /// POST; on 409/uniqueness, finds the existing object by its unique key and returns it as
    /// adopted. When the outcome of the POST is unknown (a 5xx, a timeout, a cut-off reply),
    /// looks the object up first and returns it if the POST did create it; only when it is not
    /// there is the POST sent again, up to the policy's attempts. So a lost reply never
    /// becomes a duplicate, and a load balancer's 502 never becomes a failed step.
    pub async fn create<T: Resource>(&self, resource: &T) -> Result<Created<T>> {
        let mut unclear = 0u32;
        loop {
            let req = Self::with_body(Method::POST, T::ENDPOINT.to_owned(), resource)?;
            let err = match self.send(req).await.and_then(RawResponse::json::<T>) {
                Ok(created) => {
                    return Ok(Created {
                        resource: created,
                        adopted: false,
                        found_after_unclear_reply: false,
                    })
                }
                Err(e) => e,
            };
            if err.is_conflict() {
                return match self.find_by_unique_key(resource).await? {
                    Some(existing) => Ok(Created {
                        resource: existing,
                        adopted: true,
                        found_after_unclear_reply: false,
                    }),
                    None => Err(Error::AdoptNotFound {
                        resource: T::KIND.to_owned(),
                        key: resource.unique_key().to_owned(),
                    }),
                };
            }
            unclear += 1;
            if !err.write_outcome_unknown() || unclear >= self.inner.config.retry.max_attempts {
                return Err(err);
            }
            if let Some(existing) = self.find_by_unique_key(resource).await? {
                return Ok(Created {
                    resource: existing,
                    adopted: false,
                    found_after_unclear_reply: true,
                });
            }
            let delay = crate::retry::delay_for(&self.inner.config.retry, unclear - 1, None);
            tracing::debug!(
                endpoint = T::ENDPOINT,
                attempt = unclear,
                ?delay,
                "create outcome unknown and the object is absent: sending it again"
            );
            tokio::select! {
                biased;
                _ = self.cancel.cancelled() => return Err(Error::Cancelled),
                _ = tokio::time::sleep(delay) => {}
            }
        }
    }

    /// The object with the same unique key (userName, displayName), if the target has one.
    async fn find_by_unique_key<T: Resource>(&self, resource: &T) -> Result<Option<T>> {
        let existing = self.list_all::<T>(Some(&resource.unique_filter())).await?;
        let key = resource.unique_key();
        // Filters may be case-insensitive; prefer the exact match.
        let pick = existing
            .iter()
            .position(|r| r.unique_key() == key)
            .or_else(|| (!existing.is_empty()).then_some(0));
        Ok(pick.and_then(|i| existing.into_iter().nth(i)))
    }

    pub async fn create_user(&self, user: &User) -> Result<Created<User>> {
        self.create(user).await
    }

    pub async fn create_group(&self, group: &Group) -> Result<Created<Group>> {
        self.create(group).await
    }

    /// PUT: replaces the whole resource. A success whose body was cut off was applied; the
    /// resource is read back rather than sent again.
    pub async fn replace<T: Resource>(&self, id: &str, resource: &T) -> Result<T> {
        let req = Self::with_body(Method::PUT, resource_path::<T>(id), resource)?;
        let resp = self.send(req).await?;
        if resp.status.is_success() && resp.has_broken_json() {
            return self.get(id).await;
        }
        resp.json()
    }

    pub async fn replace_user(&self, id: &str, user: &User) -> Result<User> {
        self.replace(id, user).await
    }

    pub async fn replace_group(&self, id: &str, group: &Group) -> Result<Group> {
        self.replace(id, group).await
    }

    /// PATCH. `None` when the server answers 204 without a body, or a success whose body was
    /// cut off (the change was applied; its echo is lost).
    pub async fn patch<T: Resource>(&self, id: &str, op: &PatchOp) -> Result<Option<T>> {
        let req = Self::with_body(Method::PATCH, resource_path::<T>(id), op)?;
        let resp = self.send(req).await?;
        if resp.status.is_success() && resp.has_broken_json() {
            return Ok(None);
        }
        resp.json_opt()
    }

    pub async fn patch_user(&self, id: &str, op: &PatchOp) -> Result<Option<User>> {
        self.patch(id, op).await
    }

    pub async fn patch_group(&self, id: &str, op: &PatchOp) -> Result<Option<Group>> {
        self.patch(id, op).await
    }

    /// Deactivates a user in the form the dialect prescribes.
    pub async fn deactivate_user(&self, id: &str) -> Result<()> {
        let operation = match self.inner.config.dialect.deactivate {
            DeactivateForm::PatchPath => PatchOperation::replace(Some("active"), false.into()),
            DeactivateForm::PatchValueObject => {
                PatchOperation::replace(None, serde_json::json!({ "active": false }))
            }
            DeactivateForm::Delete => return self.delete_user(id).await.map(|_| ()),
        };
        let req = Self::with_body(
            Method::PATCH,
            resource_path::<User>(id),
            &PatchOp::new(vec![operation]),
        )?;
        self.send(req).await?.ok()
    }

    /// DELETE; a 404 counts as done.
    pub async fn delete<T: Resource>(&self, id: &str) -> Result<DeleteOutcome> {
        let resp = self
            .send(Request::new(Method::DELETE, resource_path::<T>(id)))
            .await?;
        if resp.status == reqwest::StatusCode::NOT_FOUND {
            return Ok(DeleteOutcome::AlreadyGone);
        }
        resp.ok().map(|()| DeleteOutcome::Deleted)
    }

    pub async fn delete_user(&self, id: &str) -> Result<DeleteOutcome> {
        self.delete::<User>(id).await
    }

    pub async fn delete_group(&self, id: &str) -> Result<DeleteOutcome> {
        self.delete::<Group>(id).await
    }

    /// The user with this userName, if any.
    pub async fn find_user_by_user_name(&self, user_name: &str) -> Result<Option<User>> {
        let found = self
            .list_all::<User>(Some(&Filter::eq("userName", user_name)))
            .await?;
        Ok(found.into_iter().next())
    }

    pub async fn find_group_by_display_name(&self, display_name: &str) -> Result<Option<Group>> {
        let found = self
            .list_all::<Group>(Some(&Filter::eq("displayName", display_name)))
            .await?;
        Ok(found.into_iter().next())
    }
}

/// Ids go into the path; encode anything that would change the URL's meaning.
pub(crate) fn resource_path<T: Resource>(id: &str) -> String {
    let mut encoded = String::with_capacity(id.len());
    for b in id.bytes() {
        if b.is_ascii_alphanumeric()
            || matches!(b, b'-' | b'_' | b'.' | b'~' | b'@' | b':' | b'+' | b'=')
        {
            encoded.push(b as char);
        } else {
            encoded.push_str(&format!("%{b:02X}"));
        }
    }
    format!("{}/{}", T::ENDPOINT, encoded)
}

fn auth_header(auth: &Auth) -> Result<Option<(HeaderName, HeaderValue)>> {
    let (name, raw) = match auth {
        Auth::None => return Ok(None),
        Auth::Bearer(token) => (AUTHORIZATION, format!("Bearer {}", token.expose())),
        Auth::Basic { key_id, secret } => {
            let pair = format!("{key_id}:{}", secret.expose());
            (
                AUTHORIZATION,
                format!(
                    "Basic {}",
                    base64::engine::general_purpose::STANDARD.encode(pair)
                ),
            )
        }
        Auth::Header { name, value } => (
            HeaderName::from_bytes(name.as_bytes()).map_err(|_| Error::InvalidConfig {
                reason: format!("`{name}` is not a valid header name"),
            })?,
            value.expose().to_owned(),
        ),
    };
    let mut value = HeaderValue::from_str(&raw).map_err(|_| Error::InvalidConfig {
        // Never include the value: it is the credential.
        reason: "the credential contains characters not allowed in an HTTP header".to_owned(),
    })?;
    // Keeps it out of reqwest/hyper debug output and HTTP/2 header tables.
    value.set_sensitive(true);
    Ok(Some((name, value)))
}

/// Discovery lists come as a ListResponse per RFC, but some servers send a bare array.
#[derive(Deserialize)]
#[serde(untagged)]
enum ListOrArray<T> {
    List(ListResponse<T>),
    Array(Vec<T>),
}

impl<T> ListOrArray<T> {
    fn into_vec(self) -> Vec<T> {
        match self {
            Self::List(l) => l.resources,
            Self::Array(a) => a,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_escaped_in_paths() {
        assert_eq!(resource_path::<User>("a-1b"), "Users/a-1b");
        assert_eq!(resource_path::<Group>("x/../y?z"), "Groups/x%2F..%2Fy%3Fz");
    }

    #[test]
    fn basic_auth_is_base64_of_key_and_secret() {
        let (name, value) = auth_header(&Auth::Basic {
            key_id: "kid".into(),
            secret: Secret::new("s3cr3t"),
        })
        .unwrap()
        .unwrap();
        assert_eq!(name, AUTHORIZATION);
        assert_eq!(value.to_str().unwrap(), "Basic a2lkOnMzY3IzdA==");
        assert!(value.is_sensitive());
    }

    #[test]
    fn bad_header_value_error_does_not_echo_it() {
        let err = auth_header(&Auth::Bearer(Secret::new("tok\nevil"))).unwrap_err();
        assert!(!format!("{err} {err:?}").contains("evil"));
    }
}
