//! The result of a diff: every expected and every actual resource lands in
//! exactly one category, with a reason code and a plain-text reason.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::input::DriftReason;

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export_to = "drift/")]
pub struct Drift {
    pub users: ResourceDrift,
    pub groups: ResourceDrift,
    /// Only groups present on both sides whose members differ.
    pub memberships: Vec<MembershipDrift>,
    pub summary: DriftSummary,
}

/// Categories for one resource type; each vector is sorted by label, then ids.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export_to = "drift/")]
pub struct ResourceDrift {
    pub in_sync: Vec<DriftEntry>,
    /// Expected, not in the target.
    pub missing: Vec<DriftEntry>,
    /// Matched, with attribute differences (or not yet linked by externalId).
    pub changed: Vec<DriftEntry>,
    /// Matched in a way JumpCloud would take over or trip on.
    pub conflicts: Vec<DriftEntry>,
    /// Active in the target but suspended or out of scope in JumpCloud (users only).
    pub deactivate: Vec<DriftEntry>,
    /// Active in JumpCloud, disabled in the target by someone, nothing else differs (users
    /// only). JumpCloud keeps syncing attributes and never re-enables; neither does the plan.
    #[serde(default)]
    pub disabled: Vec<DriftEntry>,
    /// Deprovisioning JumpCloud would do that this target turns into a permanent DELETE
    /// (Unity): planned only when the admin chooses it.
    #[serde(default)]
    pub decisions: Vec<DriftEntry>,
    /// Differs, but JumpCloud's connector would write nothing: inactive users it never
    /// creates, accounts already deactivated, groups unbound from the app.
    #[serde(default)]
    pub left_as_is: Vec<DriftEntry>,
    /// Not provisionable, passed through from the profile (users only).
    pub ineligible: Vec<DriftEntry>,
    /// In the target, not expected.
    pub extra: ExtraDrift,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export_to = "drift/")]
pub struct ExtraDrift {
    /// Created by someone else: no externalId, or one that is not this directory's.
    pub unmanaged: Vec<DriftEntry>,
    /// Carries the id of a JumpCloud object deleted from the directory: JumpCloud would
    /// deprovision it.
    pub formerly_managed: Vec<DriftEntry>,
}

/// One resource's row in a category.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export_to = "drift/")]
pub struct DriftEntry {
    /// JumpCloud id, when the resource is known there.
    pub source_id: Option<String>,
    /// Target `id`, when the resource exists in the target.
    pub target_id: Option<String>,
    pub label: String,
    pub matched_by: Option<MatchedBy>,
    pub reason_code: DriftCode,
    pub reason: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub changes: Vec<AttrChange>,
    /// The profile's reasons for ineligible users.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub source_reasons: Vec<DriftReason>,
}

impl DriftEntry {
    /// Stable key for tables and snapshots, unique within a kind: the
    /// JumpCloud id for rows about an expected resource, the target id for
    /// resources found only in the target (two of those may carry the same
    /// externalId, but never the same target id).
    pub fn key(&self) -> &str {
        let target_only = self.matched_by.is_none() && self.target_id.is_some();
        let (first, second) = if target_only {
            (&self.target_id, &self.source_id)
        } else {
            (&self.source_id, &self.target_id)
        };
        first.as_deref().or(second.as_deref()).unwrap_or_default()
    }
}

/// One differing attribute, with the raw (not normalised) values for side-by-side display.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export_to = "drift/")]
pub struct AttrChange {
    /// Canonical SCIM path, e.g. `emails[primary eq true].value`.
    pub path: String,
    pub expected: Value,
    pub actual: Value,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
#[ts(export_to = "drift/")]
pub enum MatchedBy {
    ExternalId,
    UserName,
    Email,
    DisplayName,
}

/// Why a row is where it is. Callers match on this, never on the text.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ts_rs::TS,
)]
#[serde(rename_all = "snake_case")]
#[ts(export_to = "drift/")]
pub enum DriftCode {
    InSync,
    Missing,
    /// Not in the target and inactive (suspended, password expired) in JumpCloud, which
    /// does not create inactive users.
    MissingInactive,
    Changed,
    /// Active in JumpCloud, disabled in the target: stays disabled unless the admin chooses.
    DisabledInTarget,
    /// Matched by userName/email/displayName; the target copy has no externalId yet.
    Unlinked,
    /// Same userName (or group name), different externalId: JumpCloud would take it over.
    TakeOver,
    /// Same primary email, different userName.
    EmailMatchUserNameDiffers,
    SuspendedInSource,
    /// A JumpCloud object of this directory that is no longer in scope.
    OutOfScope,
    /// Out of scope and already deactivated in the target.
    OutOfScopeInactive,
    /// externalId shaped like a JumpCloud id, but unknown to this directory.
    SourceIdNotInDirectory,
    /// Another target resource already carries this externalId.
    DuplicateExternalId,
    NoExternalId,
    ForeignExternalId,
    Ineligible,
    IneligibleButPresent,
    MemberToAdd,
    /// Member to add once the user itself is created.
    MemberToAddAfterUserCreate,
    /// Member in JumpCloud whose user is not provisioned while inactive: not added.
    MemberNotProvisioned,
    MemberToRemove,
    /// Member to remove that JumpCloud does not manage (or the target does not list as a user).
    UnmanagedMemberToRemove,
}

/// Membership differences of one group present on both sides.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export_to = "drift/")]
pub struct MembershipDrift {
    pub group_source_id: String,
    pub group_target_id: String,
    pub group_label: String,
    pub add: Vec<MemberChange>,
    pub remove: Vec<MemberChange>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export_to = "drift/")]
pub struct MemberChange {
    pub user_source_id: Option<String>,
    /// `None` for a member whose user is not created yet.
    pub user_target_id: Option<String>,
    pub label: String,
    pub reason_code: DriftCode,
    pub reason: String,
}

impl MemberChange {
    pub fn key(&self) -> &str {
        self.user_source_id
            .as_deref()
            .or(self.user_target_id.as_deref())
            .unwrap_or_default()
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export_to = "drift/")]
pub struct DriftSummary {
    pub users: DriftCounts,
    pub groups: DriftCounts,
    pub groups_with_membership_drift: u32,
    pub memberships_to_add: u32,
    pub memberships_to_remove: u32,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export_to = "drift/")]
pub struct DriftCounts {
    pub in_sync: u32,
    pub missing: u32,
    pub changed: u32,
    pub conflicts: u32,
    pub deactivate: u32,
    #[serde(default)]
    pub disabled: u32,
    #[serde(default)]
    pub decisions: u32,
    #[serde(default)]
    pub left_as_is: u32,
    pub ineligible: u32,
    /// Ineligible, yet present in the target.
    pub ineligible_present: u32,
    pub extra_unmanaged: u32,
    pub extra_formerly_managed: u32,
}

impl DriftCounts {
    pub(crate) fn of(d: &ResourceDrift) -> Self {
        let count = |len: usize| u32::try_from(len).unwrap_or(u32::MAX);
        let n = |v: &Vec<DriftEntry>| count(v.len());
        Self {
            in_sync: n(&d.in_sync),
            missing: n(&d.missing),
            changed: n(&d.changed),
            conflicts: n(&d.conflicts),
            deactivate: n(&d.deactivate),
            disabled: n(&d.disabled),
            decisions: n(&d.decisions),
            left_as_is: n(&d.left_as_is),
            ineligible: n(&d.ineligible),
            ineligible_present: count(
                d.ineligible
                    .iter()
                    .filter(|e| e.target_id.is_some())
                    .count(),
            ),
            extra_unmanaged: n(&d.extra.unmanaged),
            extra_formerly_managed: n(&d.extra.formerly_managed),
        }
    }

    /// Rows the default plan writes: missing, changed, to deactivate, deleted in JumpCloud.
    /// Everything else that is not in sync says in its state why nothing is written
    /// (conflicts, decisions, disabled, left as is, ineligible, not managed).
    pub fn drifted(&self) -> u32 {
        self.missing + self.changed + self.deactivate + self.extra_formerly_managed
    }

    /// Rows a person should look at that no default plan writes: conflicts and decisions.
    pub fn needs_decision(&self) -> u32 {
        self.conflicts + self.decisions
    }
}

impl DriftEntry {
    pub(crate) fn new(
        source_id: Option<&str>,
        target_id: Option<&str>,
        label: &str,
        reason_code: DriftCode,
        reason: impl Into<String>,
    ) -> Self {
        Self {
            source_id: source_id.map(str::to_string),
            target_id: target_id.map(str::to_string),
            label: label.to_string(),
            matched_by: None,
            reason_code,
            reason: reason.into(),
            changes: Vec::new(),
            source_reasons: Vec::new(),
        }
    }

    /// Expected and not in the target (a user or a group): JumpCloud would create it.
    pub(crate) fn missing(source_id: &str, label: &str) -> Self {
        Self::new(
            Some(source_id),
            None,
            label,
            DriftCode::Missing,
            "Not in the target; JumpCloud would create it",
        )
    }

    /// A target object without an externalId: not JumpCloud's.
    pub(crate) fn no_external_id(target_id: &str, label: &str) -> Self {
        Self::new(
            None,
            Some(target_id),
            label,
            DriftCode::NoExternalId,
            "Not managed by JumpCloud: no externalId",
        )
    }

    /// A target object whose externalId is not of this directory.
    pub(crate) fn foreign_external_id(target_id: &str, label: &str) -> Self {
        Self::new(
            None,
            Some(target_id),
            label,
            DriftCode::ForeignExternalId,
            "Not managed by this JumpCloud directory: foreign externalId",
        )
    }

    pub(crate) fn matched(mut self, by: MatchedBy, changes: Vec<AttrChange>) -> Self {
        self.matched_by = Some(by);
        self.changes = changes;
        self
    }
}

impl MatchedBy {
    /// The SCIM attribute the match was made on, for reason texts.
    pub fn attribute(self) -> &'static str {
        match self {
            MatchedBy::ExternalId => "externalId",
            MatchedBy::UserName => "userName",
            MatchedBy::Email => "primary email",
            MatchedBy::DisplayName => "displayName",
        }
    }
}

impl ResourceDrift {
    /// Moves `other`'s entries to the end of each category, as if pushed after ours.
    pub(crate) fn append(&mut self, mut other: ResourceDrift) {
        self.in_sync.append(&mut other.in_sync);
        self.missing.append(&mut other.missing);
        self.changed.append(&mut other.changed);
        self.conflicts.append(&mut other.conflicts);
        self.deactivate.append(&mut other.deactivate);
        self.disabled.append(&mut other.disabled);
        self.decisions.append(&mut other.decisions);
        self.left_as_is.append(&mut other.left_as_is);
        self.ineligible.append(&mut other.ineligible);
        self.extra.unmanaged.append(&mut other.extra.unmanaged);
        self.extra
            .formerly_managed
            .append(&mut other.extra.formerly_managed);
    }

    /// Sorts every category by label, then ids, so output never depends on input order.
    pub(crate) fn sort(&mut self) {
        let by_label = |a: &DriftEntry, b: &DriftEntry| {
            (&a.label, &a.source_id, &a.target_id).cmp(&(&b.label, &b.source_id, &b.target_id))
        };
        for v in [
            &mut self.in_sync,
            &mut self.missing,
            &mut self.changed,
            &mut self.conflicts,
            &mut self.deactivate,
            &mut self.disabled,
            &mut self.decisions,
            &mut self.left_as_is,
            &mut self.ineligible,
            &mut self.extra.unmanaged,
            &mut self.extra.formerly_managed,
        ] {
            v.sort_unstable_by(by_label);
        }
    }
}

/// The last branch users and groups share: a matched pair with no other finding is changed when
/// an attribute differs, else in sync. `entry` builds the row (it carries the changes, which are
/// empty for the in-sync row).
pub(crate) fn push_changed_or_in_sync(
    drift: &mut ResourceDrift,
    changes: &[AttrChange],
    entry: impl Fn(DriftCode, String) -> DriftEntry,
) {
    if changes.is_empty() {
        drift
            .in_sync
            .push(entry(DriftCode::InSync, "In sync".to_string()));
    } else {
        drift
            .changed
            .push(entry(DriftCode::Changed, differs_in(changes)));
    }
}

/// "Differs in: a, b" for a changed row.
pub(crate) fn differs_in(changes: &[AttrChange]) -> String {
    let paths: Vec<&str> = changes.iter().map(|c| c.path.as_str()).collect();
    format!("Differs in: {}", paths.join(", "))
}
