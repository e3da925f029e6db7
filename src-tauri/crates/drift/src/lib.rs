//! Pure diff and plan engine: what JumpCloud *would* push (`Expected`) against what a
//! SCIM target *does* hold (`Actual`). No I/O, no async; resources are SCIM
//! JSON so this crate does not depend on any client's structs.
//!
//! Matching follows JumpCloud's connector: externalId, then userName, then
//! primary email (both without case); groups by externalId, then displayName,
//! because JumpCloud takes over a same-name group. Every expected, ineligible
//! and target resource lands in exactly one category of the [`Drift`].

#![cfg_attr(test, allow(clippy::unwrap_used))]

mod attrs;
mod compare;
pub mod error;
mod groups;
mod input;
mod matching;
mod members;
mod normalize;
mod output;
mod par;
mod path;
pub mod plan;
pub mod record;
mod rows;
mod spec;
mod strtable;
mod users;

pub use error::{Error, Result};
pub use input::{
    Actual, DriftReason, Expected, ExpectedGroup, ExpectedUser, Ineligible, KnownSources,
};
pub use output::{
    AttrChange, Drift, DriftCode, DriftCounts, DriftEntry, DriftSummary, ExtraDrift, MatchedBy,
    MemberChange, MembershipDrift, ResourceDrift,
};
pub use path::AttrPath;
pub use plan::{plan, ExpectedLookup, Plan, PlanInput, PlannedOp, Policy, WriteRules};
pub use record::Record;
pub use rows::{DriftRow, DriftRowKind, DriftRowState};
pub use spec::CompareSpec;

/// Compares what the target should hold with what it holds.
///
/// `known` lists every JumpCloud id of the directory (in scope or not), so
/// that accounts JumpCloud once provisioned are told from foreign ones.
///
/// ```
/// use drift::{diff, Actual, CompareSpec, DriftCode, Expected, ExpectedUser, KnownSources};
/// use serde_json::json;
///
/// let source_id = "5f1b2c3d4e5f60718293a4b5".to_string();
/// let expected = Expected {
///     users: vec![ExpectedUser {
///         source_id: source_id.clone(),
///         label: "ann@example.com".into(),
///         // Resources are packed into `drift::Record`s: `.into()` from a `serde_json::Value`.
///         resource: json!({"userName": "ann@example.com", "title": "Engineer"}).into(),
///     }],
///     ..Default::default()
/// };
/// let actual = Actual {
///     users: vec![json!({"id": "t1", "externalId": source_id, "userName": "Ann@Example.com", "title": "Manager"}).into()],
///     ..Default::default()
/// };
/// let known = KnownSources::new([source_id], []);
/// let drift = diff(&expected, &actual, &CompareSpec::jumpcloud_default(), &known);
///
/// assert_eq!(drift.users.changed.len(), 1);
/// assert_eq!(drift.users.changed[0].reason_code, DriftCode::Changed);
/// // userName differs only in case, which is not drift; title is.
/// assert_eq!(drift.users.changed[0].changes[0].path, "title");
/// ```
pub fn diff(
    expected: &Expected,
    actual: &Actual,
    spec: &CompareSpec,
    known: &KnownSources,
) -> Drift {
    let plan = par::Plan::for_work(
        expected.users.len().max(actual.users.len()),
        expected_memberships(expected).max(actual.memberships.len()),
    );
    diff_planned(expected, actual, spec, known, plan)
}

/// [`diff`] on the calling thread only, for benchmarks that compare it with the split run.
#[doc(hidden)]
pub fn diff_single_threaded(
    expected: &Expected,
    actual: &Actual,
    spec: &CompareSpec,
    known: &KnownSources,
) -> Drift {
    diff_planned(expected, actual, spec, known, par::Plan::forced(1))
}

fn expected_memberships(expected: &Expected) -> usize {
    expected
        .groups
        .iter()
        .map(|g| g.member_source_ids.len())
        .sum()
}

/// [`diff`] with the work split as `plan` says; the result never depends on the plan.
fn diff_planned(
    expected: &Expected,
    actual: &Actual,
    spec: &CompareSpec,
    known: &KnownSources,
    plan: par::Plan,
) -> Drift {
    let prep = compare::Prepared::new(spec);
    // Users on this thread; groups and their target members (a lookup per membership) on another.
    let ((users, user_side), (groups, group_side, members)) = par::join(
        plan.concurrent,
        || {
            let (mut drift, side) =
                users::diff_users(expected, actual, spec, &prep, known, plan.user_parts);
            drift.sort();
            (drift, side)
        },
        || {
            let (mut drift, side) = groups::diff_groups(expected, actual, spec, &prep, known);
            drift.sort();
            let members = members::actual_members(actual, &side);
            (drift, side, members)
        },
    );
    let memberships = members::diff_memberships(
        expected,
        &members,
        &user_side,
        &group_side,
        plan.member_parts,
    );
    let count = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
    // Only the member changes the default plan makes count as drift.
    let planned = |v: &[MemberChange]| {
        v.iter()
            .filter(|c| rows::member_state(c.reason_code).is_drift())
            .count()
    };
    let summary = DriftSummary {
        users: DriftCounts::of(&users),
        groups: DriftCounts::of(&groups),
        groups_with_membership_drift: count(
            memberships
                .iter()
                .filter(|m| planned(&m.add) + planned(&m.remove) > 0)
                .count(),
        ),
        memberships_to_add: count(memberships.iter().map(|m| planned(&m.add)).sum()),
        memberships_to_remove: count(memberships.iter().map(|m| planned(&m.remove)).sum()),
    };
    Drift {
        users,
        groups,
        memberships,
        summary,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

    /// A directory and target with every kind of drift: missing, extra, changed, matched by
    /// userName and email, duplicate externalIds, ineligible users, suspended users,
    /// same-name groups, and memberships missing, extra and dangling.
    fn world(seed: u64) -> (Expected, Actual, KnownSources) {
        let mut state = seed;
        let mut rnd = move |n: usize| {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            ((state >> 33) as usize) % n
        };
        let src = |i: usize| format!("{i:024x}");
        let mut expected = Expected::default();
        let mut actual = Actual::default();
        for i in 0..400 {
            let resource = json!({
                "userName": format!("u{i}@x.test"),
                "name": {"givenName": format!("G{}", i % 13), "familyName": "F"},
                "emails": [{"value": format!("u{i}@x.test"), "primary": true}],
                "active": rnd(10) != 0,
                "title": if i % 2 == 0 { "a" } else { "b" },
            });
            if rnd(15) == 0 {
                expected.ineligible.push(Ineligible {
                    source_id: src(i),
                    label: format!("u{i}"),
                    reasons: vec![DriftReason {
                        code: "x".into(),
                        text: "no".into(),
                    }],
                });
            } else {
                expected.users.push(ExpectedUser {
                    source_id: src(i),
                    // Labels repeat, so the sort's tie-breaks matter.
                    label: format!("user {}", i % 50),
                    resource: resource.clone().into(),
                });
            }
            let mut target: Value = resource;
            target["id"] = json!(format!("t{:04}", (i * 37) % 1000));
            match rnd(12) {
                0 => continue,
                1 => {}
                2 => target["externalId"] = json!("foreign"),
                3 => target["userName"] = json!(format!("other{i}")),
                _ => target["externalId"] = json!(src(i)),
            }
            if rnd(8) == 0 {
                target["title"] = json!("changed");
            }
            if rnd(20) == 0 {
                target["externalId"] = json!(src(rnd(400)));
            }
            actual.users.push(target.into());
        }
        for k in 0..30 {
            actual.users.push(json!({"id": format!("x{k}"), "userName": format!("x{k}@x.test"), "externalId": src(1000 + k)}).into());
        }
        for g in 0..40 {
            let members: Vec<String> = (0..rnd(60)).map(|_| src(rnd(420))).collect();
            expected.groups.push(ExpectedGroup {
                source_id: src(5000 + g),
                label: format!("group {}", g % 7),
                resource: json!({"displayName": format!("Group {g}")}).into(),
                member_source_ids: members.clone(),
                not_created_because: Vec::new(),
            });
            if rnd(10) == 0 {
                continue;
            }
            let id = format!("g{g}");
            let ext = if rnd(6) == 0 {
                None
            } else {
                Some(src(5000 + g))
            };
            actual.groups.push(
                json!({"id": id, "externalId": ext, "displayName": format!("Group {g}")}).into(),
            );
            for m in members.iter().filter(|_| rnd(10) != 0) {
                let i = usize::from_str_radix(m, 16).unwrap_or(0);
                actual
                    .memberships
                    .push((id.clone(), format!("t{:04}", (i * 37) % 1000)));
            }
            for _ in 0..rnd(4) {
                actual
                    .memberships
                    .push((id.clone(), format!("t{:04}", rnd(1000))));
            }
        }
        let known = KnownSources::new((0..420).map(src), (5000..5040).map(src));
        (expected, actual, known)
    }

    #[test]
    fn splitting_the_work_never_changes_the_result() {
        let spec = CompareSpec::jumpcloud_default();
        for seed in 0..8 {
            let (expected, actual, known) = world(seed);
            let one = diff_planned(&expected, &actual, &spec, &known, par::Plan::forced(1));
            assert!(one.summary.users.drifted() > 0 && one.summary.memberships_to_add > 0);
            for parts in [2, 3, 4] {
                let split =
                    diff_planned(&expected, &actual, &spec, &known, par::Plan::forced(parts));
                assert_eq!(split, one, "seed {seed}, {parts} parts");
                assert_eq!(split.rows(), one.rows());
            }
            assert_eq!(diff(&expected, &actual, &spec, &known), one);
        }
    }
}
