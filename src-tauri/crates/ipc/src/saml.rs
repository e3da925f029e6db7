//! The SAML builder page: the fields and users it picks from and what one build returns.
//! Mappings, issues, rows and the value report are the `saml` crate's own types (exported to
//! `bindings/saml/`); only the shapes that combine them live here.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// What kind of JumpCloud data a field name refers to; the picker groups by it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum SamlFieldKind {
    /// A built-in user field by its API name (`department`, `costCenter`).
    Standard,
    /// A custom attribute some user has.
    Custom,
    /// One part of a typed address: `addresses.<type>.<part>`.
    Address,
    /// A typed phone number: `phoneNumbers.<type>`.
    Phone,
}

/// A field the builder can read, with how many users of the directory have a value for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SamlField {
    pub name: String,
    pub kind: SamlFieldKind,
    pub users_with_value: u32,
}

/// A user in the builder's "resolve for" picker.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SamlUserOption {
    pub id: String,
    pub username: String,
    /// Display name, else first and last name, else the username.
    pub display: String,
}

/// One build of the attribute statement: placeholders when no user was chosen, that user's
/// values otherwise.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SamlBuild {
    /// The XML; `None` when it cannot be written (see `xml_error` and the issues).
    pub xml: Option<String>,
    pub xml_error: Option<String>,
    /// Validation findings, errors first, each pointing at its mapping where it has one.
    pub issues: Vec<::saml::Issue>,
    /// JumpCloud's "User Attribute Mapping" rows, in mapping order.
    pub rows: Vec<::saml::MappingRow>,
    /// The rows as tab-separated text with a header; `None` when a cell holds a tab or line break.
    pub tsv: Option<String>,
    pub tsv_error: Option<String>,
    /// The user the values were resolved for, if any.
    pub user: Option<SamlUserOption>,
}
