//! Plan commands: preview a plan from the last diff, apply a reviewed selection of it (streaming
//! progress, cancellable, always recorded in the history), and provision one user now.

use engine::apply::{ApplyCounts, StepResult};
use engine::plan::{
    Decision, DecisionKind, OpAction, Plan, PlannedOp, Policy, SkippedItem, SkippedKind,
};
use engine::{ApplyOutcome, ApplyProgress, ApplyRequest};
use ipc::{
    ApplyCountsDto, ApplyOutcomeDto, ApplyPhase, ApplyProgressDto, ApplyStepDto, ApplyStepState,
    ErrorCode, IpcError, PlanAction, PlanCountsDto, PlanDecision, PlanDecisionKind, PlanGuard,
    PlanOperation, PlanPolicy, PlanSkipped, PlanSkippedKind, PlanView, MEMBER_LABELS,
};
use tauri::ipc::Channel;
use tauri::State;

use crate::error::to_ipc_error;
use crate::state::AppState;

/// The plan that would bring the target to what JumpCloud would push, from its last diff.
#[tauri::command]
pub fn plan_preview(
    state: State<'_, AppState>,
    target_id: String,
    policy: PlanPolicy,
) -> Result<PlanView, IpcError> {
    let report = state
        .plan(&target_id, &policy_core(&policy))
        .map_err(|e| to_ipc_error(&e))?;
    Ok(PlanView {
        target_id: report.target_id.clone(),
        target_name: report.target_name.clone(),
        policy: policy_dto(&report.plan.policy),
        counts: counts_dto(&report.plan),
        guard: PlanGuard {
            deprovisions: report.plan.guard.deprovisions,
            target_objects: report.plan.guard.target_objects,
            max_count: report.plan.guard.max_count,
            max_percent: report.plan.guard.max_percent,
            tripped: report.plan.guard.tripped,
        },
        operations: report.plan.operations.iter().map(operation_dto).collect(),
        skipped: report.plan.skipped.iter().map(skipped_dto).collect(),
        decisions: report.plan.decisions.iter().map(decision_dto).collect(),
        diff_finished_at: rfc3339(report.diff_finished_at),
    })
}

/// Reads the target again, re-plans under `policy` and applies the `approved` intents that are
/// still needed. Destructive operations need `confirm_destructive` equal to their number, and a
/// plan over the saved deletion guard also `override_guard` equal to its deactivations and
/// deletions (the engine checks both on the fresh plan).
#[tauri::command]
pub async fn plan_apply(
    state: State<'_, AppState>,
    target_id: String,
    policy: PlanPolicy,
    approved: Vec<String>,
    confirm_destructive: Option<u32>,
    override_guard: Option<u32>,
    on_progress: Channel<ApplyProgressDto>,
) -> Result<ApplyOutcomeDto, IpcError> {
    let request = ApplyRequest {
        policy: policy_core(&policy),
        approved: approved.into_iter().collect(),
        confirm_destructive,
        override_guard,
        provision_one: false,
    };
    let outcome = state
        .apply(&target_id, &request, |p| {
            // A closed window drops the channel; the apply itself carries on.
            let _ = on_progress.send(progress_dto(&p));
        })
        .await
        .map_err(|e| apply_error(&e))?;
    Ok(outcome_dto(&outcome))
}

/// Stops the target's running apply (or its re-read); false when none was running.
#[tauri::command]
pub fn plan_cancel(state: State<'_, AppState>, target_id: String) -> bool {
    state.cancel(engine::JobKind::Apply, &target_id)
}

/// Creates or updates one JumpCloud user in the target and adds it to its groups; never removes
/// anything. Plans from the last diff (diffing first when there is none), then applies only that
/// user's operations after a fresh read.
#[tauri::command]
pub async fn provision_user(
    state: State<'_, AppState>,
    target_id: String,
    source_id: String,
    on_progress: Channel<ApplyProgressDto>,
) -> Result<ApplyOutcomeDto, IpcError> {
    let outcome = state
        .provision_user(&target_id, &source_id, |p| {
            let _ = on_progress.send(progress_dto(&p));
        })
        .await
        .map_err(|e| apply_error(&e))?;
    Ok(outcome_dto(&outcome))
}

/// Errors of an apply; a cancel during the re-read says nothing was written.
fn apply_error(e: &engine::Error) -> IpcError {
    match e {
        engine::Error::Cancelled => IpcError::new(
            ErrorCode::Cancelled,
            "The apply was cancelled while reading the target; nothing was written.",
        ),
        other => to_ipc_error(other),
    }
}

/// The window's guard fields are not used: the engine enforces the limits saved in settings
/// (Settings page, `deletion_guard_set`), so a script cannot loosen them for a run.
pub(crate) fn policy_core(p: &PlanPolicy) -> Policy {
    Policy {
        upsert_only: p.upsert_only,
        managed_only: p.managed_only,
        deletion_guard: engine::guard::SAVED_LIMITS_ONLY,
        mirror_deletes: p.mirror_deletes,
        decided: p.decided.clone(),
    }
}

fn policy_dto(p: &Policy) -> PlanPolicy {
    PlanPolicy {
        upsert_only: p.upsert_only,
        managed_only: p.managed_only,
        guard_max_count: p.deletion_guard.max_count,
        guard_max_percent: p.deletion_guard.max_percent,
        mirror_deletes: p.mirror_deletes,
        decided: p.decided.clone(),
    }
}

fn decision_dto(d: &Decision) -> PlanDecision {
    PlanDecision {
        id: d.id.clone(),
        kind: match d.kind {
            DecisionKind::Reenable => PlanDecisionKind::Reenable,
            DecisionKind::Delete => PlanDecisionKind::Delete,
        },
        label: d.label.clone(),
        source_id: d.source_id.clone(),
        target_id: d.target_id.clone(),
        reason_code: code_text(d.reason_code),
        reason: d.reason.clone(),
        choice: d.choice.clone(),
        destructive: d.destructive,
        chosen: d.chosen,
    }
}

fn counts_dto(plan: &Plan) -> PlanCountsDto {
    let c = &plan.counts;
    PlanCountsDto {
        operations: c.operations,
        destructive: c.destructive,
        creates: c.creates,
        updates: c.updates,
        deactivations: c.deactivations,
        deletions: c.deletions,
        members_added: c.members_added,
        members_removed: c.members_removed,
        skipped: c.skipped,
    }
}

fn action_dto(a: OpAction) -> PlanAction {
    match a {
        OpAction::CreateUser => PlanAction::CreateUser,
        OpAction::PatchUser => PlanAction::PatchUser,
        OpAction::ReplaceUser => PlanAction::ReplaceUser,
        OpAction::DeactivateUser => PlanAction::DeactivateUser,
        OpAction::DeleteUser => PlanAction::DeleteUser,
        OpAction::CreateGroup => PlanAction::CreateGroup,
        OpAction::PatchGroup => PlanAction::PatchGroup,
        OpAction::DeleteGroup => PlanAction::DeleteGroup,
        OpAction::AddMembers => PlanAction::AddMembers,
        OpAction::RemoveMembers => PlanAction::RemoveMembers,
    }
}

fn code_text(code: impl serde::Serialize) -> String {
    serde_json::to_value(code)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

fn small(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

fn operation_dto(op: &PlannedOp) -> PlanOperation {
    PlanOperation {
        id: op.id.clone(),
        action: action_dto(op.action),
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

fn skipped_dto(s: &SkippedItem) -> PlanSkipped {
    PlanSkipped {
        kind: match s.kind {
            SkippedKind::User => PlanSkippedKind::User,
            SkippedKind::Group => PlanSkippedKind::Group,
            SkippedKind::Member => PlanSkippedKind::Member,
        },
        label: s.label.clone(),
        source_id: s.source_id.clone(),
        target_id: s.target_id.clone(),
        reason_code: code_text(s.reason_code),
        reason: s.reason.clone(),
    }
}

fn reading_dto(p: &engine::DiffProgress) -> ApplyProgressDto {
    let n = |v: u64| u32::try_from(v).unwrap_or(u32::MAX);
    ApplyProgressDto {
        phase: ApplyPhase::Reading,
        users_read: n(p.users_read),
        users_total: p.users_total.map(n),
        groups_read: n(p.groups_read),
        groups_total: p.groups_total.map(n),
        done: 0,
        total: 0,
        succeeded: 0,
        failed: 0,
        skipped: 0,
        last: String::new(),
    }
}

fn progress_dto(p: &ApplyProgress) -> ApplyProgressDto {
    match p {
        ApplyProgress::Reading(d) => reading_dto(d),
        ApplyProgress::Applying {
            done,
            total,
            succeeded,
            failed,
            skipped,
            last,
        } => ApplyProgressDto {
            phase: ApplyPhase::Applying,
            users_read: 0,
            users_total: None,
            groups_read: 0,
            groups_total: None,
            done: *done,
            total: *total,
            succeeded: *succeeded,
            failed: *failed,
            skipped: *skipped,
            last: last.clone(),
        },
    }
}

fn step_dto(s: &StepResult) -> ApplyStepDto {
    ApplyStepDto {
        op_id: s.op_id.clone(),
        action: action_dto(s.action),
        label: s.label.clone(),
        destructive: s.destructive,
        state: match s.state {
            history::StepState::Pending => ApplyStepState::Pending,
            history::StepState::Running => ApplyStepState::Running,
            history::StepState::Succeeded => ApplyStepState::Succeeded,
            history::StepState::Failed => ApplyStepState::Failed,
            history::StepState::Skipped => ApplyStepState::Skipped,
        },
        target_id: s.target_id.clone(),
        detail: s.detail.clone(),
    }
}

fn apply_counts_dto(c: &ApplyCounts) -> ApplyCountsDto {
    ApplyCountsDto {
        succeeded: c.succeeded,
        failed: c.failed,
        skipped: c.skipped,
        no_longer_needed: c.no_longer_needed,
        not_approved: c.not_approved,
    }
}

fn outcome_dto(o: &ApplyOutcome) -> ApplyOutcomeDto {
    ApplyOutcomeDto {
        run_id: o.run_id.0,
        outcome: o.outcome.as_str().to_owned(),
        summary: o.summary.clone(),
        counts: apply_counts_dto(&o.counts),
        steps: o.steps.iter().map(step_dto).collect(),
    }
}

fn rfc3339(t: std::time::SystemTime) -> String {
    let secs = t
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    chrono::DateTime::from_timestamp(secs, 0)
        .map(|t| t.to_rfc3339())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policy_maps_but_the_window_cannot_set_guard_limits() {
        let p = PlanPolicy {
            upsert_only: true,
            managed_only: false,
            guard_max_count: 100_000,
            guard_max_percent: 100.0,
            mirror_deletes: true,
            decided: vec!["user.reenable:t1".into()],
        };
        let core = policy_core(&p);
        assert!(core.upsert_only && !core.managed_only);
        assert_eq!(core.deletion_guard, engine::guard::SAVED_LIMITS_ONLY);
        // Explicit choices cross unchanged.
        assert!(core.mirror_deletes);
        assert_eq!(core.decided, ["user.reenable:t1"]);
    }

    #[test]
    fn every_action_maps() {
        for a in OpAction::PHASES {
            let _ = action_dto(a);
        }
    }
}
