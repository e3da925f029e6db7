use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{urn, Extra, Meta};

/// A SCIM Group (RFC 7643 §4.2). On StrongDM a group is a Role.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export_to = "scim/")]
pub struct Group {
    #[serde(default)]
    pub schemas: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub external_id: Option<String>,
    #[serde(default)]
    pub display_name: String,
    /// AWS always returns this empty; see `Client::group_memberships`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub members: Vec<GroupMember>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub meta: Option<Meta>,
    #[serde(flatten)]
    pub extra: Extra,
}

impl Group {
    pub fn new(display_name: impl Into<String>) -> Self {
        Self {
            schemas: vec![urn::GROUP.to_owned()],
            display_name: display_name.into(),
            ..Self::default()
        }
    }
}

/// One member of a group: `value` is the member's id.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, TS)]
#[ts(export_to = "scim/")]
pub struct GroupMember {
    pub value: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub display: Option<String>,
    #[serde(rename = "$ref", default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub reference: Option<String>,
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub kind: Option<String>,
    #[serde(flatten)]
    pub extra: Extra,
}

impl GroupMember {
    pub fn new(value: impl Into<String>) -> Self {
        Self {
            value: value.into(),
            ..Self::default()
        }
    }
}
