//! Validation findings: typed codes the UI can branch on, plus a ready
//! English message that names the tag and the offending character or length.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::model::Field;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "saml/")]
pub enum Severity {
    /// AWS would reject the assertion, or the XML cannot be produced.
    Error,
    /// Accepted, but probably not what the admin wants (e.g. a tag is dropped).
    Warning,
    /// Worth knowing; no action needed in most directories.
    Info,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(
    tag = "kind",
    rename_all = "camelCase",
    rename_all_fields = "camelCase"
)]
#[ts(export, export_to = "saml/")]
pub enum IssueCode {
    KeyEmpty,
    KeyTooLong {
        len: usize,
    },
    KeyInvalidChar {
        ch: char,
    },
    /// Two keys that differ only in case: AWS treats tag keys case-insensitively.
    DuplicateKeyCaseInsensitive {
        other: String,
        other_index: usize,
    },
    TooManyAttributes {
        count: usize,
    },
    /// AWS drops a session tag whose value is empty.
    ValueEmpty,
    /// The user has no such field (or custom attribute) at all.
    ValueMissing {
        attribute: String,
    },
    ValueTooLong {
        len: usize,
    },
    ValueInvalidChar {
        ch: char,
    },
    /// A character XML 1.0 cannot carry, even as a reference.
    ForbiddenControlChar {
        field: Field,
        ch: char,
    },
    /// The JumpCloud field is a list (or object); AWS accepts one value per tag.
    MultiValue {
        attribute: String,
    },
    AttributeNameEmpty,
    NoAttributes,
    /// The key is also set in the Identity Center console, which wins.
    OverriddenByConsole {
        console_key: String,
    },
    PackedSizeHint {
        chars: usize,
    },
    /// `chars` is the statement alone; `estimated_total` adds the typical rest
    /// of a signed assertion.
    AssertionTooLarge {
        chars: usize,
        estimated_total: usize,
        limit: usize,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "saml/")]
pub struct Issue {
    pub severity: Severity,
    pub code: IssueCode,
    /// Position of the mapping (or pair) the issue is about; `None` for
    /// statement-wide issues such as too many attributes.
    pub mapping_index: Option<usize>,
    pub tag_key: Option<String>,
    pub message: String,
}

/// Whether any issue would make AWS reject the assertion.
pub fn has_errors(issues: &[Issue]) -> bool {
    issues.iter().any(|i| i.severity == Severity::Error)
}

/// `'&' (U+0026)`, or just the code point for invisible characters.
pub(crate) fn describe_char(ch: char) -> String {
    let code = u32::from(ch);
    if ch.is_control() || ch.is_whitespace() {
        format!("U+{code:04X}")
    } else {
        format!("'{ch}' (U+{code:04X})")
    }
}
