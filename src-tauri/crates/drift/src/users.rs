//! User matching (externalId, then userName, then primary email) and
//! classification of every expected, ineligible and target user.

use serde_json::Value;
use std::borrow::Cow;

use crate::attrs::{actual_label, str_attr};
use crate::compare::{self, Prepared};
use crate::input::{Actual, Expected, KnownSources};
use crate::matching::{order_by, KeyIndex};
use crate::normalize;
use crate::output::{
    differs_in, push_changed_or_in_sync, AttrChange, DriftCode, DriftEntry, MatchedBy,
    ResourceDrift,
};
use crate::par;
use crate::path::{AttrPath, Found};
use crate::record::Node;
use crate::spec::CompareSpec;
use crate::strtable::StrTable;

/// Which JumpCloud object a target user was matched to.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Owner {
    Nobody,
    Expected(u32),
    Ineligible(u32),
}

const INELIGIBLE_BIT: u32 = 1 << 31;

impl Owner {
    /// Packs an expected or ineligible index into a table value.
    fn encode(self) -> u32 {
        match self {
            Owner::Expected(i) => i,
            Owner::Ineligible(j) => j | INELIGIBLE_BIT,
            Owner::Nobody => u32::MAX,
        }
    }

    pub(crate) fn decode(v: u32) -> Self {
        match v {
            u32::MAX => Owner::Nobody,
            v if v & INELIGIBLE_BIT != 0 => Owner::Ineligible(v & !INELIGIBLE_BIT),
            v => Owner::Expected(v),
        }
    }
}

/// JumpCloud id -> expected or ineligible user.
pub(crate) struct SourceIndex(StrTable);

impl SourceIndex {
    pub(crate) fn get(&self, source: &str) -> Option<Owner> {
        self.0.get(source).map(Owner::decode)
    }

    /// [`Self::get`] for many ids at once (see [`StrTable::get_all`]), appended to `out`
    /// undecoded: [`Owner::decode`] each.
    pub(crate) fn get_all<'k>(
        &self,
        sources: impl IntoIterator<Item = &'k str>,
        out: &mut Vec<Option<u32>>,
    ) {
        self.0.get_all(sources, out);
    }
}

/// A target user with the ids every pass needs read once.
pub(crate) struct ActualUser<'a> {
    pub(crate) v: Node<'a>,
    pub(crate) id: &'a str,
    ext: Option<&'a str>,
}

impl<'a> ActualUser<'a> {
    pub(crate) fn label(&self) -> &'a str {
        actual_label(self.v, self.id, &["userName", "displayName"])
    }
}

/// What the membership pass needs to know about users after matching.
pub(crate) struct UserSide<'a> {
    pub(crate) actual: Vec<ActualUser<'a>>,
    pub(crate) owner: Vec<Owner>,
    /// Per expected user: the index of the target user it matched.
    pub(crate) matched: Vec<Option<u32>>,
    /// Expected and ineligible users by JumpCloud id.
    pub(crate) by_source: SourceIndex,
    /// Target users by target id.
    pub(crate) by_target_id: StrTable,
}

fn primary_email<'a>(path: &AttrPath, v: Node<'a>) -> Option<Cow<'a, str>> {
    match path.resolve(v) {
        Found::One(n) => n
            .as_str()
            .map(|s| normalize::text(s, true))
            .filter(|s| !s.is_empty()),
        _ => None,
    }
}

fn user_name(v: Node<'_>) -> Option<Cow<'_, str>> {
    str_attr(v, "userName").map(|s| normalize::text(s, true))
}

pub(crate) fn diff_users<'a>(
    expected: &'a Expected,
    actual: &'a Actual,
    spec: &CompareSpec,
    prep: &Prepared,
    known: &KnownSources,
    user_parts: usize,
) -> (ResourceDrift, UserSide<'a>) {
    let email_path = AttrPath::parse("emails[primary].value")
        .unwrap_or_else(|e| unreachable!("constant path: {e}"));

    let actual_users: Vec<ActualUser<'a>> = actual
        .users
        .iter()
        .map(|r| r.node())
        .map(|v| ActualUser {
            v,
            id: str_attr(v, "id").unwrap_or_default(),
            ext: str_attr(v, "externalId"),
        })
        .collect();
    let ids: Vec<&str> = actual_users.iter().map(|a| a.id).collect();
    let exts: Vec<Option<&str>> = actual_users.iter().map(|a| a.ext).collect();
    let by_ext = KeyIndex::build(&exts);

    let sources: Vec<&'a str> = expected.users.iter().map(|u| u.source_id.trim()).collect();
    let order = order_by(sources.len(), |i| sources[i]);
    let inel_order = order_by(expected.ineligible.len(), |i| {
        expected.ineligible[i].source_id.trim()
    });

    let mut claimed = vec![false; actual_users.len()];
    let mut owner = vec![Owner::Nobody; actual_users.len()];
    let mut matched: Vec<Option<(u32, MatchedBy)>> = vec![None; sources.len()];
    let mut inel_matched: Vec<Option<u32>> = vec![None; expected.ineligible.len()];

    // Each pass runs over everybody before the next starts, so a weaker key
    // never steals a resource that a stronger key would have matched.
    for &i in &order {
        if let Some(a) = by_ext.best_unclaimed(sources[i as usize], &claimed, &ids) {
            claimed[a as usize] = true;
            owner[a as usize] = Owner::Expected(i);
            matched[i as usize] = Some((a, MatchedBy::ExternalId));
        }
    }
    for &j in &inel_order {
        let source = expected.ineligible[j as usize].source_id.trim();
        if let Some(a) = by_ext.best_unclaimed(source, &claimed, &ids) {
            claimed[a as usize] = true;
            owner[a as usize] = Owner::Ineligible(j);
            inel_matched[j as usize] = Some(a);
        }
    }
    for by in [MatchedBy::UserName, MatchedBy::Email] {
        let key_of = |v: Node<'a>| match by {
            MatchedBy::UserName => user_name(v),
            _ => primary_email(&email_path, v),
        };
        let pending: Vec<u32> = order
            .iter()
            .copied()
            .filter(|&i| matched[i as usize].is_none())
            .collect();
        if pending.is_empty() {
            break;
        }
        // Weaker keys are read only for what the stronger ones left over,
        // usually a handful of users rather than all of them.
        let keys: Vec<Option<Cow<'a, str>>> = actual_users
            .iter()
            .zip(&claimed)
            .map(|(a, &taken)| if taken { None } else { key_of(a.v) })
            .collect();
        let refs: Vec<Option<&str>> = keys.iter().map(|k| k.as_deref()).collect();
        let index = KeyIndex::build(&refs);
        for i in pending {
            let Some(key) = key_of(expected.users[i as usize].resource.node()) else {
                continue;
            };
            if let Some(a) = index.best_unclaimed(&key, &claimed, &ids) {
                claimed[a as usize] = true;
                owner[a as usize] = Owner::Expected(i);
                matched[i as usize] = Some((a, by));
            }
        }
    }

    let compared = MatchedUsers {
        expected,
        sources: &sources,
        actual: &actual_users,
        matched: &matched,
        spec,
        prep,
    };
    // Comparing matched pairs is the costly part: split over the cores, put back in order.
    let mut parts = par::map_ranges(order.iter().map(|_| 1), user_parts, |range| {
        compared.classify(&order[range])
    })
    .into_iter();
    let mut drift = parts.next().unwrap_or_default();
    for part in parts {
        drift.append(part);
    }

    for &j in &inel_order {
        let inel = &expected.ineligible[j as usize];
        let texts: Vec<&str> = inel.reasons.iter().map(|r| r.text.as_str()).collect();
        let texts = texts.join("; ");
        let mut entry = match inel_matched[j as usize] {
            Some(a) => DriftEntry::new(
                Some(inel.source_id.trim()),
                Some(actual_users[a as usize].id),
                &inel.label,
                DriftCode::IneligibleButPresent,
                format!("Not eligible ({texts}), yet present in the target"),
            ),
            None => DriftEntry::new(
                Some(inel.source_id.trim()),
                None,
                &inel.label,
                DriftCode::Ineligible,
                format!("Not provisioned: {texts}"),
            ),
        };
        if inel_matched[j as usize].is_some() {
            entry.matched_by = Some(MatchedBy::ExternalId);
        }
        entry.source_reasons = inel.reasons.clone();
        drift.ineligible.push(entry);
    }

    let mut table = StrTable::with_capacity(sources.len() + inel_order.len());
    let expected_sources = sources
        .iter()
        .enumerate()
        .map(|(i, s)| (*s, Owner::Expected(i as u32)));
    let inel_sources = expected
        .ineligible
        .iter()
        .enumerate()
        .map(|(j, x)| (x.source_id.trim(), Owner::Ineligible(j as u32)));
    for (source, owner) in expected_sources.chain(inel_sources) {
        // The first claim on an id wins, as in the matching passes.
        if table.get(source).is_none() {
            table.insert(source, owner.encode());
        }
    }
    let by_source = SourceIndex(table);

    for (ai, a) in actual_users.iter().enumerate() {
        if !claimed[ai] {
            classify_extra(a, &by_source, known, prep, &mut drift);
        }
    }

    let mut by_target_id = StrTable::with_capacity(actual_users.len());
    for (i, a) in actual_users.iter().enumerate() {
        if !a.id.is_empty() {
            by_target_id.insert(a.id, i as u32);
        }
    }
    let side = UserSide {
        actual: actual_users,
        owner,
        matched: matched.into_iter().map(|m| m.map(|(a, _)| a)).collect(),
        by_source,
        by_target_id,
    };
    (drift, side)
}

/// Classifies expected users in `order`: the slice of the sorted pass one part works on.
struct MatchedUsers<'s, 'a> {
    expected: &'a Expected,
    sources: &'s [&'a str],
    actual: &'s [ActualUser<'a>],
    matched: &'s [Option<(u32, MatchedBy)>],
    spec: &'s CompareSpec,
    prep: &'s Prepared,
}

impl MatchedUsers<'_, '_> {
    fn classify(&self, order: &[u32]) -> ResourceDrift {
        let MatchedUsers {
            expected,
            sources,
            actual: actual_users,
            matched,
            spec,
            prep,
        } = *self;
        let mut drift = ResourceDrift::default();
        for &i in order {
            let (e, source) = (&expected.users[i as usize], sources[i as usize]);
            let expected_active = compare::active(e.resource.node()).unwrap_or(true);
            let Some((ai, by)) = matched[i as usize] else {
                if expected_active {
                    drift.missing.push(DriftEntry::missing(source, &e.label));
                } else {
                    drift.left_as_is.push(DriftEntry::new(
                        Some(source),
                        None,
                        &e.label,
                        DriftCode::MissingInactive,
                        "Not provisioned while inactive: suspended or password expired in JumpCloud, which does not create inactive users",
                    ));
                }
                continue;
            };
            let a = &actual_users[ai as usize];
            let linked = a.ext == Some(source);
            let mut changes = compare::changes(&prep.user_paths, e.resource.node(), a.v);
            if spec.compare_external_id && !linked {
                changes.push(external_id_change(source, a.ext));
            }
            let actual_active = compare::active(a.v).unwrap_or(true);
            let entry = |code, reason: String| {
                DriftEntry::new(Some(source), Some(a.id), &e.label, code, reason)
                    .matched(by, changes.clone())
            };

            if by == MatchedBy::Email && user_name(a.v) != user_name(e.resource.node()) {
                let reason = format!(
                    "Primary email matches target account {} whose userName differs; JumpCloud would not find it by userName",
                    a.label()
                );
                drift
                    .conflicts
                    .push(entry(DriftCode::EmailMatchUserNameDiffers, reason));
            } else if by != MatchedBy::ExternalId && a.ext.is_some() && !linked {
                let reason = format!(
                    "{} matches a target account that belongs to externalId {}; JumpCloud would take it over",
                    by.attribute(),
                    a.ext.unwrap_or_default()
                );
                drift.conflicts.push(entry(DriftCode::TakeOver, reason));
            } else if prep.manage_active && !expected_active && actual_active {
                if spec.deprovision_deletes {
                    drift.decisions.push(entry(
                        DriftCode::SuspendedInSource,
                        format!("Suspended in JumpCloud; {DELETES_INSTEAD}"),
                    ));
                } else {
                    let reason =
                        "Suspended in JumpCloud but active in the target; JumpCloud would deactivate it"
                            .to_string();
                    drift
                        .deactivate
                        .push(entry(DriftCode::SuspendedInSource, reason));
                }
            } else if prep.manage_active && expected_active && !actual_active {
                // JumpCloud keeps syncing attributes of a user disabled in the target and never
                // re-enables it (AWS's JumpCloud guide), so `active` is not a change to make.
                let others: Vec<AttrChange> = changes
                    .iter()
                    .filter(|c| !c.path.eq_ignore_ascii_case("active"))
                    .cloned()
                    .collect();
                let disabled = DriftEntry::new(
                    Some(source),
                    Some(a.id),
                    &e.label,
                    DriftCode::DisabledInTarget,
                    "",
                );
                if others.is_empty() {
                    drift.disabled.push(DriftEntry {
                        reason: format!(
                            "{DISABLED}; re-enabling is an explicit choice in the plan"
                        ),
                        ..disabled.matched(by, changes.clone())
                    });
                } else {
                    drift.changed.push(DriftEntry {
                        reason: format!("{DISABLED}; it stays disabled. {}", differs_in(&others)),
                        ..disabled.matched(by, others)
                    });
                }
            } else if spec.compare_external_id && !linked {
                let reason = format!(
                    "Matched by {}; the target account has no externalId yet, JumpCloud would link it",
                    by.attribute()
                );
                drift.changed.push(entry(DriftCode::Unlinked, reason));
            } else {
                push_changed_or_in_sync(&mut drift, &changes, entry);
            }
        }
        drift
    }
}

const DISABLED: &str = "Active in JumpCloud, disabled in the target";

/// Why a deprovision on a delete-only target is left to the admin.
pub(crate) const DELETES_INSTEAD: &str = "JumpCloud would deactivate it, but this target deletes instead of deactivating (Unity): needs a decision, deleting is an explicit choice";

pub(crate) fn external_id_change(expected: &str, actual: Option<&str>) -> AttrChange {
    AttrChange {
        path: "externalId".to_string(),
        expected: Value::String(expected.to_string()),
        actual: actual.map_or(Value::Null, |s| Value::String(s.to_string())),
    }
}

fn classify_extra(
    a: &ActualUser<'_>,
    by_source: &SourceIndex,
    known: &KnownSources,
    prep: &Prepared,
    drift: &mut ResourceDrift,
) {
    let label = a.label();
    let Some(ext) = a.ext else {
        drift
            .extra
            .unmanaged
            .push(DriftEntry::no_external_id(a.id, label));
        return;
    };
    let formerly = |code, reason: &str| DriftEntry::new(Some(ext), Some(a.id), label, code, reason);
    let active = compare::active(a.v).unwrap_or(true);
    if by_source.get(ext).is_some() {
        drift.conflicts.push(formerly(
            DriftCode::DuplicateExternalId,
            "Another target account already carries this externalId: needs a decision",
        ));
    } else if known.user_ids.contains(ext) {
        if !prep.manage_active {
            drift.left_as_is.push(formerly(
                DriftCode::OutOfScope,
                "JumpCloud user of this directory no longer in scope of the app; this target's profile does not manage the active state",
            ));
        } else if !active {
            drift.left_as_is.push(formerly(
                DriftCode::OutOfScopeInactive,
                "JumpCloud user no longer in scope of the app, already deactivated in the target",
            ));
        } else if prep.deprovision_deletes {
            drift.decisions.push(formerly(
                DriftCode::OutOfScope,
                &format!("No longer in scope of the app; {DELETES_INSTEAD}"),
            ));
        } else {
            drift.deactivate.push(formerly(
                DriftCode::OutOfScope,
                "JumpCloud user no longer in scope of the app, still active in the target; JumpCloud would deactivate it",
            ));
        }
    } else if known.recognise_source_id_shape && KnownSources::looks_like_source_id(ext) {
        // Most likely deleted in JumpCloud, which then deletes the account in the target.
        if !prep.manage_active || !active {
            drift.left_as_is.push(formerly(
                DriftCode::SourceIdNotInDirectory,
                "Its JumpCloud user no longer exists (deleted?); the account is already deactivated in the target. JumpCloud would have deleted it (policy option: mirror deletes)",
            ));
        } else if prep.deprovision_deletes {
            drift.decisions.push(formerly(
                DriftCode::SourceIdNotInDirectory,
                "Its JumpCloud user no longer exists (deleted?); JumpCloud would delete the account: needs a decision on this delete-only target",
            ));
        } else {
            drift.extra.formerly_managed.push(formerly(
                DriftCode::SourceIdNotInDirectory,
                "Its JumpCloud user no longer exists (deleted?); JumpCloud would delete this account, the plan deactivates it instead (policy option: mirror deletes)",
            ));
        }
    } else {
        drift
            .extra
            .unmanaged
            .push(DriftEntry::foreign_external_id(a.id, label));
    }
}
