//! Saving exports and keeping UI preferences: what the window may ask for.
//!
//! The window never names a path or supplies file contents: [`ExportRequest`] says *what* to
//! export, the shell computes it and opens the save dialog itself, and writes only where the
//! dialog answered.

use std::collections::BTreeMap;

use saml::{Mapping, RenderOptions};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::diff::{DiffExportFormat, DiffKind};
use crate::history::HistoryExportFormat;

/// What `export_save` computes and saves.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[ts(export)]
pub enum ExportRequest {
    /// The target's last diff, as CSV, JSON or HTML.
    Diff {
        target_id: String,
        format: DiffExportFormat,
    },
    /// One history run with its operations, as JSON or CSV.
    HistoryRun {
        #[ts(type = "number")]
        run_id: i64,
        format: HistoryExportFormat,
    },
    /// The SAML AccessControl statement being built (placeholders, or one user's values).
    SamlXml {
        mappings: Vec<Mapping>,
        user_id: Option<String>,
        options: RenderOptions,
    },
}

/// UI preferences, kept by tauri-plugin-store in `ui-preferences.json` of their own (never in
/// settings.json), read and written only through `prefs_get` / `prefs_set`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, TS)]
#[serde(default)]
#[ts(export)]
pub struct UiPreferences {
    /// The target last chosen on the Diff and Plan pages.
    pub last_target: Option<String>,
    /// Diff page: also list the rows that are in sync (hidden by default).
    pub diff_show_in_sync: bool,
    /// Diff page: the row kind shown last.
    pub diff_kind: Option<DiffKind>,
    /// Column widths in pixels, by table and column id.
    pub column_widths: BTreeMap<String, BTreeMap<String, u32>>,
}
