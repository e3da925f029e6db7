//! The planner against diffs of generated worlds, including the property that matters most:
//! applying a plan to the target (here in memory) and diffing again leaves nothing to do.

use std::collections::HashSet;

use serde_json::{json, Value};

use super::*;
use crate::output::DriftCode;
use crate::{diff, Actual, CompareSpec, ExpectedGroup, ExpectedUser, KnownSources};

const ENT: &str = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

fn src(i: usize) -> String {
    format!("{i:024x}")
}

fn rules() -> WriteRules {
    WriteRules {
        user_update_by_put: false,
        deprovision_deletes: false,
        max_member_changes: 7,
        groups: true,
        group_patch_value_object: false,
    }
}

fn user(i: usize, active: bool) -> Value {
    json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User", ENT],
        "externalId": src(i),
        "userName": format!("u{i}@x.test"),
        "name": {"givenName": format!("G{i}"), "familyName": "F"},
        "emails": [{"value": format!("u{i}@x.test"), "type": "work", "primary": true}],
        "active": active,
        "title": "t",
        ENT: {"department": "d"},
    })
}

/// A world with every kind of drift the planner acts on or refuses: missing, changed (plain,
/// multi-valued, extension, unlinked), take-overs, suspended, out of scope, foreign accounts,
/// missing and extra groups, members to add (some for users not created yet) and to remove.
struct World {
    expected: Expected,
    actual: Target,
    known: KnownSources,
}

/// The target as JSON, so the in-memory apply below can edit it; packed for each diff.
#[derive(Clone, Default)]
struct Target {
    users: Vec<Value>,
    groups: Vec<Value>,
    memberships: Vec<(String, String)>,
}

impl Target {
    fn actual(&self) -> Actual {
        Actual {
            users: self.users.iter().map(Into::into).collect(),
            groups: self.groups.iter().map(Into::into).collect(),
            memberships: self.memberships.clone(),
        }
    }
}

fn world(seed: u64, users: usize) -> World {
    let mut state = seed.wrapping_add(1);
    let mut rnd = move |n: usize| {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((state >> 33) as usize) % n
    };
    let mut expected = Expected::default();
    let mut actual = Target::default();
    for i in 0..users {
        let active = rnd(12) != 0;
        let out_of_scope = rnd(15) == 0;
        if !out_of_scope {
            expected.users.push(ExpectedUser {
                source_id: src(i),
                label: format!("u{i}"),
                resource: user(i, active).into(),
            });
        }
        let mut t = user(i, true);
        t["id"] = json!(format!("t{i}"));
        match rnd(14) {
            0 | 1 => continue,
            2 => t["title"] = json!("old"),
            3 => t["emails"][0]["value"] = json!(format!("old{i}@x.test")),
            4 => t[ENT]["department"] = json!("other"),
            5 => {
                t.as_object_mut().map(|o| o.remove("externalId"));
            }
            6 => t["externalId"] = json!(format!("someone-else-{i}")),
            // Someone disabled the account in the target (JumpCloud may have it active).
            7 => t["active"] = json!(false),
            8 => {
                t["active"] = json!(false);
                t["title"] = json!("old");
            }
            _ => {}
        }
        actual.users.push(t);
    }
    for k in 0..4 {
        actual.users.push(
            json!({"id": format!("x{k}"), "userName": format!("x{k}@x.test"), "active": true}),
        );
    }
    // A JumpCloud user deleted since it was provisioned.
    actual.users.push(
        json!({"id": "gone", "userName": "gone@x.test", "externalId": src(9_999), "active": true}),
    );
    for g in 0..6 {
        let members: Vec<String> = (0..rnd(25)).map(|_| src(rnd(users))).collect();
        expected.groups.push(ExpectedGroup {
            source_id: src(50_000 + g),
            label: format!("group {g}"),
            resource: json!({"schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"], "externalId": src(50_000 + g), "displayName": format!("Group {g}")}).into(),
            member_source_ids: members.clone(),
            not_created_because: Vec::new(),
        });
        if g == 0 {
            continue;
        }
        let id = format!("g{g}");
        let name = if g == 1 {
            "Renamed".to_string()
        } else {
            format!("Group {g}")
        };
        actual
            .groups
            .push(json!({"id": id, "externalId": src(50_000 + g), "displayName": name}));
        for m in members.iter().filter(|_| rnd(3) != 0) {
            let i = usize::from_str_radix(m, 16).unwrap_or(0);
            actual.memberships.push((id.clone(), format!("t{i}")));
        }
        for _ in 0..rnd(3) {
            actual
                .memberships
                .push((id.clone(), format!("t{}", rnd(users))));
        }
        actual.memberships.push((id.clone(), "x0".into()));
    }
    // A JumpCloud group unbound from the app (known, not expected), with members.
    actual
        .groups
        .push(json!({"id": "gunbound", "externalId": src(50_010), "displayName": "Unbound"}));
    actual.memberships.push(("gunbound".into(), "t2".into()));
    // A bound group that lost every member in JumpCloud, and one that never had any.
    for (g, id) in [(50_020, Some("gempty")), (50_021, None)] {
        expected.groups.push(ExpectedGroup {
            source_id: src(g),
            label: format!("empty {g}"),
            resource: json!({"displayName": format!("Empty {g}")}).into(),
            member_source_ids: Vec::new(),
            not_created_because: vec![crate::DriftReason {
                code: "empty_group".into(),
                text: "no members: JumpCloud does not create empty groups".into(),
            }],
        });
        if let Some(id) = id {
            actual
                .groups
                .push(json!({"id": id, "externalId": src(g), "displayName": format!("Empty {g}")}));
            for u in ["t1", "t2", "t3", "x1"] {
                actual.memberships.push((id.into(), u.into()));
            }
        }
    }
    actual
        .groups
        .push(json!({"id": "gx", "displayName": "Someone's group"}));
    actual.groups.push(
        json!({"id": "gold", "externalId": src(60_000), "displayName": "Old JumpCloud group"}),
    );
    let known = KnownSources::new(
        (0..users).map(src),
        (50_000..50_006).chain([50_010, 50_020, 50_021]).map(src),
    );
    World {
        expected,
        actual,
        known,
    }
}

fn plan_of(w: &World, policy: &Policy, rules: &WriteRules) -> (Drift, Plan) {
    // The profile sets both from the same capability; so does this.
    let spec = CompareSpec {
        deprovision_deletes: rules.deprovision_deletes,
        ..CompareSpec::jumpcloud_default()
    };
    let drift = diff(&w.expected, &w.actual.actual(), &spec, &w.known);
    let inactive: HashSet<String> = w
        .actual
        .users
        .iter()
        .filter(|u| u["active"] == json!(false))
        .filter_map(|u| u["id"].as_str().map(str::to_owned))
        .collect();
    let input = PlanInput {
        drift: &drift,
        expected: &w.expected,
        inactive_target_users: &inactive,
        target_objects: count(w.actual.users.len() + w.actual.groups.len()),
    };
    let p = plan(&input, policy, rules);
    (drift, p)
}

fn ops(p: &Plan, action: OpAction) -> Vec<&PlannedOp> {
    p.operations.iter().filter(|o| o.action == action).collect()
}

/// Applies a plan to the in-memory target the way a SCIM server would.
fn apply(actual: &mut Target, p: &Plan) {
    let mut created_users = std::collections::HashMap::new();
    let mut created_groups = std::collections::HashMap::new();
    let mut next = 0;
    let mut new_id = |prefix: &str| {
        next += 1;
        format!("{prefix}-new-{next}")
    };
    for op in &p.operations {
        let target = op.target_id.clone().unwrap_or_default();
        match op.action {
            OpAction::CreateUser => {
                let id = new_id("u");
                let mut body = op.body.clone();
                body["id"] = json!(id);
                created_users.insert(op.source_id.clone().unwrap(), id);
                actual.users.push(body);
            }
            OpAction::CreateGroup => {
                let id = new_id("g");
                let mut body = op.body.clone();
                body["id"] = json!(id);
                created_groups.insert(op.source_id.clone().unwrap(), id);
                actual.groups.push(body);
            }
            OpAction::PatchUser | OpAction::PatchGroup => {
                let list = if op.action == OpAction::PatchUser {
                    &mut actual.users
                } else {
                    &mut actual.groups
                };
                let r = list.iter_mut().find(|u| u["id"] == json!(target)).unwrap();
                for o in op.body.as_array().unwrap() {
                    let Some(path) = o["path"].as_str() else {
                        // `replace` without a path: the value's members replace the attributes.
                        for (k, v) in o["value"].as_object().unwrap() {
                            r[k] = v.clone();
                        }
                        continue;
                    };
                    let (obj, key) = match path.rfind(':') {
                        Some(c) if path.starts_with("urn:") => (&mut r[&path[..c]], &path[c + 1..]),
                        _ => match path.split_once('.') {
                            Some((a, b)) => (&mut r[a], b),
                            None => (&mut *r, path),
                        },
                    };
                    if o["op"] == "remove" {
                        obj.as_object_mut().map(|m| m.remove(key));
                    } else {
                        obj[key] = o["value"].clone();
                    }
                }
            }
            OpAction::ReplaceUser => {
                let r = actual
                    .users
                    .iter_mut()
                    .find(|u| u["id"] == json!(target))
                    .unwrap();
                *r = op.body.clone();
            }
            OpAction::DeactivateUser => {
                let r = actual
                    .users
                    .iter_mut()
                    .find(|u| u["id"] == json!(target))
                    .unwrap();
                r["active"] = json!(false);
            }
            OpAction::DeleteUser => {
                actual.users.retain(|u| u["id"] != json!(target));
                actual.memberships.retain(|(_, u)| *u != target);
            }
            OpAction::DeleteGroup => {
                actual.groups.retain(|g| g["id"] != json!(target));
                actual.memberships.retain(|(g, _)| *g != target);
            }
            OpAction::AddMembers | OpAction::RemoveMembers => {
                let group = op.target_id.clone().unwrap_or_else(|| {
                    created_groups[op.group_source_id.as_ref().unwrap()].clone()
                });
                for m in &op.members {
                    let user = m.user_target_id.clone().unwrap_or_else(|| {
                        created_users[m.user_source_id.as_ref().unwrap()].clone()
                    });
                    if op.action == OpAction::AddMembers {
                        actual.memberships.push((group.clone(), user));
                    } else {
                        actual
                            .memberships
                            .retain(|p| *p != (group.clone(), user.clone()));
                    }
                }
            }
        }
    }
}

// The tests, by what they check; each uses the world and the in-memory apply above.
mod bodies;
mod convergence;
mod deactivation;
mod policy;
