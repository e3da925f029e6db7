//! Group matching (externalId, then displayName: JumpCloud takes over a
//! same-name group) and classification of every expected and target group.

use std::borrow::Cow;
use std::collections::HashSet;

use crate::attrs::{actual_label, str_attr};
use crate::compare::{self, Prepared};
use crate::input::{Actual, Expected, KnownSources};
use crate::matching::{order_by, KeyIndex};
use crate::normalize;
use crate::output::{push_changed_or_in_sync, DriftCode, DriftEntry, MatchedBy, ResourceDrift};
use crate::record::Node;
use crate::spec::CompareSpec;
use crate::users::external_id_change;

pub(crate) struct ActualGroup<'a> {
    pub(crate) v: Node<'a>,
    pub(crate) id: &'a str,
    ext: Option<&'a str>,
    name: Option<Cow<'a, str>>,
}

/// What the membership pass needs to know about groups after matching.
pub(crate) struct GroupSide<'a> {
    pub(crate) actual: Vec<ActualGroup<'a>>,
    /// Per expected group: the index of the target group it matched.
    pub(crate) matched: Vec<Option<u32>>,
}

fn group_name(v: Node<'_>, fold: bool) -> Option<Cow<'_, str>> {
    str_attr(v, "displayName").map(|s| normalize::text(s, fold))
}

pub(crate) fn diff_groups<'a>(
    expected: &'a Expected,
    actual: &'a Actual,
    spec: &CompareSpec,
    prep: &Prepared,
    known: &KnownSources,
) -> (ResourceDrift, GroupSide<'a>) {
    let fold = prep.fold_group_names;
    let actual_groups: Vec<ActualGroup<'a>> = actual
        .groups
        .iter()
        .map(|r| r.node())
        .map(|v| ActualGroup {
            v,
            id: str_attr(v, "id").unwrap_or_default(),
            ext: str_attr(v, "externalId"),
            name: group_name(v, fold),
        })
        .collect();
    let ids: Vec<&str> = actual_groups.iter().map(|g| g.id).collect();
    let exts: Vec<Option<&str>> = actual_groups.iter().map(|g| g.ext).collect();
    let by_ext = KeyIndex::build(&exts);
    let names_by_id: Vec<Option<&str>> = actual_groups.iter().map(|g| g.name.as_deref()).collect();
    let by_name = KeyIndex::build(&names_by_id);

    let sources: Vec<&'a str> = expected.groups.iter().map(|g| g.source_id.trim()).collect();
    let names: Vec<Option<Cow<'a, str>>> = expected
        .groups
        .iter()
        .map(|g| group_name(g.resource.node(), fold))
        .collect();
    let order = order_by(sources.len(), |i| sources[i]);

    let mut claimed = vec![false; actual_groups.len()];
    let mut matched: Vec<Option<(u32, MatchedBy)>> = vec![None; sources.len()];
    for &i in &order {
        if let Some(a) = by_ext.best_unclaimed(sources[i as usize], &claimed, &ids) {
            claimed[a as usize] = true;
            matched[i as usize] = Some((a, MatchedBy::ExternalId));
        }
    }
    for &i in &order {
        let Some(name) = names[i as usize].as_deref() else {
            continue;
        };
        if matched[i as usize].is_some() {
            continue;
        }
        if let Some(a) = by_name.best_unclaimed(name, &claimed, &ids) {
            claimed[a as usize] = true;
            matched[i as usize] = Some((a, MatchedBy::DisplayName));
        }
    }

    let mut drift = ResourceDrift::default();
    for &i in &order {
        let (e, source) = (&expected.groups[i as usize], sources[i as usize]);
        let Some((ai, by)) = matched[i as usize] else {
            if e.not_created_because.is_empty() {
                drift.missing.push(DriftEntry::missing(source, &e.label));
            } else {
                let why: Vec<&str> = e
                    .not_created_because
                    .iter()
                    .map(|r| r.text.as_str())
                    .collect();
                let mut entry = DriftEntry::new(
                    Some(source),
                    None,
                    &e.label,
                    DriftCode::Ineligible,
                    format!("Not provisioned: {}", why.join("; ")),
                );
                entry.source_reasons = e.not_created_because.clone();
                drift.ineligible.push(entry);
            }
            continue;
        };
        let a = &actual_groups[ai as usize];
        let linked = a.ext == Some(source);
        let mut changes = compare::changes(&prep.group_paths, e.resource.node(), a.v);
        if spec.compare_external_id && !linked {
            changes.push(external_id_change(source, a.ext));
        }
        let entry = |code, reason: String| {
            DriftEntry::new(Some(source), Some(a.id), &e.label, code, reason)
                .matched(by, changes.clone())
        };
        if by == MatchedBy::DisplayName && a.ext.is_some() && !linked {
            let reason = format!(
                "A group of the same name in the target belongs to externalId {}; JumpCloud would take it over",
                a.ext.unwrap_or_default()
            );
            drift.conflicts.push(entry(DriftCode::TakeOver, reason));
        } else if spec.compare_external_id && !linked {
            let reason = "Same-name group in the target without externalId; JumpCloud would take it over and link it".to_string();
            drift.changed.push(entry(DriftCode::Unlinked, reason));
        } else {
            push_changed_or_in_sync(&mut drift, &changes, entry);
        }
    }

    let expected_sources: HashSet<&str> = sources.iter().copied().collect();
    for (ai, a) in actual_groups.iter().enumerate() {
        if claimed[ai] {
            continue;
        }
        let label = actual_label(a.v, a.id, &["displayName"]);
        let entry = |code, reason: &str| DriftEntry::new(a.ext, Some(a.id), label, code, reason);
        match a.ext {
            None => drift
                .extra
                .unmanaged
                .push(DriftEntry::no_external_id(a.id, label)),
            Some(ext) if expected_sources.contains(ext) => drift.conflicts.push(entry(
                DriftCode::DuplicateExternalId,
                "Another target group already carries this externalId: needs a decision",
            )),
            // JumpCloud stops syncing an unbound group and keeps it; its members that no other
            // bound group covers are out of scope and deactivated as users.
            Some(ext) if known.group_ids.contains(ext) => drift.left_as_is.push(entry(
                DriftCode::OutOfScope,
                "JumpCloud group no longer bound to the app: no longer managed; JumpCloud keeps the group in the target",
            )),
            Some(ext)
                if known.recognise_source_id_shape && KnownSources::looks_like_source_id(ext) =>
            {
                drift.extra.formerly_managed.push(entry(
                    DriftCode::SourceIdNotInDirectory,
                    "Its JumpCloud group no longer exists (deleted?); JumpCloud deletes a group deleted in JumpCloud",
                ))
            }
            Some(_) => drift
                .extra
                .unmanaged
                .push(DriftEntry::foreign_external_id(a.id, label)),
        }
    }

    let side = GroupSide {
        actual: actual_groups,
        matched: matched.into_iter().map(|m| m.map(|(a, _)| a)).collect(),
    };
    (drift, side)
}
