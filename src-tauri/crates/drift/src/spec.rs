//! Which attributes a target manages and how to compare them.

use serde::{Deserialize, Serialize};

use crate::error::Result;
use crate::path::AttrPath;

/// What to compare. Attributes the target does not manage are never drift.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export_to = "drift/")]
pub struct CompareSpec {
    /// User attributes the target manages. `active` here also turns on
    /// active-state drift (deactivate); `externalId` and `id` are handled apart.
    #[ts(as = "Vec<String>")]
    pub user_attributes: Vec<AttrPath>,
    /// Group attributes the target manages (membership is always compared, apart).
    #[ts(as = "Vec<String>")]
    pub group_attributes: Vec<AttrPath>,
    /// User attributes compared without case; `emails` covers `emails[...].value`.
    #[ts(as = "Vec<String>")]
    pub case_insensitive: Vec<AttrPath>,
    /// Group attributes compared without case. If `displayName` is listed,
    /// groups are also matched by name without case.
    #[ts(as = "Vec<String>")]
    pub group_case_insensitive: Vec<AttrPath>,
    /// Report a missing or different `externalId` on matched resources.
    pub compare_external_id: bool,
    /// The target deletes where JumpCloud deactivates (Unity): deprovisioning becomes a
    /// decision for the admin instead of a planned write.
    #[serde(default)]
    pub deprovision_deletes: bool,
}

impl CompareSpec {
    /// Builds a spec from path strings; fails on the first path that does not parse.
    pub fn from_paths(
        user_attributes: &[&str],
        group_attributes: &[&str],
        case_insensitive: &[&str],
        group_case_insensitive: &[&str],
    ) -> Result<Self> {
        let parse = |v: &[&str]| {
            v.iter()
                .map(|s| AttrPath::parse(s))
                .collect::<Result<Vec<_>>>()
        };
        Ok(Self {
            user_attributes: parse(user_attributes)?,
            group_attributes: parse(group_attributes)?,
            case_insensitive: parse(case_insensitive)?,
            group_case_insensitive: parse(group_case_insensitive)?,
            compare_external_id: true,
            deprovision_deletes: false,
        })
    }

    /// The attributes JumpCloud's SCIM connector maps (TARGETS.md §5a), matched
    /// the way JumpCloud does: userName and emails without case, group names exactly.
    pub fn jumpcloud_default() -> Self {
        Self::from_paths(
            &[
                "userName",
                "name.givenName",
                "name.familyName",
                "displayName",
                "emails[primary].value",
                "active",
                "title",
                "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department",
            ],
            &["displayName"],
            &["userName", "emails"],
            &[],
        )
        .unwrap_or_else(|e| unreachable!("built-in paths parse: {e}"))
    }

    pub(crate) fn user_folds(&self, path: &AttrPath) -> bool {
        self.case_insensitive.iter().any(|c| c.same_attribute(path))
    }

    pub(crate) fn group_folds(&self, path: &AttrPath) -> bool {
        self.group_case_insensitive
            .iter()
            .any(|c| c.same_attribute(path))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_spec_folds_user_name_and_emails_only() {
        let spec = CompareSpec::jumpcloud_default();
        let p = |s: &str| AttrPath::parse(s).unwrap();
        assert!(spec.user_folds(&p("userName")));
        assert!(spec.user_folds(&p("emails[primary].value")));
        assert!(!spec.user_folds(&p("displayName")));
        assert!(!spec.group_folds(&p("displayName")));
    }

    #[test]
    fn from_paths_reports_the_bad_path() {
        let err = CompareSpec::from_paths(&["userName", "emails[x"], &[], &[], &[]).unwrap_err();
        assert!(err.to_string().contains("emails[x"));
    }

    #[test]
    fn spec_serialises_paths_as_strings() {
        let spec = CompareSpec::jumpcloud_default();
        let json = serde_json::to_value(&spec).unwrap();
        assert_eq!(json["user_attributes"][4], "emails[primary eq true].value");
        let back: CompareSpec = serde_json::from_value(json).unwrap();
        assert_eq!(back, spec);
    }
}
