//! What the policy allows: upsert-only, managed-only, delete choices, the deletion guard and
//! restricting a plan to approved intents.

use super::*;

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
