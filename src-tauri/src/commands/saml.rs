//! The SAML AccessControl builder: fields and users to pick from, one build (XML, issues,
//! JumpCloud mapping rows) per edit and the value check over the whole directory; saving the
//! XML is `export_save` (commands/files.rs).
//! The `saml` crate's own types go to the UI as they are (their TypeScript is generated in
//! `bindings/saml/`); the engine flattens JumpCloud users for it.

use engine::saml as builder;
use ipc::{IpcError, SamlBuild, SamlField, SamlUserOption};
use saml::{Mapping, Preset, RenderOptions, ValueReport};
use tauri::State;

use crate::state::AppState;

/// Per-mapping user lists sent to the UI are cut here; the counts stay complete.
const MAX_PROBLEMS_PER_MAPPING: usize = 200;

/// The picker never needs more users than this at once; the admin narrows with the search.
const MAX_USER_OPTIONS: u32 = 500;

/// Every field of the directory, standard ones first, with how many users have a value.
#[tauri::command]
pub async fn saml_fields(state: State<'_, AppState>) -> Result<Vec<SamlField>, IpcError> {
    let workspace = state.workspace();
    let fields = builder::available_fields(workspace.directory());
    Ok(fields.into_iter().map(SamlField::from).collect())
}

/// Common mappings offered as one-click starting points.
#[tauri::command]
pub fn saml_presets() -> Vec<Preset> {
    saml::presets()
}

/// Users matching `search` in username, email or display name (all when empty).
#[tauri::command]
pub async fn saml_users(
    state: State<'_, AppState>,
    search: Option<String>,
    limit: Option<u32>,
) -> Result<Vec<SamlUserOption>, IpcError> {
    let limit = limit.unwrap_or(MAX_USER_OPTIONS).min(MAX_USER_OPTIONS) as usize;
    let workspace = state.workspace();
    let directory = workspace.directory();
    Ok(
        builder::search_users(directory, search.as_deref().unwrap_or(""), limit)
            .into_iter()
            .map(SamlUserOption::from)
            .collect(),
    )
}

/// The statement for the mappings: placeholders without a user, that user's values with one.
/// Validation findings are data in the answer, not errors, so the preview keeps working while
/// the admin types; only an unknown user id fails. `console_keys` are the keys the admin says
/// are also set on Identity Center's "Attributes for access control" page: AWS uses those
/// values instead of the SAML ones, so each match is a warning.
#[tauri::command]
pub async fn saml_build(
    state: State<'_, AppState>,
    mappings: Vec<Mapping>,
    user_id: Option<String>,
    options: RenderOptions,
    console_keys: Option<Vec<String>>,
) -> Result<SamlBuild, IpcError> {
    let workspace = state.workspace();
    let user = match user_id.as_deref().filter(|id| !id.is_empty()) {
        Some(id) => Some(
            workspace
                .directory()
                .user(id)
                .ok_or_else(|| IpcError::unknown_user(id))?,
        ),
        None => None,
    };
    let keys = console_keys.unwrap_or_default();
    Ok(builder::build(&mappings, user, &options, &keys).into())
}

/// Checks every user's value for every mapping ("12 users have no department").
#[tauri::command]
pub async fn saml_check_values(
    state: State<'_, AppState>,
    mappings: Vec<Mapping>,
) -> Result<ValueReport, IpcError> {
    let workspace = state.workspace();
    // A large directory takes a moment; keep it off the async workers.
    tauri::async_runtime::spawn_blocking(move || {
        builder::check_directory_values(&mappings, workspace.directory(), MAX_PROBLEMS_PER_MAPPING)
    })
    .await
    .map_err(|e| IpcError::new(ipc::ErrorCode::Internal, e.to_string()))
}
