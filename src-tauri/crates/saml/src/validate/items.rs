//! Rules for one mapping: its key, its JumpCloud source and its value.

use super::{char_len, issue};
use crate::chars::{first_non_tag_char, first_non_xml_char};
use crate::issue::{describe_char, Issue, IssueCode, Severity};
use crate::limits::{MAX_KEY_CHARS, MAX_VALUE_CHARS};
use crate::model::Field;

/// JumpCloud user fields that are lists (v1 `systemuser` schema), plus the
/// SAML group attribute JumpCloud sends as one value per group. Mapping one of
/// them would send several `AttributeValue`s, which AWS rejects.
pub const MULTI_VALUED_FIELDS: &[&str] = &[
    "addresses",
    "phoneNumbers",
    "attributes",
    "relationships",
    "ssh_keys",
    "restrictedFields",
    "memberOf",
];

/// JumpCloud user fields that are objects, not text.
pub const OBJECT_FIELDS: &[&str] = &[
    "mfa",
    "mfaEnrollment",
    "admin",
    "recoveryEmail",
    "delegatedAuthority",
];

const ALLOWED: &str = "letters, digits, spaces and _ . : / = + - @";

pub(super) fn key_issues(index: usize, key: &str) -> Vec<Issue> {
    let mut issues = Vec::new();
    let len = char_len(key);
    if len == 0 {
        let message = format!("Mapping #{}: the tag key is empty", index + 1);
        issues.push(issue(
            Severity::Error,
            IssueCode::KeyEmpty,
            index,
            key,
            message,
        ));
    }
    if len > MAX_KEY_CHARS {
        let message =
            format!("Tag key \"{key}\" has {len} characters; the maximum is {MAX_KEY_CHARS}");
        issues.push(issue(
            Severity::Error,
            IssueCode::KeyTooLong { len },
            index,
            key,
            message,
        ));
    }
    if let Some(ch) = first_non_xml_char(key) {
        issues.push(forbidden_char(index, key, Field::TagKey, ch));
    } else if let Some(ch) = first_non_tag_char(key) {
        let message = format!(
            "Tag key \"{key}\" contains {}; AWS allows only {ALLOWED}",
            describe_char(ch)
        );
        issues.push(issue(
            Severity::Error,
            IssueCode::KeyInvalidChar { ch },
            index,
            key,
            message,
        ));
    }
    issues
}

pub(super) fn attribute_issues(index: usize, key: &str, attribute: &str) -> Vec<Issue> {
    let mut issues = Vec::new();
    if attribute.trim().is_empty() {
        let message = format!("Tag \"{key}\": no JumpCloud attribute chosen");
        issues.push(issue(
            Severity::Error,
            IssueCode::AttributeNameEmpty,
            index,
            key,
            message,
        ));
    } else if MULTI_VALUED_FIELDS.contains(&attribute) || OBJECT_FIELDS.contains(&attribute) {
        let message = format!(
            "Tag \"{key}\": JumpCloud \"{attribute}\" holds several values; AWS accepts exactly one value per tag"
        );
        let code = IssueCode::MultiValue {
            attribute: attribute.to_owned(),
        };
        issues.push(issue(Severity::Error, code, index, key, message));
    }
    if let Some(ch) = first_non_xml_char(attribute) {
        issues.push(forbidden_char(index, key, Field::AttributeName, ch));
    }
    issues
}

pub(super) fn value_issues(index: usize, key: &str, value: &str) -> Vec<Issue> {
    let mut issues = Vec::new();
    let len = char_len(value);
    if len == 0 {
        let message = format!("Tag \"{key}\" has an empty value; AWS drops tags with empty values");
        issues.push(issue(
            Severity::Warning,
            IssueCode::ValueEmpty,
            index,
            key,
            message,
        ));
    }
    if len > MAX_VALUE_CHARS {
        let message = format!(
            "Value of tag \"{key}\" has {len} characters; the maximum is {MAX_VALUE_CHARS}"
        );
        issues.push(issue(
            Severity::Error,
            IssueCode::ValueTooLong { len },
            index,
            key,
            message,
        ));
    }
    if let Some(ch) = first_non_xml_char(value) {
        issues.push(forbidden_char(index, key, Field::Value, ch));
    } else if let Some(ch) = first_non_tag_char(value) {
        let message = format!(
            "Value of tag \"{key}\" contains {}; AWS allows only {ALLOWED}",
            describe_char(ch)
        );
        issues.push(issue(
            Severity::Error,
            IssueCode::ValueInvalidChar { ch },
            index,
            key,
            message,
        ));
    }
    issues
}

fn forbidden_char(index: usize, key: &str, field: Field, ch: char) -> Issue {
    let message = format!(
        "The {field} of tag \"{}\" contains control character {}, which XML cannot carry",
        key.escape_debug(),
        describe_char(ch)
    );
    issue(
        Severity::Error,
        IssueCode::ForbiddenControlChar { field, ch },
        index,
        key,
        message,
    )
}
