//! Plan commands: preview a plan from the last diff, apply a reviewed selection of it (streaming
//! progress, cancellable, always recorded in the history), and provision one user now.

use engine::plan::Policy;
use engine::ApplyRequest;
use ipc::{ApplyOutcomeDto, ApplyProgressDto, IpcError, PlanPolicy, PlanView};
use tauri::ipc::Channel;
use tauri::State;

use crate::state::AppState;

/// The plan that would bring the target to what JumpCloud would push, from its last diff.
#[tauri::command]
pub fn plan_preview(
    state: State<'_, AppState>,
    target_id: String,
    policy: PlanPolicy,
) -> Result<PlanView, IpcError> {
    let report = state.target(&target_id)?.plan(&Policy::from(&policy))?;
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
    // A closed window drops the channel; the apply itself carries on.
    let outcome = state
        .target(&target_id)?
        .apply(&request, |p| {
            let _ = on_progress.send((&p).into());
        })
        .await?;
    Ok(ApplyOutcomeDto::from(&outcome))
}

/// Stops the target's running apply (or its re-read); false when none was running.
#[tauri::command]
pub fn plan_cancel(state: State<'_, AppState>, target_id: String) -> bool {
    state.cancel(engine::JobKind::Apply, &target_id)
}

/// Creates or updates one JumpCloud user in the target and adds it to its groups; never removes
/// anything (the engine plans from the last diff, diffing first when there is none).
#[tauri::command]
pub async fn provision_user(
    state: State<'_, AppState>,
    target_id: String,
    source_id: String,
    on_progress: Channel<ApplyProgressDto>,
) -> Result<ApplyOutcomeDto, IpcError> {
    let outcome = state
        .target(&target_id)?
        .provision_user(&source_id, |p| {
            let _ = on_progress.send((&p).into());
        })
        .await?;
    Ok(ApplyOutcomeDto::from(&outcome))
}
