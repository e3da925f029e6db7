//! Checks mappings (template mode) and resolved values (one user) against
//! AWS's session-tag rules and what XML can carry.

use std::collections::HashMap;

use crate::chars::{first_non_tag_char, first_non_xml_char};
use crate::issue::{describe_char, Issue, IssueCode, Severity};
use crate::limits::{
    ASSERTION_OVERHEAD_ESTIMATE_CHARS, MAX_ASSERTION_CHARS, MAX_ATTRIBUTES, MAX_KEY_CHARS,
    MAX_VALUE_CHARS, PACKED_SIZE_HINT_CHARS,
};
use crate::model::{Field, Mapping, Source, TagValue, UserValues};
use crate::render::{render_pairs, resolve, RenderOptions};

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

/// Template mode: everything that can be known without a user (keys, counts,
/// duplicates, sources, literal values).
pub fn validate_mappings(mappings: &[Mapping]) -> Vec<Issue> {
    let mut issues = statement_issues(mappings.iter().map(|m| m.tag_key.as_str()));
    for (index, mapping) in mappings.iter().enumerate() {
        issues.extend(key_issues(index, &mapping.tag_key));
        match &mapping.source {
            Source::Attribute(name) => {
                issues.extend(attribute_issues(index, &mapping.tag_key, name))
            }
            Source::Literal(value) => issues.extend(value_issues(index, &mapping.tag_key, value)),
        }
    }
    let literal_chars: usize = mappings
        .iter()
        .map(|m| match &m.source {
            Source::Literal(v) => char_len(&m.tag_key) + char_len(v),
            Source::Attribute(_) => char_len(&m.tag_key),
        })
        .sum();
    issues.extend(packed_size_hint(literal_chars));
    sort(issues)
}

/// What one user would send: mapping checks plus the user's actual values.
pub fn validate_for_user(mappings: &[Mapping], user: &UserValues) -> Vec<Issue> {
    let mut issues = statement_issues(mappings.iter().map(|m| m.tag_key.as_str()));
    for (index, mapping) in mappings.iter().enumerate() {
        issues.extend(key_issues(index, &mapping.tag_key));
        if let Source::Attribute(name) = &mapping.source {
            issues.extend(attribute_issues(index, &mapping.tag_key, name));
        }
        match (&mapping.source, user.value_of(&mapping.source)) {
            (_, Some(value)) => issues.extend(value_issues(index, &mapping.tag_key, value)),
            (Source::Attribute(attribute), None) => issues.push(issue(
                Severity::Warning,
                IssueCode::ValueMissing {
                    attribute: attribute.clone(),
                },
                index,
                &mapping.tag_key,
                format!(
                    "User {} has no \"{attribute}\"; tag \"{}\" is sent empty and AWS drops it",
                    user.username, mapping.tag_key
                ),
            )),
            (Source::Literal(_), None) => {} // a literal always has a value
        }
    }
    issues.extend(size_issues(&resolve(mappings, user)));
    sort(issues)
}

/// Explicit (key, value) pairs, e.g. read back from an IdP's assertion.
pub fn validate_pairs(pairs: &[TagValue]) -> Vec<Issue> {
    let mut issues = statement_issues(pairs.iter().map(|p| p.tag_key.as_str()));
    for (index, pair) in pairs.iter().enumerate() {
        issues.extend(key_issues(index, &pair.tag_key));
        issues.extend(value_issues(index, &pair.tag_key, &pair.value));
    }
    issues.extend(size_issues(pairs));
    sort(issues)
}

/// Errors first, then by mapping position, so the UI can show them as is.
fn sort(mut issues: Vec<Issue>) -> Vec<Issue> {
    issues.sort_by_key(|i| (i.severity, i.mapping_index.map_or(0, |x| x + 1)));
    issues
}

fn char_len(s: &str) -> usize {
    s.chars().count()
}

fn issue(severity: Severity, code: IssueCode, index: usize, key: &str, message: String) -> Issue {
    Issue {
        severity,
        code,
        mapping_index: Some(index),
        tag_key: Some(key.to_owned()),
        message,
    }
}

/// Count and case-insensitive duplicates.
fn statement_issues<'a>(keys: impl Iterator<Item = &'a str>) -> Vec<Issue> {
    let mut issues = Vec::new();
    let mut first_seen: HashMap<String, (usize, &str)> = HashMap::new();
    let mut count = 0;
    for (index, key) in keys.enumerate() {
        count += 1;
        if key.is_empty() {
            continue; // reported as KeyEmpty; two empty keys are not a useful duplicate
        }
        // AWS compares session tag keys case-insensitively.
        match first_seen.get(&key.to_lowercase()) {
            Some(&(other_index, other)) => {
                let message = if other == key {
                    format!(
                        "Tag key \"{key}\" is used twice (also mapping #{})",
                        other_index + 1
                    )
                } else {
                    format!(
                        "Tag key \"{key}\" equals \"{other}\" (mapping #{}) when case is ignored, as AWS does",
                        other_index + 1
                    )
                };
                let code = IssueCode::DuplicateKeyCaseInsensitive {
                    other: other.to_owned(),
                    other_index,
                };
                issues.push(issue(Severity::Error, code, index, key, message));
            }
            None => {
                first_seen.insert(key.to_lowercase(), (index, key));
            }
        }
    }
    if count == 0 {
        issues.push(Issue {
            severity: Severity::Warning,
            code: IssueCode::NoAttributes,
            mapping_index: None,
            tag_key: None,
            message: "No attributes: the statement is empty and no session tags are passed".into(),
        });
    }
    if count > MAX_ATTRIBUTES {
        issues.push(Issue {
            severity: Severity::Error,
            code: IssueCode::TooManyAttributes { count },
            mapping_index: None,
            tag_key: None,
            message: format!(
                "{count} attributes; AWS accepts at most {MAX_ATTRIBUTES} session tags"
            ),
        });
    }
    issues
}

fn key_issues(index: usize, key: &str) -> Vec<Issue> {
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

fn attribute_issues(index: usize, key: &str, attribute: &str) -> Vec<Issue> {
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

fn value_issues(index: usize, key: &str, value: &str) -> Vec<Issue> {
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

fn packed_size_hint(chars: usize) -> Option<Issue> {
    (chars > PACKED_SIZE_HINT_CHARS).then(|| Issue {
        severity: Severity::Info,
        code: IssueCode::PackedSizeHint { chars },
        mapping_index: None,
        tag_key: None,
        message: format!(
            "Keys and values total {chars} characters. AWS packs session tags into a space of undocumented size; \
             if sign-in fails with PackedPolicyTooLarge, pass fewer or shorter tags"
        ),
    })
}

fn size_issues(pairs: &[TagValue]) -> Vec<Issue> {
    let tag_chars = pairs
        .iter()
        .map(|p| char_len(&p.tag_key) + char_len(&p.value))
        .sum();
    let mut issues: Vec<Issue> = packed_size_hint(tag_chars).into_iter().collect();
    // Compact fragment: the smallest form an IdP could send.
    let compact = RenderOptions {
        standalone: false,
        pretty: false,
        name_format: false,
    };
    if let Ok(xml) = render_pairs(pairs, &compact) {
        let chars = char_len(&xml);
        let estimated_total = chars + ASSERTION_OVERHEAD_ESTIMATE_CHARS;
        let code = IssueCode::AssertionTooLarge {
            chars,
            estimated_total,
            limit: MAX_ASSERTION_CHARS,
        };
        if chars > MAX_ASSERTION_CHARS {
            issues.push(Issue {
                severity: Severity::Error,
                code,
                mapping_index: None,
                tag_key: None,
                message: format!(
                    "The attribute statement alone has {chars} characters; IAM Identity Center accepts assertions up to {MAX_ASSERTION_CHARS}"
                ),
            });
        } else if estimated_total > MAX_ASSERTION_CHARS {
            issues.push(Issue {
                severity: Severity::Warning,
                code,
                mapping_index: None,
                tag_key: None,
                message: format!(
                    "The attribute statement has {chars} characters; with a typical signature and subject \
                     (~{ASSERTION_OVERHEAD_ESTIMATE_CHARS}) the assertion may exceed {MAX_ASSERTION_CHARS}"
                ),
            });
        }
    }
    issues
}
