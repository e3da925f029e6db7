//! User operations: create what is missing, update what changed (PATCH, or PUT where the target
//! needs it), deprovision what JumpCloud would deprovision, and leave conflicts to a person.

use serde_json::{json, Map, Value};

use super::{Builder, OpAction, PlanInput, PlannedOp, SkippedKind};
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
        match (e.reason_code, find(e)) {
            (DriftCode::Missing, Some(user)) => out.op(create(e, &user)),
            (DriftCode::MissingInactive, _) => out.skip(
                SkippedKind::User,
                e,
                "Suspended in JumpCloud: not created (JumpCloud does not create inactive users)",
            ),
            _ => out.skip(
                SkippedKind::User,
                e,
                "No JumpCloud record to create it from",
            ),
        }
    }
    for e in &drift.changed {
        match find(e) {
            Some(user) => out.op(update(e, &user, out.rules.user_update_by_put)),
            None => out.skip(
                SkippedKind::User,
                e,
                "No JumpCloud record to update it from",
            ),
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
        // A suspended user can differ in more than `active`: bring the rest up to date too
        // (also under upsert-only), or the next diff would find it changed.
        let others: Vec<AttrChange> = e
            .changes
            .iter()
            .filter(|c| !c.path.eq_ignore_ascii_case("active"))
            .cloned()
            .collect();
        // Pointless when the account is about to be deleted.
        let deleted = out.rules.deprovision_deletes && !out.policy.upsert_only;
        if let (false, false, Some(user)) = (others.is_empty(), deleted, find(e)) {
            let mut op = update(
                &DriftEntry {
                    changes: others,
                    ..e.clone()
                },
                &user,
                out.rules.user_update_by_put,
            );
            op.reason = format!("{} (attributes updated first)", e.reason);
            out.op(op);
        }
        deprovision(e, out, &e.reason);
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
    for e in &drift.extra.formerly_managed {
        let inactive = e
            .target_id
            .as_ref()
            .is_some_and(|id| input.inactive_target_users.contains(id));
        match e.reason_code {
            DriftCode::DuplicateExternalId => out.skip(
                SkippedKind::User,
                e,
                "Another target account carries the same externalId: needs a decision",
            ),
            DriftCode::OutOfScopeInactive => {}
            _ if inactive && !out.rules.deprovision_deletes => {}
            DriftCode::SourceIdNotInDirectory => deprovision(
                e,
                out,
                "Its JumpCloud user no longer exists; JumpCloud would have deprovisioned it",
            ),
            _ => out.skip(
                SkippedKind::User,
                e,
                "Out of scope, but this target's profile does not manage the active state",
            ),
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

/// A user as the planner needs it: JumpCloud id and SCIM resource.
struct ExpectedUser {
    source_id: String,
    resource: Value,
}

fn create(e: &DriftEntry, user: &ExpectedUser) -> PlannedOp {
    let mut body = user.resource.clone();
    // JumpCloud sends its id as externalId; the drift matched on exactly that.
    body["externalId"] = json!(user.source_id);
    PlannedOp {
        id: format!("user.create:{}", user.source_id),
        action: OpAction::CreateUser,
        label: e.label.clone(),
        source_id: Some(user.source_id.clone()),
        target_id: None,
        destructive: false,
        reason: e.reason.clone(),
        reason_code: e.reason_code,
        attributes: Vec::new(),
        body,
        members: Vec::new(),
        group_source_id: None,
    }
}

fn update(e: &DriftEntry, user: &ExpectedUser, by_put: bool) -> PlannedOp {
    let target_id = e.target_id.clone().unwrap_or_default();
    let (action, body, attributes) = if by_put {
        let mut body = user.resource.clone();
        body["id"] = json!(target_id);
        body["externalId"] = json!(user.source_id);
        if e.reason_code == DriftCode::SuspendedInSource {
            // Deactivating is the deprovision operation's job, which the policy may withhold.
            body["active"] = json!(true);
        }
        let attrs = e.changes.iter().map(|c| c.path.clone()).collect();
        (OpAction::ReplaceUser, body, attrs)
    } else {
        let (ops, attrs) = patch_operations(&e.changes, &user.resource);
        (OpAction::PatchUser, Value::Array(ops), attrs)
    };
    PlannedOp {
        id: format!("user.update:{target_id}"),
        action,
        label: e.label.clone(),
        source_id: Some(user.source_id.clone()),
        target_id: Some(target_id),
        destructive: false,
        reason: e.reason.clone(),
        reason_code: e.reason_code,
        attributes,
        body,
        members: Vec::new(),
        group_source_id: None,
    }
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
    let target_id = e.target_id.clone().unwrap_or_default();
    let (action, verb, reason) = if out.rules.deprovision_deletes {
        (
            OpAction::DeleteUser,
            "delete",
            format!("{why}. This target deletes instead of deactivating: the account is removed"),
        )
    } else {
        (OpAction::DeactivateUser, "deactivate", why.to_owned())
    };
    out.op(PlannedOp {
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
    });
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
