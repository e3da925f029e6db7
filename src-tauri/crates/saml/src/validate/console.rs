//! Keys also configured on Identity Center's "Attributes for access control"
//! page: AWS then uses the identity-store value and ignores the SAML one
//! (AWS docs, configure-abac.html).

use super::issue;
use crate::issue::{Issue, IssueCode, Severity};
use crate::model::Mapping;

/// A warning for every mapping whose key (compared case-insensitively, as
/// AWS does) is also configured in the Identity Center console.
pub fn console_overrides(mappings: &[Mapping], console_keys: &[String]) -> Vec<Issue> {
    mappings
        .iter()
        .enumerate()
        .filter_map(|(index, mapping)| {
            let wanted = mapping.tag_key.to_lowercase();
            let console_key = console_keys.iter().find(|k| k.to_lowercase() == wanted)?;
            Some(issue(
                Severity::Warning,
                IssueCode::OverriddenByConsole {
                    console_key: console_key.clone(),
                },
                index,
                &mapping.tag_key,
                format!(
                    "Tag \"{}\" is also configured in IAM Identity Center as \"{console_key}\"; \
                     AWS uses that identity-store value and ignores the one sent in SAML",
                    mapping.tag_key
                ),
            ))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_keys_the_console_also_defines_ignoring_case() {
        let mappings = [
            Mapping::attribute("CostCenter", "costCenter"),
            Mapping::attribute("Team", "department"),
        ];
        let issues = console_overrides(&mappings, &["costcenter".to_owned(), "Email".to_owned()]);
        assert_eq!(issues.len(), 1);
        assert_eq!(issues[0].mapping_index, Some(0));
        assert_eq!(
            issues[0].code,
            IssueCode::OverriddenByConsole {
                console_key: "costcenter".into()
            }
        );
        assert_eq!(issues[0].severity, Severity::Warning);
        assert!(console_overrides(&mappings, &[]).is_empty());
    }
}
