//! History DTOs the core `history` crate does not already export to TypeScript.
//! Runs, operations, drift points and deltas cross the boundary as the core types
//! (generated into `ui/src/bindings/history/`).

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::IpcError;

/// Where the history database is, and why it is unavailable if it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct HistoryInfo {
    pub path: String,
    /// Set when the file could not be opened; the rest of the app works without history.
    pub error: Option<IpcError>,
}

/// File format of a run export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum HistoryExportFormat {
    Json,
    Csv,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn export_format_is_lowercase_on_the_wire() {
        assert_eq!(
            serde_json::to_value(HistoryExportFormat::Csv).unwrap(),
            "csv"
        );
        let f: HistoryExportFormat = serde_json::from_value("json".into()).unwrap();
        assert_eq!(f, HistoryExportFormat::Json);
    }
}
