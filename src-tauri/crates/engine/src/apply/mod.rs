//! Applying a reviewed plan.
//!
//! An apply never trusts the state the plan was reviewed against: it diffs again (a failed or
//! cancelled read ends it before any write), plans again under the same policy, and runs only
//! what the admin approved that is still needed. So a second apply of the same plan, or a re-run
//! after a crash or cancel, writes only what is left; creates adopt on 409 and deletes count a
//! 404 as done for whatever raced in between.
//!
//! Every step is in the history journal before the first request (`pending`), marked `running`
//! just before its request and finished right after, with the SCIM exchanges as operations.

mod execute;

use std::collections::HashSet;
use std::sync::Arc;

use chrono::Utc;
use drift::plan::{OpAction, Plan, PlannedOp, Policy};
use history::{History, NewStep, RunCounts, RunId, RunKind, RunOutcome, StepState};
use tokio::task::JoinSet;

use crate::diff::{CancellationToken, DiffProgress};
use crate::error::{Error, Job, Result};
use crate::run_log::{new_run, secrets_of, ExchangeLog};
use crate::target_work::TargetWork;
use execute::{Done, Ids};

/// Operations of one phase applied at a time.
const APPLY_WORKERS: usize = 4;
/// What to apply: the approved intents of a reviewed plan (see [`drift::PlannedOp::intents`]).
#[derive(Debug, Clone)]
pub struct ApplyRequest {
    pub policy: Policy,
    pub approved: HashSet<String>,
    /// The number of destructive operations (deactivations, deletions, member removals) the
    /// admin confirmed. Required, and must match, when the plan to run has any.
    pub confirm_destructive: Option<u32>,
    /// Approves applying a plan over the deletion guard's saved limits: must equal the plan's
    /// deactivations plus deletions. Separate from `confirm_destructive` on purpose.
    pub override_guard: Option<u32>,
    /// Recorded as "provision one user" rather than an apply.
    pub provision_one: bool,
}

/// Where an apply is.
#[derive(Debug, Clone, PartialEq)]
pub enum ApplyProgress {
    /// Reading the target again before writing.
    Reading(DiffProgress),
    /// Writing: sent after every operation.
    Applying(ApplyTally),
}

/// How far the writes of an apply are. The UI gets it inside `ipc::ApplyProgressDto` (all
/// zero while reading), hence the derives.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize, ts_rs::TS)]
pub struct ApplyTally {
    pub done: u32,
    pub total: u32,
    pub succeeded: u32,
    pub failed: u32,
    pub skipped: u32,
    /// The operation that just finished.
    pub last: String,
}

/// The end state of one operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepResult {
    pub op_id: String,
    pub action: OpAction,
    pub label: String,
    pub destructive: bool,
    pub state: StepState,
    pub target_id: Option<String>,
    /// What happened, or the error with its hint.
    pub detail: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ApplyCounts {
    pub succeeded: u32,
    pub failed: u32,
    pub skipped: u32,
    /// Approved in the review, but no longer needed on the fresh read (done since, or gone).
    pub no_longer_needed: u32,
    /// Needed on the fresh read but not approved in the review: left for the next review.
    pub not_approved: u32,
}

#[derive(Debug, Clone)]
pub struct ApplyOutcome {
    pub run_id: RunId,
    pub outcome: RunOutcome,
    /// The plan that ran: the fresh plan restricted to the approved intents.
    pub plan: Plan,
    pub steps: Vec<StepResult>,
    pub counts: ApplyCounts,
    pub summary: String,
}

impl TargetWork<'_> {
    /// Re-reads the target, re-plans, and applies what was approved and is still needed.
    ///
    /// Errors before any write: the read failed or was cancelled ([`Error::Cancelled`]),
    /// destructive operations were not confirmed with their exact count
    /// ([`Error::ConfirmationRequired`]), the plan is over the deletion guard without the exact
    /// override ([`Error::GuardTripped`]), or the history cannot record the run.
    pub async fn apply(
        &self,
        request: &ApplyRequest,
        history: &History,
        progress: impl Fn(ApplyProgress) + Send + Sync,
        cancel: &CancellationToken,
    ) -> Result<ApplyOutcome> {
        // Checked before the read, so a bad share costs no request.
        let policy = crate::guard::enforced(&self.workspace.deletion_guard(), &request.policy)?;
        let fresh = self
            .diff(|p| progress(ApplyProgress::Reading(p)), cancel)
            .await
            .map_err(|e| e.cancelled_as(Job::ApplyRead))?;
        let target = self.target;
        let full = crate::plan::plan_of(&fresh, &target.settings, &policy);
        let plan = full.restricted_to(&request.approved);
        let kept = plan.intents();
        let counts = ApplyCounts {
            no_longer_needed: count(
                request
                    .approved
                    .iter()
                    .filter(|i| !kept.contains(*i))
                    .count(),
            ),
            not_approved: count(full.intents().difference(&kept).count()),
            ..ApplyCounts::default()
        };
        let destructive = plan.counts.destructive;
        if destructive > 0 && request.confirm_destructive != Some(destructive) {
            return Err(Error::ConfirmationRequired {
                destructive,
                deprovisions: plan.guard.deprovisions,
                guard_tripped: plan.guard.tripped,
            });
        }
        // Then the guard's own verdict, the engine's, on the plan about to run: a separate
        // approval naming its deactivations and deletions.
        crate::guard::check(&plan, request.override_guard)?;

        for secret in secrets_of(&target.client.config().auth) {
            history.add_secret(secret);
        }
        let run_id = history
            .start_run(new_run(
                if request.provision_one {
                    RunKind::ProvisionOne
                } else {
                    RunKind::Apply
                },
                &target.info,
                Utc::now(),
            ))
            .await?;
        let steps: Vec<NewStep> = plan
            .operations
            .iter()
            .map(|op| NewStep {
                op_id: op.id.clone(),
                action: op.action.name().to_owned(),
                label: op.label.clone(),
                destructive: op.destructive,
            })
            .collect();
        history.record_steps(run_id, &steps).await?;

        let mut ids = Ids {
            users: fresh.matched_user_ids(),
            groups: fresh.matched_group_ids(),
        };
        let mut runner = Runner {
            history,
            run_id,
            client: target.client.with_cancellation(cancel.clone()),
            cancel,
            progress: &progress,
            results: plan.operations.iter().map(pending).collect(),
            counts,
            stopped: None,
        };
        // Phases in order; within one, up to the client's concurrency at a time.
        let mut at = 0;
        while at < plan.operations.len() {
            let action = plan.operations[at].action;
            let end = plan.operations[at..]
                .iter()
                .position(|o| o.action != action)
                .map_or(plan.operations.len(), |n| at + n);
            runner.phase(&plan.operations, at..end, &mut ids).await?;
            at = end;
        }
        let outcome = runner.finish(plan).await;
        if outcome.as_ref().map_or(true, |o| o.counts.succeeded > 0) {
            // The last diff no longer describes the target: a plan from it would repeat this.
            self.workspace.diffs.mark_stale(self.id());
        }
        outcome
    }
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

fn pending(op: &PlannedOp) -> StepResult {
    StepResult {
        op_id: op.id.clone(),
        action: op.action,
        label: op.label.clone(),
        destructive: op.destructive,
        state: StepState::Pending,
        target_id: op.target_id.clone(),
        detail: String::new(),
    }
}

struct Runner<'a, P: Fn(ApplyProgress)> {
    history: &'a History,
    run_id: RunId,
    client: scim::Client,
    cancel: &'a CancellationToken,
    progress: &'a P,
    results: Vec<StepResult>,
    counts: ApplyCounts,
    /// Why the run stopped early (cancel, or credentials refused).
    stopped: Option<String>,
}

impl<P: Fn(ApplyProgress)> Runner<'_, P> {
    async fn phase(
        &mut self,
        ops: &[PlannedOp],
        range: std::ops::Range<usize>,
        ids: &mut Ids,
    ) -> Result<()> {
        // Writes keep the fixed worker count they always had; the client's pacing still
        // slows them down when the target refuses for load.
        let limit = self.client.config().max_concurrency.clamp(1, APPLY_WORKERS);
        let snapshot = Arc::new(ids.clone());
        let mut next = range.start;
        let mut running: JoinSet<(usize, Done, ExchangeLog)> = JoinSet::new();
        loop {
            if self.cancel.is_cancelled() && self.stopped.is_none() {
                // Nothing more starts; what is in flight finishes or fails as cancelled.
                self.stopped = Some("the apply was cancelled".to_owned());
            }
            while self.stopped.is_none() && running.len() < limit && next < range.end {
                let seq = next;
                next += 1;
                self.history
                    .update_step(self.run_id, step_seq(seq), StepState::Running, None, "")
                    .await?;
                let log = ExchangeLog::new();
                let client = self.client.with_observer(log.observer());
                let op = ops[seq].clone();
                let ids = snapshot.clone();
                running.spawn(async move {
                    let done = execute::execute(&client, &op, &ids).await;
                    (seq, done, log)
                });
            }
            let Some(joined) = running.join_next().await else {
                break;
            };
            let (seq, done, log) = match joined {
                Ok(r) => r,
                Err(e) => match e.try_into_panic() {
                    Ok(panic) => std::panic::resume_unwind(panic),
                    Err(_) => return Err(Error::Cancelled(Job::Apply)),
                },
            };
            self.finished(&ops[seq], seq, done, &log, ids).await?;
        }
        // Whatever never started: say why in the journal.
        if let Some(why) = self.stopped.clone() {
            for seq in next..range.end {
                self.set(
                    seq,
                    StepState::Skipped,
                    None,
                    format!("not attempted: {why}"),
                )
                .await?;
            }
        }
        Ok(())
    }

    async fn finished(
        &mut self,
        op: &PlannedOp,
        seq: usize,
        done: Done,
        log: &ExchangeLog,
        ids: &mut Ids,
    ) -> Result<()> {
        let mut operations = log.operations();
        for o in &mut operations {
            o.resource_label = op.label.clone();
            o.modified_attributes = op.attributes.clone();
        }
        self.history
            .record_operations(self.run_id, &operations)
            .await?;
        match done {
            Done::Ok { target_id, note } => {
                if let (Some(source), Some(id)) = (&op.source_id, &target_id) {
                    match op.action {
                        OpAction::CreateUser => {
                            ids.users.insert(source.clone(), id.clone());
                        }
                        OpAction::CreateGroup => {
                            ids.groups.insert(source.clone(), id.clone());
                        }
                        _ => {}
                    }
                }
                self.set(seq, StepState::Succeeded, target_id, note).await
            }
            Done::Skipped(why) => self.set(seq, StepState::Skipped, None, why).await,
            Done::Failed(e) => {
                let cancelled = matches!(e, scim::Error::Cancelled) || self.cancel.is_cancelled();
                if cancelled {
                    self.stopped = Some("the apply was cancelled".to_owned());
                    return self
                        .set(
                            seq,
                            StepState::Failed,
                            None,
                            "cancelled while running".to_owned(),
                        )
                        .await;
                }
                if matches!(e.status(), Some(401 | 403)) {
                    // Every later request would be refused the same way.
                    self.stopped = Some(format!("the target refused the credentials ({e})"));
                }
                let text = format!("{e}. {}", e.hint());
                self.set(seq, StepState::Failed, None, text).await
            }
        }
    }

    async fn set(
        &mut self,
        seq: usize,
        state: StepState,
        target_id: Option<String>,
        detail: String,
    ) -> Result<()> {
        self.history
            .update_step(
                self.run_id,
                step_seq(seq),
                state,
                target_id.as_deref(),
                &detail,
            )
            .await?;
        match state {
            StepState::Succeeded => self.counts.succeeded += 1,
            StepState::Failed => self.counts.failed += 1,
            StepState::Skipped => self.counts.skipped += 1,
            StepState::Pending | StepState::Running => {}
        }
        let total = count(self.results.len());
        let result = &mut self.results[seq];
        result.state = state;
        if target_id.is_some() {
            result.target_id = target_id;
        }
        result.detail = detail;
        let done = self.counts.succeeded + self.counts.failed + self.counts.skipped;
        (self.progress)(ApplyProgress::Applying(ApplyTally {
            done,
            total,
            succeeded: self.counts.succeeded,
            failed: self.counts.failed,
            skipped: self.counts.skipped,
            last: format!("{} {}", result.action.name(), result.label),
        }));
        Ok(())
    }

    async fn finish(self, plan: Plan) -> Result<ApplyOutcome> {
        let c = &self.counts;
        let outcome = if self.cancel.is_cancelled() {
            RunOutcome::Cancelled
        } else if c.failed > 0 && c.succeeded == 0 {
            RunOutcome::Failed
        } else if c.failed > 0 || self.stopped.is_some() {
            RunOutcome::Partial
        } else {
            RunOutcome::Succeeded
        };
        let ok = |a: &[OpAction]| {
            count(
                self.results
                    .iter()
                    .filter(|r| r.state == StepState::Succeeded && a.contains(&r.action))
                    .count(),
            )
        };
        let run_counts = RunCounts {
            created: ok(&[OpAction::CreateUser, OpAction::CreateGroup]),
            updated: ok(&[
                OpAction::PatchUser,
                OpAction::ReplaceUser,
                OpAction::PatchGroup,
                OpAction::AddMembers,
                OpAction::RemoveMembers,
            ]),
            deleted: ok(&[
                OpAction::DeactivateUser,
                OpAction::DeleteUser,
                OpAction::DeleteGroup,
            ]),
            failed: c.failed,
            skipped: c.skipped,
            ..RunCounts::default()
        };
        let mut summary = format!(
            "{} of {} operations succeeded, {} failed, {} skipped ({} created, {} updated, {} deactivated or deleted)",
            c.succeeded,
            self.results.len(),
            c.failed,
            c.skipped,
            run_counts.created,
            run_counts.updated,
            run_counts.deleted
        );
        if c.no_longer_needed > 0 {
            summary.push_str(&format!(
                "; {} approved change(s) no longer needed",
                c.no_longer_needed
            ));
        }
        if c.not_approved > 0 {
            summary.push_str(&format!(
                "; {} other difference(s) not approved for this run, left as they are",
                c.not_approved
            ));
        }
        if let Some(why) = &self.stopped {
            summary.push_str(&format!("; stopped: {why}"));
        }
        self.history
            .finish_run(self.run_id, outcome, &run_counts, &summary)
            .await?;
        Ok(ApplyOutcome {
            run_id: self.run_id,
            outcome,
            plan,
            steps: self.results,
            counts: self.counts,
            summary,
        })
    }
}

fn step_seq(i: usize) -> u32 {
    u32::try_from(i).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests;
