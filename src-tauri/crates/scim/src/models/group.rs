use serde::{Deserialize, Serialize};
use serde_with::skip_serializing_none;
use ts_rs::TS;

use super::{urn, Extra, Meta};

/// A SCIM Group (RFC 7643 §4.2). On StrongDM a group is a Role.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, TS)]
#[serde(default, rename_all = "camelCase")]
#[ts(export_to = "scim/", optional_fields)]
pub struct Group {
    pub schemas: Vec<String>,
    pub id: Option<String>,
    pub external_id: Option<String>,
    pub display_name: String,
    /// AWS always returns this empty; see `Client::group_memberships`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[ts(optional = nullable)]
    pub members: Vec<GroupMember>,
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
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, TS)]
#[ts(export_to = "scim/", optional_fields)]
pub struct GroupMember {
    pub value: String,
    pub display: Option<String>,
    #[serde(rename = "$ref")]
    pub reference: Option<String>,
    #[serde(rename = "type")]
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
