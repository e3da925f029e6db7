//! The Plan page's data: a plan made from the last diff, the policy it was made under, and an
//! apply's progress and outcome.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use ts_rs::TS;

/// How careful a plan is; the defaults are the safe ones.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PlanPolicy {
    /// Only create and update: never deactivate, delete, or remove a member.
    pub upsert_only: bool,
    /// Only touch objects that carry this directory's `externalId`.
    pub managed_only: bool,
    /// More deactivations and deletions than this halts until the exact number is confirmed.
    pub guard_max_count: u32,
    /// Share of the target's users and groups, in percent.
    pub guard_max_percent: f64,
    /// Delete accounts whose JumpCloud user was deleted, as JumpCloud does (default off:
    /// deactivate instead).
    #[serde(default)]
    pub mirror_deletes: bool,
    /// Ids of the decisions the admin chose.
    #[serde(default)]
    pub decided: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum PlanAction {
    CreateUser,
    PatchUser,
    ReplaceUser,
    DeactivateUser,
    DeleteUser,
    CreateGroup,
    PatchGroup,
    DeleteGroup,
    AddMembers,
    RemoveMembers,
}

/// One SCIM write of the plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PlanOperation {
    pub id: String,
    pub action: PlanAction,
    /// Index of the phase it runs in (operations are listed in phase order).
    pub phase: u32,
    pub label: String,
    pub reason: String,
    pub reason_code: String,
    pub destructive: bool,
    pub source_id: Option<String>,
    pub target_id: Option<String>,
    pub attributes: Vec<String>,
    /// The request body (SCIM resource or PATCH operations); null for member operations and deletes.
    pub body: Value,
    /// All members of a member operation.
    pub member_count: u32,
    /// The first members' labels (at most [`MEMBER_LABELS`]).
    pub member_labels: Vec<String>,
    /// The approval keys this operation stands for; send them back to `plan_apply`.
    pub intents: Vec<String>,
}

/// How many member labels one operation carries to the UI.
pub const MEMBER_LABELS: usize = 20;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum PlanSkippedKind {
    User,
    Group,
    Member,
}

/// Drift the plan leaves alone, with why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PlanSkipped {
    pub kind: PlanSkippedKind,
    pub label: String,
    pub source_id: Option<String>,
    pub target_id: Option<String>,
    pub reason_code: String,
    pub reason: String,
}

/// A write the plan makes only when the admin chooses it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PlanDecision {
    /// What to list in `PlanPolicy::decided` to choose it; also the operation's id.
    pub id: String,
    pub kind: PlanDecisionKind,
    pub label: String,
    pub source_id: Option<String>,
    pub target_id: Option<String>,
    pub reason_code: String,
    /// Why nothing is written by default.
    pub reason: String,
    /// What choosing it writes.
    pub choice: String,
    pub destructive: bool,
    pub chosen: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum PlanDecisionKind {
    Reenable,
    Delete,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PlanGuard {
    /// Deactivations and deletions in the plan.
    pub deprovisions: u32,
    /// Users and groups the target holds.
    pub target_objects: u32,
    pub max_count: u32,
    pub max_percent: f64,
    pub tripped: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PlanCountsDto {
    pub operations: u32,
    pub destructive: u32,
    pub creates: u32,
    pub updates: u32,
    pub deactivations: u32,
    pub deletions: u32,
    pub members_added: u32,
    pub members_removed: u32,
    pub skipped: u32,
}

/// A plan made from the target's last diff, for review.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PlanView {
    pub target_id: String,
    pub target_name: String,
    pub policy: PlanPolicy,
    pub counts: PlanCountsDto,
    pub guard: PlanGuard,
    /// In the order they run.
    pub operations: Vec<PlanOperation>,
    pub skipped: Vec<PlanSkipped>,
    /// RFC 3339: when the diff behind the plan finished.
    /// Writes made only when chosen (re-enable a user disabled in the target, delete on a
    /// target that deletes instead of deactivating).
    pub decisions: Vec<PlanDecision>,
    pub diff_finished_at: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ApplyPhase {
    /// Reading the target again before writing.
    Reading,
    Applying,
}

/// Sent over the apply's channel while it reads and after every operation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ApplyProgressDto {
    pub phase: ApplyPhase,
    pub users_read: u32,
    pub users_total: Option<u32>,
    pub groups_read: u32,
    pub groups_total: Option<u32>,
    pub done: u32,
    pub total: u32,
    pub succeeded: u32,
    pub failed: u32,
    pub skipped: u32,
    /// The operation that just finished.
    pub last: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ApplyStepState {
    Pending,
    Running,
    Succeeded,
    Failed,
    Skipped,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ApplyStepDto {
    pub op_id: String,
    pub action: PlanAction,
    pub label: String,
    pub destructive: bool,
    pub state: ApplyStepState,
    pub target_id: Option<String>,
    /// What happened, or the error with its hint.
    pub detail: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ApplyCountsDto {
    pub succeeded: u32,
    pub failed: u32,
    pub skipped: u32,
    /// Approved, but no longer needed on the fresh read.
    pub no_longer_needed: u32,
    /// Needed on the fresh read but not approved: left for the next review.
    pub not_approved: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ApplyOutcomeDto {
    /// The history run that recorded the apply.
    #[ts(type = "number")]
    pub run_id: i64,
    /// `succeeded`, `failed`, `cancelled` or `partial`.
    pub outcome: String,
    pub summary: String,
    pub counts: ApplyCountsDto,
    pub steps: Vec<ApplyStepDto>,
}
