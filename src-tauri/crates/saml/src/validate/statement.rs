//! Statement-wide rules: attribute count and case-insensitive duplicate keys.

use std::collections::HashMap;

use super::issue;
use crate::issue::{Issue, IssueCode, Severity};
use crate::limits::MAX_ATTRIBUTES;

/// Count and case-insensitive duplicates.
pub(super) fn statement_issues<'a>(keys: impl Iterator<Item = &'a str>) -> Vec<Issue> {
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
