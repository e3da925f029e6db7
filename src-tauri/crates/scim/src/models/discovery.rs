//! Discovery resources (RFC 7643 §5-7). Servers fill these in unevenly, so
//! every field is optional and unknown fields are kept.

use serde::{Deserialize, Serialize};
use serde_with::skip_serializing_none;
use ts_rs::TS;

use super::{Extra, Meta};

#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, TS)]
#[serde(default, rename_all = "camelCase")]
#[ts(export_to = "scim/", optional_fields)]
pub struct ServiceProviderConfig {
    pub schemas: Vec<String>,
    pub documentation_uri: Option<String>,
    pub patch: Option<Supported>,
    pub bulk: Option<BulkConfig>,
    pub filter: Option<FilterConfig>,
    pub change_password: Option<Supported>,
    pub sort: Option<Supported>,
    pub etag: Option<Supported>,
    /// Cursor/index paging announcement (RFC 9865).
    pub pagination: Option<PaginationConfig>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[ts(optional = nullable)]
    pub authentication_schemes: Vec<AuthenticationScheme>,
    pub meta: Option<Meta>,
    #[serde(flatten)]
    pub extra: Extra,
}

impl ServiceProviderConfig {
    /// The server's announced page cap (`filter.maxResults`), if any.
    pub fn max_results(&self) -> Option<u64> {
        self.filter.as_ref().and_then(|f| f.max_results)
    }
}

#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, TS)]
#[serde(default)]
#[ts(export_to = "scim/", optional_fields)]
pub struct Supported {
    pub supported: bool,
    #[serde(flatten)]
    pub extra: Extra,
}

#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, TS)]
#[serde(default, rename_all = "camelCase")]
#[ts(export_to = "scim/", optional_fields)]
pub struct BulkConfig {
    pub supported: bool,
    pub max_operations: Option<u64>,
    pub max_payload_size: Option<u64>,
    #[serde(flatten)]
    pub extra: Extra,
}

#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, TS)]
#[serde(default, rename_all = "camelCase")]
#[ts(export_to = "scim/", optional_fields)]
pub struct FilterConfig {
    pub supported: bool,
    pub max_results: Option<u64>,
    #[serde(flatten)]
    pub extra: Extra,
}

#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, TS)]
#[serde(default, rename_all = "camelCase")]
#[ts(export_to = "scim/", optional_fields)]
pub struct PaginationConfig {
    pub cursor: Option<bool>,
    pub index: Option<bool>,
    pub default_pagination_method: Option<String>,
    pub default_page_size: Option<u64>,
    pub max_page_size: Option<u64>,
    #[serde(flatten)]
    pub extra: Extra,
}

#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, TS)]
#[serde(default, rename_all = "camelCase")]
#[ts(export_to = "scim/", optional_fields)]
pub struct AuthenticationScheme {
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub name: Option<String>,
    pub description: Option<String>,
    pub primary: Option<bool>,
    #[serde(flatten)]
    pub extra: Extra,
}

/// A schema definition (RFC 7643 §7).
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, TS)]
#[serde(default)]
#[ts(export_to = "scim/", optional_fields)]
pub struct Schema {
    pub id: String,
    pub name: Option<String>,
    pub description: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[ts(optional = nullable)]
    pub attributes: Vec<SchemaAttribute>,
    pub meta: Option<Meta>,
    #[serde(flatten)]
    pub extra: Extra,
}

#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, TS)]
#[serde(default, rename_all = "camelCase")]
#[ts(export_to = "scim/", optional_fields)]
pub struct SchemaAttribute {
    pub name: String,
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub multi_valued: Option<bool>,
    pub required: Option<bool>,
    pub case_exact: Option<bool>,
    pub mutability: Option<String>,
    pub returned: Option<String>,
    pub uniqueness: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[ts(optional = nullable)]
    pub sub_attributes: Vec<SchemaAttribute>,
    #[serde(flatten)]
    pub extra: Extra,
}

/// A resource type (RFC 7643 §6).
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, TS)]
#[serde(default, rename_all = "camelCase")]
#[ts(export_to = "scim/", optional_fields)]
pub struct ResourceType {
    pub id: Option<String>,
    pub name: String,
    pub endpoint: String,
    pub schema: String,
    pub description: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[ts(optional = nullable)]
    pub schema_extensions: Vec<SchemaExtension>,
    pub meta: Option<Meta>,
    #[serde(flatten)]
    pub extra: Extra,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, TS)]
#[ts(export_to = "scim/")]
pub struct SchemaExtension {
    pub schema: String,
    #[serde(default)]
    pub required: bool,
}
