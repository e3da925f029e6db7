//! What the target should hold: the in-scope JumpCloud users and groups, mapped
//! and filtered by the target's rules, in the shapes the `drift` crate reads.

use std::collections::BTreeSet;

use drift::{Expected, ExpectedGroup, ExpectedUser, Ineligible};
use jumpcloud::{AppScope, Directory};

use crate::eligibility::{empty_group_reason, user_reasons};
use crate::kind::Kind;
use crate::mapping::{group_resource, user_label, user_resource};
use crate::settings::Settings;

/// `Expected` plus the bound groups JumpCloud would not create. Kept apart
/// because `drift::Expected::ineligible` holds users only.
#[derive(Debug, Clone, Default)]
pub struct Projection {
    pub expected: Expected,
    pub ineligible_groups: Vec<Ineligible>,
}

/// Maps the users and groups of `scope` (what the connector would push) for `kind`.
///
/// - Ineligible users are listed with their reasons and left out of `users` and
///   of every group's `member_source_ids` (the target cannot hold them).
/// - Suspended users stay in `users` with `active: false`.
/// - Groups are produced only when `settings.manage_groups`; a group with no
///   members at all (nested groups expanded) is reported in `ineligible_groups`.
/// - Ids in `scope` missing from `dir` are skipped: the directory is the truth.
pub fn project(kind: Kind, settings: &Settings, dir: &Directory, scope: &AppScope) -> Projection {
    let mut out = Projection::default();
    let mut eligible: BTreeSet<&str> = BTreeSet::new();
    for id in &scope.users {
        let Some(user) = dir.user(id) else { continue };
        let reasons = user_reasons(kind, settings, user);
        if reasons.is_empty() {
            eligible.insert(user.id.as_str());
            out.expected.users.push(ExpectedUser {
                source_id: user.id.clone(),
                label: user_label(user),
                resource: user_resource(kind, user),
            });
        } else {
            out.expected.ineligible.push(Ineligible {
                source_id: user.id.clone(),
                label: user_label(user),
                reasons,
            });
        }
    }
    if !settings.manage_groups {
        return out;
    }
    for id in &scope.groups {
        let Some(group) = dir.group(id) else { continue };
        let members: &[String] = dir
            .effective_members
            .get(id)
            .map(Vec::as_slice)
            .unwrap_or_default();
        if members.is_empty() {
            out.ineligible_groups.push(Ineligible {
                source_id: group.id.clone(),
                label: group.name.clone(),
                reasons: vec![empty_group_reason()],
            });
            continue;
        }
        out.expected.groups.push(ExpectedGroup {
            source_id: group.id.clone(),
            label: group.name.clone(),
            resource: group_resource(group),
            member_source_ids: members
                .iter()
                .filter(|m| eligible.contains(m.as_str()))
                .cloned()
                .collect(),
        });
    }
    out
}
