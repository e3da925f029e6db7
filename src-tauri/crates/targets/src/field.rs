//! The form fields the setup wizard asks for. A module of its own so that errors and auth rules
//! can name a field without depending on the wizard, which depends on them.

use std::fmt;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A form field a step asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export, export_to = "targets/", rename = "WizardFieldId")]
pub enum FieldId {
    BaseUrl,
    Token,
    KeyId,
    SecretKey,
    HeaderName,
    ValidatedDomains,
}

impl fmt::Display for FieldId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            FieldId::BaseUrl => "base URL",
            FieldId::Token => "token",
            FieldId::KeyId => "key id",
            FieldId::SecretKey => "secret key",
            FieldId::HeaderName => "header name",
            FieldId::ValidatedDomains => "validated domains",
        })
    }
}
