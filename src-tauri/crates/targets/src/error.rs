//! Errors of the targets crate. Every variant carries the data a UI needs to
//! explain the problem; callers match variants, never strings.

use crate::auth::AuthKind;
use crate::field::FieldId;
use crate::kind::Kind;

/// Why a pasted base URL was refused. Each problem says what to fix.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UrlProblem {
    #[error("this is not a URL")]
    Unparsable,
    #[error("it must start with https://")]
    NotHttps,
    #[error("only https:// (or http:// to this computer) is accepted, not {scheme}://")]
    UnsupportedScheme { scheme: String },
    #[error("it must not contain a user name or password")]
    EmbeddedCredentials,
    #[error("remove everything after '?' or '#'")]
    QueryOrFragment,
    #[error("the host must be {expected}, not {found}")]
    WrongHost {
        expected: &'static str,
        found: String,
    },
    #[error("{region:?} is not an AWS region such as us-east-1")]
    AwsRegionInvalid { region: String },
    #[error("the tenant id before /scim/v2 is missing; copy the whole SCIM endpoint from IAM Identity Center > Settings")]
    AwsTenantMissing,
    #[error("the path must end in /scim/v2 (copy the whole SCIM endpoint from IAM Identity Center > Settings)")]
    AwsScimPathMissing,
    #[error("the organization id after /scim/v2/tenants/ is missing; copy the SCIM base connector URL from Administration > Single sign on")]
    UnityOrgIdMissing,
    #[error("the path must be /scim/v2/tenants/<organization id>")]
    UnityPathInvalid,
    #[error("the path must be /provisioning/generic/v2 (or /okta/v2, /azure/v2)")]
    StrongDmPathInvalid,
    #[error("remove {suffix:?} at the end: the base URL stops before /Users or /Groups")]
    UnexpectedPathSuffix { suffix: String },
    #[error("a local test endpoint must be on this computer (localhost, 127.0.0.1 or ::1)")]
    NotLoopback,
}

/// Why a pasted Basic header value was refused. Never carries the value itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum BasicValueProblem {
    #[error("the part after \"Basic \" is not base64")]
    NotBase64,
    #[error("it does not decode to text")]
    NotText,
    #[error("it does not decode to \"key ID:secret key\" (no ':')")]
    NoColon,
    #[error("the key ID or the secret key in it is empty")]
    EmptyPart,
}

/// Everything that can go wrong in this crate.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    #[error("{kind} base URL {input:?} refused: {problem}")]
    InvalidBaseUrl {
        kind: Kind,
        /// What was pasted, or `<redacted>` when it held credentials.
        input: String,
        problem: UrlProblem,
    },
    #[error("{kind} does not accept {auth} authentication")]
    AuthNotSupported { kind: Kind, auth: AuthKind },
    #[error("{field} is empty")]
    EmptyField { field: FieldId },
    #[error("the key id must not contain ':' (it is joined to the secret key with ':')")]
    KeyIdContainsColon,
    /// A pasted `Basic …` header value that is not base64 of `key id:secret key`.
    #[error(
        "the Authorization header value is not \"Basic <base64(key ID:secret key)>\": {problem}"
    )]
    InvalidBasicValue { problem: BasicValueProblem },
    /// A `Basic …` value pasted where a bearer token goes: it would be sent as `Bearer Basic …`.
    #[error("this is a Basic header value, not a bearer token; {kind} does not take Basic authentication")]
    BasicValueAsBearer { kind: Kind },
    #[error("{name:?} is not a valid HTTP header name")]
    InvalidHeaderName { name: String },
    #[error("{domain:?} is not a domain name such as example.com")]
    InvalidDomain { domain: String },
    #[error("application {app_id} is not in the JumpCloud directory")]
    AppNotFound { app_id: String },
}

pub type Result<T> = std::result::Result<T, Error>;
