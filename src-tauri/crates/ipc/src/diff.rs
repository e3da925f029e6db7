//! The Diff page's data: progress of a run, its summary, pages of rows and one row's detail.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use ts_rs::TS;

/// A row's state and kind cross as the diff engine's own types (their TypeScript names are
/// `DiffState` and `DiffKind`), so there is no mirror to keep in step.
pub use engine::diff::{DriftRowKind as DiffKind, DriftRowState as DiffState};

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
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DiffProgress {
    pub phase: DiffPhase,
    pub users_read: u32,
    /// The target's total, when it reports one.
    pub users_total: Option<u32>,
    pub groups_read: u32,
    pub groups_total: Option<u32>,
    /// Membership lists (one per group or per user, on targets whose groups come back without
    /// members) done, and to do (`null` where memberships come with the groups).
    pub member_lists_read: u32,
    pub member_lists_total: Option<u32>,
    /// The current phase's units (resources, or lists) a second; `null` in its first second.
    pub per_second: Option<f64>,
    /// Seconds the current phase has left at that rate, when its total is known.
    pub seconds_left: Option<u32>,
    pub requests: u32,
    /// Requests the target refused for load (429) in this run, each waited out and sent again.
    pub refused: u32,
    /// Requests a second the app keeps to since the target refused for load (`null` before).
    pub pace: Option<f64>,
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

/// Counts from the core are `u64`/`usize`; the UI's numbers are `u32`, saturating (no directory
/// comes near the limit).
pub(crate) fn small(n: impl TryInto<u32>) -> u32 {
    n.try_into().unwrap_or(u32::MAX)
}

/// A serde enum's wire name (`take_over`), for reason codes the UI shows and filters on.
pub(crate) fn code_text(code: impl Serialize) -> String {
    serde_json::to_value(code)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// RFC 3339 to the second, as every time the UI shows.
pub(crate) fn rfc3339(t: std::time::SystemTime) -> String {
    let secs = t
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    chrono::DateTime::from_timestamp(secs, 0)
        .map(|t| t.to_rfc3339())
        .unwrap_or_default()
}

impl From<engine::DiffPhase> for DiffPhase {
    fn from(p: engine::DiffPhase) -> Self {
        match p {
            engine::DiffPhase::Reading => DiffPhase::Reading,
            engine::DiffPhase::Memberships => DiffPhase::Memberships,
            engine::DiffPhase::Comparing => DiffPhase::Comparing,
            engine::DiffPhase::Done => DiffPhase::Done,
        }
    }
}

impl From<&engine::DiffProgress> for DiffProgress {
    fn from(p: &engine::DiffProgress) -> Self {
        DiffProgress {
            phase: p.phase.into(),
            users_read: small(p.users_read),
            users_total: p.users_total.map(small),
            groups_read: small(p.groups_read),
            groups_total: p.groups_total.map(small),
            member_lists_read: small(p.member_lists_read),
            member_lists_total: p.member_lists_total.map(small),
            per_second: p.per_second,
            seconds_left: p.seconds_left.map(small),
            requests: small(p.requests),
            refused: small(p.refused),
            pace: p.pace,
            jumpcloud: None,
        }
    }
}

/// A diff's progress: the JumpCloud read it may start with, then the target's read.
impl From<&engine::DiffEvent> for DiffProgress {
    fn from(event: &engine::DiffEvent) -> Self {
        match event {
            engine::DiffEvent::JumpCloud(read) => DiffProgress {
                phase: DiffPhase::JumpCloud,
                jumpcloud: Some(read.into()),
                // Nothing of the target read yet.
                ..DiffProgress::from(&engine::DiffProgress::default())
            },
            engine::DiffEvent::Target(p) => p.into(),
        }
    }
}

impl From<&engine::DiffReport> for DiffSummary {
    fn from(report: &engine::DiffReport) -> Self {
        DiffSummary {
            target_id: report.target_id.clone(),
            target_name: report.target_name.clone(),
            counts: report
                .counts()
                .into_iter()
                .map(|(state, c)| DiffStateCount {
                    state,
                    users: c.users,
                    groups: c.groups,
                    memberships: c.memberships,
                })
                .collect(),
            total_rows: report.rows.len() as u32,
            drifted: report.drifted() as u32,
            duration_ms: report.duration.as_millis() as u64,
            requests: report.requests,
            finished_at: rfc3339(report.finished_at),
            attributes: report.changed_attributes(),
        }
    }
}

impl From<&engine::diff::DriftRow> for DiffRow {
    fn from(row: &engine::diff::DriftRow) -> Self {
        DiffRow {
            kind: row.kind,
            state: row.state,
            key: row.key.clone(),
            label: row.label.clone(),
            reason_code: code_text(row.reason_code),
            reason: row.reason.clone(),
            changed_attributes: row.changed_attributes.clone(),
            source_id: row.source_id.clone(),
            target_id: row.target_id.clone(),
        }
    }
}

/// The engine's filter; empty attribute and group names mean "any".
impl From<DiffRowQuery> for engine::RowQuery {
    fn from(query: DiffRowQuery) -> Self {
        engine::RowQuery {
            states: query.states,
            kinds: query.kinds,
            search: query.search,
            attribute: query.attribute.filter(|a| !a.is_empty()),
            group: query.group.filter(|g| !g.is_empty()),
        }
    }
}

impl From<engine::diff::RowDetail> for DiffDetail {
    fn from(detail: engine::diff::RowDetail) -> Self {
        DiffDetail {
            row: DiffRow::from(&detail.row),
            jumpcloud: detail.jumpcloud,
            expected: detail.expected,
            actual: detail.actual,
            changes: detail
                .changes
                .into_iter()
                .map(|c| DiffAttrChange {
                    path: c.path,
                    expected: c.expected,
                    actual: c.actual,
                })
                .collect(),
            reasons: detail
                .reasons
                .into_iter()
                .map(|r| DiffReason {
                    code: r.code,
                    text: r.text,
                })
                .collect(),
        }
    }
}

impl From<DiffExportFormat> for engine::ExportFormat {
    fn from(f: DiffExportFormat) -> Self {
        match f {
            DiffExportFormat::Csv => engine::ExportFormat::Csv,
            DiffExportFormat::Json => engine::ExportFormat::Json,
            DiffExportFormat::Html => engine::ExportFormat::Html,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const STATES: [DiffState; 11] = [
        DiffState::Missing,
        DiffState::Extra,
        DiffState::Changed,
        DiffState::Deactivate,
        DiffState::Conflict,
        DiffState::Ineligible,
        DiffState::InSync,
        DiffState::Unmanaged,
        DiffState::Disabled,
        DiffState::Decision,
        DiffState::LeftAsIs,
    ];

    #[test]
    fn states_and_kinds_keep_the_wire_names_the_ui_filters_by() {
        let names: Vec<String> = STATES
            .iter()
            .map(|s| {
                serde_json::to_value(s)
                    .unwrap()
                    .as_str()
                    .unwrap()
                    .to_owned()
            })
            .collect();
        assert_eq!(
            names,
            [
                "missing",
                "extra",
                "changed",
                "deactivate",
                "conflict",
                "ineligible",
                "in_sync",
                "unmanaged",
                "disabled",
                "decision",
                "left_as_is"
            ]
        );
        let kinds = [DiffKind::User, DiffKind::Group, DiffKind::Membership]
            .map(|k| serde_json::to_value(k).unwrap());
        assert_eq!(
            kinds,
            ["user", "group", "membership"].map(serde_json::Value::from)
        );
    }

    #[test]
    fn progress_saturates_instead_of_wrapping() {
        let p = DiffProgress::from(&engine::DiffProgress {
            phase: engine::DiffPhase::Memberships,
            users_read: u64::MAX,
            users_total: Some(10),
            groups_read: 3,
            groups_total: None,
            requests: 7,
            ..Default::default()
        });
        assert_eq!(p.phase, DiffPhase::Memberships);
        assert_eq!(p.users_read, u32::MAX);
        assert_eq!(p.users_total, Some(10));
        assert_eq!(p.groups_total, None);
        assert_eq!(p.requests, 7);
        assert_eq!(p.jumpcloud, None);
    }

    #[test]
    fn a_jumpcloud_read_first_is_its_own_phase_with_the_read_progress() {
        let read = engine::directory_read::SnapshotProgress {
            phase: engine::directory_read::SnapshotPhase::Relations,
            done: 4,
            total: 9,
            requests: 12,
        };
        let p = DiffProgress::from(&engine::DiffEvent::JumpCloud(read));
        assert_eq!(p.phase, DiffPhase::JumpCloud);
        assert_eq!(
            p.jumpcloud.as_ref().map(|j| (j.done, j.total)),
            Some((4, 9))
        );
        let json = serde_json::to_value(&p).unwrap();
        assert_eq!(json["phase"], "jumpcloud");
        let target = serde_json::to_value(DiffProgress::from(&engine::DiffEvent::Target(
            engine::DiffProgress {
                phase: engine::DiffPhase::Reading,
                users_read: 1,
                users_total: None,
                groups_read: 0,
                groups_total: None,
                requests: 1,
                ..Default::default()
            },
        )))
        .unwrap();
        assert!(
            target.get("jumpcloud").is_none(),
            "absent, not null: {target}"
        );
    }

    #[test]
    fn an_empty_attribute_or_group_filter_means_any() {
        let q = engine::RowQuery::from(DiffRowQuery {
            states: vec![DiffState::Missing],
            kinds: vec![DiffKind::Group],
            search: "ops".into(),
            attribute: Some(String::new()),
            group: Some(String::new()),
        });
        assert_eq!(q.states, [DiffState::Missing]);
        assert_eq!(q.kinds, [DiffKind::Group]);
        assert_eq!(q.search, "ops");
        assert!(q.attribute.is_none() && q.group.is_none());
    }

    #[test]
    fn times_are_rfc3339_to_the_second() {
        let t = std::time::UNIX_EPOCH + std::time::Duration::from_millis(1_500);
        assert_eq!(rfc3339(t), "1970-01-01T00:00:01+00:00");
    }
}
