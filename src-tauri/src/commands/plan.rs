//! Plan commands: preview a plan from the last diff, apply a reviewed selection of it (streaming
//! progress, cancellable, always recorded in the history), and provision one user now.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};

use engine::plan::{Policy, SkippedItem, SkippedKind};
use engine::ApplyRequest;
use ipc::{ApplyOutcomeDto, ApplyProgressDto, ErrorCode, IpcError, PlanPolicy, PlanView};
use scim::CancellationToken;
use tauri::ipc::Channel;
use tauri::State;

use crate::state::AppState;

/// The cancellation switch of each target's running apply, with a serial so a finishing apply
/// never removes the switch of a newer one.
#[derive(Default)]
pub struct Applies(Mutex<Running>);

/// The last serial handed out, and each target's running apply.
type Running = (u64, HashMap<String, (u64, CancellationToken)>);

impl Applies {
    fn start(&self, target_id: &str) -> (u64, CancellationToken) {
        let token = CancellationToken::new();
        let mut guard = self.lock();
        guard.0 += 1;
        let serial = guard.0;
        guard
            .1
            .insert(target_id.to_owned(), (serial, token.clone()));
        (serial, token)
    }

    fn finish(&self, target_id: &str, serial: u64) {
        let mut guard = self.lock();
        if guard.1.get(target_id).is_some_and(|(s, _)| *s == serial) {
            guard.1.remove(target_id);
        }
    }

    fn cancel(&self, target_id: &str) -> bool {
        match self.lock().1.get(target_id) {
            Some((_, token)) => {
                token.cancel();
                true
            }
            None => false,
        }
    }

    fn lock(&self) -> MutexGuard<'_, Running> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// The plan that would bring the target to what JumpCloud would push, from its last diff.
#[tauri::command]
pub fn plan_preview(
    state: State<'_, AppState>,
    target_id: String,
    policy: PlanPolicy,
) -> Result<PlanView, IpcError> {
    let report = state
        .workspace
        .current()
        .plan(&target_id, &Policy::from(&policy))?;
    Ok(PlanView::from(&*report))
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
        policy: Policy::from(&policy),
        approved: approved.into_iter().collect(),
        confirm_destructive,
        override_guard,
        provision_one: false,
    };
    run_apply(&state, &target_id, &request, &on_progress).await
}

/// Stops the target's running apply (or its re-read); false when none was running.
#[tauri::command]
pub fn plan_cancel(state: State<'_, AppState>, target_id: String) -> bool {
    state.applies.cancel(&target_id)
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
    let workspace = state.workspace.clone();
    let policy = engine::plan::provision_policy();
    let report = match workspace.plan(&target_id, &policy) {
        Err(engine::Error::NoDiff(_) | engine::Error::StaleDiff(_)) => {
            let (serial, cancel) = state.applies.start(&target_id);
            let diff = workspace
                .run_diff(
                    &target_id,
                    |p| {
                        let _ = on_progress.send((&p).into());
                    },
                    &cancel,
                )
                .await;
            state.applies.finish(&target_id, serial);
            diff?;
            workspace.plan(&target_id, &policy)
        }
        other => other,
    }?;
    let approved = engine::plan::intents_for_user(&report.plan, &source_id);
    if approved.is_empty() {
        return Err(nothing_to_provision(&report.plan.skipped, &source_id));
    }
    let request = ApplyRequest {
        policy,
        approved,
        confirm_destructive: None,
        override_guard: None,
        provision_one: true,
    };
    run_apply(&state, &target_id, &request, &on_progress).await
}

async fn run_apply(
    state: &AppState,
    target_id: &str,
    request: &ApplyRequest,
    on_progress: &Channel<ApplyProgressDto>,
) -> Result<ApplyOutcomeDto, IpcError> {
    // An apply is never run unrecorded.
    let history = state.history.store().ok_or_else(no_history)?;
    let workspace = state.workspace.clone();
    let (serial, cancel) = state.applies.start(target_id);
    let outcome = workspace
        .apply(
            target_id,
            request,
            &history,
            |p| {
                // A closed window drops the channel; the apply itself carries on.
                let _ = on_progress.send((&p).into());
            },
            &cancel,
        )
        .await;
    state.applies.finish(target_id, serial);
    state.history.after_run().await;
    Ok(ApplyOutcomeDto::from(&outcome?))
}

fn no_history() -> IpcError {
    IpcError::new(
        ErrorCode::Storage,
        "The local history is not available, so nothing was applied: every apply is recorded there.",
    )
    .with_hint("Open the History page to see why the history could not be opened, fix it and restart the app.")
}

fn nothing_to_provision(skipped: &[SkippedItem], source_id: &str) -> IpcError {
    let why = skipped
        .iter()
        .find(|s| s.source_id.as_deref() == Some(source_id) && s.kind == SkippedKind::User);
    match why {
        Some(item) => IpcError::new(
            ErrorCode::InvalidInput,
            format!("{} is left alone by the plan: {}", item.label, item.reason),
        )
        .with_hint("Resolve it in the target, run the diff again, then provision."),
        None => IpcError::new(
            ErrorCode::InvalidInput,
            "This user needs nothing in the target: it is in sync, or not in scope.",
        )
        .with_hint("Run the diff again to see its current state."),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cancel_reaches_the_running_apply_only() {
        let applies = Applies::default();
        assert!(!applies.cancel("t"));
        let (first, _) = applies.start("t");
        let (second, token) = applies.start("t");
        applies.finish("t", first);
        assert!(applies.cancel("t"));
        assert!(token.is_cancelled());
        applies.finish("t", second);
        assert!(!applies.cancel("t"));
    }
}
