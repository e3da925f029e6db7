//! The local sync history: the database opened at start-up, and read-only commands over it.
//! Exports are saved by `export_save` (commands/files.rs).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use std::sync::Mutex;

use engine::config;
use history::{
    ApplyStep, DriftPoint, History, Operation, OperationPage, Retention, RunDetail, RunFilter,
    RunId, RunPage, RunSummary, SnapshotDelta,
};
use ipc::{ErrorCode, HistoryExportFormat, HistoryInfo, IpcError};
use tauri::State;

use crate::state::AppState;

/// File name of the history database inside the app's data folder.
pub const FILE_NAME: &str = "history.sqlite";

/// The history database, or the error that kept it closed. An unopenable file (newer schema,
/// corrupt) must not stop the app: every history command then returns that error.
pub struct HistoryState {
    pub path: PathBuf,
    store: Result<Arc<History>, IpcError>,
    /// The retention saved in `settings.json`, applied at start and after every recorded run.
    retention: Mutex<Option<Retention>>,
}

impl HistoryState {
    /// Opens the database and prunes it to the saved retention. An unreadable setting keeps
    /// everything (nothing is deleted on a guess).
    pub fn open(data_dir: &Path) -> Self {
        let path = data_dir.join(FILE_NAME);
        let retention = config::load_history_retention(data_dir).unwrap_or_else(|e| {
            tracing::warn!(error = %e, "history retention unreadable; keeping every run");
            None
        });
        let store = tauri::async_runtime::block_on(async {
            let store = History::open(&path).await?;
            if let Some(r) = retention {
                prune(&store, r).await;
            }
            Ok(store)
        })
        .map(Arc::new)
        .map_err(|e: history::Error| {
            tracing::warn!(error = %e, "history database unavailable");
            IpcError::from(&e)
        });
        Self {
            path,
            store,
            retention: Mutex::new(retention),
        }
    }

    /// Applies the saved retention; called after each recorded run. A failure is only logged:
    /// pruning must never turn a finished run into an error.
    pub async fn after_run(&self) {
        let retention = *self.retention.lock().unwrap_or_else(|e| e.into_inner());
        if let (Some(r), Some(store)) = (retention, self.store()) {
            prune(&store, r).await;
        }
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
    store.list_runs(&filter, page).await.map_err(IpcError::from)
}

#[tauri::command]
pub async fn history_run(state: State<'_, AppState>, run_id: RunId) -> Result<RunDetail, IpcError> {
    let store = state.history.get()?;
    store.run(run_id).await.map_err(IpcError::from)
}

#[tauri::command]
pub async fn history_operations(
    state: State<'_, AppState>,
    run_id: RunId,
    page: OperationPage,
) -> Result<Vec<Operation>, IpcError> {
    let store = state.history.get()?;
    store.operations(run_id, page).await.map_err(IpcError::from)
}

/// The journal of an apply (or provision) run, in plan order: every planned step with where it
/// got to. Empty for other run kinds and for applies recorded before the journal existed.
#[tauri::command]
pub async fn history_steps(
    state: State<'_, AppState>,
    run_id: RunId,
) -> Result<Vec<ApplyStep>, IpcError> {
    let store = state.history.get()?;
    store.steps(run_id).await.map_err(IpcError::from)
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
        .map_err(IpcError::from)
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
        .map_err(IpcError::from)
}

/// One run as JSON or CSV, with the dialog filter's name and the extension; saved by
/// `export_save` (commands/files.rs), never handed to the window to write.
pub(crate) async fn export_run(
    state: &AppState,
    run_id: RunId,
    format: HistoryExportFormat,
) -> Result<(String, &'static str, &'static str), IpcError> {
    let store = state.history.get()?;
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

async fn prune(store: &History, retention: Retention) -> u64 {
    match store.apply_retention(retention).await {
        Ok(n) => {
            if n > 0 {
                tracing::info!(removed = n, ?retention, "history pruned");
            }
            n
        }
        Err(e) => {
            tracing::warn!(error = %e, "history retention could not be applied");
            0
        }
    }
}

/// The saved history retention; `None` keeps everything.
#[tauri::command]
pub fn history_retention_get(state: State<'_, AppState>) -> Result<Option<Retention>, IpcError> {
    config::load_history_retention(&state.data_dir)
        .map_err(|e| IpcError::from(engine::Error::from(e)))
}

/// Saves the retention (`None` keeps everything) and applies it at once; returns how many runs
/// were removed now. Runs still in progress are never removed.
#[tauri::command]
pub async fn history_retention_set(
    state: State<'_, AppState>,
    retention: Option<Retention>,
) -> Result<u64, IpcError> {
    set_retention(&state.data_dir, &state.history, retention).await
}

async fn set_retention(
    data_dir: &Path,
    history: &HistoryState,
    retention: Option<Retention>,
) -> Result<u64, IpcError> {
    check_retention(retention)?;
    config::save_history_retention(data_dir, retention)
        .map_err(|e| IpcError::from(engine::Error::from(e)))?;
    *history.retention.lock().unwrap_or_else(|e| e.into_inner()) = retention;
    match (retention, history.store()) {
        (Some(r), Some(store)) => store.apply_retention(r).await.map_err(IpcError::from),
        _ => Ok(0),
    }
}

/// Zero would delete the whole history; a mistyped huge number is harmless (keeps everything).
fn check_retention(retention: Option<Retention>) -> Result<(), IpcError> {
    match retention {
        Some(Retention::KeepDays(0)) => Err(IpcError::new(
            ErrorCode::InvalidInput,
            "Keep at least 1 day of history.",
        )),
        Some(Retention::KeepRuns(0)) => Err(IpcError::new(
            ErrorCode::InvalidInput,
            "Keep at least 1 run.",
        )),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use history::{NewRun, RunCounts, RunKind, RunOutcome};

    /// A fresh folder under the system temp dir, removed on drop.
    struct TempDir(PathBuf);
    impl TempDir {
        fn new(name: &str) -> Self {
            let nanos = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_nanos();
            let dir = std::env::temp_dir().join(format!(
                "scim-companion-{name}-{}-{nanos}",
                std::process::id()
            ));
            std::fs::create_dir_all(&dir).unwrap();
            Self(dir)
        }
        fn path(&self) -> &Path {
            &self.0
        }
    }
    impl Drop for TempDir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    async fn record(store: &History, n: usize) {
        for i in 0..n {
            let id = store
                .start_run(NewRun::new(
                    RunKind::TestConnection,
                    "t1",
                    "Target",
                    "0.1.0",
                ))
                .await
                .unwrap();
            store
                .finish_run(
                    id,
                    RunOutcome::Succeeded,
                    &RunCounts::default(),
                    &format!("run {i}"),
                )
                .await
                .unwrap();
        }
    }

    async fn count(store: &History) -> usize {
        store
            .list_runs(&RunFilter::default(), RunPage::first(100))
            .await
            .unwrap()
            .len()
    }

    #[test]
    fn saved_retention_is_applied_at_start_after_runs_and_on_save() {
        let dir = TempDir::new("retention");
        let state = HistoryState::open(dir.path());
        let store = state.store().unwrap();
        tauri::async_runtime::block_on(async {
            record(&store, 5).await;
            // Nothing saved: keep everything.
            state.after_run().await;
            assert_eq!(count(&store).await, 5);

            // Saving prunes at once and reports how many runs went.
            let removed = set_retention(dir.path(), &state, Some(Retention::KeepRuns(3)))
                .await
                .unwrap();
            assert_eq!(removed, 2);
            assert_eq!(count(&store).await, 3);
            assert_eq!(
                config::load_history_retention(dir.path()).unwrap(),
                Some(Retention::KeepRuns(3))
            );

            // Later runs are pruned after they are recorded.
            record(&store, 2).await;
            state.after_run().await;
            assert_eq!(count(&store).await, 3);
        });
        drop(store);
        drop(state);

        // The next start reads the saved setting and prunes before anything else.
        config::save_history_retention(dir.path(), Some(Retention::KeepRuns(1))).unwrap();
        let reopened = HistoryState::open(dir.path());
        let store = reopened.store().unwrap();
        tauri::async_runtime::block_on(async {
            assert_eq!(count(&store).await, 1);
            // Back to keeping everything: nothing more is removed.
            assert_eq!(set_retention(dir.path(), &reopened, None).await.unwrap(), 0);
            record(&store, 2).await;
            reopened.after_run().await;
            assert_eq!(count(&store).await, 3);
        });
        assert_eq!(config::load_history_retention(dir.path()).unwrap(), None);
    }

    #[test]
    fn zero_is_refused_and_nothing_is_saved() {
        let dir = TempDir::new("retention-zero");
        let state = HistoryState::open(dir.path());
        for bad in [Retention::KeepRuns(0), Retention::KeepDays(0)] {
            let err = tauri::async_runtime::block_on(set_retention(dir.path(), &state, Some(bad)))
                .unwrap_err();
            assert_eq!(err.code, ErrorCode::InvalidInput);
        }
        assert!(!config::settings_path(dir.path()).exists());
    }

    #[test]
    fn a_damaged_settings_file_is_not_overwritten() {
        let dir = TempDir::new("retention-damaged");
        std::fs::write(config::settings_path(dir.path()), "{oops").unwrap();
        // Start-up keeps every run rather than guessing.
        let state = HistoryState::open(dir.path());
        assert!(state.store().is_some());
        let err = tauri::async_runtime::block_on(set_retention(
            dir.path(),
            &state,
            Some(Retention::KeepDays(30)),
        ))
        .unwrap_err();
        assert_eq!(err.code, ErrorCode::Storage);
        assert_eq!(
            std::fs::read_to_string(config::settings_path(dir.path())).unwrap(),
            "{oops"
        );
    }
}
