//! The local sync history: the database opened at start-up, and read-only commands over it.
//! Exports are written with the shared `file_save` command (commands/diff.rs).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use history::{
    DriftPoint, History, Operation, OperationPage, RunDetail, RunFilter, RunId, RunPage,
    RunSummary, SnapshotDelta,
};
use ipc::{HistoryExportFormat, HistoryInfo, IpcError};
use tauri::State;

use crate::error::history_error;
use crate::state::AppState;

/// File name of the history database inside the app's data folder.
pub const FILE_NAME: &str = "history.sqlite";

/// The history database, or the error that kept it closed. An unopenable file (newer schema,
/// corrupt) must not stop the app: every history command then returns that error.
pub struct HistoryState {
    pub path: PathBuf,
    store: Result<Arc<History>, IpcError>,
}

impl HistoryState {
    pub fn open(data_dir: &Path) -> Self {
        let path = data_dir.join(FILE_NAME);
        let store = tauri::async_runtime::block_on(History::open(&path))
            .map(Arc::new)
            .map_err(|e| {
                tracing::warn!(error = %e, "history database unavailable");
                history_error(&e)
            });
        Self { path, store }
    }

    /// The open store, for recording; `None` when it could not be opened.
    pub fn store(&self) -> Option<Arc<History>> {
        self.store.as_ref().ok().cloned()
    }

    fn get(&self) -> Result<Arc<History>, IpcError> {
        self.store.clone()
    }
}

#[tauri::command]
pub fn history_info(state: State<'_, AppState>) -> HistoryInfo {
    HistoryInfo {
        path: state.history.path.display().to_string(),
        error: state.history.store.as_ref().err().cloned(),
    }
}

/// Runs matching `filter`, newest first, one keyset page at a time.
#[tauri::command]
pub async fn history_list(
    state: State<'_, AppState>,
    filter: RunFilter,
    page: RunPage,
) -> Result<Vec<RunSummary>, IpcError> {
    let store = state.history.get()?;
    store
        .list_runs(&filter, page)
        .await
        .map_err(|e| history_error(&e))
}

#[tauri::command]
pub async fn history_run(state: State<'_, AppState>, run_id: RunId) -> Result<RunDetail, IpcError> {
    let store = state.history.get()?;
    store.run(run_id).await.map_err(|e| history_error(&e))
}

#[tauri::command]
pub async fn history_operations(
    state: State<'_, AppState>,
    run_id: RunId,
    page: OperationPage,
) -> Result<Vec<Operation>, IpcError> {
    let store = state.history.get()?;
    store
        .operations(run_id, page)
        .await
        .map_err(|e| history_error(&e))
}

/// Drift counts of the target's last `limit` diff runs, oldest first.
#[tauri::command]
pub async fn history_drift_over_time(
    state: State<'_, AppState>,
    target_id: String,
    limit: u32,
) -> Result<Vec<DriftPoint>, IpcError> {
    let store = state.history.get()?;
    store
        .drift_over_time(&target_id, limit)
        .await
        .map_err(|e| history_error(&e))
}

/// What changed between a diff run and the target's previous diff run.
#[tauri::command]
pub async fn history_compare_previous(
    state: State<'_, AppState>,
    run_id: RunId,
) -> Result<SnapshotDelta, IpcError> {
    let store = state.history.get()?;
    store
        .diff_since_previous(run_id)
        .await
        .map_err(|e| history_error(&e))
}

/// The run and its operations as JSON (pretty) or CSV text.
#[tauri::command]
pub async fn history_export(
    state: State<'_, AppState>,
    run_id: RunId,
    format: HistoryExportFormat,
) -> Result<String, IpcError> {
    let store = state.history.get()?;
    match format {
        HistoryExportFormat::Json => {
            let value = store
                .export_run_json(run_id)
                .await
                .map_err(|e| history_error(&e))?;
            Ok(serde_json::to_string_pretty(&value).unwrap_or_else(|_| value.to_string()))
        }
        HistoryExportFormat::Csv => store
            .export_run_csv(run_id)
            .await
            .map_err(|e| history_error(&e)),
    }
}
