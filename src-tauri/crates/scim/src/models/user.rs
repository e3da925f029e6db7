use serde::{Deserialize, Serialize};
use serde_with::skip_serializing_none;
use ts_rs::TS;

use super::{urn, Address, Extra, Meta, MultiValuedAttr, Name};
use crate::Secret;

/// A SCIM User (RFC 7643 §4.1) with the enterprise extension (§4.3).
///
/// Empty multi-valued attributes are omitted on output: `[]` and absent mean
/// the same in SCIM, and some targets (AWS) reject empty arrays on create.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, TS)]
#[serde(default, rename_all = "camelCase")]
#[ts(export_to = "scim/", optional_fields)]
pub struct User {
    pub schemas: Vec<String>,
    pub id: Option<String>,
    pub external_id: Option<String>,
    pub user_name: String,
    pub name: Option<Name>,
    pub display_name: Option<String>,
    pub nick_name: Option<String>,
    pub profile_url: Option<String>,
    pub title: Option<String>,
    pub user_type: Option<String>,
    pub preferred_language: Option<String>,
    pub locale: Option<String>,
    pub timezone: Option<String>,
    pub active: Option<bool>,
    /// Write-only on most servers; redacted in Debug like every secret.
    #[serde(serialize_with = "expose_password")]
    #[ts(skip)]
    pub password: Option<Secret>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[ts(optional = nullable)]
    pub emails: Vec<MultiValuedAttr>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[ts(optional = nullable)]
    pub phone_numbers: Vec<MultiValuedAttr>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[ts(optional = nullable)]
    pub addresses: Vec<Address>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[ts(optional = nullable)]
    pub groups: Vec<UserGroupRef>,
    pub meta: Option<Meta>,
    #[serde(rename = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User")]
    pub enterprise: Option<EnterpriseUser>,
    /// Attributes and extensions not named above (ims, photos, roles, vendor URNs...).
    #[serde(flatten)]
    pub extra: Extra,
}

/// The one place a password is written out: into the SCIM request body. `Secret` itself has no
/// `Serialize`, so no other struct can put one into JSON by accident.
fn expose_password<S: serde::Serializer>(value: &Option<Secret>, s: S) -> Result<S::Ok, S::Error> {
    match value {
        Some(secret) => s.serialize_str(secret.expose()),
        None => s.serialize_none(),
    }
}

impl User {
    /// A new user with the core schema set, ready to create.
    pub fn new(user_name: impl Into<String>) -> Self {
        Self {
            schemas: vec![urn::USER.to_owned()],
            user_name: user_name.into(),
            ..Self::default()
        }
    }

    /// The primary email, else the first one.
    pub fn primary_email(&self) -> Option<&str> {
        self.emails
            .iter()
            .find(|e| e.primary == Some(true))
            .or_else(|| self.emails.first())
            .and_then(|e| e.value.as_deref())
    }
}

/// A group the user belongs to, as listed on the User (read-only in SCIM).
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, TS)]
#[serde(default)]
#[ts(export_to = "scim/", optional_fields)]
pub struct UserGroupRef {
    pub value: Option<String>,
    #[serde(rename = "$ref")]
    pub reference: Option<String>,
    pub display: Option<String>,
    #[serde(rename = "type")]
    pub kind: Option<String>,
    #[serde(flatten)]
    pub extra: Extra,
}

/// Enterprise User extension (RFC 7643 §4.3).
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, TS)]
#[serde(default, rename_all = "camelCase")]
#[ts(export_to = "scim/", optional_fields)]
pub struct EnterpriseUser {
    pub employee_number: Option<String>,
    pub cost_center: Option<String>,
    pub organization: Option<String>,
    pub division: Option<String>,
    pub department: Option<String>,
    pub manager: Option<Manager>,
    #[serde(flatten)]
    pub extra: Extra,
}

/// The user's manager (enterprise extension).
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, TS)]
#[serde(default, rename_all = "camelCase")]
#[ts(export_to = "scim/", optional_fields)]
pub struct Manager {
    pub value: Option<String>,
    #[serde(rename = "$ref")]
    pub reference: Option<String>,
    pub display_name: Option<String>,
    #[serde(flatten)]
    pub extra: Extra,
}
