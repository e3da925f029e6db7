//! Size rules: AWS's packed tag space (a hint) and the 50,000-character
//! assertion limit.

use super::char_len;
use crate::issue::{Issue, IssueCode, Severity};
use crate::limits::{
    ASSERTION_OVERHEAD_ESTIMATE_CHARS, MAX_ASSERTION_CHARS, PACKED_SIZE_HINT_CHARS,
};
use crate::model::TagValue;
use crate::render::{render_pairs, RenderOptions};

pub(super) fn packed_size_hint(chars: usize) -> Option<Issue> {
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

pub(super) fn size_issues(pairs: &[TagValue]) -> Vec<Issue> {
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
