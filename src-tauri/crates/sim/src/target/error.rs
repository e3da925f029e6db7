//! Errors of the simulator's Rust API ([`SimError`]) and the SCIM errors it answers over HTTP
//! ([`ApiError`]).

use std::net::SocketAddr;

/// The schema of every SCIM error body (RFC 7644 section 3.12).
pub const ERROR_URN: &str = "urn:ietf:params:scim:api:messages:2.0:Error";

/// Failures starting, seeding or stopping a simulator.
#[derive(Debug, thiserror::Error)]
pub enum SimError {
    #[error("cannot bind the simulator to {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot start the simulator's runtime thread: {0}")]
    Runtime(#[source] std::io::Error),
    #[error("the simulator thread stopped before reporting its address")]
    ThreadExited,
    /// A seeded resource was refused by the store (duplicate name, unknown member, ...).
    #[error("seeding {kind} #{index} failed: {error}")]
    Seed {
        kind: &'static str,
        index: usize,
        error: ApiError,
    },
}

pub type Result<T> = std::result::Result<T, SimError>;

/// RFC 7644 §3.12 `scimType` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScimType {
    InvalidFilter,
    TooMany,
    Uniqueness,
    Mutability,
    InvalidSyntax,
    InvalidPath,
    NoTarget,
    InvalidValue,
    InvalidVers,
}

impl ScimType {
    pub fn as_str(self) -> &'static str {
        match self {
            ScimType::InvalidFilter => "invalidFilter",
            ScimType::TooMany => "tooMany",
            ScimType::Uniqueness => "uniqueness",
            ScimType::Mutability => "mutability",
            ScimType::InvalidSyntax => "invalidSyntax",
            ScimType::InvalidPath => "invalidPath",
            ScimType::NoTarget => "noTarget",
            ScimType::InvalidValue => "invalidValue",
            ScimType::InvalidVers => "invalidVers",
        }
    }
}

/// An error the simulator answers with: HTTP status, optional `scimType`, and detail text.
/// Rendered as a SCIM Error body (in AWS's shape for the AWS dialect, see `server::error_reply`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{status} {detail}")]
pub struct ApiError {
    pub status: u16,
    pub scim_type: Option<ScimType>,
    pub detail: String,
}

impl ApiError {
    pub fn new(status: u16, scim_type: Option<ScimType>, detail: impl Into<String>) -> Self {
        ApiError {
            status,
            scim_type,
            detail: detail.into(),
        }
    }
    pub fn bad(scim_type: ScimType, detail: impl Into<String>) -> Self {
        Self::new(400, Some(scim_type), detail)
    }
    pub fn invalid_value(detail: impl Into<String>) -> Self {
        Self::bad(ScimType::InvalidValue, detail)
    }
    pub fn not_found(detail: impl Into<String>) -> Self {
        Self::new(404, None, detail)
    }
    pub fn conflict(detail: impl Into<String>) -> Self {
        Self::new(409, Some(ScimType::Uniqueness), detail)
    }
}

impl From<super::filter::FilterError> for ApiError {
    fn from(e: super::filter::FilterError) -> Self {
        ApiError::bad(ScimType::InvalidFilter, e.0)
    }
}

/// The AWS exception name for a status (IAM Identity Center SCIM error list).
pub fn aws_exception(status: u16) -> &'static str {
    match status {
        400 => "ValidationException",
        401 => "UnauthorizedException",
        403 => "AccessDeniedException",
        404 => "ResourceNotFoundException",
        409 => "ConflictException",
        412 => "ValidationException",
        429 => "ThrottlingException",
        503 => "ServiceUnavailableException",
        _ => "InternalServerException",
    }
}
