//! One planned operation against the target: the SCIM calls it takes, and what came of it.
//! Creates adopt an existing object on 409 and deletes count a 404 as done (both in the scim
//! client), so replaying an operation after a crash never duplicates or fails on what is done.

use std::collections::HashMap;

use drift::plan::{OpAction, PlannedOp};
use scim::models::{Group, PatchOp, User};
use serde_json::{json, Value};

/// JumpCloud id -> target id of users and groups that exist in the target, including those this
/// apply created. Member operations resolve their members through it.
#[derive(Debug, Default, Clone)]
pub(crate) struct Ids {
    pub users: HashMap<String, String>,
    pub groups: HashMap<String, String>,
}

/// What happened to one operation.
#[derive(Debug)]
pub(crate) enum Done {
    /// Written; the target id it wrote or created, and a short note.
    Ok {
        target_id: Option<String>,
        note: String,
    },
    /// Not attempted, with why (an unresolved dependency).
    Skipped(String),
    Failed(scim::Error),
}

pub(crate) async fn execute(client: &scim::Client, op: &PlannedOp, ids: &Ids) -> Done {
    match run(client, op, ids).await {
        Ok(done) => done,
        Err(e) => Done::Failed(*e),
    }
}

/// Boxed errors: `scim::Error` is large, and clippy rightly asks not to move it around unboxed.
async fn run(client: &scim::Client, op: &PlannedOp, ids: &Ids) -> Result<Done, Box<scim::Error>> {
    let target = || op.target_id.clone().unwrap_or_default();
    let ok = |target_id: Option<String>, note: &str| Done::Ok {
        target_id,
        note: note.to_owned(),
    };
    Ok(match op.action {
        OpAction::CreateUser => {
            let created = client.create_user(&decode::<User>(&op.body)?).await?;
            let note = created_note(&created, false);
            ok(created.resource.id, note)
        }
        OpAction::CreateGroup => {
            let created = client.create_group(&decode::<Group>(&op.body)?).await?;
            let note = created_note(&created, true);
            ok(created.resource.id, note)
        }
        OpAction::PatchUser => {
            client.patch_user(&target(), &patch(&op.body)?).await?;
            ok(
                op.target_id.clone(),
                &format!("updated {}", op.attributes.join(", ")),
            )
        }
        OpAction::PatchGroup => {
            client.patch_group(&target(), &patch(&op.body)?).await?;
            ok(
                op.target_id.clone(),
                &format!("updated {}", op.attributes.join(", ")),
            )
        }
        OpAction::ReplaceUser => {
            client
                .replace_user(&target(), &decode::<User>(&op.body)?)
                .await?;
            ok(op.target_id.clone(), "replaced (PUT)")
        }
        OpAction::DeactivateUser => match client.deactivate_user(&target()).await {
            Ok(()) => ok(op.target_id.clone(), "deactivated"),
            Err(e) if e.is_not_found() => ok(op.target_id.clone(), "already gone (404)"),
            Err(e) => return Err(Box::new(e)),
        },
        OpAction::DeleteUser | OpAction::DeleteGroup => {
            let outcome = if op.action == OpAction::DeleteUser {
                client.delete_user(&target()).await?
            } else {
                client.delete_group(&target()).await?
            };
            let note = match outcome {
                scim::DeleteOutcome::Deleted => "deleted",
                scim::DeleteOutcome::AlreadyGone => "already gone (404)",
            };
            ok(op.target_id.clone(), note)
        }
        OpAction::AddMembers | OpAction::RemoveMembers => {
            let group = op.target_id.clone().or_else(|| {
                let source = op.group_source_id.as_deref()?;
                ids.groups.get(source).cloned()
            });
            let Some(group) = group else {
                return Ok(Done::Skipped(
                    "the group was not created, so its members cannot be set".to_owned(),
                ));
            };
            let mut members = Vec::with_capacity(op.members.len());
            let mut unresolved = Vec::new();
            for m in &op.members {
                let id = m.user_target_id.clone().or_else(|| {
                    let source = m.user_source_id.as_deref()?;
                    ids.users.get(source).cloned()
                });
                match id {
                    Some(id) => members.push(id),
                    None => unresolved.push(m.label.as_str()),
                }
            }
            if members.is_empty() {
                return Ok(Done::Skipped(format!(
                    "none of the users exist in the target (not created: {})",
                    unresolved.join(", ")
                )));
            }
            let verb = if op.action == OpAction::AddMembers {
                client.add_group_members(&group, &members).await?;
                "added"
            } else {
                client.remove_group_members(&group, &members).await?;
                "removed"
            };
            let mut note = format!("{} member(s) {verb}", members.len());
            if !unresolved.is_empty() {
                note.push_str(&format!(
                    "; {} not added because the user was not created: {}",
                    unresolved.len(),
                    unresolved.join(", ")
                ));
            }
            ok(Some(group), &note)
        }
    })
}

/// What the step's journal line says of a create, by how the client came to hold the object.
fn created_note<T>(created: &scim::Created<T>, is_group: bool) -> &'static str {
    match (created.adopted, created.found_after_unclear_reply, is_group) {
        (true, _, false) => "already existed (409): adopted the existing account",
        (true, _, true) => "already existed (409): adopted the existing group",
        (false, true, false) => {
            "created (the reply was lost or cut off; found by userName, not sent again)"
        }
        (false, true, true) => {
            "created (the reply was lost or cut off; found by displayName, not sent again)"
        }
        (false, false, _) => "created",
    }
}

/// A planned body that does not parse as what the operation sends: a bug, reported per step.
fn decode<T: serde::de::DeserializeOwned>(body: &Value) -> Result<T, Box<scim::Error>> {
    serde_json::from_value(body.clone()).map_err(|e| {
        Box::new(scim::Error::InvalidConfig {
            reason: format!("the planned request body is not a valid SCIM resource: {e}"),
        })
    })
}

fn patch(operations: &Value) -> Result<PatchOp, Box<scim::Error>> {
    decode(&json!({
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        "Operations": operations,
    }))
}
