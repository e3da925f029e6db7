//! Diff commands: run (streaming progress, cancellable), then page rows, open a row's detail and
//! export (commands/files.rs), all from the report the engine keeps, so the target is read once per run.

use engine::diff::{DriftRow, DriftRowKind, DriftRowState};
use ipc::{
    DiffAttrChange, DiffDetail, DiffKind, DiffPhase, DiffProgress, DiffReason, DiffRowQuery,
    DiffRowsPage, DiffState, DiffStateCount, DiffSummary, IpcError,
};
use tauri::ipc::Channel;
use tauri::State;

use crate::error::to_ipc_error;
use crate::state::AppState;

/// The most rows one `diff_rows` call returns; the table asks page by page.
const MAX_PAGE: u32 = 2_000;

/// Reads the whole target and compares it with JumpCloud; progress arrives on `on_progress`.
/// Every run is recorded in the local history.
#[tauri::command]
pub async fn diff_run(
    state: State<'_, AppState>,
    target_id: String,
    on_progress: Channel<DiffProgress>,
) -> Result<DiffSummary, IpcError> {
    // Reads JumpCloud first when the workspace has not; recorded into the history (finished,
    // failed or cancelled) with the retention applied afterwards.
    let report = state
        .diff(&target_id, |event| {
            // A closed window drops the channel; the run itself carries on.
            let _ = on_progress.send(progress_dto(&event));
        })
        .await
        .map_err(|e| to_ipc_error(&e))?;
    Ok(summary_dto(&report))
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
        Ok(report) => Ok(Some(summary_dto(&report))),
        Err(engine::Error::NoDiff(_)) => Ok(None),
        Err(e) => Err(to_ipc_error(&e)),
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
    let report = state
        .workspace()
        .last_diff(&target_id)
        .map_err(|e| to_ipc_error(&e))?;
    let query = engine::RowQuery {
        states: query.states.into_iter().map(state_core).collect(),
        kinds: query.kinds.into_iter().map(kind_core).collect(),
        search: query.search,
        attribute: query.attribute.filter(|a| !a.is_empty()),
        group: query.group.filter(|g| !g.is_empty()),
    };
    let (total, rows) = report.query(&query, offset as usize, limit.min(MAX_PAGE) as usize);
    Ok(DiffRowsPage {
        total: total as u32,
        offset,
        rows: rows.into_iter().map(row_dto).collect(),
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
    let detail = state
        .workspace()
        .diff_detail(&target_id, kind_core(kind), &row_key)
        .map_err(|e| to_ipc_error(&e))?;
    Ok(DiffDetail {
        row: row_dto(&detail.row),
        jumpcloud: detail.jumpcloud,
        expected: detail.expected,
        actual: detail.actual,
        changes: detail
            .changes
            .into_iter()
            .map(|c| DiffAttrChange {
                path: c.path,
                expected: c.expected,
                actual: c.actual,
            })
            .collect(),
        reasons: detail
            .reasons
            .into_iter()
            .map(|r| DiffReason {
                code: r.code,
                text: r.text,
            })
            .collect(),
    })
}

fn progress_dto(event: &engine::DiffEvent) -> DiffProgress {
    let p = match event {
        engine::DiffEvent::JumpCloud(read) => {
            return DiffProgress {
                phase: DiffPhase::JumpCloud,
                users_read: 0,
                users_total: None,
                groups_read: 0,
                groups_total: None,
                requests: 0,
                jumpcloud: Some(crate::commands::directory::progress_dto(read)),
            }
        }
        engine::DiffEvent::Target(p) => p,
    };
    let small = |n: u64| u32::try_from(n).unwrap_or(u32::MAX);
    DiffProgress {
        phase: match p.phase {
            engine::DiffPhase::Reading => DiffPhase::Reading,
            engine::DiffPhase::Memberships => DiffPhase::Memberships,
            engine::DiffPhase::Comparing => DiffPhase::Comparing,
            engine::DiffPhase::Done => DiffPhase::Done,
        },
        users_read: small(p.users_read),
        users_total: p.users_total.map(small),
        groups_read: small(p.groups_read),
        groups_total: p.groups_total.map(small),
        requests: small(p.requests),
        jumpcloud: None,
    }
}

fn summary_dto(report: &engine::DiffReport) -> DiffSummary {
    let finished = report
        .finished_at
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    DiffSummary {
        target_id: report.target_id.clone(),
        target_name: report.target_name.clone(),
        counts: report
            .counts()
            .into_iter()
            .map(|(state, c)| DiffStateCount {
                state: state_dto(state),
                users: c.users,
                groups: c.groups,
                memberships: c.memberships,
            })
            .collect(),
        total_rows: report.rows.len() as u32,
        drifted: report.drifted() as u32,
        duration_ms: report.duration.as_millis() as u64,
        requests: report.requests,
        finished_at: chrono::DateTime::from_timestamp(finished, 0)
            .map(|t| t.to_rfc3339())
            .unwrap_or_default(),
        attributes: report.changed_attributes(),
    }
}

fn row_dto(row: &DriftRow) -> ipc::DiffRow {
    ipc::DiffRow {
        kind: kind_dto(row.kind),
        state: state_dto(row.state),
        key: row.key.clone(),
        label: row.label.clone(),
        reason_code: serde_json::to_value(row.reason_code)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default(),
        reason: row.reason.clone(),
        changed_attributes: row.changed_attributes.clone(),
        source_id: row.source_id.clone(),
        target_id: row.target_id.clone(),
    }
}

fn state_dto(s: DriftRowState) -> DiffState {
    match s {
        DriftRowState::InSync => DiffState::InSync,
        DriftRowState::Missing => DiffState::Missing,
        DriftRowState::Changed => DiffState::Changed,
        DriftRowState::Conflict => DiffState::Conflict,
        DriftRowState::Deactivate => DiffState::Deactivate,
        DriftRowState::Ineligible => DiffState::Ineligible,
        DriftRowState::Extra => DiffState::Extra,
        DriftRowState::Unmanaged => DiffState::Unmanaged,
        DriftRowState::Disabled => DiffState::Disabled,
        DriftRowState::Decision => DiffState::Decision,
        DriftRowState::LeftAsIs => DiffState::LeftAsIs,
    }
}

fn state_core(s: DiffState) -> DriftRowState {
    match s {
        DiffState::InSync => DriftRowState::InSync,
        DiffState::Missing => DriftRowState::Missing,
        DiffState::Changed => DriftRowState::Changed,
        DiffState::Conflict => DriftRowState::Conflict,
        DiffState::Deactivate => DriftRowState::Deactivate,
        DiffState::Ineligible => DriftRowState::Ineligible,
        DiffState::Extra => DriftRowState::Extra,
        DiffState::Unmanaged => DriftRowState::Unmanaged,
        DiffState::Disabled => DriftRowState::Disabled,
        DiffState::Decision => DriftRowState::Decision,
        DiffState::LeftAsIs => DriftRowState::LeftAsIs,
    }
}

fn kind_dto(k: DriftRowKind) -> DiffKind {
    match k {
        DriftRowKind::User => DiffKind::User,
        DriftRowKind::Group => DiffKind::Group,
        DriftRowKind::Membership => DiffKind::Membership,
    }
}

fn kind_core(k: DiffKind) -> DriftRowKind {
    match k {
        DiffKind::User => DriftRowKind::User,
        DiffKind::Group => DriftRowKind::Group,
        DiffKind::Membership => DriftRowKind::Membership,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn states_and_kinds_round_trip() {
        for s in [
            DiffState::InSync,
            DiffState::Missing,
            DiffState::Changed,
            DiffState::Conflict,
            DiffState::Deactivate,
            DiffState::Ineligible,
            DiffState::Extra,
        ] {
            assert_eq!(state_dto(state_core(s)), s);
        }
        for k in [DiffKind::User, DiffKind::Group, DiffKind::Membership] {
            assert_eq!(kind_dto(kind_core(k)), k);
        }
    }
}
