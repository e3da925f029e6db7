//! Membership drift of every group present on both sides: members to add and
//! to remove, in terms of target user ids.

use serde_json::Value;

use crate::groups::GroupSide;
use crate::input::{Actual, Expected};
use crate::output::{DriftCode, MemberChange, MembershipDrift};
use crate::path::get_ci;
use crate::strtable::StrTable;
use crate::users::{Owner, UserSide};

const UNSET: u32 = u32::MAX;

pub(crate) fn diff_memberships(
    expected: &Expected,
    actual: &Actual,
    users: &UserSide<'_>,
    groups: &GroupSide<'_>,
) -> Vec<MembershipDrift> {
    let members = actual_members(actual, groups);

    // Per-user stamps (the expected group's index) replace one hash set per
    // group: marking and testing a member is then an array access.
    let mut want = vec![UNSET; users.actual.len()];
    let mut have = vec![UNSET; users.actual.len()];
    let mut out = Vec::new();

    for (gi, g) in expected.groups.iter().enumerate() {
        let Some(ai) = groups.matched[gi] else {
            continue;
        };
        let stamp = gi as u32;
        let mut add = Vec::new();
        let mut remove = Vec::new();
        let mut wanted = Vec::with_capacity(g.member_source_ids.len());

        for source in &g.member_source_ids {
            let source = source.trim();
            // Members JumpCloud does not provision (ineligible, out of scope) are not expected here.
            let Some(Owner::Expected(ei)) = users.by_source.get(source) else {
                continue;
            };
            match users.matched[ei as usize] {
                Some(u) if want[u as usize] != stamp => {
                    want[u as usize] = stamp;
                    wanted.push(u);
                }
                Some(_) => {}
                None => add.push(MemberChange {
                    user_source_id: Some(source.to_string()),
                    user_target_id: None,
                    label: expected.users[ei as usize].label.clone(),
                    reason_code: DriftCode::MemberToAddAfterUserCreate,
                    reason: "Member in JumpCloud; the user is not in the target yet".to_string(),
                }),
            }
        }

        for &member in &members[ai as usize] {
            let Some(u) = users.by_target_id.get(member) else {
                remove.push(MemberChange {
                    user_source_id: None,
                    user_target_id: Some(member.to_string()),
                    label: member.to_string(),
                    reason_code: DriftCode::UnmanagedMemberToRemove,
                    reason: "Member id is not a user read from the target".to_string(),
                });
                continue;
            };
            if have[u as usize] == stamp {
                continue;
            }
            have[u as usize] = stamp;
            if want[u as usize] == stamp {
                continue;
            }
            let user = &users.actual[u as usize];
            let (code, reason, source) = match users.owner[u as usize] {
                Owner::Expected(ei) => (
                    DriftCode::MemberToRemove,
                    "In the target group but not a member in JumpCloud",
                    Some(expected.users[ei as usize].source_id.clone()),
                ),
                _ => (
                    DriftCode::UnmanagedMemberToRemove,
                    "In the target group but not a user JumpCloud provisions",
                    None,
                ),
            };
            remove.push(MemberChange {
                user_source_id: source,
                user_target_id: Some(user.id.to_string()),
                label: user.label().to_string(),
                reason_code: code,
                reason: reason.to_string(),
            });
        }

        for &u in &wanted {
            if have[u as usize] != stamp {
                let user = &users.actual[u as usize];
                let Owner::Expected(ei) = users.owner[u as usize] else {
                    continue;
                };
                add.push(MemberChange {
                    user_source_id: Some(expected.users[ei as usize].source_id.clone()),
                    user_target_id: Some(user.id.to_string()),
                    label: expected.users[ei as usize].label.clone(),
                    reason_code: DriftCode::MemberToAdd,
                    reason: "Member in JumpCloud, not in the target group".to_string(),
                });
            }
        }

        if add.is_empty() && remove.is_empty() {
            continue;
        }
        for v in [&mut add, &mut remove] {
            v.sort_unstable_by(|a, b| (&a.label, a.key()).cmp(&(&b.label, b.key())));
            // A member id listed twice (dangling, or a duplicate JumpCloud id) is one change.
            v.dedup_by(|a, b| {
                a.user_source_id == b.user_source_id && a.user_target_id == b.user_target_id
            });
        }
        let target = &groups.actual[ai as usize];
        out.push(MembershipDrift {
            group_source_id: g.source_id.trim().to_string(),
            group_target_id: target.id.to_string(),
            group_label: g.label.clone(),
            add,
            remove,
        });
    }
    out.sort_unstable_by(|a, b| {
        (&a.group_label, &a.group_source_id).cmp(&(&b.group_label, &b.group_source_id))
    });
    out
}

/// Target members per target group: the group's own `members` array merged
/// with the separately read `(group id, user id)` pairs (AWS returns empty `members`).
fn actual_members<'a>(actual: &'a Actual, groups: &GroupSide<'a>) -> Vec<Vec<&'a str>> {
    let mut members: Vec<Vec<&'a str>> = groups
        .actual
        .iter()
        .map(|g| match get_ci(g.v, "members") {
            Some(Value::Array(items)) => items
                .iter()
                .filter_map(|m| get_ci(m, "value").and_then(Value::as_str))
                .map(str::trim)
                .collect(),
            _ => Vec::new(),
        })
        .collect();
    let mut by_id = StrTable::with_capacity(groups.actual.len());
    for (i, g) in groups.actual.iter().enumerate() {
        if !g.id.is_empty() {
            by_id.insert(g.id, i as u32);
        }
    }
    for (group_id, user_id) in &actual.memberships {
        if let Some(i) = by_id.get(group_id.trim()) {
            members[i as usize].push(user_id.trim());
        }
    }
    members
}
