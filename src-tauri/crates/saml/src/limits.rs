//! Numeric limits, each with the public source it comes from.

/// Tag key length in characters (STS `Tag.Key`, Identity Center
/// `AccessControlAttribute.Key`: 1-128).
pub const MAX_KEY_CHARS: usize = 128;

/// Tag value length in characters (STS `Tag.Value`: 0-256; Identity Center
/// value source: 0-256).
pub const MAX_VALUE_CHARS: usize = 256;

/// Session tags per session (STS `AssumeRoleWithSAML`: at most 50).
pub const MAX_ATTRIBUTES: usize = 50;

/// SAML assertion size accepted by IAM Identity Center, in characters
/// (Identity Center quotas page).
pub const MAX_ASSERTION_CHARS: usize = 50_000;

/// What the rest of a signed assertion typically adds around the attribute
/// statement: signature with an embedded X.509 certificate (~3,000 base64
/// characters), subject, conditions, authentication statement and the IdP's
/// other attributes. An estimate, not an AWS figure; used only for a warning.
pub const ASSERTION_OVERHEAD_ESTIMATE_CHARS: usize = 8_000;

/// AWS packs session tags and session policies into a binary form with an
/// undocumented limit (reported only as `PackedPolicySize` %). Above this many
/// characters of keys plus values we show a hint. Our heuristic, not AWS's number.
pub const PACKED_SIZE_HINT_CHARS: usize = 2_048;
