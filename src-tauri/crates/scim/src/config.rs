//! Client configuration: where the target is, how to authenticate, and the
//! dialect knobs the `targets` crate chooses per vendor.

use std::time::Duration;

use serde::{Deserialize, Serialize};
use ts_rs::TS;
use url::Url;

use crate::error::{BaseUrlProblem, Error, Result};
use crate::Secret;

/// How requests authenticate. Values are [`Secret`]s so they never print.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Auth {
    /// `Authorization: Bearer <token>` (AWS, StrongDM, Axis, Unity's newer flow).
    Bearer(Secret),
    /// `Authorization: Basic base64(key_id:secret)` (Unity service accounts).
    Basic {
        key_id: String,
        secret: Secret,
    },
    /// A custom header carrying the credential.
    Header {
        name: String,
        value: Secret,
    },
    None,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timeouts {
    pub connect: Duration,
    /// Whole request, including reading the body.
    pub request: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        Self {
            connect: Duration::from_secs(10),
            request: Duration::from_secs(60),
        }
    }
}

/// How list endpoints page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export_to = "scim/")]
#[serde(rename_all = "camelCase")]
pub enum Paging {
    /// RFC 7644 `startIndex`/`count`.
    #[serde(rename_all = "camelCase")]
    Index { page_size: u32 },
    /// AWS: `cursor`/`count` with `nextCursor` in the reply; never `startIndex`.
    #[serde(rename_all = "camelCase")]
    Cursor { page_size: u32 },
}

impl Default for Paging {
    fn default() -> Self {
        Self::Index { page_size: 100 }
    }
}

/// AWS rejects `count` above 100 with cursor paging.
pub const CURSOR_MAX_PAGE_SIZE: u32 = 100;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts that may end in a transient failure (5xx, a dropped connection, a cut-off
    /// reply), including the first; 1 disables retrying them.
    pub max_attempts: u32,
    /// Attempts that may be throttled (429, or 503 with Retry-After), counted apart: a
    /// throttled request was refused before processing, so waiting and repeating it is always
    /// safe, and vendors throttle a busy tenant for longer than they fail.
    pub max_throttled_attempts: u32,
    pub base_delay: Duration,
    pub max_delay: Duration,
    /// A Retry-After longer than this is not waited for: the error is returned
    /// so the caller (and admin) can decide, instead of a silent hang.
    pub max_retry_after: Duration,
}

impl Default for RetryPolicy {
    /// Sized so one apply finishes through everyday faults: with a quarter of requests
    /// throttled and a tenth failing, the chance that one request of a thousand exhausts its
    /// attempts is below 1 in 10,000 (docs/reliability.md), while a server that is really down
    /// is reported within about a minute (7 waits of at most 0.25, 0.5, ... 16 s).
    fn default() -> Self {
        Self {
            max_attempts: 8,
            max_throttled_attempts: 12,
            base_delay: Duration::from_millis(250),
            max_delay: Duration::from_secs(20),
            max_retry_after: Duration::from_secs(120),
        }
    }
}

/// How a user is deactivated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[ts(export_to = "scim/")]
#[serde(rename_all = "camelCase")]
pub enum DeactivateForm {
    /// `{"op":"replace","path":"active","value":false}` (RFC style, AWS).
    #[default]
    PatchPath,
    /// `{"op":"replace","value":{"active":false}}` (StrongDM accepts only this).
    PatchValueObject,
    /// The target has no deactivation (Unity): delete the user.
    Delete,
}

/// How group memberships are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[ts(export_to = "scim/")]
#[serde(rename_all = "camelCase")]
pub enum MembershipRead {
    /// Groups carry their `members` (most servers).
    #[default]
    Inline,
    /// `GET /Groups?filter=members eq "<userId>"` once per user (AWS returns
    /// empty `members` on every group read).
    FilterByMember,
    /// `GET /Groups?filter=id eq "<groupId>" and members eq "<userId>"` per
    /// pair: the combination AWS's ListGroups page documents.
    FilterByIdAndMember,
}

/// How a member is removed from a group in a PATCH.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[ts(export_to = "scim/")]
#[serde(rename_all = "camelCase")]
pub enum MemberRemoveForm {
    /// One op per member: `path: members[value eq "<id>"]` (RFC example, StrongDM).
    #[default]
    FilterPath,
    /// One op: `path: members`, `value: [{"value": "<id>"}, ...]` (AWS example).
    ValueList,
}

/// Limits on group membership writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export_to = "scim/")]
#[serde(rename_all = "camelCase")]
pub struct MembershipPolicy {
    /// Member changes per PATCH request (AWS: 100).
    pub max_changes_per_request: usize,
    /// AWS returns 400 for replacing (or removing) all members.
    pub allow_replace_all: bool,
    pub remove_form: MemberRemoveForm,
}

impl Default for MembershipPolicy {
    fn default() -> Self {
        Self {
            max_changes_per_request: 100,
            allow_replace_all: true,
            remove_form: MemberRemoveForm::default(),
        }
    }
}

/// Vendor dialect choices. The `targets` crate builds one per vendor profile.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[ts(export_to = "scim/")]
#[serde(rename_all = "camelCase")]
pub struct Dialect {
    pub deactivate: DeactivateForm,
    pub membership_read: MembershipRead,
    pub membership: MembershipPolicy,
}

#[derive(Debug, Clone)]
pub struct ClientConfig {
    pub base_url: String,
    pub auth: Auth,
    pub timeouts: Timeouts,
    pub paging: Paging,
    /// Requests in flight at most: the ceiling of the adaptive window (see `pacing`), which
    /// starts at 4 and grows while replies stay fast. Fan-out reads (membership lookups) keep
    /// this many tasks ready.
    pub max_concurrency: usize,
    pub retry: RetryPolicy,
    pub dialect: Dialect,
    /// Replies larger than this fail with `BodyTooLarge` instead of eating memory.
    pub max_body_bytes: usize,
    /// Safety stop for list paging against servers that never end.
    pub max_pages: u32,
    /// Stands in for the system resolver (tests): shows that `localhost` is pinned to
    /// loopback whatever a resolver answers.
    #[doc(hidden)]
    pub system_resolver: Option<SystemResolver>,
}

pub use http_safety::SystemResolver;

impl ClientConfig {
    pub fn new(base_url: impl Into<String>, auth: Auth) -> Self {
        Self {
            base_url: base_url.into(),
            auth,
            timeouts: Timeouts::default(),
            paging: Paging::default(),
            max_concurrency: 16,
            retry: RetryPolicy::default(),
            dialect: Dialect::default(),
            max_body_bytes: 32 * 1024 * 1024,
            max_pages: 100_000,
            system_resolver: None,
        }
    }
}

/// Validates and normalises a base URL: https (http only to loopback), no
/// credentials, query or fragment, no trailing slash.
pub fn normalize_base_url(raw: &str) -> Result<Url> {
    let fail = |problem| Error::InvalidBaseUrl {
        url: raw.to_owned(),
        problem,
    };
    let mut url = Url::parse(raw.trim()).map_err(|_| fail(BaseUrlProblem::Unparsable))?;
    if !url.username().is_empty() || url.password().is_some() {
        // Do not echo the URL back: it holds a credential.
        return Err(Error::InvalidBaseUrl {
            url: "<redacted>".to_owned(),
            problem: BaseUrlProblem::EmbeddedCredentials,
        });
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(fail(BaseUrlProblem::QueryOrFragment));
    }
    match url.scheme() {
        "https" => {}
        "http" if http_safety::is_loopback(&url) => {}
        "http" => return Err(fail(BaseUrlProblem::NotHttps)),
        _ => return Err(fail(BaseUrlProblem::UnsupportedScheme)),
    }
    if url.host().is_none() {
        return Err(fail(BaseUrlProblem::Unparsable));
    }
    let trimmed = url.path().trim_end_matches('/').to_owned();
    url.set_path(&trimmed);
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problem(raw: &str) -> Option<BaseUrlProblem> {
        match normalize_base_url(raw) {
            Err(Error::InvalidBaseUrl { problem, .. }) => Some(problem),
            Err(other) => panic!("unexpected {other:?}"),
            Ok(_) => None,
        }
    }

    #[test]
    fn trailing_slashes_are_removed() {
        let u = normalize_base_url("https://scim.us-east-1.amazonaws.com/abc/scim/v2//").unwrap();
        assert_eq!(
            u.as_str(),
            "https://scim.us-east-1.amazonaws.com/abc/scim/v2"
        );
    }

    #[test]
    fn http_only_to_loopback() {
        assert_eq!(problem("http://127.0.0.1:8080/v2"), None);
        assert_eq!(problem("http://127.5.6.7/"), None);
        assert_eq!(problem("http://[::1]:9/scim"), None);
        assert_eq!(problem("http://LOCALHOST:9/scim"), None);
        assert_eq!(
            problem("http://example.com/scim"),
            Some(BaseUrlProblem::NotHttps)
        );
        assert_eq!(
            problem("http://10.0.0.1/scim"),
            Some(BaseUrlProblem::NotHttps)
        );
        assert_eq!(
            problem("http://localhost.evil.com/"),
            Some(BaseUrlProblem::NotHttps)
        );
        assert_eq!(
            problem("ftp://localhost/"),
            Some(BaseUrlProblem::UnsupportedScheme)
        );
        assert_eq!(problem("not a url"), Some(BaseUrlProblem::Unparsable));
        assert_eq!(
            problem("https://x.org/scim?x=1"),
            Some(BaseUrlProblem::QueryOrFragment)
        );
    }

    #[test]
    fn credentials_in_url_are_rejected_without_echo() {
        let err = normalize_base_url("https://admin:hunter2@x.org/scim").unwrap_err();
        assert!(matches!(
            err,
            Error::InvalidBaseUrl {
                problem: BaseUrlProblem::EmbeddedCredentials,
                ..
            }
        ));
        assert!(!format!("{err} {err:?}").contains("hunter2"));
    }
}
