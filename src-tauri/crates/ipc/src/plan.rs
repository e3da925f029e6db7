//! The Plan page's data: a plan made from the last diff, the policy it was made under, and an
//! apply's progress and outcome.

use crate::diff::{code_text, rfc3339, small};
use engine::apply::{ApplyCounts, StepResult};
use engine::plan::{PlannedOp, Policy};

/// These cross as the plan engine's own types under the TypeScript names the UI uses, so no
/// mirror has to be kept in step: an operation's action, the counts, a skipped item and its
/// kind, a decision and its kind, the deletion guard's verdict; an apply step's state is the
/// history's.
pub use engine::plan::{
    Decision as PlanDecision, DecisionKind as PlanDecisionKind, GuardVerdict as PlanGuard,
    OpAction as PlanAction, PlanCounts as PlanCountsDto, SkippedItem as PlanSkipped,
    SkippedKind as PlanSkippedKind,
};
pub use history::StepState as ApplyStepState;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use ts_rs::TS;

/// How careful a plan is; the defaults are the safe ones. The deletion guard is not part of
/// it: the engine always enforces the limits saved in Settings (`PlanView::guard` shows them),
/// so neither the window nor a script can loosen them for one run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PlanPolicy {
    /// Only create and update: never deactivate, delete, or remove a member.
    pub upsert_only: bool,
    /// Only touch objects that carry this directory's `externalId`.
    pub managed_only: bool,
    /// Delete accounts whose JumpCloud user was deleted, as JumpCloud does (default off:
    /// deactivate instead).
    #[serde(default)]
    pub mirror_deletes: bool,
    /// Ids of the decisions the admin chose.
    #[serde(default)]
    pub decided: Vec<String>,
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
    /// Operations done, of which succeeded, failed, skipped; on the wire these fields sit beside
    /// the ones above.
    #[serde(flatten)]
    #[ts(flatten)]
    pub tally: engine::ApplyTally,
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

/// The engine enforces the guard limits saved in settings (Settings page, `deletion_guard_set`).
impl From<&PlanPolicy> for Policy {
    fn from(p: &PlanPolicy) -> Self {
        Policy {
            upsert_only: p.upsert_only,
            managed_only: p.managed_only,
            deletion_guard: engine::guard::SAVED_LIMITS_ONLY,
            mirror_deletes: p.mirror_deletes,
            decided: p.decided.clone(),
        }
    }
}

impl From<&Policy> for PlanPolicy {
    fn from(p: &Policy) -> Self {
        PlanPolicy {
            upsert_only: p.upsert_only,
            managed_only: p.managed_only,
            mirror_deletes: p.mirror_deletes,
            decided: p.decided.clone(),
        }
    }
}

impl From<&PlannedOp> for PlanOperation {
    fn from(op: &PlannedOp) -> Self {
        PlanOperation {
            id: op.id.clone(),
            action: op.action,
            phase: small(op.action.phase()),
            label: op.label.clone(),
            reason: op.reason.clone(),
            reason_code: code_text(op.reason_code),
            destructive: op.destructive,
            source_id: op.source_id.clone(),
            target_id: op.target_id.clone(),
            attributes: op.attributes.clone(),
            body: op.body.clone(),
            member_count: small(op.members.len()),
            member_labels: op
                .members
                .iter()
                .take(MEMBER_LABELS)
                .map(|m| m.label.clone())
                .collect(),
            intents: op.intents(),
        }
    }
}

impl From<&engine::PlanReport> for PlanView {
    fn from(report: &engine::PlanReport) -> Self {
        let plan = &report.plan;
        PlanView {
            target_id: report.target_id.clone(),
            target_name: report.target_name.clone(),
            policy: PlanPolicy::from(&plan.policy),
            counts: plan.counts.clone(),
            guard: plan.guard.clone(),
            operations: plan.operations.iter().map(Into::into).collect(),
            skipped: plan.skipped.clone(),
            decisions: plan.decisions.clone(),
            diff_finished_at: rfc3339(report.diff_finished_at),
        }
    }
}

/// The apply's (or provisioning's) read of the target, before any write.
impl From<&engine::DiffProgress> for ApplyProgressDto {
    fn from(p: &engine::DiffProgress) -> Self {
        ApplyProgressDto {
            phase: ApplyPhase::Reading,
            users_read: small(p.users_read),
            users_total: p.users_total.map(small),
            groups_read: small(p.groups_read),
            groups_total: p.groups_total.map(small),
            tally: engine::ApplyTally::default(),
        }
    }
}

impl From<&engine::ApplyProgress> for ApplyProgressDto {
    fn from(p: &engine::ApplyProgress) -> Self {
        match p {
            engine::ApplyProgress::Reading(d) => d.into(),
            engine::ApplyProgress::Applying(t) => ApplyProgressDto {
                phase: ApplyPhase::Applying,
                users_read: 0,
                users_total: None,
                groups_read: 0,
                groups_total: None,
                tally: t.clone(),
            },
        }
    }
}

impl From<&StepResult> for ApplyStepDto {
    fn from(s: &StepResult) -> Self {
        ApplyStepDto {
            op_id: s.op_id.clone(),
            action: s.action,
            label: s.label.clone(),
            destructive: s.destructive,
            state: s.state,
            target_id: s.target_id.clone(),
            detail: s.detail.clone(),
        }
    }
}

impl From<&ApplyCounts> for ApplyCountsDto {
    fn from(c: &ApplyCounts) -> Self {
        ApplyCountsDto {
            succeeded: c.succeeded,
            failed: c.failed,
            skipped: c.skipped,
            no_longer_needed: c.no_longer_needed,
            not_approved: c.not_approved,
        }
    }
}

impl From<&engine::ApplyOutcome> for ApplyOutcomeDto {
    fn from(o: &engine::ApplyOutcome) -> Self {
        ApplyOutcomeDto {
            run_id: o.run_id.0,
            outcome: o.outcome.as_str().to_owned(),
            summary: o.summary.clone(),
            counts: (&o.counts).into(),
            steps: o.steps.iter().map(Into::into).collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policy_maps_but_the_window_cannot_set_guard_limits() {
        // A script sending guard limits has them ignored, not applied.
        let p: PlanPolicy = serde_json::from_value(serde_json::json!({
            "upsert_only": true, "managed_only": false,
            "guard_max_count": 100_000, "guard_max_percent": 100.0,
            "mirror_deletes": true, "decided": ["user.reenable:t1"],
        }))
        .unwrap();
        let core = Policy::from(&p);
        assert!(core.upsert_only && !core.managed_only);
        assert_eq!(core.deletion_guard, engine::guard::SAVED_LIMITS_ONLY);
        // Explicit choices cross unchanged.
        assert!(core.mirror_deletes);
        assert_eq!(core.decided, ["user.reenable:t1"]);
        let back = PlanPolicy::from(&core);
        assert_eq!(back, p);
    }

    #[test]
    fn every_action_keeps_the_wire_name_the_ui_labels() {
        let names: Vec<serde_json::Value> = PlanAction::PHASES
            .iter()
            .map(|a| serde_json::to_value(a).unwrap())
            .collect();
        assert!(names.contains(&"deactivate_user".into()), "{names:?}");
        assert!(names.contains(&"add_members".into()), "{names:?}");
        assert!(names.iter().all(|n| n
            .as_str()
            .is_some_and(|t| t.chars().all(|c| c.is_ascii_lowercase() || c == '_'))));
    }

    #[test]
    fn the_read_before_an_apply_is_the_reading_phase_with_nothing_done() {
        let read = engine::DiffProgress {
            phase: engine::DiffPhase::Reading,
            users_read: 5,
            users_total: Some(9),
            groups_read: 1,
            groups_total: None,
            requests: 3,
            ..Default::default()
        };
        let dto = ApplyProgressDto::from(&engine::ApplyProgress::Reading(read));
        assert_eq!(dto.phase, ApplyPhase::Reading);
        assert_eq!((dto.users_read, dto.users_total), (5, Some(9)));
        assert_eq!((dto.tally.done, dto.tally.total), (0, 0));
        let applying =
            ApplyProgressDto::from(&engine::ApplyProgress::Applying(engine::ApplyTally {
                done: 2,
                total: 4,
                succeeded: 1,
                failed: 1,
                skipped: 0,
                last: "Create ada".into(),
            }));
        assert_eq!(applying.phase, ApplyPhase::Applying);
        assert_eq!(applying.tally.last, "Create ada");
        assert_eq!(applying.users_total, None);
    }

    #[test]
    fn a_step_and_the_counts_cross_unchanged() {
        let step = ApplyStepDto::from(&StepResult {
            op_id: "op-1".into(),
            action: PlanAction::DeactivateUser,
            label: "ada".into(),
            destructive: true,
            state: history::StepState::Failed,
            target_id: Some("t-1".into()),
            detail: "refused".into(),
        });
        assert_eq!(step.action, PlanAction::DeactivateUser);
        assert_eq!(step.state, ApplyStepState::Failed);
        assert_eq!(step.target_id.as_deref(), Some("t-1"));
        assert!(step.destructive);
        let counts = ApplyCountsDto::from(&ApplyCounts {
            succeeded: 4,
            failed: 1,
            skipped: 0,
            no_longer_needed: 2,
            not_approved: 3,
        });
        assert_eq!(
            (
                counts.succeeded,
                counts.no_longer_needed,
                counts.not_approved
            ),
            (4, 2, 3)
        );
    }
}
