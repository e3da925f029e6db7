//! A plan converges: applied, the next diff is clean and the next plan empty; conflicts are
//! never written; the same drift always gives the same plan.

use super::*;

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
