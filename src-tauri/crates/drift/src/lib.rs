//! Pure diff engine: what JumpCloud *would* push (`Expected`) against what a
//! SCIM target *does* hold (`Actual`). No I/O, no async; resources are SCIM
//! JSON so this crate does not depend on any client's structs.
//!
//! Matching follows JumpCloud's connector: externalId, then userName, then
//! primary email (both without case); groups by externalId, then displayName,
//! because JumpCloud takes over a same-name group. Every expected, ineligible
//! and target resource lands in exactly one category of the [`Drift`].

mod attrs;
mod compare;
pub mod error;
mod groups;
mod input;
mod matching;
mod members;
mod normalize;
mod output;
mod path;
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
///         resource: json!({"userName": "ann@example.com", "title": "Engineer"}),
///     }],
///     ..Default::default()
/// };
/// let actual = Actual {
///     users: vec![json!({"id": "t1", "externalId": source_id, "userName": "Ann@Example.com", "title": "Manager"})],
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
    let prep = compare::Prepared::new(spec);
    let (mut users, user_side) = users::diff_users(expected, actual, spec, &prep, known);
    let (mut groups, group_side) = groups::diff_groups(expected, actual, spec, &prep, known);
    let memberships = members::diff_memberships(expected, actual, &user_side, &group_side);
    users.sort();
    groups.sort();
    let count = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
    let summary = DriftSummary {
        users: DriftCounts::of(&users),
        groups: DriftCounts::of(&groups),
        groups_with_membership_drift: count(memberships.len()),
        memberships_to_add: count(memberships.iter().map(|m| m.add.len()).sum()),
        memberships_to_remove: count(memberships.iter().map(|m| m.remove.len()).sum()),
    };
    Drift {
        users,
        groups,
        memberships,
        summary,
    }
}
