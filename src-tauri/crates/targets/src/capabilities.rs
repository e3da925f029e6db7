//! What each target can do over SCIM, as data the planner and the UI read.
//! Facts come from TARGETS.md and the vendor seeds; unknowns are `None`.

use serde::Serialize;
use ts_rs::TS;

use crate::kind::Kind;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export, export_to = "targets/", rename = "TargetCapabilities")]
pub struct Capabilities {
    pub groups: GroupSupport,
    pub deprovision: Deprovision,
    pub paging: PagingStyle,
    /// Largest `count` the target accepts on list calls.
    pub max_page_size: u32,
    pub filters: FilterSupport,
    pub user_patch: UserPatch,
    pub group_patch: GroupPatch,
    /// Whether group reads carry `members`; if not, see `membership_read`.
    pub group_reads_return_members: bool,
    pub membership_read: MembershipRead,
    /// Members accepted in one CreateGroup request, if limited.
    pub max_members_per_create: Option<u32>,
    pub user_delete: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export, export_to = "targets/")]
pub struct GroupSupport {
    pub supported: bool,
    pub meaning: GroupMeaning,
    /// Whether pushing groups from JumpCloud to this target is documented as working.
    pub verified_with_jumpcloud: bool,
    pub note: &'static str,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export, export_to = "targets/")]
pub enum GroupMeaning {
    Groups,
    /// StrongDM: a SCIM group is a StrongDM Role.
    Roles,
}

/// What JumpCloud's deprovision (`active: false`) does in the target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export, export_to = "targets/", rename = "DeprovisionStyle")]
pub enum Deprovision {
    /// The account stays, with `active: false`.
    Deactivate,
    /// The target deletes the account instead (Unity).
    Delete,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export, export_to = "targets/")]
pub enum PagingStyle {
    /// RFC 7644 `startIndex`/`count`.
    Index,
    /// AWS: `cursor`/`count`, reply carries `nextCursor`; no `startIndex`.
    Cursor,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export, export_to = "targets/", rename = "TargetFilterOp")]
pub enum FilterOp {
    Eq,
    Ne,
    Co,
    Sw,
    Ew,
    Pr,
    Gt,
    Ge,
    Lt,
    Le,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export, export_to = "targets/")]
pub struct FilterSupport {
    pub operators: Vec<FilterOp>,
    pub and: bool,
    pub or: bool,
    /// User attributes a filter may name; `None` means not restricted (or not documented).
    pub user_attributes: Option<Vec<&'static str>>,
    pub group_attributes: Option<Vec<&'static str>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export, export_to = "targets/", rename = "UserPatchRule")]
pub enum UserPatch {
    /// add/replace/remove on the usual attributes.
    Attributes,
    /// StrongDM: PATCH changes only `active`, as `{"op":"replace","value":{"active":false}}`;
    /// other changes need PUT.
    ActiveOnly,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export, export_to = "targets/")]
pub enum MemberRemoval {
    /// One op per member with `path: members[value eq "<id>"]`.
    FilterPath,
    /// One op `path: members` with a list of values.
    ValueList,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export, export_to = "targets/", rename = "GroupPatchRules")]
pub struct GroupPatch {
    /// Member additions plus removals in one PATCH; `None` if not documented.
    pub max_member_changes: Option<u32>,
    /// Whether `replace` of the whole `members` list is accepted.
    pub replace_all_members: bool,
    pub member_removal: MemberRemoval,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export, export_to = "targets/", rename = "MembershipReadStrategy")]
pub enum MembershipRead {
    /// Groups carry their `members`.
    Inline,
    /// Group reads come back without members: ask per user with a `members eq` filter.
    FilterByMember,
}

/// The capabilities of one target.
pub fn capabilities(kind: Kind) -> Capabilities {
    let rfc_filters = FilterSupport {
        operators: vec![
            FilterOp::Eq,
            FilterOp::Ne,
            FilterOp::Co,
            FilterOp::Sw,
            FilterOp::Ew,
            FilterOp::Pr,
            FilterOp::Gt,
            FilterOp::Ge,
            FilterOp::Lt,
            FilterOp::Le,
        ],
        and: true,
        or: true,
        user_attributes: None,
        group_attributes: None,
    };
    let rfc_group_patch = GroupPatch {
        max_member_changes: None,
        replace_all_members: true,
        member_removal: MemberRemoval::FilterPath,
    };
    let base = Capabilities {
        groups: GroupSupport {
            supported: true,
            meaning: GroupMeaning::Groups,
            verified_with_jumpcloud: true,
            note: "",
        },
        deprovision: Deprovision::Deactivate,
        paging: PagingStyle::Index,
        max_page_size: 100,
        filters: rfc_filters,
        user_patch: UserPatch::Attributes,
        group_patch: rfc_group_patch,
        group_reads_return_members: true,
        membership_read: MembershipRead::Inline,
        max_members_per_create: None,
        user_delete: true,
    };
    match kind {
        Kind::Aws => Capabilities {
            groups: GroupSupport {
                note: "Only groups bound to the IAM Identity Center connector in JumpCloud are synchronised.",
                ..base.groups
            },
            paging: PagingStyle::Cursor,
            max_page_size: 100,
            filters: FilterSupport {
                operators: vec![FilterOp::Eq],
                and: true,
                or: false,
                user_attributes: Some(vec!["userName", "externalId", "groups.value", "id", "manager"]),
                group_attributes: Some(vec!["displayName", "externalId", "id", "members"]),
            },
            group_patch: GroupPatch {
                max_member_changes: Some(100),
                replace_all_members: false,
                member_removal: MemberRemoval::ValueList,
            },
            group_reads_return_members: false,
            membership_read: MembershipRead::FilterByMember,
            max_members_per_create: Some(100),
            ..base
        },
        Kind::Unity => Capabilities {
            groups: GroupSupport {
                supported: true,
                meaning: GroupMeaning::Groups,
                verified_with_jumpcloud: false,
                note: "Unity looks groups up by displayName; members must already be provisioned users \
                       in validated domains. Verified by Unity only with Okta; JumpCloud group push is \
                       unverified and Unity's JumpCloud guide says not to enable group management.",
            },
            deprovision: Deprovision::Delete,
            ..base
        },
        Kind::StrongDm => Capabilities {
            groups: GroupSupport {
                supported: true,
                meaning: GroupMeaning::Roles,
                verified_with_jumpcloud: true,
                note: "SCIM groups are StrongDM Roles (ids start with r-). JumpCloud syncs groups of users, \
                       not individual users.",
            },
            filters: FilterSupport {
                operators: vec![FilterOp::Eq],
                and: false,
                or: false,
                user_attributes: Some(vec!["userName"]),
                group_attributes: Some(vec!["displayName"]),
            },
            user_patch: UserPatch::ActiveOnly,
            ..base
        },
        Kind::Axis => Capabilities {
            groups: GroupSupport {
                note: "Axis syncs users and groups from a JumpCloud identity provider. Its filters, paging \
                       and limits are not documented.",
                ..base.groups
            },
            ..base
        },
        Kind::Generic => Capabilities {
            groups: GroupSupport {
                verified_with_jumpcloud: false,
                note: "Depends on the server; check its /ServiceProviderConfig.",
                ..base.groups
            },
            ..base
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aws_pages_by_cursor_and_limits_group_patches() {
        let c = capabilities(Kind::Aws);
        assert_eq!(c.paging, PagingStyle::Cursor);
        assert_eq!(c.max_page_size, 100);
        assert_eq!(c.filters.operators, vec![FilterOp::Eq]);
        assert!(c.filters.and && !c.filters.or);
        assert_eq!(c.group_patch.max_member_changes, Some(100));
        assert!(!c.group_patch.replace_all_members);
        assert!(!c.group_reads_return_members);
        assert_eq!(c.membership_read, MembershipRead::FilterByMember);
        assert_eq!(c.deprovision, Deprovision::Deactivate);
    }

    #[test]
    fn strongdm_groups_are_roles_and_user_patch_is_active_only() {
        let c = capabilities(Kind::StrongDm);
        assert_eq!(c.groups.meaning, GroupMeaning::Roles);
        assert_eq!(c.user_patch, UserPatch::ActiveOnly);
        assert_eq!(c.filters.user_attributes, Some(vec!["userName"]));
        assert_eq!(c.filters.group_attributes, Some(vec!["displayName"]));
        assert_eq!(c.paging, PagingStyle::Index);
    }

    #[test]
    fn unity_deletes_instead_of_deactivating_and_group_push_is_unverified() {
        let c = capabilities(Kind::Unity);
        assert_eq!(c.deprovision, Deprovision::Delete);
        assert!(c.groups.supported);
        assert!(!c.groups.verified_with_jumpcloud);
        assert!(c.groups.note.contains("displayName"));
    }

    #[test]
    fn only_aws_deviates_from_index_paging_and_inline_members() {
        for kind in Kind::ALL {
            let c = capabilities(kind);
            assert_eq!(
                c.paging == PagingStyle::Cursor,
                kind == Kind::Aws,
                "{kind:?}"
            );
            assert_eq!(c.group_reads_return_members, kind != Kind::Aws, "{kind:?}");
            assert!(c.max_page_size <= 100);
        }
    }
}
