//! Saving exports: one command that takes *what* to export, computes it here, opens the save
//! dialog from Rust and writes only to the path that dialog returned. The window supplies
//! neither a path nor file contents, so a script in it cannot write `~/.bashrc`.
//!
//! Test seam: a debug build started with `SCIM_COMPANION_TEST_SAVE_DIALOG=1` (read once at
//! start) answers the "dialog" with `<data folder>/test-saves/<suggested name>` instead of
//! showing it, because E2E tests cannot click a native dialog. Release builds do not compile
//! the seam: they ignore the variable and always show the dialog.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use ipc::{DiffExportFormat, ErrorCode, ExportRequest, IpcError};
use tauri::{AppHandle, State};
use tauri_plugin_dialog::DialogExt;

use crate::state::AppState;

/// The folder, inside the data folder, where the test seam's "dialog" saves.
pub const TEST_SAVES_DIR: &str = "test-saves";

/// Whether the test seam is on: only in debug builds, and only when set at process start.
static TEST_SEAM: OnceLock<bool> = OnceLock::new();

/// Reads the seam's variable once, at start, so nothing later can switch it on.
pub fn init_test_seam() {
    TEST_SEAM.get_or_init(|| {
        cfg!(debug_assertions)
            && std::env::var_os("SCIM_COMPANION_TEST_SAVE_DIALOG").is_some_and(|v| v == "1")
    });
}

fn test_seam_on() -> bool {
    cfg!(debug_assertions) && TEST_SEAM.get().copied().unwrap_or(false)
}

/// One export, ready to save: the dialog's title, suggested name and filter, and the bytes.
struct Export {
    title: String,
    file_name: String,
    filter: (&'static str, &'static str),
    contents: String,
}

/// Computes the export, asks where to save it (the dialog opened here), and writes it there.
/// Returns the path written, or `None` when the admin cancelled the dialog.
#[tauri::command]
pub async fn export_save(
    app: AppHandle,
    state: State<'_, AppState>,
    request: ExportRequest,
) -> Result<Option<String>, IpcError> {
    let export = compute(&state, request).await?;
    let Some(path) = ask_path(&app, state.data_dir(), &export).await? else {
        return Ok(None);
    };
    let shown = path.display().to_string();
    tokio::fs::write(&path, export.contents)
        .await
        .map_err(|e| IpcError::file_write(&shown, &e))?;
    Ok(Some(shown))
}

async fn compute(state: &AppState, request: ExportRequest) -> Result<Export, IpcError> {
    match request {
        ExportRequest::Diff { target_id, format } => {
            let report = state.workspace().last_diff(&target_id)?;
            let (filter, ext) = match format {
                DiffExportFormat::Csv => ("CSV", "csv"),
                DiffExportFormat::Json => ("JSON", "json"),
                DiffExportFormat::Html => ("HTML report", "html"),
            };
            Ok(Export {
                title: format!("Save the diff of {}", report.target_name),
                file_name: format!(
                    "scim-diff-{}-{}.{ext}",
                    safe_name(&target_id),
                    chrono::Local::now().format("%Y-%m-%d")
                ),
                filter: (filter, ext),
                contents: report.export(format.into()),
            })
        }
        ExportRequest::HistoryRun { run_id, format } => {
            let (contents, filter, ext) =
                crate::commands::history::export_run(state, history::RunId(run_id), format).await?;
            Ok(Export {
                title: format!("Export run #{run_id}"),
                file_name: format!("scim-companion-run-{run_id}.{ext}"),
                filter: (filter, ext),
                contents,
            })
        }
        ExportRequest::SamlXml {
            mappings,
            user_id,
            options,
        } => {
            let workspace = state.workspace();
            let directory = workspace.directory();
            let xml = match user_id.as_deref().filter(|id| !id.is_empty()) {
                Some(id) => {
                    let user = directory
                        .user(id)
                        .ok_or_else(|| IpcError::unknown_user(id))?;
                    saml::render_for_user(&mappings, &engine::saml::user_values(user), &options)
                }
                None => saml::render_template(&mappings, &options),
            }
            .map_err(|e| IpcError::new(ErrorCode::InvalidInput, e.to_string()))?;
            Ok(Export {
                title: "Save the AccessControl XML".to_owned(),
                file_name: "access-control-attributes.xml".to_owned(),
                filter: ("XML", "xml"),
                contents: xml,
            })
        }
    }
}

/// A target id as part of a suggested file name (the dialog lets the admin change it).
fn safe_name(id: &str) -> String {
    id.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect()
}

/// The path the save dialog returned, or `None` when cancelled.
async fn ask_path(
    app: &AppHandle,
    data_dir: &Path,
    export: &Export,
) -> Result<Option<PathBuf>, IpcError> {
    if test_seam_on() {
        let dir = data_dir.join(TEST_SAVES_DIR);
        std::fs::create_dir_all(&dir)
            .map_err(|e| IpcError::file_write(&dir.display().to_string(), &e))?;
        return Ok(Some(dir.join(&export.file_name)));
    }
    let (tx, rx) = tokio::sync::oneshot::channel();
    app.dialog()
        .file()
        .set_title(&export.title)
        .set_file_name(&export.file_name)
        .add_filter(export.filter.0, &[export.filter.1])
        .save_file(move |path| {
            let _ = tx.send(path);
        });
    let Some(chosen) = rx.await.ok().flatten() else {
        return Ok(None);
    };
    chosen.into_path().map(Some).map_err(|e| {
        IpcError::new(
            ErrorCode::InvalidInput,
            format!("The save dialog returned a location that is not a file path: {e}"),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggested_names_cannot_leave_the_chosen_folder() {
        assert_eq!(safe_name("../../.bashrc"), "-------bashrc");
        assert_eq!(safe_name("aws-prod_1"), "aws-prod_1");
        assert_eq!(safe_name("a/b c"), "a-b-c");
    }
}
