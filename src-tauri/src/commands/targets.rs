use std::time::SystemTime;

use ipc::{IpcError, TargetCard, TargetStatus};
use tauri::State;

use crate::state::AppState;

/// Home: the directory summary and every target, each checked over SCIM concurrently.
#[tauri::command]
pub async fn home_overview(state: State<'_, AppState>) -> Result<ipc::HomeOverview, IpcError> {
    let checks = state.test_all_connections().await;
    let targets = checks
        .iter()
        .map(|check| {
            let mut card = TargetCard::new(&check.info, status_of(&check.result));
            card.token_warning = check.token_warning.clone();
            card
        })
        .collect();
    Ok(ipc::HomeOverview {
        directory: ipc::DirectorySummary::from(&*state.workspace()),
        targets,
    })
}

/// The targets without checking them: for pickers (the Diff page), so opening a page sends no
/// SCIM request and adds no connection-check run to History.
#[tauri::command]
pub fn targets_list(state: State<'_, AppState>) -> Vec<TargetCard> {
    let workspace = state.workspace();
    workspace
        .targets()
        .iter()
        .map(|t| TargetCard::new(t, TargetStatus::unchecked()))
        .collect()
}

/// Read-only connection check of one target (discovery and a one-item list).
#[tauri::command]
pub async fn target_test_connection(
    state: State<'_, AppState>,
    target_id: String,
) -> Result<TargetStatus, IpcError> {
    // A target that cannot be used answers with its problem as the check's result.
    let target = state.target(&target_id)?;
    Ok(status_of(&target.test_connection().await))
}

fn status_of(check: &engine::Result<engine::ConnectionReport>) -> TargetStatus {
    TargetStatus::checked(check, rfc3339_now())
}

fn rfc3339_now() -> String {
    let secs = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    chrono::DateTime::from_timestamp(secs, 0)
        .map(|t| t.to_rfc3339())
        .unwrap_or_default()
}
