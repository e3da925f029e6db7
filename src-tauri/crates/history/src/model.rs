//! Types callers pass in and get back. Times are UTC; the UI shows them.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Identifier of a run. Ids only grow, never reused (even after retention).
/// A serde newtype, so it is a plain number in JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS)]
#[ts(export, export_to = "history/", type = "number")]
pub struct RunId(pub i64);

impl std::fmt::Display for RunId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// Declares a string-coded enum stored as TEXT, with `as_str`/`parse`
/// so SQL and serde agree on the same spelling.
macro_rules! text_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
        #[serde(rename_all = "snake_case")]
        #[ts(export, export_to = "history/")]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            pub(crate) fn parse(column: &'static str, text: &str) -> crate::Result<Self> {
                match text {
                    $($text => Ok($name::$variant),)+
                    other => Err(crate::Error::UnexpectedValue { column, value: other.to_owned() }),
                }
            }
        }
    };
}

text_enum!(
    /// What a run did.
    RunKind {
        TestConnection => "test_connection",
        Diff => "diff",
        Apply => "apply",
        ProvisionOne => "provision_one",
    }
);

text_enum!(
    /// How a run ended (or `Running` while it has not).
    RunOutcome {
        Running => "running",
        Succeeded => "succeeded",
        Failed => "failed",
        Cancelled => "cancelled",
        Partial => "partial",
    }
);

text_enum!(
    /// Result of one HTTP operation against a target.
    OperationOutcome {
        Succeeded => "succeeded",
        Failed => "failed",
        Skipped => "skipped",
    }
);

text_enum!(
    /// Where one planned step of an apply is.
    StepState {
        Pending => "pending",
        Running => "running",
        Succeeded => "succeeded",
        Failed => "failed",
        Skipped => "skipped",
    }
);

/// A planned step of an apply, written before the first request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewStep {
    /// The plan's operation id, e.g. `user.create:<jumpcloud id>`.
    pub op_id: String,
    /// What the step does, e.g. `create user`.
    pub action: String,
    pub label: String,
    pub destructive: bool,
}

/// One step of an apply's journal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "history/")]
pub struct ApplyStep {
    pub seq: u32,
    pub op_id: String,
    pub action: String,
    pub label: String,
    pub destructive: bool,
    pub state: StepState,
    pub target_id: Option<String>,
    pub detail: String,
    pub updated_at: DateTime<Utc>,
}

/// Per-run tallies. Which ones are meaningful depends on the run kind
/// (diff: missing/extra/changed/ineligible; apply: created/updated/...).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
#[ts(export, export_to = "history/")]
pub struct RunCounts {
    pub missing: u32,
    pub extra: u32,
    pub changed: u32,
    pub ineligible: u32,
    pub created: u32,
    pub updated: u32,
    pub deleted: u32,
    pub failed: u32,
    pub skipped: u32,
}

/// A run about to start.
#[derive(Debug, Clone)]
pub struct NewRun {
    pub kind: RunKind,
    pub target_id: String,
    pub target_name: String,
    pub started_at: DateTime<Utc>,
    pub app_version: String,
    /// Who/where, e.g. "alice@laptop" or "cli@ci-runner". Not a secret.
    pub actor: String,
}

impl NewRun {
    /// A run starting now, with no actor label.
    pub fn new(
        kind: RunKind,
        target_id: impl Into<String>,
        target_name: impl Into<String>,
        app_version: impl Into<String>,
    ) -> Self {
        Self {
            kind,
            target_id: target_id.into(),
            target_name: target_name.into(),
            started_at: Utc::now(),
            app_version: app_version.into(),
            actor: String::new(),
        }
    }
}

/// One row of the run list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "history/")]
pub struct RunSummary {
    pub id: RunId,
    pub kind: RunKind,
    pub target_id: String,
    pub target_name: String,
    pub started_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
    pub outcome: RunOutcome,
    pub counts: RunCounts,
    pub summary: String,
    pub app_version: String,
    pub actor: String,
    pub operation_count: u32,
}

/// Operation results of a run, tallied by outcome.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "history/")]
pub struct OutcomeTally {
    pub succeeded: u32,
    pub failed: u32,
    pub skipped: u32,
}

/// A run with what the detail view needs beyond the list row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "history/")]
pub struct RunDetail {
    pub run: RunSummary,
    pub has_snapshot: bool,
    pub operation_outcomes: OutcomeTally,
}

/// One HTTP operation to record. Excerpts, `error_detail` and `path` are
/// redacted and capped by the store before they are written.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export_to = "history/")]
pub struct NewOperation {
    pub started_at: DateTime<Utc>,
    pub method: String,
    pub path: String,
    /// e.g. "User", "Group".
    pub resource_kind: String,
    /// Human label of the object, e.g. userName or displayName.
    pub resource_label: String,
    pub status: Option<u16>,
    pub latency_ms: Option<u32>,
    pub outcome: OperationOutcome,
    /// SCIM `scimType` of an error response.
    pub scim_type: Option<String>,
    pub error_detail: Option<String>,
    pub request_excerpt: Option<String>,
    pub response_excerpt: Option<String>,
    /// Attribute names the operation set or changed.
    pub modified_attributes: Vec<String>,
}

/// A recorded operation. `seq` is its 0-based position within its run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "history/")]
pub struct Operation {
    pub run_id: RunId,
    pub seq: u32,
    /// What was recorded, redacted; its fields sit beside `runId` and `seq` on the wire.
    #[serde(flatten)]
    #[ts(flatten)]
    pub op: NewOperation,
}

/// Which runs to list. `None` means "any"; `from` is inclusive, `to` exclusive
/// (both on `started_at`).
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
#[ts(export, export_to = "history/")]
pub struct RunFilter {
    pub target: Option<String>,
    pub kind: Option<RunKind>,
    pub outcome: Option<RunOutcome>,
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
}

/// Keyset page over runs, newest first: pass the last id of the previous page
/// as `before` to get the next one.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "history/")]
pub struct RunPage {
    pub limit: u32,
    pub before: Option<RunId>,
}

impl RunPage {
    pub fn first(limit: u32) -> Self {
        Self {
            limit,
            before: None,
        }
    }
}

/// Keyset page over a run's operations in order: pass the last `seq` of the
/// previous page as `after_seq` to get the next one.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "history/")]
pub struct OperationPage {
    pub limit: u32,
    pub after_seq: Option<u32>,
}

impl OperationPage {
    pub fn first(limit: u32) -> Self {
        Self {
            limit,
            after_seq: None,
        }
    }
}

/// Drift counts of one diff run, for the drift-over-time chart.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export, export_to = "history/")]
pub struct DriftPoint {
    pub run_id: RunId,
    pub at: DateTime<Utc>,
    pub missing: u32,
    pub extra: u32,
    pub changed: u32,
    pub ineligible: u32,
}

/// What to keep when pruning history.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case", tag = "kind", content = "value")]
#[ts(export, export_to = "history/")]
pub enum Retention {
    /// Delete runs that started more than this many days ago.
    KeepDays(u32),
    /// Keep only the newest this many runs.
    KeepRuns(u32),
}
