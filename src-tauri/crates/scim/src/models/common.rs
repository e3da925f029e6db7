use serde::{Deserialize, Serialize};
use serde_with::skip_serializing_none;
use ts_rs::TS;

use super::Extra;

/// Resource metadata (RFC 7643 §3.1). Timestamps stay strings: servers differ
/// in precision and zone format, and we only compare or show them.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, TS)]
#[serde(default, rename_all = "camelCase")]
#[ts(export_to = "scim/", optional_fields)]
pub struct Meta {
    pub resource_type: Option<String>,
    pub created: Option<String>,
    pub last_modified: Option<String>,
    pub location: Option<String>,
    pub version: Option<String>,
    #[serde(flatten)]
    pub extra: Extra,
}

/// The user's name components (RFC 7643 §4.1.1).
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, TS)]
#[serde(default, rename_all = "camelCase")]
#[ts(export_to = "scim/", optional_fields)]
pub struct Name {
    pub formatted: Option<String>,
    pub family_name: Option<String>,
    pub given_name: Option<String>,
    pub middle_name: Option<String>,
    pub honorific_prefix: Option<String>,
    pub honorific_suffix: Option<String>,
    #[serde(flatten)]
    pub extra: Extra,
}

/// A multi-valued attribute entry such as an email or phone number
/// (RFC 7643 §2.4): `value`, `display`, `type`, `primary`.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, TS)]
#[serde(default)]
#[ts(export_to = "scim/", optional_fields)]
pub struct MultiValuedAttr {
    pub value: Option<String>,
    pub display: Option<String>,
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub primary: Option<bool>,
    #[serde(flatten)]
    pub extra: Extra,
}

/// A postal address (RFC 7643 §4.1.2).
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, TS)]
#[serde(default, rename_all = "camelCase")]
#[ts(export_to = "scim/", optional_fields)]
pub struct Address {
    pub formatted: Option<String>,
    pub street_address: Option<String>,
    pub locality: Option<String>,
    pub region: Option<String>,
    pub postal_code: Option<String>,
    pub country: Option<String>,
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub primary: Option<bool>,
    #[serde(flatten)]
    pub extra: Extra,
}
