use std::time::SystemTime;

use ipc::{IpcError, TargetCard, TargetStatus};
use tauri::State;

use crate::state::AppState;

/// Home: the directory summary and every target, each checked over SCIM concurrently.
#[tauri::command]
pub async fn home_overview(state: State<'_, AppState>) -> Result<ipc::HomeOverview, IpcError> {
    let workspace = state.workspace();
    let checks = futures_join_all(
        workspace
            .targets()
            .iter()
            .map(|t| {
                let workspace = workspace.clone();
                let id = t.id.clone();
                let history = state.history().store();
                async move {
                    workspace
                        .test_connection_recorded(&id, history.as_deref())
                        .await
                }
            })
            .collect(),
    )
    .await;
    state.history().after_run().await;
    let targets = workspace
        .targets()
        .iter()
        .zip(checks)
        .map(|(target, check)| {
            let mut card = TargetCard::new(target, status_of(&check));
            card.token_warning = workspace
                .target_settings(&target.id)
                .and_then(|t| engine::setup::token_warning(t, chrono::Utc::now()));
            card
        })
        .collect();
    Ok(ipc::HomeOverview {
        directory: ipc::DirectorySummary::from(&*workspace),
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
    let workspace = state.workspace();
    if workspace.target(&target_id).is_none() {
        return Err(engine::Error::UnknownTarget(target_id).into());
    }
    let history = state.history().store();
    let check = workspace
        .test_connection_recorded(&target_id, history.as_deref())
        .await;
    state.history().after_run().await;
    Ok(status_of(&check))
}

/// Runs the futures concurrently on the async runtime and keeps their order.
async fn futures_join_all<F: std::future::Future + Send + 'static>(
    futures: Vec<F>,
) -> Vec<F::Output>
where
    F::Output: Send + 'static,
{
    let handles: Vec<_> = futures
        .into_iter()
        .map(tauri::async_runtime::spawn)
        .collect();
    let mut out = Vec::with_capacity(handles.len());
    for handle in handles {
        out.push(handle.await.expect("connection check task panicked"));
    }
    out
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
