//! A flat view of a [`Drift`] for one virtualized table in the UI.

use serde::{Deserialize, Serialize};

use crate::output::{Drift, DriftCode, DriftEntry, ResourceDrift};

/// What a row is about. The UI calls it `DiffKind` (its TypeScript name); the IPC layer sends
/// this type as it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
#[ts(rename = "DiffKind")]
pub enum DriftRowKind {
    User,
    Group,
    Membership,
}

/// Where a row stands between JumpCloud and the target. The UI calls it `DiffState` (its
/// TypeScript name); the IPC layer sends this type as it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
#[ts(rename = "DiffState")]
pub enum DriftRowState {
    InSync,
    /// JumpCloud would create it; the target lacks it.
    Missing,
    /// On both sides with attribute differences (or not linked by externalId yet).
    Changed,
    /// Matched in a way JumpCloud would take over or trip on.
    Conflict,
    /// Active in the target but suspended or out of scope in JumpCloud.
    Deactivate,
    /// In scope, but the target's rules refuse it.
    Ineligible,
    /// Deleted in JumpCloud (or a member JumpCloud removed): the plan deprovisions it.
    Extra,
    /// In the target, not created by JumpCloud: reported, never changed by default.
    Unmanaged,
    /// Disabled in the target while active in JumpCloud: left disabled.
    Disabled,
    /// A write JumpCloud would make that this target turns destructive: the admin chooses.
    Decision,
    /// Differs, but JumpCloud would write nothing (inactive users, unbound groups, ...).
    LeftAsIs,
}

impl DriftRowState {
    /// Whether the default plan writes for rows in this state. The diff and the plan agree:
    /// after a complete apply no row is in a drift state.
    pub fn is_drift(self) -> bool {
        matches!(
            self,
            DriftRowState::Missing
                | DriftRowState::Changed
                | DriftRowState::Deactivate
                | DriftRowState::Extra
        )
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export_to = "drift/")]
pub struct DriftRow {
    pub kind: DriftRowKind,
    pub state: DriftRowState,
    /// Unique per kind: JumpCloud id, else target id; `group/user` for memberships.
    pub key: String,
    pub label: String,
    pub reason_code: DriftCode,
    pub reason: String,
    pub changed_attributes: Vec<String>,
    pub source_id: Option<String>,
    pub target_id: Option<String>,
}

impl Drift {
    /// Users, then groups, then membership changes (additions as `missing`,
    /// removals as `extra`); within each, the category order of [`ResourceDrift`].
    pub fn rows(&self) -> Vec<DriftRow> {
        let mut rows = Vec::with_capacity(self.row_count());
        push_resource(&mut rows, DriftRowKind::User, &self.users);
        push_resource(&mut rows, DriftRowKind::Group, &self.groups);
        for m in &self.memberships {
            let group_key = if m.group_source_id.is_empty() {
                &m.group_target_id
            } else {
                &m.group_source_id
            };
            for changes in [&m.add, &m.remove] {
                rows.extend(changes.iter().map(|c| DriftRow {
                    kind: DriftRowKind::Membership,
                    state: member_state(c.reason_code),
                    key: format!("{group_key}/{}", c.key()),
                    label: format!("{}: {}", m.group_label, c.label),
                    reason_code: c.reason_code,
                    reason: c.reason.clone(),
                    changed_attributes: Vec::new(),
                    source_id: c.user_source_id.clone(),
                    target_id: c.user_target_id.clone(),
                }));
            }
        }
        rows
    }

    fn row_count(&self) -> usize {
        let entries = |d: &ResourceDrift| {
            d.in_sync.len()
                + d.missing.len()
                + d.changed.len()
                + d.conflicts.len()
                + d.deactivate.len()
                + d.disabled.len()
                + d.decisions.len()
                + d.left_as_is.len()
                + d.ineligible.len()
                + d.extra.unmanaged.len()
                + d.extra.formerly_managed.len()
        };
        let members: usize = self
            .memberships
            .iter()
            .map(|m| m.add.len() + m.remove.len())
            .sum();
        entries(&self.users) + entries(&self.groups) + members
    }
}

fn push_resource(rows: &mut Vec<DriftRow>, kind: DriftRowKind, d: &ResourceDrift) {
    let categories = [
        (DriftRowState::InSync, &d.in_sync),
        (DriftRowState::Missing, &d.missing),
        (DriftRowState::Changed, &d.changed),
        (DriftRowState::Conflict, &d.conflicts),
        (DriftRowState::Deactivate, &d.deactivate),
        (DriftRowState::Disabled, &d.disabled),
        (DriftRowState::Decision, &d.decisions),
        (DriftRowState::LeftAsIs, &d.left_as_is),
        (DriftRowState::Ineligible, &d.ineligible),
        (DriftRowState::Unmanaged, &d.extra.unmanaged),
        (DriftRowState::Extra, &d.extra.formerly_managed),
    ];
    for (state, entries) in categories {
        rows.extend(entries.iter().map(|e| row(kind, state, e)));
    }
}

/// Additions are missing and removals extra, unless JumpCloud would not make them: members
/// whose user is not provisioned while inactive, and members JumpCloud did not provision.
pub(crate) fn member_state(code: DriftCode) -> DriftRowState {
    match code {
        DriftCode::MemberNotProvisioned => DriftRowState::LeftAsIs,
        DriftCode::UnmanagedMemberToRemove => DriftRowState::Unmanaged,
        DriftCode::MemberToRemove => DriftRowState::Extra,
        _ => DriftRowState::Missing,
    }
}

fn row(kind: DriftRowKind, state: DriftRowState, e: &DriftEntry) -> DriftRow {
    DriftRow {
        kind,
        state,
        key: e.key().to_string(),
        label: e.label.clone(),
        reason_code: e.reason_code,
        reason: e.reason.clone(),
        changed_attributes: e.changes.iter().map(|c| c.path.clone()).collect(),
        source_id: e.source_id.clone(),
        target_id: e.target_id.clone(),
    }
}
