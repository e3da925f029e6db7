//! Errors of the JumpCloud reader. Every variant carries data (status, counts, row numbers) so callers
//! branch on values, never on message text. No variant ever holds the API key.

use std::fmt;

pub type Result<T> = std::result::Result<T, Error>;

/// What the user should most likely check after a failed request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
#[ts(export_to = "jumpcloud/")]
pub enum Hint {
    /// 401: the key is wrong or revoked, or it belongs to the other region (US vs EU).
    CheckApiKeyOrRegion,
    /// 400/401/403 without `x-org-id`: multi-tenant admin keys must name the organization.
    SetOrgId,
    /// 403 with an org id: the key's admin has no access to that organization.
    CheckOrgAccess,
    /// 404 on a collection: the base URL does not point at a JumpCloud console.
    CheckBaseUrl,
    /// 429 or 5xx after all retries: JumpCloud is throttling or unavailable.
    RetryLater,
}

impl fmt::Display for Hint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Hint::CheckApiKeyOrRegion => {
                "check the API key, and that the region (US or EU) matches the organization"
            }
            Hint::SetOrgId => "multi-tenant admin: set the organization id (x-org-id)",
            Hint::CheckOrgAccess => {
                "the API key's administrator has no access to this organization"
            }
            Hint::CheckBaseUrl => "check the base URL: it should be the JumpCloud console",
            Hint::RetryLater => "JumpCloud is throttling or unavailable: retry later",
        })
    }
}

/// One rejected cell or row of a CSV import (row numbers count the header as row 1, like a spreadsheet).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export_to = "jumpcloud/")]
pub struct CsvRowError {
    pub row: u64,
    pub column: Option<String>,
    pub reason: CsvErrorReason,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
#[serde(rename_all = "snake_case", tag = "kind", content = "detail")]
#[ts(export_to = "jumpcloud/")]
pub enum CsvErrorReason {
    /// A required value is empty.
    Missing,
    /// The value cannot be understood (e.g. `suspended=maybe`).
    Invalid(String),
    /// Another row already has this username or email.
    Duplicate(String),
    /// The row itself is malformed (wrong number of fields, bad UTF-8).
    Malformed(String),
}

impl fmt::Display for CsvRowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "row {}", self.row)?;
        if let Some(c) = &self.column {
            write!(f, ", column {c}")?;
        }
        match &self.reason {
            CsvErrorReason::Missing => write!(f, ": value is required"),
            CsvErrorReason::Invalid(v) => write!(f, ": invalid value {v:?}"),
            CsvErrorReason::Duplicate(v) => write!(f, ": duplicate {v:?}"),
            CsvErrorReason::Malformed(m) => write!(f, ": malformed row ({m})"),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("invalid base URL {url:?}: {reason}")]
    InvalidBaseUrl { url: String, reason: &'static str },

    #[error("no API key given ({})", Hint::CheckApiKeyOrRegion)]
    MissingApiKey,

    #[error("{0:?} is not a JumpCloud object id")]
    InvalidId(String),

    #[error("could not build the HTTP client: {0}")]
    HttpClient(String),

    #[error("JumpCloud answered {status} on {endpoint}{}", hint.map(|h| format!(" ({h})")).unwrap_or_default())]
    Status {
        status: u16,
        endpoint: String,
        hint: Option<Hint>,
        /// JumpCloud's own `message`/`error` field when the body had one.
        message: Option<String>,
    },

    #[error(
        "{endpoint}: gave up after {attempts} attempts (last status {last_status:?}): {}",
        Hint::RetryLater
    )]
    RetriesExhausted {
        endpoint: String,
        attempts: u32,
        last_status: Option<u16>,
    },

    /// A 3xx. Never followed: the API key must not go to an address the admin did not enter.
    #[error("{endpoint} was redirected (HTTP {status}) to {}; the API key is not sent along ({})",
        .location.as_deref().unwrap_or("an unnamed location"), Hint::CheckBaseUrl)]
    Redirected {
        endpoint: String,
        status: u16,
        /// Scheme, host and port of the new location; never its path or query.
        location: Option<String>,
    },

    /// The reply (after decompression) was larger than the client's cap.
    #[error(
        "{endpoint}: the reply is larger than {limit} bytes (after decompression); reading stopped"
    )]
    BodyTooLarge { endpoint: String, limit: usize },

    #[error("network error on {endpoint}: {message}")]
    Transport {
        endpoint: String,
        timeout: bool,
        message: String,
    },

    #[error("unexpected response from {endpoint}: {message}")]
    Decode { endpoint: String, message: String },

    /// A page was shorter than the total says, or the total changed while paging. A partial read
    /// must never pass for the whole directory: missing users would look like deletions.
    #[error("incomplete read of {endpoint}: expected {expected} records, received {received}")]
    IncompleteRead {
        endpoint: String,
        expected: u64,
        received: u64,
    },

    #[error("the directory changed or is inconsistent: {0}")]
    Inconsistent(String),

    #[error("application {0} not found")]
    AppNotFound(String),

    #[error("cancelled")]
    Cancelled,

    #[error("snapshot file is not valid JSON at line {line}, column {column}: {message}")]
    SnapshotJson {
        line: usize,
        column: usize,
        message: String,
    },

    #[error("not a directory snapshot (format {found:?}, expected \"scim-companion.directory\")")]
    SnapshotFormat { found: Option<String> },

    #[error("snapshot version {found} is not supported (this build reads version {supported})")]
    SnapshotVersion { found: u64, supported: u64 },

    #[error("snapshot content is invalid: {0}")]
    SnapshotContent(String),

    #[error("CSV import failed with {} error(s); first: {}", .0.len(), .0.first().map(ToString::to_string).unwrap_or_default())]
    Csv(Vec<CsvRowError>),

    #[error("cannot read or write {path}: {message}")]
    Io { path: String, message: String },

    #[error("CSV has no usable header (needs at least username and email)")]
    CsvHeader { missing: Vec<String> },
}

impl Error {
    /// The hint to show beside the message, if any.
    pub fn hint(&self) -> Option<Hint> {
        match self {
            Error::Status { hint, .. } => *hint,
            Error::RetriesExhausted { .. } => Some(Hint::RetryLater),
            Error::MissingApiKey => Some(Hint::CheckApiKeyOrRegion),
            Error::Redirected { .. } => Some(Hint::CheckBaseUrl),
            _ => None,
        }
    }
}
