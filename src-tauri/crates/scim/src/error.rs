//! Errors of the SCIM client. Every variant carries data (status, scimType,
//! vendor exception name) so callers match on fields, never on text.
//! No variant ever holds a token: request headers are never copied here and
//! body excerpts pass through `excerpt::redact` first.

use std::time::Duration;

use crate::models::ScimErrorBody;

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What is wrong with a configured base URL.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BaseUrlProblem {
    Unparsable,
    /// Plain http to a host that is not loopback: the token would travel in clear.
    NotHttps,
    UnsupportedScheme,
    /// `user:pass@host` would put a credential in logs and history.
    EmbeddedCredentials,
    QueryOrFragment,
}

/// How an HTTP exchange failed before a status line arrived.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TransportKind {
    Connect,
    Timeout,
    Other,
}

/// A reply with a non-success status.
#[derive(Debug, Clone, PartialEq)]
pub struct HttpError {
    pub method: String,
    /// Endpoint path relative to the base URL (no query string).
    pub path: String,
    pub status: u16,
    pub scim_type: Option<String>,
    pub detail: Option<String>,
    /// Vendor exception name, e.g. AWS `ThrottlingException`.
    pub vendor_error: Option<String>,
    /// The Retry-After the server asked for, if any.
    pub retry_after: Option<Duration>,
    /// Short, redacted start of the response body.
    pub body_excerpt: String,
    pub attempts: u32,
}

impl HttpError {
    pub(crate) fn from_body(status: u16, body: Option<&ScimErrorBody>) -> Self {
        Self {
            method: String::new(),
            path: String::new(),
            status,
            scim_type: body.and_then(|b| b.scim_type.clone()),
            detail: body.and_then(|b| b.detail.clone()),
            vendor_error: body.and_then(ScimErrorBody::vendor_name),
            retry_after: None,
            body_excerpt: String::new(),
            attempts: 1,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("invalid SCIM base URL `{url}`: {problem:?}")]
    InvalidBaseUrl {
        url: String,
        problem: BaseUrlProblem,
    },

    #[error("invalid client configuration: {reason}")]
    InvalidConfig { reason: String },

    #[error("invalid filter: {reason}")]
    InvalidFilter { reason: String },

    #[error("{} {} returned HTTP {}{}{}", .0.method, .0.path, .0.status,
        .0.vendor_error.as_ref().map(|v| format!(" {v}")).unwrap_or_default(),
        .0.detail.as_ref().map(|d| format!(": {d}")).unwrap_or_default())]
    Http(Box<HttpError>),

    #[error("{method} {path} failed ({kind:?}) after {attempts} attempt(s): {message}")]
    Transport {
        method: String,
        path: String,
        kind: TransportKind,
        attempts: u32,
        message: String,
    },

    #[error("{method} {path} returned HTTP {status} with a non-JSON body ({content_type}){}",
        .title.as_ref().map(|t| format!(", page title \"{t}\"")).unwrap_or_default())]
    NotJson {
        method: String,
        path: String,
        status: u16,
        content_type: String,
        /// The `<title>` of an HTML error page, when there is one.
        title: Option<String>,
        body_excerpt: String,
    },

    #[error("{method} {path} returned HTTP {status} with malformed or truncated JSON: {message}")]
    MalformedJson {
        method: String,
        path: String,
        status: u16,
        message: String,
        body_excerpt: String,
    },

    /// A 3xx. Redirects are never followed: the credential and the body must not go to an
    /// address the admin did not enter. `location` is the new host (and port), never its path
    /// or query.
    #[error("{method} {path} was redirected (HTTP {status}) to {}; SCIM Companion does not follow redirects",
        .location.as_deref().unwrap_or("an unnamed location"))]
    Redirected {
        method: String,
        path: String,
        status: u16,
        location: Option<String>,
    },

    #[error("{method} {path} returned a body larger than {limit} bytes")]
    BodyTooLarge {
        method: String,
        path: String,
        limit: usize,
    },

    #[error("paging over {endpoint} stopped after {pages} page(s): the server repeated results or never ended")]
    PagingLoop { endpoint: String, pages: u32 },

    #[error("{resource} `{key}` already exists (409) but could not be found to adopt it")]
    AdoptNotFound { resource: String, key: String },

    #[error("replacing all members of a group is not allowed on this target")]
    ReplaceAllForbidden,

    #[error("the server reply has no `id`")]
    MissingId,

    #[error("cancelled")]
    Cancelled,
}

impl Error {
    /// HTTP status of the reply, when there was one.
    pub fn status(&self) -> Option<u16> {
        match self {
            Self::Http(e) => Some(e.status),
            Self::NotJson { status, .. }
            | Self::MalformedJson { status, .. }
            | Self::Redirected { status, .. } => Some(*status),
            _ => None,
        }
    }

    pub fn http(&self) -> Option<&HttpError> {
        match self {
            Self::Http(e) => Some(e),
            _ => None,
        }
    }

    /// SCIM `scimType` (e.g. `uniqueness`, `invalidFilter`).
    pub fn scim_type(&self) -> Option<&str> {
        self.http().and_then(|e| e.scim_type.as_deref())
    }

    pub fn vendor_error(&self) -> Option<&str> {
        self.http().and_then(|e| e.vendor_error.as_deref())
    }

    pub fn is_not_found(&self) -> bool {
        self.status() == Some(404)
    }

    /// Whether a write may or may not have been applied: the server failed after receiving it
    /// (5xx other than 501/505), the reply never came whole (a timeout, a dropped connection),
    /// or a success arrived with a body that cannot be read. A refused connection is not
    /// unknown: nothing was sent.
    pub fn write_outcome_unknown(&self) -> bool {
        match self {
            Self::Http(e) => is_transient_server_error(e.status),
            Self::Transport { kind, .. } => *kind != TransportKind::Connect,
            Self::NotJson { status, .. } | Self::MalformedJson { status, .. } => {
                (200..300).contains(status)
            }
            _ => false,
        }
    }

    pub fn is_conflict(&self) -> bool {
        self.status() == Some(409) || self.scim_type() == Some("uniqueness")
    }

    /// One sentence an administrator can act on.
    pub fn hint(&self) -> &'static str {
        match self {
            Self::InvalidBaseUrl { problem, .. } => match problem {
                BaseUrlProblem::NotHttps | BaseUrlProblem::UnsupportedScheme => {
                    "Use the https:// URL the target shows; plain http is only allowed for localhost tests."
                }
                BaseUrlProblem::EmbeddedCredentials => {
                    "Remove the user:password part from the URL and enter the token in the credentials field."
                }
                _ => "Paste the SCIM base URL exactly as the target's admin console shows it.",
            },
            Self::InvalidConfig { .. } => "Check the target settings.",
            Self::InvalidFilter { .. } => "This is a bug in the filter built by the app; please report it.",
            Self::Http(e) => http_hint(e),
            Self::Transport { kind, .. } => match kind {
                TransportKind::Connect => {
                    "Could not reach the server: check the base URL, DNS, proxy and firewall."
                }
                TransportKind::Timeout => {
                    "The server did not answer in time; try again later or raise the timeout."
                }
                TransportKind::Other => "The connection failed; try again.",
            },
            Self::NotJson { .. } => {
                "The URL answered with a web page, not SCIM: check the base URL (it usually ends in /scim/v2)."
            }
            Self::MalformedJson { .. } => {
                "The server sent a broken reply; try again, and report it to the vendor if it persists."
            }
            Self::Redirected { .. } => {
                "The target sent the request to another address. Check the base URL; if the new host named here is the real SCIM endpoint, enter that URL (the token is only sent to the address you save)."
            }
            Self::BodyTooLarge { .. } => "The reply was too large; use a smaller page size.",
            Self::PagingLoop { .. } => {
                "The server's paging does not advance; try a different page size or report it to the vendor."
            }
            Self::AdoptNotFound { .. } => {
                "The target says the object exists but does not return it; it may be hidden or in another state."
            }
            Self::ReplaceAllForbidden => {
                "This target rejects replacing all members; add and remove members instead."
            }
            Self::MissingId => "The server's reply is not valid SCIM; report it to the vendor.",
            Self::Cancelled => "The operation was cancelled.",
        }
    }
}

fn http_hint(e: &HttpError) -> &'static str {
    match (e.status, e.path.is_empty() || e.path == "/" || is_discovery(&e.path)) {
        (401, _) => {
            "Token expired, revoked or for another tenant; create a new token in the target's admin console and update it here."
        }
        (403, _) => {
            "The token is valid but not allowed to do this; check the token's role or scope (e.g. Unity: SCIM Authenticator)."
        }
        (404, true) => "Nothing at this address: check the tenant ID / base URL.",
        (404, false) => "The object no longer exists on the target; refresh and run the diff again.",
        (409, _) => "An object with the same unique value already exists on the target.",
        (400, _) => "The target rejected the request as invalid; see the detail for the attribute.",
        (412, _) => "The object changed on the target since it was read; refresh and retry.",
        (429, _) => "The target is rate limiting; wait a few minutes and retry, or lower the concurrency.",
        (s, _) if s >= 500 => "The target had an internal error; retry later and contact the vendor if it persists.",
        _ => "The target refused the request; see the detail.",
    }
}

/// A 404 on a collection or discovery endpoint means the base URL is wrong,
/// not that one object is missing.
fn is_discovery(path: &str) -> bool {
    !path.trim_matches('/').contains('/')
}

/// A server error that may pass (here, not in `retry`, so errors do not depend on the retry
/// loop that depends on them): every 5xx but 501 and 505, which say "never", not "not now".
pub(crate) fn is_transient_server_error(status: u16) -> bool {
    (500..600).contains(&status) && status != 501 && status != 505
}
