//! "Apply safe changes automatically": after a scheduled check with drift, the part of the plan
//! no one needs to look at. Off unless the admin turns it on per target.
//!
//! Safe means the plan under the upsert-only policy (nothing deactivated or deleted), and of
//! that only the operations that are not destructive (creates, attribute updates, member
//! additions; never a member removal), without choosing any pending decision and held to the
//! saved deletion guard. It runs as any apply does: the target is read again and re-planned
//! first, and every operation is journalled in History.

use std::collections::HashSet;

use drift::plan::Policy;

use super::alerts::{Alert, AlertKind};
use super::check::{CheckSummary, Status};
use super::schedule::WatchSchedule;
use crate::{ApplyOutcome, ApplyRequest, Result, Session};

/// Applies the safe part of `target`'s plan; `None` when there was nothing safe to apply.
pub async fn apply_safe(session: &Session, target: &str) -> Result<Option<ApplyOutcome>> {
    let handle = session.target(target)?;
    let policy = Policy {
        upsert_only: true,
        deletion_guard: crate::guard::SAVED_LIMITS_ONLY,
        ..Policy::default()
    };
    let plan = handle.plan(&policy)?;
    // Approvals are intents (one per member of a member operation), as the review's are.
    let approved: HashSet<String> = plan
        .plan
        .operations
        .iter()
        .filter(|op| !op.destructive)
        .flat_map(drift::plan::PlannedOp::intents)
        .collect();
    if approved.is_empty() {
        return Ok(None);
    }
    let request = ApplyRequest {
        policy,
        approved,
        // No destructive operation is approved, so none can need a confirmation or an override.
        confirm_destructive: None,
        override_guard: None,
        provision_one: false,
    };
    handle.apply(&request, |_| {}).await.map(Some)
}

/// Applies the safe changes of every checked target with drift whose schedule asks for it, and
/// says what happened, as alerts.
pub async fn apply_safe_where_chosen(
    session: &Session,
    summary: &CheckSummary,
    schedule: &WatchSchedule,
) -> Vec<Alert> {
    let mut alerts = Vec::new();
    for check in &summary.targets {
        if check.status != Status::Drift || !schedule.applies_safe(&check.id) {
            continue;
        }
        let alert = |title: String, body: String| Alert {
            kind: AlertKind::SafeChangesApplied,
            target_id: check.id.clone(),
            target_name: check.name.clone(),
            title,
            body,
        };
        match apply_safe(session, &check.id).await {
            Ok(None) => {}
            Ok(Some(outcome)) => alerts.push(alert(
                format!("{}: safe changes applied", check.name),
                outcome.summary.clone(),
            )),
            Err(e) => alerts.push(alert(
                format!("{}: safe changes not applied", check.name),
                match e.hint() {
                    Some(hint) => format!("{e} {hint}"),
                    None => e.to_string(),
                },
            )),
        }
    }
    alerts
}
