//! The Diff page's data: progress of a run, its summary, pages of rows and one row's detail.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use ts_rs::TS;

/// Where a row stands between JumpCloud and the target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum DiffState {
    /// JumpCloud would create it; the target lacks it.
    Missing,
    /// In the target, not expected from JumpCloud.
    Extra,
    /// On both sides with attribute differences (or not linked by externalId yet).
    Changed,
    /// Active in the target but suspended or out of scope in JumpCloud.
    Deactivate,
    /// Matched in a way JumpCloud would take over or trip on.
    Conflict,
    /// In scope, but the target's rules refuse it.
    Ineligible,
    InSync,
    /// In the target, not created by JumpCloud: reported, never changed by default.
    Unmanaged,
    /// Disabled in the target while active in JumpCloud: left disabled.
    Disabled,
    /// A write this target turns destructive: the admin chooses.
    Decision,
    /// Differs, but JumpCloud would write nothing (inactive users, unbound groups).
    LeftAsIs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum DiffKind {
    User,
    Group,
    Membership,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum DiffPhase {
    /// Reading JumpCloud first (a configured workspace that has not read it yet).
    #[serde(rename = "jumpcloud")]
    #[ts(rename = "jumpcloud")]
    JumpCloud,
    Reading,
    Memberships,
    Comparing,
    Done,
}

/// Sent over the run's channel after every page and at each phase change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DiffProgress {
    pub phase: DiffPhase,
    pub users_read: u32,
    /// The target's total, when it reports one.
    pub users_total: Option<u32>,
    pub groups_read: u32,
    pub groups_total: Option<u32>,
    pub requests: u32,
    /// The JumpCloud read's progress while `phase` is `JumpCloud` (absent otherwise).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub jumpcloud: Option<crate::DirectoryReadProgress>,
}

/// Rows of one state, per kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DiffStateCount {
    pub state: DiffState,
    pub users: u32,
    pub groups: u32,
    pub memberships: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DiffSummary {
    pub target_id: String,
    pub target_name: String,
    /// Every state, in display order (missing, extra, changed, deactivate, conflict, ineligible, in sync).
    pub counts: Vec<DiffStateCount>,
    pub total_rows: u32,
    /// Rows not in sync.
    pub drifted: u32,
    #[ts(type = "number")]
    pub duration_ms: u64,
    /// HTTP requests sent to the target (retries included).
    #[ts(type = "number")]
    pub requests: u64,
    /// RFC 3339.
    pub finished_at: String,
    /// Attribute paths that differ somewhere, for the attribute filter.
    pub attributes: Vec<String>,
}

/// Which rows to list; empty lists and an empty search mean all.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DiffRowQuery {
    pub states: Vec<DiffState>,
    pub kinds: Vec<DiffKind>,
    pub search: String,
    pub attribute: Option<String>,
    /// Only the membership rows of this group (a group row's `key`).
    #[serde(default)]
    pub group: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DiffRow {
    pub kind: DiffKind,
    pub state: DiffState,
    /// Unique per kind; pass it back to `diff_detail`.
    pub key: String,
    pub label: String,
    /// Machine-readable reason (snake_case), e.g. `take_over`.
    pub reason_code: String,
    /// The reason in words, shown verbatim.
    pub reason: String,
    pub changed_attributes: Vec<String>,
    pub source_id: Option<String>,
    pub target_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DiffRowsPage {
    /// Rows matching the query (all pages).
    pub total: u32,
    pub offset: u32,
    pub rows: Vec<DiffRow>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DiffAttrChange {
    pub path: String,
    pub expected: Value,
    pub actual: Value,
}

/// A reason from the target's rules, shown verbatim.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DiffReason {
    pub code: String,
    pub text: String,
}

/// One row side by side: the JumpCloud record, the SCIM payload it maps to, the target's resource.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DiffDetail {
    pub row: DiffRow,
    pub jumpcloud: Option<Value>,
    pub expected: Option<Value>,
    pub actual: Option<Value>,
    pub changes: Vec<DiffAttrChange>,
    pub reasons: Vec<DiffReason>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum DiffExportFormat {
    Csv,
    Json,
    Html,
}
