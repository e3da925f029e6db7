//! Our own model of a JumpCloud directory: the fields the SCIM connector pushes (see the connector's
//! attribute table) plus what decides eligibility (state, suspension, password expiry).
//! JSON uses camelCase; JumpCloud's own wire shape lives in [`crate::wire`].

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// JumpCloud `state` of a system user.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS, Default,
)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[ts(export_to = "jumpcloud/")]
pub enum UserState {
    Staged,
    #[default]
    Activated,
    Suspended,
}

impl UserState {
    pub fn as_str(self) -> &'static str {
        match self {
            UserState::Staged => "STAGED",
            UserState::Activated => "ACTIVATED",
            UserState::Suspended => "SUSPENDED",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s.trim().to_ascii_uppercase().as_str() {
            "STAGED" => Some(UserState::Staged),
            "ACTIVATED" | "ACTIVE" => Some(UserState::Activated),
            "SUSPENDED" => Some(UserState::Suspended),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export_to = "jumpcloud/")]
pub struct PhoneNumber {
    /// JumpCloud's free-text type, typically `mobile`, `home`, `work`, `work_mobile`, `work_fax`.
    #[serde(rename = "type")]
    pub kind: String,
    pub number: String,
}

/// Exported to TypeScript as `JumpCloudAddress`: the SCIM crate owns the name `Address`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, Default)]
#[serde(rename_all = "camelCase")]
#[ts(export_to = "jumpcloud/", rename = "JumpCloudAddress")]
pub struct Address {
    /// `work` or `home` in practice.
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub street_address: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extended_address: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub po_box: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locality: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub postal_code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
}

/// A JumpCloud custom attribute (`attributes[]`): free name/value pairs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export_to = "jumpcloud/")]
pub struct CustomAttribute {
    pub name: String,
    pub value: String,
}

/// A JumpCloud system user. Empty strings from the API are stored as `None`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, Default)]
#[serde(rename_all = "camelCase")]
#[ts(export_to = "jumpcloud/")]
pub struct SystemUser {
    /// JumpCloud `_id`; pushed as SCIM `externalId`.
    pub id: String,
    pub username: String,
    pub email: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub firstname: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub middlename: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lastname: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub displayname: Option<String>,
    #[serde(default)]
    pub phone_numbers: Vec<PhoneNumber>,
    #[serde(default)]
    pub addresses: Vec<Address>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub employee_identifier: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub employee_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub department: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub company: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub job_title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cost_center: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    /// The manager's user id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub manager: Option<String>,
    #[serde(default)]
    pub attributes: Vec<CustomAttribute>,
    #[serde(default)]
    pub state: UserState,
    #[serde(default)]
    pub suspended: bool,
    #[serde(default)]
    pub activated: bool,
    #[serde(default)]
    pub account_locked: bool,
    #[serde(default)]
    pub password_expired: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password_expiration_date: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created: Option<String>,
}

impl SystemUser {
    /// What the connector pushes as SCIM `active`: "not Suspended and not PasswordExpired".
    pub fn scim_active(&self) -> bool {
        !self.suspended && self.state != UserState::Suspended && !self.password_expired
    }

    pub fn custom_attribute(&self, name: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|a| a.name == name)
            .map(|a| a.value.as_str())
    }
}

/// A JumpCloud user group (v2 `UserGroup`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export_to = "jumpcloud/")]
pub struct UserGroup {
    pub id: String,
    /// Pushed as SCIM group `displayName`.
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Always `user_group` for user groups; kept because the API sends it.
    #[serde(rename = "type", default = "user_group_type")]
    pub kind: String,
}

fn user_group_type() -> String {
    "user_group".to_string()
}

/// An SSO application (v1 `application`), the thing a SCIM connector hangs off.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export_to = "jumpcloud/")]
pub struct Application {
    /// JumpCloud `_id`.
    pub id: String,
    /// Catalog name of the application template (e.g. `aws-identity-center`).
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    /// The label the admin gave it; what the console shows.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_label: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sso_url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default = "yes")]
    pub active: bool,
}

fn yes() -> bool {
    true
}

impl Application {
    /// The name to show: the admin's label, then the template's display name, then the catalog name.
    pub fn label(&self) -> &str {
        self.display_label
            .as_deref()
            .or(self.display_name.as_deref())
            .unwrap_or(&self.name)
    }
}

/// An organization the API key can see (`GET /api/organizations`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export_to = "jumpcloud/")]
pub struct Organization {
    pub id: String,
    pub display_name: String,
}
