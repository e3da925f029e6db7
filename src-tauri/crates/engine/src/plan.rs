//! Plans from the target's last diff. A diff report exists only after a complete read of the
//! target and of JumpCloud, so a plan can never come from a failed or partial read.

use std::sync::Arc;
use std::time::SystemTime;

pub use drift::plan::{
    Decision, DecisionKind, DeletionGuard, GuardVerdict, MemberRef, OpAction, Plan, PlanCounts,
    PlannedOp, Policy, SkippedItem, SkippedKind,
};

use crate::diff::DiffReport;
use crate::error::Result;
use crate::target_work::TargetWork;

/// A plan with the diff it was made from.
#[derive(Debug, Clone)]
pub struct PlanReport {
    pub target_id: String,
    pub target_name: String,
    pub kind: targets::Kind,
    pub plan: Plan,
    /// When the diff behind the plan finished.
    pub diff_finished_at: SystemTime,
}

impl TargetWork<'_> {
    /// The writes that would bring the target to what JumpCloud would push, from its last diff,
    /// under `policy` held to the workspace's deletion guard (see [`crate::guard`]).
    pub fn plan(&self, policy: &Policy) -> Result<Arc<PlanReport>> {
        let (workspace, target_id) = (self.workspace, self.id());
        let report = workspace.last_diff(target_id)?;
        if workspace.diff_is_stale(target_id) {
            return Err(crate::Error::StaleDiff(target_id.to_owned()));
        }
        let policy = &crate::guard::enforced(&workspace.deletion_guard(), policy)?;
        Ok(Arc::new(PlanReport {
            target_id: report.target_id.clone(),
            target_name: report.target_name.clone(),
            kind: report.kind,
            plan: plan_of(&report, &self.target.settings, policy),
            diff_finished_at: report.finished_at,
        }))
    }
}

pub(crate) fn plan_of(report: &DiffReport, settings: &targets::Settings, policy: &Policy) -> Plan {
    let inactive = report.inactive_target_users();
    let objects = report.actual_user_count() + report.actual_group_count();
    let input = drift::PlanInput {
        drift: &report.drift,
        expected: report,
        inactive_target_users: &inactive,
        target_objects: u32::try_from(objects).unwrap_or(u32::MAX),
    };
    drift::plan(&input, policy, &targets::write_rules(report.kind, settings))
}

/// The policy of "provision one user now": create or update, add to groups, never remove.
pub fn provision_policy() -> Policy {
    Policy {
        upsert_only: true,
        managed_only: true,
        ..Policy::default()
    }
}

/// The approvals that bring one JumpCloud user into the target: its create or update and its
/// group member additions (not other users' changes, not removals).
pub fn intents_for_user(plan: &Plan, source_id: &str) -> std::collections::HashSet<String> {
    let mut out = std::collections::HashSet::new();
    for op in &plan.operations {
        match op.action {
            OpAction::AddMembers => {
                let mine = op
                    .members
                    .iter()
                    .any(|m| m.user_source_id.as_deref() == Some(source_id));
                if mine {
                    let only = PlannedOp {
                        members: op
                            .members
                            .iter()
                            .filter(|m| m.user_source_id.as_deref() == Some(source_id))
                            .cloned()
                            .collect(),
                        ..op.clone()
                    };
                    out.extend(only.intents());
                }
            }
            OpAction::CreateUser | OpAction::PatchUser | OpAction::ReplaceUser
                if op.source_id.as_deref() == Some(source_id) =>
            {
                out.extend(op.intents());
            }
            _ => {}
        }
    }
    out
}
