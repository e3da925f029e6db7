//! The requests a plan writes: chunked member changes, whole multi-valued attributes and
//! extension paths in PATCH bodies, group renames, and groups kept when emptied.

use super::*;

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
