//! Diff commands: run (streaming progress, cancellable), then page rows, open a row's detail and
//! export (commands/files.rs), all from the report the engine keeps, so the target is read once per run.

use ipc::{
    DiffDetail, DiffKind, DiffProgress, DiffRow, DiffRowQuery, DiffRowsPage, DiffSummary, IpcError,
};
use tauri::ipc::Channel;
use tauri::State;

use crate::state::AppState;

/// The most rows one `diff_rows` call returns; the table asks page by page.
const MAX_PAGE: u32 = 2_000;

/// Reads the whole target and compares it with JumpCloud; progress arrives on `on_progress`.
/// JumpCloud is read first when the workspace has not read it; every run is recorded.
#[tauri::command]
pub async fn diff_run(
    state: State<'_, AppState>,
    target_id: String,
    on_progress: Channel<DiffProgress>,
) -> Result<DiffSummary, IpcError> {
    // Reads JumpCloud first when the workspace has not; recorded into the history (finished,
    // failed or cancelled) with the retention applied afterwards.
    let report = state
        .target(&target_id)?
        .diff(|event| {
            // A closed window drops the channel; the run itself carries on.
            let _ = on_progress.send((&event).into());
        })
        .await?;
    Ok(DiffSummary::from(&*report))
}

/// Stops the target's running diff; false when none was running.
#[tauri::command]
pub fn diff_cancel(state: State<'_, AppState>, target_id: String) -> bool {
    state.cancel(engine::JobKind::Diff, &target_id)
}

/// The summary of the target's last diff, if one ran (to show it again on returning to the page).
#[tauri::command]
pub fn diff_summary(
    state: State<'_, AppState>,
    target_id: String,
) -> Result<Option<DiffSummary>, IpcError> {
    match state.workspace().last_diff(&target_id) {
        Ok(report) => Ok(Some(DiffSummary::from(&*report))),
        Err(engine::Error::NoDiff(_)) => Ok(None),
        Err(e) => Err(e.into()),
    }
}

/// One page of the last diff's rows matching `query`, filtered here so the UI never holds all.
#[tauri::command]
pub fn diff_rows(
    state: State<'_, AppState>,
    target_id: String,
    query: DiffRowQuery,
    offset: u32,
    limit: u32,
) -> Result<DiffRowsPage, IpcError> {
    let report = state.workspace().last_diff(&target_id)?;
    let query = engine::RowQuery::from(query);
    let (total, rows) = report.query(&query, offset as usize, limit.min(MAX_PAGE) as usize);
    Ok(DiffRowsPage {
        total: total as u32,
        offset,
        rows: rows.into_iter().map(DiffRow::from).collect(),
    })
}

/// One row with the JumpCloud record, the SCIM payload it maps to and the target's resource.
#[tauri::command]
pub fn diff_detail(
    state: State<'_, AppState>,
    target_id: String,
    row_key: String,
    kind: DiffKind,
) -> Result<DiffDetail, IpcError> {
    let detail = state.workspace().diff_detail(&target_id, kind, &row_key)?;
    Ok(detail.into())
}
