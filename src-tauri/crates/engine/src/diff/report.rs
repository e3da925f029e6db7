//! One finished diff: the `Drift`, its flat rows, and the records behind each row.

use std::collections::HashMap;
use std::time::{Duration, SystemTime};

use drift::{
    Actual, AttrChange, Drift, DriftEntry, DriftReason, DriftRow, DriftRowKind, DriftRowState,
    Record, ResourceDrift,
};
use serde_json::Value;

/// What the report says about the run itself.
pub(crate) struct Header {
    pub target_id: String,
    pub target_name: String,
    pub kind: targets::Kind,
    pub duration: Duration,
    pub requests: u64,
}

/// Counts of one state, per kind.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct KindCounts {
    pub users: u32,
    pub groups: u32,
    pub memberships: u32,
}

impl KindCounts {
    pub fn total(&self) -> u32 {
        self.users + self.groups + self.memberships
    }

    fn add(&mut self, kind: DriftRowKind) {
        match kind {
            DriftRowKind::User => self.users += 1,
            DriftRowKind::Group => self.groups += 1,
            DriftRowKind::Membership => self.memberships += 1,
        }
    }
}

/// One row with the records on each side, for the side-by-side view.
#[derive(Debug, Clone, PartialEq)]
pub struct RowDetail {
    pub row: DriftRow,
    /// The JumpCloud user or group, as the directory holds it.
    pub jumpcloud: Option<Value>,
    /// The SCIM resource JumpCloud would push.
    pub expected: Option<Value>,
    /// The resource as the target holds it.
    pub actual: Option<Value>,
    pub changes: Vec<AttrChange>,
    /// The target profile's reasons (ineligible rows), verbatim.
    pub reasons: Vec<DriftReason>,
}

/// Changes and reasons are kept per row key so rows stay small for paging.
#[derive(Default)]
struct EntryExtras {
    changes: Vec<AttrChange>,
    reasons: Vec<DriftReason>,
}

pub struct DiffReport {
    pub target_id: String,
    pub target_name: String,
    pub kind: targets::Kind,
    pub drift: Drift,
    /// Users, then groups, then memberships.
    pub rows: Vec<DriftRow>,
    pub duration: Duration,
    /// HTTP requests the run sent (retries included).
    pub requests: u64,
    pub finished_at: SystemTime,
    /// Lower-cased text each row is searched in, parallel to `rows`.
    pub(crate) haystacks: Vec<String>,
    index: HashMap<(DriftRowKind, String), usize>,
    extras: HashMap<(DriftRowKind, String), EntryExtras>,
    /// Resources stay packed; the detail view unpacks the one it shows.
    expected_users: HashMap<String, Record>,
    expected_groups: HashMap<String, Record>,
    /// JumpCloud ids of each expected group's members, for planning its member adds.
    expected_group_members: HashMap<String, Vec<String>>,
    actual_users: HashMap<String, Record>,
    actual_groups: HashMap<String, Record>,
}

impl std::fmt::Debug for DiffReport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DiffReport")
            .field("target_id", &self.target_id)
            .field("rows", &self.rows.len())
            .field("duration", &self.duration)
            .field("requests", &self.requests)
            .finish_non_exhaustive()
    }
}

pub fn kind_name(kind: DriftRowKind) -> &'static str {
    match kind {
        DriftRowKind::User => "user",
        DriftRowKind::Group => "group",
        DriftRowKind::Membership => "membership",
    }
}

/// The order states are listed in (summary tiles, exports).
/// Drift states (the default plan writes) first, then those it leaves for a reason.
pub const STATES: [DriftRowState; 11] = [
    DriftRowState::Missing,
    DriftRowState::Extra,
    DriftRowState::Changed,
    DriftRowState::Deactivate,
    DriftRowState::Conflict,
    DriftRowState::Decision,
    DriftRowState::Disabled,
    DriftRowState::LeftAsIs,
    DriftRowState::Unmanaged,
    DriftRowState::Ineligible,
    DriftRowState::InSync,
];

pub fn state_name(state: DriftRowState) -> &'static str {
    match state {
        DriftRowState::InSync => "in_sync",
        DriftRowState::Missing => "missing",
        DriftRowState::Changed => "changed",
        DriftRowState::Conflict => "conflict",
        DriftRowState::Deactivate => "deactivate",
        DriftRowState::Ineligible => "ineligible",
        DriftRowState::Extra => "extra",
        DriftRowState::Unmanaged => "unmanaged",
        DriftRowState::Disabled => "disabled",
        DriftRowState::Decision => "decision",
        DriftRowState::LeftAsIs => "left_as_is",
    }
}

impl DiffReport {
    pub(crate) fn build(
        header: Header,
        drift: Drift,
        projection: targets::Projection,
        actual: Actual,
    ) -> Self {
        let rows = drift.rows();
        let mut extras = HashMap::new();
        collect_extras(&mut extras, DriftRowKind::User, &drift.users);
        collect_extras(&mut extras, DriftRowKind::Group, &drift.groups);

        let haystacks = rows.iter().map(haystack).collect();
        let index = rows
            .iter()
            .enumerate()
            .map(|(i, r)| ((r.kind, r.key.clone()), i))
            .collect();
        let by = |records: Vec<Record>| -> HashMap<String, Record> {
            records
                .into_iter()
                .filter_map(|r| Some((r.get_str("id")?.to_owned(), r)))
                .collect()
        };
        let expected = projection.expected;
        let expected_group_members = expected
            .groups
            .iter()
            .map(|g| (g.source_id.clone(), g.member_source_ids.clone()))
            .collect();
        Self {
            target_id: header.target_id,
            target_name: header.target_name,
            kind: header.kind,
            drift,
            rows,
            duration: header.duration,
            requests: header.requests,
            finished_at: SystemTime::now(),
            haystacks,
            index,
            extras,
            expected_users: expected
                .users
                .into_iter()
                .map(|u| (u.source_id, u.resource))
                .collect(),
            expected_groups: expected
                .groups
                .into_iter()
                .map(|g| (g.source_id, g.resource))
                .collect(),
            expected_group_members,
            actual_users: by(actual.users),
            actual_groups: by(actual.groups),
        }
    }

    /// Row counts per state (in [`STATES`] order), per kind.
    pub fn counts(&self) -> Vec<(DriftRowState, KindCounts)> {
        let mut counts: Vec<(DriftRowState, KindCounts)> =
            STATES.iter().map(|s| (*s, KindCounts::default())).collect();
        for row in &self.rows {
            if let Some((_, c)) = counts.iter_mut().find(|(s, _)| *s == row.state) {
                c.add(row.kind);
            }
        }
        counts
    }

    /// Users the target holds (each with an id), as read.
    pub fn actual_user_count(&self) -> usize {
        self.actual_users.len()
    }

    /// Groups the target holds, as read.
    pub fn actual_group_count(&self) -> usize {
        self.actual_groups.len()
    }

    /// Target ids of the users the target holds with `active: false`.
    pub fn inactive_target_users(&self) -> std::collections::HashSet<String> {
        self.actual_users
            .iter()
            .filter(|(_, u)| u.get("active").and_then(|a| a.as_bool()) == Some(false))
            .map(|(id, _)| id.clone())
            .collect()
    }

    /// JumpCloud id -> target id of the users present on both sides.
    pub fn matched_user_ids(&self) -> HashMap<String, String> {
        matched_ids(&self.drift.users)
    }

    /// JumpCloud id -> target id of the groups present on both sides.
    pub fn matched_group_ids(&self) -> HashMap<String, String> {
        matched_ids(&self.drift.groups)
    }

    /// Rows that are not in sync.
    /// Rows in a drift state: what the default plan writes.
    pub fn drifted(&self) -> usize {
        self.rows.iter().filter(|r| r.state.is_drift()).count()
    }

    /// Rows that wait for a person: conflicts and decisions.
    pub fn needs_decision(&self) -> usize {
        self.rows
            .iter()
            .filter(|r| matches!(r.state, DriftRowState::Conflict | DriftRowState::Decision))
            .count()
    }

    /// Every attribute path that differs somewhere, sorted, for the attribute filter.
    pub fn changed_attributes(&self) -> Vec<String> {
        let mut paths: Vec<String> = self
            .rows
            .iter()
            .flat_map(|r| r.changed_attributes.iter().cloned())
            .collect();
        paths.sort_unstable();
        paths.dedup();
        paths
    }

    pub fn row(&self, kind: DriftRowKind, key: &str) -> Option<&DriftRow> {
        self.index
            .get(&(kind, key.to_owned()))
            .map(|&i| &self.rows[i])
    }

    pub(crate) fn detail(
        &self,
        directory: &jumpcloud::Directory,
        kind: DriftRowKind,
        key: &str,
    ) -> Option<RowDetail> {
        let row = self.row(kind, key)?.clone();
        let source = row.source_id.as_deref();
        let target = row.target_id.as_deref();
        let record = |v: Option<Value>| v.filter(|v| !v.is_null());
        let unpack = |r: Option<&Record>| r.map(Record::to_value);
        let (jumpcloud, expected, actual) = match kind {
            // A membership row is about its user: show the user on each side.
            DriftRowKind::User | DriftRowKind::Membership => (
                source.and_then(|s| directory.user(s)).map(json),
                unpack(source.and_then(|s| self.expected_users.get(s))),
                unpack(target.and_then(|t| self.actual_users.get(t))),
            ),
            DriftRowKind::Group => (
                source.and_then(|s| directory.group(s)).map(json),
                unpack(source.and_then(|s| self.expected_groups.get(s))),
                unpack(target.and_then(|t| self.actual_groups.get(t))),
            ),
        };
        let extras = self.extras.get(&(kind, key.to_owned()));
        Some(RowDetail {
            row,
            jumpcloud: record(jumpcloud),
            expected: record(expected),
            actual: record(actual),
            changes: extras.map(|e| e.changes.clone()).unwrap_or_default(),
            reasons: extras.map(|e| e.reasons.clone()).unwrap_or_default(),
        })
    }
}

impl drift::ExpectedLookup for DiffReport {
    fn user(&self, source_id: &str) -> Option<Value> {
        self.expected_users.get(source_id).map(Record::to_value)
    }

    fn group(&self, source_id: &str) -> Option<(Value, Vec<String>)> {
        let resource = self.expected_groups.get(source_id)?.to_value();
        let members = self
            .expected_group_members
            .get(source_id)
            .cloned()
            .unwrap_or_default();
        Some((resource, members))
    }
}

fn matched_ids(d: &ResourceDrift) -> HashMap<String, String> {
    [&d.in_sync, &d.changed, &d.conflicts, &d.deactivate]
        .into_iter()
        .flatten()
        .filter(|e| e.matched_by.is_some())
        .filter_map(|e| Some((e.source_id.clone()?, e.target_id.clone()?)))
        .collect()
}

fn json<T: serde::Serialize>(record: &T) -> Value {
    serde_json::to_value(record).unwrap_or(Value::Null)
}

fn collect_extras(
    out: &mut HashMap<(DriftRowKind, String), EntryExtras>,
    kind: DriftRowKind,
    d: &ResourceDrift,
) {
    let all: [&Vec<DriftEntry>; 8] = [
        &d.in_sync,
        &d.missing,
        &d.changed,
        &d.conflicts,
        &d.deactivate,
        &d.ineligible,
        &d.extra.unmanaged,
        &d.extra.formerly_managed,
    ];
    for e in all.into_iter().flatten() {
        if e.changes.is_empty() && e.source_reasons.is_empty() {
            continue;
        }
        out.insert(
            (kind, e.key().to_owned()),
            EntryExtras {
                changes: e.changes.clone(),
                reasons: e.source_reasons.clone(),
            },
        );
    }
}

fn haystack(row: &DriftRow) -> String {
    let mut s = String::with_capacity(row.label.len() + row.reason.len() + 64);
    for part in [
        Some(row.label.as_str()),
        Some(row.key.as_str()),
        Some(row.reason.as_str()),
        row.source_id.as_deref(),
        row.target_id.as_deref(),
    ]
    .into_iter()
    .flatten()
    {
        s.push_str(&part.to_lowercase());
        s.push('\n');
    }
    s
}
