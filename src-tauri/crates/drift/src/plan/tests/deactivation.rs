//! Disabled and deleted users: never re-enabled by default, deactivated unless deletes are
//! mirrored, and a target that deletes instead of deactivating asks first.

use super::*;

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
