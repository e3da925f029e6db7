//! How a target takes writes, in the terms the planner (`drift::plan`) needs.

use drift::WriteRules;

use crate::capabilities::{capabilities, Deprovision, UserPatch};
use crate::kind::Kind;
use crate::settings::Settings;

/// The most member changes one group PATCH carries, whatever the target allows: AWS documents
/// 100, and smaller requests keep a rejected chunk cheap to retry.
pub const MAX_MEMBER_CHANGES: u32 = 100;

pub fn write_rules(kind: Kind, settings: &Settings) -> WriteRules {
    let caps = capabilities(kind);
    WriteRules {
        user_update_by_put: caps.user_patch == UserPatch::ActiveOnly,
        deprovision_deletes: caps.deprovision == Deprovision::Delete,
        max_member_changes: caps
            .group_patch
            .max_member_changes
            .map_or(MAX_MEMBER_CHANGES, |m| m.min(MAX_MEMBER_CHANGES)),
        groups: settings.manage_groups && caps.groups.supported,
        // StrongDM's PATCH forms for roles: `replace` with value `{displayName}`; a path is a 400.
        group_patch_value_object: kind == Kind::StrongDm,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_target_writes_its_own_way() {
        let rules = |k| write_rules(k, &Settings::default_for(k));
        assert!(rules(Kind::StrongDm).user_update_by_put);
        assert!(!rules(Kind::Aws).user_update_by_put);
        assert!(rules(Kind::Unity).deprovision_deletes);
        assert!(!rules(Kind::Generic).deprovision_deletes);
        assert!(!rules(Kind::Unity).groups, "Unity's guide turns groups off");
        assert!(rules(Kind::StrongDm).group_patch_value_object);
        assert!(!rules(Kind::Aws).group_patch_value_object);
        for k in [
            Kind::Aws,
            Kind::Unity,
            Kind::StrongDm,
            Kind::Axis,
            Kind::Generic,
        ] {
            assert!(rules(k).max_member_changes <= MAX_MEMBER_CHANGES);
        }
    }
}
