//! Checks mappings (template mode) and resolved values (one user) against
//! AWS's session-tag rules and what XML can carry.

mod console;
mod items;
mod size;
mod statement;

use crate::issue::{Issue, IssueCode, Severity};
use crate::model::{Mapping, Source, TagValue, UserValues};
use crate::render::resolve;

pub use console::console_overrides;
use items::{attribute_issues, key_issues, value_issues};
pub use items::{MULTI_VALUED_FIELDS, OBJECT_FIELDS};
use size::{packed_size_hint, size_issues};
use statement::statement_issues;

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
