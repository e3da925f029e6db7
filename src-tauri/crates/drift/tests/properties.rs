//! Property tests over generated directories: a directory compared with its
//! own faithful copy is all in sync, and every single mutation of the target
//! side (users, groups and memberships) shows up as exactly the expected drift
//! and nothing else.

#![allow(clippy::unwrap_used)]

mod common;

use std::collections::BTreeMap;

use common::*;
use drift::{
    diff, Actual, CompareSpec, Drift, DriftCode, DriftRowKind as K, DriftRowState as S, Expected,
    ExpectedUser, KnownSources, Record,
};
use proptest::prelude::*;
use proptest::sample::Index;
use serde_json::{json, Value};
use unicode_normalization::UnicodeNormalization;

// This file is the test crate's root, so its modules are named by path.
#[path = "properties/generate.rs"]
mod generate;
#[path = "properties/mutate.rs"]
mod mutate;
#[path = "properties/world.rs"]
mod world;

use generate::*;
use mutate::*;
use world::*;

/// Every expected resource appears exactly once (by JumpCloud id) and every
/// target resource appears at most once (by target id) across all categories.
fn assert_each_resource_once(w: &World, d: &Drift) {
    let rows = d.rows();
    for kind in [K::User, K::Group] {
        let mut sources: BTreeMap<&str, usize> = BTreeMap::new();
        let mut targets: BTreeMap<&str, usize> = BTreeMap::new();
        for r in rows.iter().filter(|r| r.kind == kind) {
            // Rows about an expected resource are keyed by its JumpCloud id; rows about a
            // resource found only in the target, by its target id.
            if r.source_id.as_deref() == Some(r.key.as_str()) {
                *sources.entry(r.source_id.as_deref().unwrap()).or_default() += 1;
            }
            if let Some(t) = r.target_id.as_deref() {
                *targets.entry(t).or_default() += 1;
            }
        }
        let (expected_n, actual_ids): (usize, Vec<&str>) = match kind {
            K::User => (
                w.expected.users.len(),
                w.actual
                    .users
                    .iter()
                    .map(|u| u["id"].as_str().unwrap())
                    .collect(),
            ),
            _ => (
                w.expected.groups.len(),
                w.actual
                    .groups
                    .iter()
                    .map(|g| g["id"].as_str().unwrap())
                    .collect(),
            ),
        };
        assert_eq!(sources.len(), expected_n, "{kind:?} sources {sources:?}");
        assert!(
            sources.values().all(|c| *c == 1),
            "{kind:?} source listed twice: {sources:?}"
        );
        assert!(
            targets.values().all(|c| *c == 1),
            "{kind:?} target listed twice: {targets:?}"
        );
        let mut listed: Vec<&str> = targets.keys().copied().collect();
        let mut all = actual_ids;
        listed.sort_unstable();
        all.sort_unstable();
        assert_eq!(listed, all, "{kind:?}: every target resource is listed");
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn a_directory_against_its_own_copy_is_all_in_sync(dir in gen_dir()) {
        let w = build(&dir);
        let d = run_world(&w);
        prop_assert_eq!(drifted(&d), vec![]);
        prop_assert_eq!(d.users.in_sync.len(), dir.users.len());
        prop_assert_eq!(d.groups.in_sync.len(), dir.groups.len());
        prop_assert!(d.memberships.is_empty());
        prop_assert_eq!(d.summary.users.drifted() + d.summary.groups.drifted(), 0);
    }

    #[test]
    fn each_mutation_shows_up_as_exactly_its_drift(dir in gen_dir(), m in gen_mutation()) {
        let mut w = build(&dir);
        let (mut want, attrs) = apply(&mut w, &m, &dir);
        let d = run_world(&w);
        want.sort_by(|a, b| format!("{a:?}").cmp(&format!("{b:?}")));
        prop_assert_eq!(drifted(&d), want, "mutation {:?}", m);
        if let Some(attrs) = attrs {
            let row = d.rows().into_iter().find(|r| r.state != S::InSync).unwrap();
            prop_assert_eq!(row.changed_attributes, attrs);
        }
        assert_each_resource_once(&w, &d);
    }

    #[test]
    fn any_mutation_mix_keeps_every_resource_in_one_category(
        dir in gen_dir(),
        ms in proptest::collection::vec(gen_mutation(), 0..6),
    ) {
        let mut w = build(&dir);
        for m in &ms {
            apply(&mut w, m, &dir);
        }
        let d = run_world(&w);
        assert_each_resource_once(&w, &d);
        // Row keys are unique per kind, so a keyed table can render them.
        let mut keys: Vec<_> = d.rows().into_iter().map(|r| (r.kind, r.key)).collect();
        let all = keys.len();
        keys.sort_by(|a, b| format!("{a:?}").cmp(&format!("{b:?}")));
        keys.dedup();
        prop_assert_eq!(keys.len(), all);
        // The flat table has one row per resource plus one per membership change.
        let membership_changes: usize = d.memberships.iter().map(|m| m.add.len() + m.remove.len()).sum();
        prop_assert_eq!(
            d.rows().iter().filter(|r| r.kind == K::Membership).count(),
            membership_changes
        );
    }

    #[test]
    fn input_order_does_not_change_the_drift(
        dir in gen_dir(),
        ms in proptest::collection::vec(gen_mutation(), 0..4),
        rotate in any::<Index>(),
    ) {
        let mut w = build(&dir);
        for m in &ms {
            apply(&mut w, m, &dir);
        }
        let d1 = run_world(&w);
        let len = w.actual.users.len();
        if len > 0 {
            w.actual.users.rotate_left(rotate.index(len));
        }
        w.actual.groups.reverse();
        w.expected.users.reverse();
        w.expected.groups.reverse();
        let d2 = run_world(&w);
        prop_assert_eq!(d1, d2);
    }
}
