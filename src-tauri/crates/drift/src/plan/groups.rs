//! Group operations and member changes. Members are only ever added or removed in chunks of the
//! target's limit: replacing a whole member list is how other tools emptied AWS groups.

use std::collections::{HashMap, HashSet};

use serde_json::{json, Value};

use super::users::patch_operations;
use super::{
    member_chunks, Builder, MemberRef, OpAction, PlanInput, PlannedOp, SkippedItem, SkippedKind,
};
use crate::output::{DriftCode, DriftEntry, MemberChange};

pub(super) fn plan_groups(input: &PlanInput<'_>, out: &mut Builder<'_>) {
    let drift = &input.drift.groups;
    let users = UserTargets::of(input);

    for e in &drift.missing {
        let found = e
            .source_id
            .as_deref()
            .and_then(|id| Some((id, input.expected.group(id)?)));
        let Some((source_id, (mut body, member_source_ids))) = found else {
            out.skip(
                SkippedKind::Group,
                e,
                "No JumpCloud group to create it from",
            );
            continue;
        };
        body["externalId"] = json!(source_id);
        // Created empty; members follow in chunked adds, which every target accepts.
        if let Some(obj) = body.as_object_mut() {
            obj.remove("members");
        }
        out.op(PlannedOp {
            id: format!("group.create:{source_id}"),
            action: OpAction::CreateGroup,
            label: e.label.clone(),
            source_id: Some(source_id.to_owned()),
            target_id: None,
            destructive: false,
            reason: e.reason.clone(),
            reason_code: e.reason_code,
            attributes: Vec::new(),
            body,
            members: Vec::new(),
            group_source_id: None,
        });
        let mut seen = HashSet::new();
        let members: Vec<MemberRef> = member_source_ids
            .iter()
            .filter(|s| seen.insert(s.as_str()))
            .filter_map(|s| users.member(s))
            .collect();
        add_member_ops(out, &e.label, None, Some(source_id), members);
    }
    for e in &drift.changed {
        let found = e
            .source_id
            .as_deref()
            .and_then(|id| Some((id, input.expected.group(id)?)));
        let Some((source_id, (resource, _))) = found else {
            out.skip(
                SkippedKind::Group,
                e,
                "No JumpCloud group to update it from",
            );
            continue;
        };
        let target_id = e.target_id.clone().unwrap_or_default();
        let (ops, attributes) = if out.rules.group_patch_value_object {
            value_object_patch(&e.changes)
        } else {
            patch_operations(&e.changes, &resource)
        };
        out.op(PlannedOp {
            id: format!("group.update:{target_id}"),
            action: OpAction::PatchGroup,
            label: e.label.clone(),
            source_id: Some(source_id.to_owned()),
            target_id: Some(target_id),
            destructive: false,
            reason: e.reason.clone(),
            reason_code: e.reason_code,
            attributes,
            body: Value::Array(ops),
            members: Vec::new(),
            group_source_id: None,
        });
    }
    for e in &drift.conflicts {
        out.skip(
            SkippedKind::Group,
            e,
            format!("Needs a decision, not changed automatically: {}", e.reason),
        );
    }
    // Only groups deleted in JumpCloud: JumpCloud deletes them in the target too. Unbound
    // groups are left as is (JumpCloud keeps them), and so are bound groups that lost every
    // member (their members are removed below; the group and its assignments stay).
    for e in &drift.extra.formerly_managed {
        delete_group(e, out);
    }
    for e in &drift.extra.unmanaged {
        if out.policy.managed_only {
            out.skip(
                SkippedKind::Group,
                e,
                "Not created by JumpCloud: left alone (policy: manage only JumpCloud's objects)",
            );
        } else {
            delete_group(e, out);
        }
    }
}

/// One `replace` without a path whose value holds every changed top-level attribute.
fn value_object_patch(changes: &[crate::output::AttrChange]) -> (Vec<Value>, Vec<String>) {
    let mut value = serde_json::Map::new();
    for c in changes {
        value.insert(c.path.clone(), c.expected.clone());
    }
    let written = value.keys().cloned().collect();
    (vec![json!({"op": "replace", "value": value})], written)
}

fn delete_group(e: &DriftEntry, out: &mut Builder<'_>) {
    if out.policy.upsert_only {
        out.skip(
            SkippedKind::Group,
            e,
            format!("{}. Not deleted: the policy is upsert-only", e.reason),
        );
        return;
    }
    let target_id = e.target_id.clone().unwrap_or_default();
    out.op(PlannedOp {
        id: format!("group.delete:{target_id}"),
        action: OpAction::DeleteGroup,
        label: e.label.clone(),
        source_id: e.source_id.clone(),
        target_id: Some(target_id),
        destructive: true,
        reason: format!("{}. The group is deleted in the target", e.reason),
        reason_code: e.reason_code,
        attributes: Vec::new(),
        body: Value::Null,
        members: Vec::new(),
        group_source_id: None,
    });
}

pub(super) fn plan_memberships(input: &PlanInput<'_>, out: &mut Builder<'_>) {
    let users = UserTargets::of(input);
    for m in &input.drift.memberships {
        let mut adds = Vec::new();
        for c in &m.add {
            if c.reason_code == DriftCode::MemberNotProvisioned {
                continue; // JumpCloud does not provision the user, so it adds no membership
            }
            match c.user_target_id.as_deref() {
                Some(_) => adds.push(member_ref(c)),
                None => match c.user_source_id.as_deref().and_then(|s| users.member(s)) {
                    Some(r) => adds.push(r),
                    None => out.skip_item(member_skip(
                        m.group_label.as_str(),
                        c,
                        "The user is not created by this plan, so it cannot be added",
                    )),
                },
            }
        }
        add_member_ops(out, &m.group_label, Some(&m.group_target_id), None, adds);

        let mut removes = Vec::new();
        for c in &m.remove {
            if out.policy.upsert_only {
                out.skip_item(member_skip(
                    &m.group_label,
                    c,
                    "Not removed: the policy is upsert-only",
                ));
            } else if c.reason_code == DriftCode::UnmanagedMemberToRemove && out.policy.managed_only
            {
                out.skip_item(member_skip(
                    &m.group_label,
                    c,
                    "Member not provisioned by JumpCloud: left alone (policy: manage only JumpCloud's objects)",
                ));
            } else {
                removes.push(member_ref(c));
            }
        }
        let max = out.rules.max_member_changes;
        for (i, chunk) in member_chunks(removes, max) {
            out.op(PlannedOp {
                id: format!("group.members.remove:{}:{i}", m.group_target_id),
                action: OpAction::RemoveMembers,
                label: m.group_label.clone(),
                source_id: Some(m.group_source_id.clone()),
                target_id: Some(m.group_target_id.clone()),
                destructive: true,
                reason: format!(
                    "{} member(s) in the target group but not in JumpCloud",
                    chunk.len()
                ),
                reason_code: DriftCode::MemberToRemove,
                attributes: vec!["members".into()],
                body: Value::Null,
                members: chunk,
                group_source_id: None,
            });
        }
    }
}

fn add_member_ops(
    out: &mut Builder<'_>,
    label: &str,
    group_target_id: Option<&str>,
    group_source_id: Option<&str>,
    members: Vec<MemberRef>,
) {
    let key = group_target_id.or(group_source_id).unwrap_or_default();
    let max = out.rules.max_member_changes;
    for (i, chunk) in member_chunks(members, max) {
        out.op(PlannedOp {
            id: format!("group.members.add:{key}:{i}"),
            action: OpAction::AddMembers,
            label: label.to_owned(),
            source_id: group_source_id.map(str::to_owned),
            target_id: group_target_id.map(str::to_owned),
            destructive: false,
            reason: format!(
                "{} member(s) in JumpCloud, not in the target group",
                chunk.len()
            ),
            reason_code: DriftCode::MemberToAdd,
            attributes: vec!["members".into()],
            body: Value::Null,
            members: chunk,
            group_source_id: group_source_id.map(str::to_owned),
        });
    }
}

fn member_ref(c: &MemberChange) -> MemberRef {
    MemberRef {
        user_source_id: c.user_source_id.clone(),
        user_target_id: c.user_target_id.clone(),
        label: c.label.clone(),
    }
}

fn member_skip(group: &str, c: &MemberChange, why: &str) -> SkippedItem {
    SkippedItem {
        kind: SkippedKind::Member,
        label: format!("{} in {group}", c.label),
        source_id: c.user_source_id.clone(),
        target_id: c.user_target_id.clone(),
        reason_code: c.reason_code,
        reason: why.to_owned(),
    }
}

/// Where each expected user is (or will be) in the target, to name group members.
struct UserTargets<'d> {
    /// JumpCloud id -> target id, for users matched on both sides.
    matched: HashMap<&'d str, (&'d str, &'d str)>,
    /// JumpCloud ids of users this plan creates, with labels.
    created: HashMap<&'d str, &'d str>,
}

impl<'d> UserTargets<'d> {
    fn of(input: &PlanInput<'d>) -> Self {
        let u = &input.drift.users;
        let matched = [
            &u.in_sync,
            &u.changed,
            &u.conflicts,
            &u.deactivate,
            &u.disabled,
            &u.decisions,
        ]
        .into_iter()
        .flatten()
        .filter(|e| e.matched_by.is_some())
        .filter_map(|e| {
            Some((
                e.source_id.as_deref()?,
                (e.target_id.as_deref()?, e.label.as_str()),
            ))
        })
        .collect();
        let created = u
            .missing
            .iter()
            .filter(|e| e.reason_code == DriftCode::Missing)
            .filter_map(|e| Some((e.source_id.as_deref()?, e.label.as_str())))
            .collect();
        Self { matched, created }
    }

    /// The member reference for a JumpCloud user, if the user is or will be in the target.
    fn member(&self, source: &str) -> Option<MemberRef> {
        if let Some((target, label)) = self.matched.get(source) {
            return Some(MemberRef {
                user_source_id: Some(source.to_owned()),
                user_target_id: Some((*target).to_owned()),
                label: (*label).to_owned(),
            });
        }
        self.created.get(source).map(|label| MemberRef {
            user_source_id: Some(source.to_owned()),
            user_target_id: None,
            label: (*label).to_owned(),
        })
    }
}
