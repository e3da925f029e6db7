//! The local sync history: the database opened at start-up, and read-only commands over it.
//! Exports are saved by `export_save` (commands/files.rs).

use std::sync::Arc;

use engine::config;
use history::{
    ApplyStep, DriftPoint, History, Operation, OperationPage, Retention, RunDetail, RunFilter,
    RunId, RunPage, RunSummary, SnapshotDelta,
};
use ipc::{ErrorCode, HistoryExportFormat, HistoryInfo, IpcError};
use tauri::State;

use crate::state::AppState;

/// The open history store, or the error that kept it closed (shown on the History page).
pub(crate) fn open_store(state: &AppState) -> Result<Arc<History>, IpcError> {
    let history = state.history();
    match (history.store(), history.open_error()) {
        (Some(store), _) => Ok(store),
        (None, Some(e)) => Err(IpcError::from(e)),
        (None, None) => Err(IpcError::new(
            ErrorCode::Storage,
            "The local history is not open.",
        )),
    }
}

#[tauri::command]
pub fn history_info(state: State<'_, AppState>) -> HistoryInfo {
    HistoryInfo {
        path: state.history().path().display().to_string(),
        error: state.history().open_error().map(IpcError::from),
    }
}

/// Runs matching `filter`, newest first, one keyset page at a time.
#[tauri::command]
pub async fn history_list(
    state: State<'_, AppState>,
    filter: RunFilter,
    page: RunPage,
) -> Result<Vec<RunSummary>, IpcError> {
    let store = open_store(&state)?;
    store.list_runs(&filter, page).await.map_err(IpcError::from)
}

#[tauri::command]
pub async fn history_run(state: State<'_, AppState>, run_id: RunId) -> Result<RunDetail, IpcError> {
    let store = open_store(&state)?;
    store.run(run_id).await.map_err(IpcError::from)
}

#[tauri::command]
pub async fn history_operations(
    state: State<'_, AppState>,
    run_id: RunId,
    page: OperationPage,
) -> Result<Vec<Operation>, IpcError> {
    let store = open_store(&state)?;
    store.operations(run_id, page).await.map_err(IpcError::from)
}

/// The journal of an apply (or provision) run, in plan order: every planned step with where it
/// got to. Empty for other run kinds and for applies recorded before the journal existed.
#[tauri::command]
pub async fn history_steps(
    state: State<'_, AppState>,
    run_id: RunId,
) -> Result<Vec<ApplyStep>, IpcError> {
    let store = open_store(&state)?;
    store.steps(run_id).await.map_err(IpcError::from)
}

/// Drift counts of the target's last `limit` diff runs, oldest first.
#[tauri::command]
pub async fn history_drift_over_time(
    state: State<'_, AppState>,
    target_id: String,
    limit: u32,
) -> Result<Vec<DriftPoint>, IpcError> {
    let store = open_store(&state)?;
    store
        .drift_over_time(&target_id, limit)
        .await
        .map_err(IpcError::from)
}

/// What changed between a diff run and the target's previous diff run.
#[tauri::command]
pub async fn history_compare_previous(
    state: State<'_, AppState>,
    run_id: RunId,
) -> Result<SnapshotDelta, IpcError> {
    let store = open_store(&state)?;
    store
        .diff_since_previous(run_id)
        .await
        .map_err(IpcError::from)
}

/// One run as JSON or CSV, with the dialog filter's name and the extension; saved by
/// `export_save` (commands/files.rs), never handed to the window to write.
pub(crate) async fn export_run(
    state: &AppState,
    run_id: RunId,
    format: HistoryExportFormat,
) -> Result<(String, &'static str, &'static str), IpcError> {
    let store = open_store(state)?;
    match format {
        HistoryExportFormat::Json => {
            let value = store
                .export_run_json(run_id)
                .await
                .map_err(IpcError::from)?;
            let text = serde_json::to_string_pretty(&value).unwrap_or_else(|_| value.to_string());
            Ok((text, "JSON", "json"))
        }
        HistoryExportFormat::Csv => store
            .export_run_csv(run_id)
            .await
            .map(|text| (text, "CSV", "csv"))
            .map_err(IpcError::from),
    }
}

/// The saved history retention; `None` keeps everything.
#[tauri::command]
pub fn history_retention_get(state: State<'_, AppState>) -> Result<Option<Retention>, IpcError> {
    config::load_history_retention(state.data_dir())
        .map_err(|e| IpcError::from(engine::Error::from(e)))
}

/// Saves the retention (`None` keeps everything; zero is refused) and applies it at once;
/// returns how many runs were removed now. Runs still in progress are never removed.
#[tauri::command]
pub async fn history_retention_set(
    state: State<'_, AppState>,
    retention: Option<Retention>,
) -> Result<u64, IpcError> {
    Ok(state
        .history()
        .set_retention(state.data_dir(), retention)
        .await?)
}
