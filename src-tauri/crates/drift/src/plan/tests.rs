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

#[test]
fn applying_a_plan_converges_and_the_next_plan_is_empty() {
    for rules in [
        rules(),
        WriteRules {
            user_update_by_put: true,
            group_patch_value_object: true,
            ..rules()
        },
        WriteRules {
            deprovision_deletes: true,
            ..rules()
        },
    ] {
        for seed in 0..12 {
            let mut w = world(seed, 120);
            let policy = Policy {
                managed_only: seed % 2 == 0,
                ..Policy::default()
            };
            let (_, first) = plan_of(&w, &policy, &rules);
            assert!(
                first.counts.creates > 0 && first.counts.updates > 0,
                "seed {seed}"
            );
            assert!(first.counts.members_added > 0 && first.counts.members_removed > 0);
            apply(&mut w.actual, &first);
            let (drift, second) = plan_of(&w, &policy, &rules);
            assert!(
                second.operations.is_empty(),
                "seed {seed}: still planned after apply: {:#?}",
                second
                    .operations
                    .iter()
                    .map(|o| (&o.id, &o.reason, &o.body))
                    .collect::<Vec<_>>()
            );
            // The diff agrees with the plan: no row is left in a drift state, so
            // `diff --detailed-exitcode` exits 0 right after a complete apply.
            let drifting: Vec<_> = drift
                .rows()
                .into_iter()
                .filter(|r| r.state.is_drift())
                .collect();
            assert!(
                drifting.is_empty(),
                "seed {seed}: drift rows after apply: {drifting:#?}"
            );
            assert_eq!(
                drift.summary.users.drifted() + drift.summary.groups.drifted(),
                0
            );
            assert_eq!(
                drift.summary.memberships_to_add + drift.summary.memberships_to_remove,
                0
            );
            // Users suspended in JumpCloud are never created, so never added to groups either.
            assert!(drift.users.missing.is_empty());
            assert!(drift
                .memberships
                .iter()
                .flat_map(|m| &m.add)
                .all(|c| c.reason_code == DriftCode::MemberNotProvisioned));
            // No user disabled by hand was re-enabled: it still shows as disabled.
            assert!(!drift.users.disabled.is_empty(), "seed {seed}");
        }
    }
}

#[test]
fn conflicts_are_never_written_and_say_why() {
    let w = world(3, 120);
    let (drift, p) = plan_of(&w, &Policy::default(), &rules());
    assert!(!drift.users.conflicts.is_empty());
    for c in &drift.users.conflicts {
        let target = c.target_id.as_deref();
        assert!(p
            .operations
            .iter()
            .all(|o| o.target_id.as_deref() != target));
        let skipped = p
            .skipped
            .iter()
            .find(|s| s.target_id.as_deref() == target)
            .unwrap();
        assert!(
            skipped.reason.starts_with("Needs a decision"),
            "{}",
            skipped.reason
        );
    }
}

#[test]
fn upsert_only_plans_nothing_destructive() {
    for seed in 0..6 {
        let w = world(seed, 120);
        let policy = Policy {
            upsert_only: true,
            managed_only: false,
            ..Policy::default()
        };
        let (_, p) = plan_of(&w, &policy, &rules());
        assert_eq!(p.counts.destructive, 0);
        assert!(p.operations.iter().all(|o| !o.destructive));
        assert!(p.skipped.iter().any(|s| s.reason.contains("upsert-only")));
        assert!(p.counts.creates > 0);
    }
}

#[test]
fn managed_only_leaves_foreign_accounts_and_groups_alone() {
    let w = world(1, 120);
    let (_, managed) = plan_of(&w, &Policy::default(), &rules());
    for foreign in ["x0", "x1", "gx"] {
        assert!(managed
            .operations
            .iter()
            .all(|o| o.target_id.as_deref() != Some(foreign)));
        assert!(managed
            .skipped
            .iter()
            .any(|s| s.target_id.as_deref() == Some(foreign)
                && s.reason.contains("Not created by JumpCloud")));
    }
    // x0 is a member of every group: removing it is also left alone.
    assert!(ops(&managed, OpAction::RemoveMembers).iter().all(|o| o
        .members
        .iter()
        .all(|m| m.user_target_id.as_deref() != Some("x0"))));
    // A deleted JumpCloud user and an old JumpCloud group are JumpCloud's: deprovisioned.
    assert!(managed
        .operations
        .iter()
        .any(|o| o.id == "user.deactivate:gone"));
    assert!(managed
        .operations
        .iter()
        .any(|o| o.id == "group.delete:gold"));

    let (_, all) = plan_of(
        &w,
        &Policy {
            managed_only: false,
            ..Policy::default()
        },
        &rules(),
    );
    assert!(all.operations.iter().any(|o| o.id == "user.deactivate:x0"));
    assert!(all.operations.iter().any(|o| o.id == "group.delete:gx"));
}

#[test]
fn unity_style_targets_delete_only_when_chosen_and_say_so() {
    let w = world(2, 120);
    let rules = WriteRules {
        deprovision_deletes: true,
        ..rules()
    };
    let (_, p) = plan_of(&w, &Policy::default(), &rules);
    assert!(ops(&p, OpAction::DeactivateUser).is_empty());
    assert!(ops(&p, OpAction::DeleteUser).is_empty());
    let offered: Vec<String> = p
        .decisions
        .iter()
        .filter(|d| d.kind == DecisionKind::Delete)
        .map(|d| d.id.clone())
        .collect();
    assert!(!offered.is_empty());
    let (_, all) = plan_of(
        &w,
        &Policy {
            decided: offered.clone(),
            ..Policy::default()
        },
        &rules,
    );
    let deletes = ops(&all, OpAction::DeleteUser);
    assert_eq!(deletes.len(), offered.len());
    assert!(deletes
        .iter()
        .all(|o| o.destructive && o.reason.starts_with("Chosen by the admin: delete")));
    // Suspensions and scope changes say why they need a decision.
    assert!(all
        .decisions
        .iter()
        .filter(|d| d.kind == DecisionKind::Delete)
        .filter(|d| d.reason_code != DriftCode::SourceIdNotInDirectory)
        .all(|d| d.reason.contains("deletes instead of deactivating") && d.chosen));
}

#[test]
fn member_changes_are_chunked_adds_and_removes_never_a_replace() {
    for seed in 0..6 {
        let w = world(seed, 300);
        let (_, p) = plan_of(
            &w,
            &Policy::default(),
            &WriteRules {
                max_member_changes: 4,
                ..rules()
            },
        );
        for op in &p.operations {
            if matches!(op.action, OpAction::AddMembers | OpAction::RemoveMembers) {
                assert!(!op.members.is_empty() && op.members.len() <= 4, "{}", op.id);
            }
            // No body anywhere replaces a member list.
            let text = op.body.to_string();
            assert!(
                !(text.contains("\"replace\"") && text.contains("\"members\"")),
                "{text}"
            );
        }
    }
}

#[test]
fn patch_bodies_replace_whole_multi_valued_attributes_and_extension_paths() {
    let w = world(0, 200);
    let (_, p) = plan_of(&w, &Policy::default(), &rules());
    let bodies: Vec<String> = ops(&p, OpAction::PatchUser)
        .iter()
        .map(|o| o.body.to_string())
        .collect();
    assert!(
        bodies.iter().any(|b| b.contains("\"path\":\"emails\"")),
        "{bodies:?}"
    );
    assert!(bodies
        .iter()
        .any(|b| b.contains(&format!("\"path\":\"{ENT}:department\""))));
    assert!(bodies.iter().any(|b| b.contains("\"path\":\"externalId\"")));
    assert!(bodies
        .iter()
        .all(|b| !b.contains('[') || !b.contains("\"path\":\"emails[")));
}

#[test]
fn guard_trips_on_the_count_or_the_share() {
    let policy = Policy::default();
    assert!(!guard(&policy, 10, 1_000).tripped);
    assert!(guard(&policy, 11, 1_000).tripped);
    // 5 % of 60 is 3.
    assert!(!guard(&policy, 3, 60).tripped);
    assert!(guard(&policy, 4, 60).tripped);
    assert!(!guard(&policy, 0, 0).tripped);

    let w = world(4, 400);
    let (_, p) = plan_of(&w, &policy, &rules());
    assert!(p.counts.deactivations + p.counts.deletions > 10);
    assert!(p.guard.tripped);
    assert_eq!(
        p.guard.deprovisions,
        p.counts.deactivations + p.counts.deletions
    );
}

#[test]
fn restricting_to_approved_intents_keeps_exactly_those() {
    let w = world(5, 200);
    let (_, p) = plan_of(
        &w,
        &Policy::default(),
        &WriteRules {
            max_member_changes: 3,
            ..rules()
        },
    );
    assert_eq!(p.restricted_to(&p.intents()), p);
    assert!(p.restricted_to(&HashSet::new()).operations.is_empty());

    // Approve every other intent; the result holds exactly those.
    let mut all: Vec<String> = p.intents().into_iter().collect();
    all.sort();
    let half: HashSet<String> = all.iter().step_by(2).cloned().collect();
    let r = p.restricted_to(&half);
    assert_eq!(r.intents(), half);
    assert_eq!(r.counts.operations as usize, r.operations.len());
}

#[test]
fn the_same_drift_always_gives_the_same_plan() {
    let w = world(6, 150);
    let (_, a) = plan_of(&w, &Policy::default(), &rules());
    let mut shuffled = World {
        expected: w.expected.clone(),
        actual: w.actual.clone(),
        known: w.known.clone(),
    };
    shuffled.actual.users.reverse();
    shuffled.actual.memberships.reverse();
    shuffled.expected.users.reverse();
    let (_, b) = plan_of(&shuffled, &Policy::default(), &rules());
    let ids = |p: &Plan| {
        p.operations
            .iter()
            .map(|o| o.id.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(ids(&a), ids(&b));
    let ids: HashSet<_> = a.operations.iter().map(|o| &o.id).collect();
    assert_eq!(ids.len(), a.operations.len(), "operation ids are unique");
}

#[test]
fn group_renames_take_the_targets_form() {
    let w = world(0, 120);
    let (_, paths) = plan_of(&w, &Policy::default(), &rules());
    let renamed = ops(&paths, OpAction::PatchGroup);
    assert_eq!(renamed.len(), 1, "group 1 is renamed in the world");
    assert_eq!(
        renamed[0].body,
        json!([{"op": "replace", "path": "displayName", "value": "Group 1"}])
    );
    let (_, value) = plan_of(
        &w,
        &Policy::default(),
        &WriteRules {
            group_patch_value_object: true,
            ..rules()
        },
    );
    let renamed = ops(&value, OpAction::PatchGroup);
    assert_eq!(
        renamed[0].body,
        json!([{"op": "replace", "value": {"displayName": "Group 1"}}])
    );
    assert_eq!(renamed[0].attributes, vec!["displayName".to_string()]);
}

#[test]
fn groups_that_lose_every_member_or_their_binding_are_kept() {
    for rules in [
        rules(),
        WriteRules {
            deprovision_deletes: true,
            ..rules()
        },
    ] {
        let w = world(2, 120);
        let policy = Policy {
            managed_only: false,
            ..Policy::default()
        };
        let (drift, p) = plan_of(&w, &policy, &rules);
        // Never a DELETE of a group JumpCloud still has: emptied or unbound.
        for kept in ["gempty", "gunbound"] {
            assert!(
                !p.operations
                    .iter()
                    .any(|o| o.action == OpAction::DeleteGroup
                        && o.target_id.as_deref() == Some(kept)),
                "{kept} deleted"
            );
        }
        // The emptied group's JumpCloud members are removed (destructive, guarded); the
        // foreign member x1 only because the policy manages all objects.
        let removed: HashSet<&str> = ops(&p, OpAction::RemoveMembers)
            .iter()
            .filter(|o| o.target_id.as_deref() == Some("gempty"))
            .flat_map(|o| o.members.iter().filter_map(|m| m.user_target_id.as_deref()))
            .collect();
        assert_eq!(removed, HashSet::from(["t1", "t2", "t3", "x1"]));
        assert!(ops(&p, OpAction::RemoveMembers)
            .iter()
            .all(|o| o.destructive));
        // The unbound group is reported as no longer managed, not drift.
        let unbound = drift
            .groups
            .left_as_is
            .iter()
            .find(|e| e.target_id.as_deref() == Some("gunbound"))
            .expect("unbound group left as is");
        assert!(
            unbound.reason.contains("no longer managed"),
            "{}",
            unbound.reason
        );
        // The empty group the target lacks is not created and says why.
        let missing = drift
            .groups
            .ineligible
            .iter()
            .find(|e| e.source_id.as_deref() == Some(src(50_021).as_str()))
            .expect("empty missing group is ineligible");
        assert!(missing.reason.contains("does not create empty groups"));
        assert!(!p
            .operations
            .iter()
            .any(|o| o.source_id.as_deref() == Some(src(50_021).as_str())));
        // Only the group deleted in JumpCloud is deleted.
        let deleted: Vec<&str> = ops(&p, OpAction::DeleteGroup)
            .iter()
            .filter_map(|o| o.target_id.as_deref())
            .collect();
        assert!(
            deleted.iter().all(|g| ["gold", "gx"].contains(g)),
            "{deleted:?}"
        );
        assert!(deleted.contains(&"gold"));
    }
}

/// Whether an operation's body sets `active: true`, as a PATCH operation or in a PUT body.
fn sets_active(op: &PlannedOp) -> bool {
    let patch = op.body.as_array().is_some_and(|ops| {
        ops.iter().any(|o| {
            (o["path"] == json!("active") && o["value"] == json!(true))
                || o["value"]["active"] == json!(true)
        })
    });
    patch || op.body["active"] == json!(true)
}

#[test]
fn users_disabled_in_the_target_are_never_re_enabled_by_default() {
    for rules in [
        rules(),
        WriteRules {
            user_update_by_put: true,
            ..rules()
        },
    ] {
        let w = world(5, 200);
        let (drift, p) = plan_of(&w, &Policy::default(), &rules);
        let disabled: Vec<&str> = drift
            .users
            .disabled
            .iter()
            .chain(
                drift
                    .users
                    .changed
                    .iter()
                    .filter(|e| e.reason_code == DriftCode::DisabledInTarget),
            )
            .filter_map(|e| e.target_id.as_deref())
            .collect();
        assert!(disabled.len() >= 2, "{disabled:?}");
        for id in &disabled {
            for op in p
                .operations
                .iter()
                .filter(|o| o.target_id.as_deref() == Some(*id))
            {
                assert!(
                    !sets_active(op),
                    "{id}: {} would re-enable: {}",
                    op.id,
                    op.body
                );
            }
            assert!(p
                .decisions
                .iter()
                .any(|d| d.id == format!("user.reenable:{id}")
                    && d.kind == DecisionKind::Reenable
                    && !d.chosen));
        }
        // Other attribute changes of a disabled user are still written.
        let with_changes: Vec<&str> = drift
            .users
            .changed
            .iter()
            .filter(|e| e.reason_code == DriftCode::DisabledInTarget)
            .filter_map(|e| e.target_id.as_deref())
            .collect();
        assert!(!with_changes.is_empty());
        for id in &with_changes {
            assert!(p
                .operations
                .iter()
                .any(|o| o.id == format!("user.update:{id}")));
        }
        // Choosing re-enables exactly the chosen user.
        let chosen = format!("user.reenable:{}", disabled[0]);
        let (_, chose) = plan_of(
            &w,
            &Policy {
                decided: vec![chosen.clone()],
                ..Policy::default()
            },
            &rules,
        );
        let op = chose
            .operations
            .iter()
            .find(|o| o.id == chosen)
            .expect("re-enable planned");
        assert!(sets_active(op), "{}", op.body);
        assert!(op.reason.starts_with("Chosen by the admin"));
        assert_eq!(
            chose.operations.len(),
            p.operations.len() + 1,
            "only the chosen write is added"
        );
    }
}

#[test]
fn deleted_in_jumpcloud_deactivates_by_default_and_deletes_when_mirrored() {
    let w = world(1, 120);
    let (_, p) = plan_of(&w, &Policy::default(), &rules());
    let gone = p
        .operations
        .iter()
        .find(|o| o.target_id.as_deref() == Some("gone"))
        .unwrap();
    assert_eq!(gone.action, OpAction::DeactivateUser);
    assert!(
        gone.reason.contains("JumpCloud would delete"),
        "{}",
        gone.reason
    );
    let mirrored = Policy {
        mirror_deletes: true,
        ..Policy::default()
    };
    let (_, p) = plan_of(&w, &mirrored, &rules());
    let gone = p
        .operations
        .iter()
        .find(|o| o.target_id.as_deref() == Some("gone"))
        .unwrap();
    assert_eq!(gone.action, OpAction::DeleteUser);
    assert!(gone.destructive && p.guard.deprovisions >= 1);
    // Upsert-only still wins over mirroring.
    let (_, p) = plan_of(
        &w,
        &Policy {
            upsert_only: true,
            ..mirrored
        },
        &rules(),
    );
    assert!(p
        .operations
        .iter()
        .all(|o| o.target_id.as_deref() != Some("gone")));
}

#[test]
fn a_target_that_deletes_instead_of_deactivating_asks_first() {
    let rules = WriteRules {
        deprovision_deletes: true,
        ..rules()
    };
    for seed in 0..4 {
        let w = world(seed, 120);
        let (drift, p) = plan_of(&w, &Policy::default(), &rules);
        // Suspensions and scope changes are never a DELETE by default on such a target.
        assert_eq!(
            p.counts.deletions,
            ops(&p, OpAction::DeleteGroup).len() as u32,
            "seed {seed}"
        );
        assert!(ops(&p, OpAction::DeleteUser).is_empty());
        assert!(!drift.users.decisions.is_empty());
        // Their other attributes still sync, as JumpCloud would before deactivating.
        for e in &drift.users.decisions {
            if e.changes.iter().any(|c| c.path != "active") {
                let id = format!("user.update:{}", e.target_id.as_deref().unwrap_or_default());
                assert!(p.operations.iter().any(|o| o.id == id), "seed {seed}: {id}");
            }
        }
        for d in &p.decisions {
            if d.kind == DecisionKind::Delete {
                assert!(d.destructive && !d.chosen);
                assert!(
                    d.reason.contains("needs a decision") || d.reason.contains("Needs a decision"),
                    "{}",
                    d.reason
                );
            }
        }
        // Choosing one deletes exactly that account.
        let first = p
            .decisions
            .iter()
            .find(|d| d.kind == DecisionKind::Delete)
            .unwrap();
        let (_, chose) = plan_of(
            &w,
            &Policy {
                decided: vec![first.id.clone()],
                ..Policy::default()
            },
            &rules,
        );
        let deletes: Vec<&str> = ops(&chose, OpAction::DeleteUser)
            .iter()
            .map(|o| o.id.as_str())
            .collect();
        assert_eq!(deletes, [first.id.as_str()]);
    }
}
