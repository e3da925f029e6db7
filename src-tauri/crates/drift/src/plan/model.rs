//! What a plan is made of: the policy it was made under, the target's write rules, the ordered
//! operations, what was left alone and why, and the deletion guard's verdict.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::output::DriftCode;

/// How careful a plan is. The defaults are the safe ones.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[serde(default)]
#[ts(export_to = "drift/")]
pub struct Policy {
    /// Only create and update: never deactivate, delete, or remove a member.
    pub upsert_only: bool,
    /// Only touch objects JumpCloud (or this tool) created, i.e. that carry an `externalId` of
    /// this directory. Accounts someone else made are reported, never changed.
    pub managed_only: bool,
    pub deletion_guard: DeletionGuard,
    /// Delete accounts whose JumpCloud user was deleted, as JumpCloud does. Off by default:
    /// the plan deactivates them instead, which can be undone.
    pub mirror_deletes: bool,
    /// Ids of [`Decision`]s the admin chose: only these turn into operations.
    pub decided: Vec<String>,
}

impl Default for Policy {
    fn default() -> Self {
        Self {
            upsert_only: false,
            managed_only: true,
            deletion_guard: DeletionGuard::default(),
            mirror_deletes: false,
            decided: Vec::new(),
        }
    }
}

impl Policy {
    pub fn has_decided(&self, id: &str) -> bool {
        self.decided.iter().any(|d| d == id)
    }
}

/// A write nothing documents JumpCloud making on its own, or one this target turns
/// destructive: listed, planned only when the admin chooses it (its id in
/// [`Policy::decided`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[ts(rename = "PlanDecision")]
pub struct Decision {
    /// The id of the operation it would add; what [`Policy::decided`] lists.
    pub id: String,
    pub kind: DecisionKind,
    pub label: String,
    pub source_id: Option<String>,
    pub target_id: Option<String>,
    pub reason_code: DriftCode,
    /// Why nothing is written by default.
    pub reason: String,
    /// What choosing it writes, in words.
    pub choice: String,
    pub destructive: bool,
    /// The admin chose it: the operation is in the plan.
    pub chosen: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
#[ts(rename = "PlanDecisionKind")]
pub enum DecisionKind {
    /// Set `active: true` on a user someone disabled in the target.
    Reenable,
    /// Delete, on a target that deletes where JumpCloud deactivates.
    Delete,
}

/// A plan with more deactivations and deletions than this halts until someone approves that
/// exact number. It trips on whichever limit is reached first, so a small target is protected
/// by the share and a large one by the count.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[serde(default)]
#[ts(export, export_to = "drift/")]
pub struct DeletionGuard {
    pub max_count: u32,
    /// Share of the target's users and groups, in percent.
    pub max_percent: f64,
}

impl Default for DeletionGuard {
    fn default() -> Self {
        Self {
            max_count: 10,
            max_percent: 5.0,
        }
    }
}

/// How the target takes writes, from its profile (the `targets` crate builds this).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export_to = "drift/")]
pub struct WriteRules {
    /// Users are updated with PUT of the whole resource (StrongDM PATCHes only `active`).
    pub user_update_by_put: bool,
    /// Deprovisioning deletes the account (Unity) instead of setting `active: false`.
    pub deprovision_deletes: bool,
    /// Member additions plus removals per PATCH request.
    pub max_member_changes: u32,
    /// Whether the target manages groups at all (the profile setting and the target's support).
    pub groups: bool,
    /// Groups are renamed with one `replace` whose value is an object (`{"displayName": …}`),
    /// not with attribute paths (StrongDM answers 400 to a path).
    pub group_patch_value_object: bool,
}

/// One SCIM write the plan would make.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export_to = "drift/")]
pub struct PlannedOp {
    /// Stable within a plan and across plans of the same state, e.g. `user.create:<jumpcloud id>`.
    pub id: String,
    pub action: OpAction,
    pub label: String,
    pub source_id: Option<String>,
    /// The target object written; `None` for creates.
    pub target_id: Option<String>,
    /// Deactivates, deletes or removes access.
    pub destructive: bool,
    /// Why, in words an admin reads in the review.
    pub reason: String,
    pub reason_code: DriftCode,
    /// Attributes written (updates), for the review and history.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attributes: Vec<String>,
    /// The body sent: the SCIM resource (create, PUT) or the PATCH operations' `Operations`.
    /// Member operations carry their members in `members` instead.
    #[serde(default, skip_serializing_if = "Value::is_null")]
    pub body: Value,
    /// Members added or removed (member operations only).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub members: Vec<MemberRef>,
    /// The group of a member operation whose group is created by this plan, by JumpCloud id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group_source_id: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
#[ts(rename = "PlanAction")]
pub enum OpAction {
    CreateUser,
    /// PATCH of the changed attributes.
    PatchUser,
    /// PUT of the whole resource, where the target does not take attribute PATCHes.
    ReplaceUser,
    DeactivateUser,
    DeleteUser,
    CreateGroup,
    PatchGroup,
    DeleteGroup,
    AddMembers,
    RemoveMembers,
}

impl OpAction {
    /// The order phases run in: everything a later phase needs exists by then, and access is
    /// removed last.
    pub const PHASES: [OpAction; 10] = [
        OpAction::CreateUser,
        OpAction::PatchUser,
        OpAction::ReplaceUser,
        OpAction::CreateGroup,
        OpAction::PatchGroup,
        OpAction::AddMembers,
        OpAction::RemoveMembers,
        OpAction::DeactivateUser,
        OpAction::DeleteUser,
        OpAction::DeleteGroup,
    ];

    pub fn phase(self) -> usize {
        Self::PHASES
            .iter()
            .position(|a| *a == self)
            .expect("every action has a phase")
    }

    /// Counted by the deletion guard.
    pub fn deprovisions(self) -> bool {
        matches!(
            self,
            OpAction::DeactivateUser | OpAction::DeleteUser | OpAction::DeleteGroup
        )
    }

    pub fn is_user(self) -> bool {
        matches!(
            self,
            OpAction::CreateUser
                | OpAction::PatchUser
                | OpAction::ReplaceUser
                | OpAction::DeactivateUser
                | OpAction::DeleteUser
        )
    }

    pub fn name(self) -> &'static str {
        match self {
            OpAction::CreateUser => "create user",
            OpAction::PatchUser => "update user",
            OpAction::ReplaceUser => "replace user",
            OpAction::DeactivateUser => "deactivate user",
            OpAction::DeleteUser => "delete user",
            OpAction::CreateGroup => "create group",
            OpAction::PatchGroup => "update group",
            OpAction::DeleteGroup => "delete group",
            OpAction::AddMembers => "add members",
            OpAction::RemoveMembers => "remove members",
        }
    }
}

/// A member of a member operation. A user created by the same plan has no target id yet; the
/// apply resolves it from the create's result by JumpCloud id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export_to = "drift/")]
pub struct MemberRef {
    pub user_source_id: Option<String>,
    pub user_target_id: Option<String>,
    pub label: String,
}

impl MemberRef {
    pub fn key(&self) -> &str {
        self.user_source_id
            .as_deref()
            .or(self.user_target_id.as_deref())
            .unwrap_or_default()
    }
}

/// Drift the plan deliberately leaves alone, with why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[ts(rename = "PlanSkipped")]
pub struct SkippedItem {
    pub kind: SkippedKind,
    pub label: String,
    pub source_id: Option<String>,
    pub target_id: Option<String>,
    pub reason_code: DriftCode,
    pub reason: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
#[ts(rename = "PlanSkippedKind")]
pub enum SkippedKind {
    User,
    Group,
    Member,
}

/// The deletion guard's verdict on a plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[ts(rename = "PlanGuard")]
pub struct GuardVerdict {
    /// Deactivations and deletions in the plan.
    pub deprovisions: u32,
    /// Users and groups the target holds, the base of the share.
    pub target_objects: u32,
    pub max_count: u32,
    pub max_percent: f64,
    /// More than the guard allows: applying needs the exact count approved.
    pub tripped: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[ts(rename = "PlanCountsDto")]
pub struct PlanCounts {
    pub operations: u32,
    /// Deactivations, deletions and member removals.
    pub destructive: u32,
    pub creates: u32,
    pub updates: u32,
    pub deactivations: u32,
    pub deletions: u32,
    /// Members added and removed (not requests: one request carries up to the target's limit).
    pub members_added: u32,
    pub members_removed: u32,
    pub skipped: u32,
    /// Decisions offered (chosen or not).
    #[serde(default)]
    pub decisions: u32,
}

/// An ordered list of writes that would bring the target to what JumpCloud would push.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export_to = "drift/")]
pub struct Plan {
    pub policy: Policy,
    pub rules: WriteRules,
    /// In the order they run: see [`OpAction::PHASES`].
    pub operations: Vec<PlannedOp>,
    pub skipped: Vec<SkippedItem>,
    /// Writes that need a decision, chosen or not.
    #[serde(default)]
    pub decisions: Vec<Decision>,
    pub guard: GuardVerdict,
    pub counts: PlanCounts,
}
