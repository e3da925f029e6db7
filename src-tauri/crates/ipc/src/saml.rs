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

impl From<engine::saml::FieldKind> for SamlFieldKind {
    fn from(kind: engine::saml::FieldKind) -> Self {
        use engine::saml::FieldKind as K;
        match kind {
            K::Standard => SamlFieldKind::Standard,
            K::Custom => SamlFieldKind::Custom,
            K::Address => SamlFieldKind::Address,
            K::Phone => SamlFieldKind::Phone,
        }
    }
}

impl From<engine::saml::FieldInfo> for SamlField {
    fn from(f: engine::saml::FieldInfo) -> Self {
        SamlField {
            name: f.name,
            kind: f.kind.into(),
            users_with_value: crate::diff::small(f.users_with_value),
        }
    }
}

impl From<&jumpcloud::SystemUser> for SamlUserOption {
    fn from(user: &jumpcloud::SystemUser) -> Self {
        SamlUserOption {
            id: user.id.clone(),
            username: user.username.clone(),
            display: engine::saml::display_name(user),
        }
    }
}

impl From<engine::saml::Built<'_>> for SamlBuild {
    fn from(built: engine::saml::Built<'_>) -> Self {
        let (xml, xml_error) = split(built.xml);
        let (tsv, tsv_error) = split(built.tsv);
        SamlBuild {
            xml,
            xml_error,
            issues: built.issues,
            rows: built.rows,
            tsv,
            tsv_error,
            user: built.user.map(SamlUserOption::from),
        }
    }
}

/// A text that could not be written becomes `None` plus the reason.
fn split<T>(result: ::saml::Result<T>) -> (Option<T>, Option<String>) {
    match result {
        Ok(value) => (Some(value), None),
        Err(e) => (None, Some(e.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_field_keeps_its_kind_and_count() {
        let f = SamlField::from(engine::saml::FieldInfo {
            name: "addresses.work.locality".into(),
            kind: engine::saml::FieldKind::Address,
            users_with_value: 12,
        });
        assert_eq!(f.kind, SamlFieldKind::Address);
        assert_eq!(f.users_with_value, 12);
    }

    #[test]
    fn a_user_option_falls_back_to_the_username_for_display() {
        let user = jumpcloud::SystemUser {
            id: "u1".into(),
            username: "ada".into(),
            ..Default::default()
        };
        let option = SamlUserOption::from(&user);
        assert_eq!(option.id, "u1");
        assert_eq!(option.display, "ada");
    }
}
