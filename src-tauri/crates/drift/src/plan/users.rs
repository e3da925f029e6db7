//! User operations: create what is missing, update what changed (PATCH, or PUT where the target
//! needs it), deprovision what JumpCloud would deprovision, and leave conflicts to a person.

use serde_json::{json, Map, Value};

use super::{Builder, DecisionKind, OpAction, PlanInput, PlannedOp, SkippedKind};
use crate::output::{AttrChange, DriftCode, DriftEntry};

pub(super) fn plan_users(input: &PlanInput<'_>, out: &mut Builder<'_>) {
    let drift = &input.drift.users;
    // The JumpCloud id and the resource JumpCloud would push for a row.
    let find = |e: &DriftEntry| {
        let id = e.source_id.as_deref()?;
        Some(ExpectedUser {
            source_id: id.to_owned(),
            resource: input.expected.user(id)?,
        })
    };

    for e in &drift.missing {
        match find(e) {
            Some(user) => out.op(create(e, &user)),
            None => out.skip(
                SkippedKind::User,
                e,
                "No JumpCloud record to create it from",
            ),
        }
    }
    for e in &drift.changed {
        match find(e) {
            Some(user) => {
                out.op(update(e, &user, out.rules.user_update_by_put));
                if e.reason_code == DriftCode::DisabledInTarget {
                    offer_reenable(e, &user, out);
                }
            }
            None => out.skip(
                SkippedKind::User,
                e,
                "No JumpCloud record to update it from",
            ),
        }
    }
    for e in &drift.disabled {
        match find(e) {
            Some(user) => offer_reenable(e, &user, out),
            None => out.skip(SkippedKind::User, e, "No JumpCloud record for this user"),
        }
    }
    for e in &drift.conflicts {
        out.skip(
            SkippedKind::User,
            e,
            format!("Needs a decision, not changed automatically: {}", e.reason),
        );
    }
    for e in &drift.deactivate {
        update_before_deprovision(e, out, find(e).as_ref(), false);
        deprovision(e, out, &e.reason);
    }
    for e in &drift.decisions {
        // Attributes keep syncing as JumpCloud would, unless the account is deleted right after.
        let mirrored =
            e.reason_code == DriftCode::SourceIdNotInDirectory && out.policy.mirror_deletes;
        let target_id = e.target_id.as_deref().unwrap_or_default();
        let deleted = !out.policy.upsert_only
            && (mirrored || out.policy.has_decided(&format!("user.delete:{target_id}")));
        update_before_deprovision(e, out, find(e).as_ref(), deleted);
        if mirrored {
            delete_deleted(e, out);
        } else {
            out.decide(
                DecisionKind::Delete,
                e,
                "delete the account in the target",
                deprovision_op(e, OpAction::DeleteUser, e.reason.clone()),
            );
        }
    }
    for e in drift.ineligible.iter().filter(|e| e.target_id.is_some()) {
        let why: Vec<&str> = e.source_reasons.iter().map(|r| r.text.as_str()).collect();
        out.skip(
            SkippedKind::User,
            e,
            format!(
                "Ineligible in JumpCloud ({}); the target account is left as is",
                why.join("; ")
            ),
        );
    }
    // Accounts whose JumpCloud user was deleted: JumpCloud deletes them; the plan deactivates
    // unless the policy mirrors deletes (then already deactivated ones are deleted too).
    for e in &drift.extra.formerly_managed {
        if out.policy.mirror_deletes {
            delete_deleted(e, out);
        } else {
            deprovision(e, out, &e.reason);
        }
    }
    for e in &drift.left_as_is {
        if e.reason_code == DriftCode::SourceIdNotInDirectory && out.policy.mirror_deletes {
            delete_deleted(e, out);
        }
    }
    for e in &drift.extra.unmanaged {
        let inactive = e
            .target_id
            .as_ref()
            .is_some_and(|id| input.inactive_target_users.contains(id));
        if out.policy.managed_only {
            out.skip(
                SkippedKind::User,
                e,
                "Not created by JumpCloud: left alone (policy: manage only JumpCloud's objects)",
            );
        } else if !inactive || out.rules.deprovision_deletes {
            deprovision(e, out, "Not in JumpCloud's scope for this app");
        }
    }
}

/// A user about to be deprovisioned can differ in more than `active`: bring the rest up to
/// date too (also under upsert-only), or the next diff would find it changed.
fn update_before_deprovision(
    e: &DriftEntry,
    out: &mut Builder<'_>,
    user: Option<&ExpectedUser>,
    deleted: bool,
) {
    let others: Vec<AttrChange> = e
        .changes
        .iter()
        .filter(|c| !c.path.eq_ignore_ascii_case("active"))
        .cloned()
        .collect();
    // Pointless when the account is about to be deleted.
    if let (false, false, Some(user)) = (others.is_empty(), deleted, user) {
        let mut op = update(
            &DriftEntry {
                changes: others,
                ..e.clone()
            },
            user,
            out.rules.user_update_by_put,
        );
        op.reason = format!("{} (attributes updated first)", e.reason);
        out.op(op);
    }
}

/// Offers to set `active: true` on a user someone disabled in the target. Never planned by
/// default: the user may have been disabled for a reason JumpCloud does not know.
fn offer_reenable(e: &DriftEntry, user: &ExpectedUser, out: &mut Builder<'_>) {
    let target_id = e.target_id.clone().unwrap_or_default();
    let (action, body) = if out.rules.user_update_by_put {
        let mut body = user.put_body(&target_id);
        body["active"] = json!(true);
        (OpAction::ReplaceUser, body)
    } else {
        (
            OpAction::PatchUser,
            json!([{"op": "replace", "path": "active", "value": true}]),
        )
    };
    let op = user.write(
        e,
        format!("user.reenable:{target_id}"),
        action,
        Some(target_id),
        vec!["active".into()],
        body,
    );
    out.decide(
        DecisionKind::Reenable,
        e,
        "re-enable the user in the target (active: true)",
        op,
    );
}

/// Deletes an account whose JumpCloud user was deleted, as JumpCloud does (policy: mirror
/// deletes), unless the policy is upsert-only.
fn delete_deleted(e: &DriftEntry, out: &mut Builder<'_>) {
    let reason = format!(
        "{}. Deleted as JumpCloud does (policy: mirror deletes)",
        e.reason
    );
    if out.policy.upsert_only {
        out.skip(
            SkippedKind::User,
            e,
            format!("{reason}. Not deleted: the policy is upsert-only"),
        );
        return;
    }
    out.op(deprovision_op(e, OpAction::DeleteUser, reason));
}

/// A user as the planner needs it: JumpCloud id and SCIM resource.
struct ExpectedUser {
    source_id: String,
    resource: Value,
}

impl ExpectedUser {
    /// A PUT replaces the whole object, so the body is the full resource addressed to the
    /// target's id and linked to JumpCloud by externalId.
    fn put_body(&self, target_id: &str) -> Value {
        let mut body = self.resource.clone();
        body["id"] = json!(target_id);
        body["externalId"] = json!(self.source_id);
        body
    }

    /// The non-destructive writes of this user (create, update, re-enable) differ only in id,
    /// action, target object, attributes and body; the rest comes from the drift entry.
    fn write(
        &self,
        e: &DriftEntry,
        id: String,
        action: OpAction,
        target_id: Option<String>,
        attributes: Vec<String>,
        body: Value,
    ) -> PlannedOp {
        PlannedOp {
            id,
            action,
            label: e.label.clone(),
            source_id: Some(self.source_id.clone()),
            target_id,
            destructive: false,
            reason: e.reason.clone(),
            reason_code: e.reason_code,
            attributes,
            body,
            members: Vec::new(),
            group_source_id: None,
        }
    }
}

fn create(e: &DriftEntry, user: &ExpectedUser) -> PlannedOp {
    let mut body = user.resource.clone();
    // JumpCloud sends its id as externalId; the drift matched on exactly that.
    body["externalId"] = json!(user.source_id);
    user.write(
        e,
        format!("user.create:{}", user.source_id),
        OpAction::CreateUser,
        None,
        Vec::new(),
        body,
    )
}

fn update(e: &DriftEntry, user: &ExpectedUser, by_put: bool) -> PlannedOp {
    let target_id = e.target_id.clone().unwrap_or_default();
    let (action, body, attributes) = if by_put {
        let mut body = user.put_body(&target_id);
        match e.reason_code {
            // Deactivating is the deprovision operation's job, which the policy may withhold.
            DriftCode::SuspendedInSource => body["active"] = json!(true),
            // Someone disabled it in the target: a PUT must not re-enable it on the way.
            DriftCode::DisabledInTarget => body["active"] = json!(false),
            _ => {}
        }
        let attrs = e.changes.iter().map(|c| c.path.clone()).collect();
        (OpAction::ReplaceUser, body, attrs)
    } else {
        let (ops, attrs) = patch_operations(&e.changes, &user.resource);
        (OpAction::PatchUser, Value::Array(ops), attrs)
    };
    user.write(
        e,
        format!("user.update:{target_id}"),
        action,
        Some(target_id),
        attributes,
        body,
    )
}

/// Deactivates (or, where the target only deletes, deletes) a target account, unless the policy
/// is upsert-only.
fn deprovision(e: &DriftEntry, out: &mut Builder<'_>, why: &str) {
    if out.policy.upsert_only {
        out.skip(
            SkippedKind::User,
            e,
            format!("{why}. Not deprovisioned: the policy is upsert-only"),
        );
        return;
    }
    let op = if out.rules.deprovision_deletes {
        deprovision_op(
            e,
            OpAction::DeleteUser,
            format!("{why}. This target deletes instead of deactivating: the account is removed"),
        )
    } else {
        deprovision_op(e, OpAction::DeactivateUser, why.to_owned())
    };
    out.op(op);
}

fn deprovision_op(e: &DriftEntry, action: OpAction, reason: String) -> PlannedOp {
    let target_id = e.target_id.clone().unwrap_or_default();
    let verb = if action == OpAction::DeleteUser {
        "delete"
    } else {
        "deactivate"
    };
    PlannedOp {
        id: format!("user.{verb}:{target_id}"),
        action,
        label: e.label.clone(),
        source_id: e.source_id.clone(),
        target_id: Some(target_id),
        destructive: true,
        reason,
        reason_code: e.reason_code,
        attributes: if action == OpAction::DeactivateUser {
            vec!["active".into()]
        } else {
            Vec::new()
        },
        body: Value::Null,
        members: Vec::new(),
        group_source_id: None,
    }
}

/// PATCH operations for the changed attributes, and the attribute paths written.
///
/// A change inside a multi-valued attribute (`emails[primary eq true].value`) replaces the whole
/// attribute with JumpCloud's list: a filtered path fails on targets where the matching element
/// is absent, and the whole list is what JumpCloud itself sends. Absent expected values remove.
pub(crate) fn patch_operations(
    changes: &[AttrChange],
    resource: &Value,
) -> (Vec<Value>, Vec<String>) {
    let mut ops = Vec::new();
    let mut written: Vec<String> = Vec::new();
    for change in changes {
        let (path, value) = match change.path.find('[') {
            Some(at) => {
                let top = &change.path[..at];
                (
                    top.to_owned(),
                    lookup(resource, top).cloned().unwrap_or(Value::Null),
                )
            }
            None => (change.path.clone(), change.expected.clone()),
        };
        if written.iter().any(|w| w.eq_ignore_ascii_case(&path)) {
            continue;
        }
        let absent = value.is_null() || value.as_array().is_some_and(Vec::is_empty);
        ops.push(if absent {
            json!({"op": "remove", "path": path})
        } else {
            json!({"op": "replace", "path": path, "value": value})
        });
        written.push(path);
    }
    (ops, written)
}

/// A top-level attribute of `resource`, core (`emails`) or extension-qualified
/// (`urn:...:User:department`); names compare without case, as RFC 7643 says.
fn lookup<'v>(resource: &'v Value, path: &str) -> Option<&'v Value> {
    let get = |obj: &'v Map<String, Value>, key: &str| {
        obj.iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| v)
    };
    let obj = resource.as_object()?;
    if path.len() > 4 && path[..4].eq_ignore_ascii_case("urn:") {
        let colon = path.rfind(':')?;
        let ext = get(obj, &path[..colon])?.as_object()?;
        return get(ext, &path[colon + 1..]);
    }
    get(obj, path)
}
