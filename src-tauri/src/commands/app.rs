use tauri::State;

use crate::state::AppState;

#[tauri::command]
pub fn app_info(state: State<'_, AppState>) -> ipc::AppInfo {
    ipc::AppInfo {
        name: "SCIM Companion".into(),
        version: env!("CARGO_PKG_VERSION").into(),
        mode: match state.workspace.mode() {
            engine::WorkspaceMode::Demo => ipc::WorkspaceMode::Demo,
            engine::WorkspaceMode::Configured => ipc::WorkspaceMode::Configured,
        },
        data_dir: state.data_dir.display().to_string(),
    }
}
