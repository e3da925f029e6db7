//! Input and output types shared by the builder, the validator and the
//! directory value check.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Prefix AWS IAM Identity Center reads session tags from; the tag key follows
/// it (AWS docs: "Passing attributes for access control", JumpCloud guide).
pub const ACCESS_CONTROL_PREFIX: &str = "https://aws.amazon.com/SAML/Attributes/AccessControl:";

/// Namespace bound to the `saml` prefix in every SAML 2.0 assertion.
pub const SAML_ASSERTION_NS: &str = "urn:oasis:names:tc:SAML:2.0:assertion";

/// `NameFormat` value for attribute names that are URIs (SAML 2.0 core §8.2.2).
pub const NAME_FORMAT_URI: &str = "urn:oasis:names:tc:SAML:2.0:attrname-format:uri";

/// Where the value of one session tag comes from.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(tag = "kind", content = "value", rename_all = "camelCase")]
#[ts(export, export_to = "saml/")]
pub enum Source {
    /// A JumpCloud user field by its API name (`department`, `email`,
    /// `costCenter`), or a custom attribute by its name.
    Attribute(String),
    /// The same text for every user (JumpCloud's "Constant Value").
    Literal(String),
}

/// One session tag: the key AWS sees and where its value comes from.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "saml/")]
pub struct Mapping {
    pub tag_key: String,
    pub source: Source,
}

impl Mapping {
    pub fn attribute(tag_key: impl Into<String>, attribute: impl Into<String>) -> Self {
        Mapping {
            tag_key: tag_key.into(),
            source: Source::Attribute(attribute.into()),
        }
    }

    pub fn literal(tag_key: impl Into<String>, value: impl Into<String>) -> Self {
        Mapping {
            tag_key: tag_key.into(),
            source: Source::Literal(value.into()),
        }
    }

    /// The full SAML attribute name, `https://aws.amazon.com/SAML/Attributes/AccessControl:{TagKey}`.
    pub fn saml_attribute_name(&self) -> String {
        saml_attribute_name(&self.tag_key)
    }
}

/// The full SAML attribute name for a tag key.
pub fn saml_attribute_name(tag_key: &str) -> String {
    format!("{ACCESS_CONTROL_PREFIX}{tag_key}")
}

/// One JumpCloud user, flattened by the caller into field name -> text.
/// Custom attributes appear under their own names. A field that is absent
/// here is "missing"; one present with "" is "empty".
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export_to = "saml/")]
pub struct UserValues {
    pub id: String,
    pub username: String,
    pub values: BTreeMap<String, String>,
}

impl UserValues {
    /// The value a mapping yields for this user; `None` if the field is missing.
    pub fn value_of<'a>(&'a self, source: &'a Source) -> Option<&'a str> {
        match source {
            Source::Attribute(name) => self.values.get(name).map(String::as_str),
            Source::Literal(text) => Some(text),
        }
    }
}

/// A resolved (key, value) pair, in the order it appears in the XML.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export_to = "saml/")]
pub struct TagValue {
    pub tag_key: String,
    pub value: String,
}

impl TagValue {
    pub fn new(tag_key: impl Into<String>, value: impl Into<String>) -> Self {
        TagValue {
            tag_key: tag_key.into(),
            value: value.into(),
        }
    }
}

/// Which part of a mapping a finding or error is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "saml/")]
pub enum Field {
    TagKey,
    /// A literal value, or a resolved value for one user.
    Value,
    /// The name of the JumpCloud attribute a value is read from.
    AttributeName,
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Field::TagKey => "tag key",
            Field::Value => "value",
            Field::AttributeName => "JumpCloud attribute name",
        })
    }
}
