//! Membership drift of every group present on both sides: members to add and
//! to remove, in terms of target user ids.

use std::ops::Range;

use crate::groups::GroupSide;
use crate::input::{Actual, Expected};
use crate::output::{DriftCode, MemberChange, MembershipDrift};
use crate::par;
use crate::record::Node;
use crate::strtable::StrTable;
use crate::users::{Owner, UserSide};

const UNSET: u32 = u32::MAX;

/// `members`: the target members of each target group, from [`actual_members`].
pub(crate) fn diff_memberships(
    expected: &Expected,
    members: &[Vec<&str>],
    users: &UserSide<'_>,
    groups: &GroupSide<'_>,
    parts: usize,
) -> Vec<MembershipDrift> {
    // Expected groups are independent of each other: split them over the cores by how many
    // members they have, and put the parts back in order.
    let weights = expected.groups.iter().enumerate().map(|(gi, g)| {
        let target = groups.matched[gi].map_or(0, |ai| members[ai as usize].len());
        g.member_source_ids.len() + target
    });
    let mut out: Vec<MembershipDrift> = par::map_ranges(weights, parts, |range| {
        groups_in(expected, members, users, groups, range)
    })
    .into_iter()
    .flatten()
    .collect();
    out.sort_unstable_by(|a, b| {
        (&a.group_label, &a.group_source_id).cmp(&(&b.group_label, &b.group_source_id))
    });
    out
}

/// The membership drift of the expected groups in `range`.
fn groups_in(
    expected: &Expected,
    members: &[Vec<&str>],
    users: &UserSide<'_>,
    groups: &GroupSide<'_>,
    range: Range<usize>,
) -> Vec<MembershipDrift> {
    // Per-user stamps (the expected group's index) replace one hash set per
    // group: marking and testing a member is then an array access.
    let mut want = vec![UNSET; users.actual.len()];
    let mut have = vec![UNSET; users.actual.len()];
    let mut out = Vec::new();
    let mut found = Vec::new();

    for (gi, g) in expected
        .groups
        .iter()
        .enumerate()
        .take(range.end)
        .skip(range.start)
    {
        let Some(ai) = groups.matched[gi] else {
            continue;
        };
        let stamp = gi as u32;
        let mut add = Vec::new();
        let mut remove = Vec::new();
        let mut wanted = Vec::with_capacity(g.member_source_ids.len());

        found.clear();
        let sources = || g.member_source_ids.iter().map(|s| s.trim());
        users.by_source.get_all(sources(), &mut found);
        for (source, &owner) in sources().zip(&found) {
            // Members JumpCloud does not provision (ineligible, out of scope) are not expected here.
            let Some(Owner::Expected(ei)) = owner.map(Owner::decode) else {
                continue;
            };
            match users.matched[ei as usize] {
                Some(u) if want[u as usize] != stamp => {
                    want[u as usize] = stamp;
                    wanted.push(u);
                }
                Some(_) => {}
                None => {
                    let user = &expected.users[ei as usize];
                    // JumpCloud does not create inactive users, so it cannot add them either.
                    let (reason_code, reason) =
                        if crate::compare::active(user.resource.node()).unwrap_or(true) {
                            (
                                DriftCode::MemberToAddAfterUserCreate,
                                "Member in JumpCloud; the user is not in the target yet",
                            )
                        } else {
                            (
                            DriftCode::MemberNotProvisioned,
                            "Member in JumpCloud, but the user is not provisioned while inactive",
                        )
                        };
                    add.push(MemberChange {
                        user_source_id: Some(source.to_string()),
                        user_target_id: None,
                        label: user.label.clone(),
                        reason_code,
                        reason: reason.to_string(),
                    });
                }
            }
        }

        found.clear();
        let target_members = &members[ai as usize];
        users
            .by_target_id
            .get_all(target_members.iter().copied(), &mut found);
        for (&member, &u) in target_members.iter().zip(&found) {
            let Some(u) = u else {
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
    out
}

/// Target members per target group: the group's own `members` array merged
/// with the separately read `(group id, user id)` pairs (AWS returns empty `members`).
pub(crate) fn actual_members<'a>(actual: &'a Actual, groups: &GroupSide<'a>) -> Vec<Vec<&'a str>> {
    let mut members: Vec<Vec<&'a str>> = groups
        .actual
        .iter()
        .map(|g| match g.v.get("members").and_then(Node::items) {
            Some(items) => items
                .filter_map(|m| m.get("value").and_then(Node::as_str))
                .map(str::trim)
                .collect(),
            None => Vec::new(),
        })
        .collect();
    let mut by_id = StrTable::with_capacity(groups.actual.len());
    for (i, g) in groups.actual.iter().enumerate() {
        if !g.id.is_empty() {
            by_id.insert(g.id, i as u32);
        }
    }
    let mut found = Vec::with_capacity(1024);
    for pairs in actual.memberships.chunks(1024) {
        found.clear();
        by_id.get_all(
            pairs.iter().map(|(group_id, _)| group_id.trim()),
            &mut found,
        );
        for ((_, user_id), &group) in pairs.iter().zip(&found) {
            if let Some(i) = group {
                members[i as usize].push(user_id.trim());
            }
        }
    }
    members
}
