use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Whether the app runs on the demo or the admin's configuration, and a target's kind, cross
/// as the engine's and the target profiles' own types (no mirror to keep in step).
pub use engine::WorkspaceMode;
pub use targets::Kind as TargetKind;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AppInfo {
    pub name: String,
    pub version: String,
    pub mode: WorkspaceMode,
    /// Folder with settings and the history database.
    pub data_dir: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum StatusState {
    /// The last check reached the target and it answered as SCIM.
    Ok,
    /// The last check failed; `detail` says why.
    Error,
    /// Not checked yet.
    Unknown,
}

/// Result of the last connection check against a target.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct TargetStatus {
    pub state: StatusState,
    pub detail: String,
    pub hint: Option<String>,
    /// RFC 3339 time of the check.
    pub checked_at: Option<String>,
    #[ts(type = "number | null")]
    pub latency_ms: Option<u64>,
    #[ts(type = "number | null")]
    pub user_count: Option<u64>,
    #[ts(type = "number | null")]
    pub group_count: Option<u64>,
}

/// One target on the Home page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct TargetCard {
    pub id: String,
    pub name: String,
    pub kind: TargetKind,
    pub base_url: String,
    /// True for the demo's loopback simulators.
    pub simulated: bool,
    pub status: TargetStatus,
    /// Set when the target's token is near or past its expected expiry.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub token_warning: Option<String>,
}

/// What the app knows about the JumpCloud side.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DirectorySummary {
    /// Source and counts; on the wire their fields sit beside the two below.
    #[serde(flatten)]
    #[ts(flatten)]
    pub summary: engine::DirectorySummary,
    /// True for a configured workspace whose JumpCloud directory was never read successfully:
    /// no diff runs until it is.
    #[serde(default)]
    pub needs_read: bool,
    /// RFC 3339 time of the last successful JumpCloud read (none for the demo).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub read_at: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct HomeOverview {
    pub directory: DirectorySummary,
    pub targets: Vec<TargetCard>,
}

impl TargetStatus {
    /// A target listed without checking it (pickers send no SCIM request).
    pub fn unchecked() -> Self {
        TargetStatus {
            state: StatusState::Unknown,
            detail: "Not checked on this page.".into(),
            hint: None,
            checked_at: None,
            latency_ms: None,
            user_count: None,
            group_count: None,
        }
    }

    /// The result of a connection check made at `checked_at` (RFC 3339); a failure shows the
    /// same message and hint as the error would.
    pub fn checked(check: &engine::Result<engine::ConnectionReport>, checked_at: String) -> Self {
        let checked_at = Some(checked_at);
        match check {
            Ok(report) => TargetStatus {
                state: StatusState::Ok,
                detail: report.summary(),
                hint: None,
                checked_at,
                latency_ms: Some(report.latency.as_millis() as u64),
                user_count: report.user_count,
                group_count: report.group_count,
            },
            Err(error) => {
                let ipc = crate::IpcError::from(error);
                TargetStatus {
                    state: StatusState::Error,
                    detail: ipc.message,
                    hint: ipc.hint,
                    checked_at,
                    latency_ms: None,
                    user_count: None,
                    group_count: None,
                }
            }
        }
    }
}

impl TargetCard {
    /// A target on Home with its status; the token warning is set by the caller, which knows
    /// the date.
    pub fn new(target: &engine::TargetInfo, status: TargetStatus) -> Self {
        TargetCard {
            id: target.id.clone(),
            name: target.name.clone(),
            kind: target.kind,
            base_url: target.base_url.clone(),
            simulated: target.simulated,
            status,
            token_warning: None,
        }
    }
}

#[cfg(test)]
mod tests {
    /// The window names each kind as the engine, the CLI and the wizard do: the labels in
    /// `ui/src/lib/format.ts` are the engine's display names, one per wire name.
    #[test]
    fn the_windows_kind_labels_are_the_engines_display_names() {
        let path =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../ui/src/lib/format.ts");
        let text = std::fs::read_to_string(&path).unwrap();
        let block = text
            .split("const KIND_LABELS: Record<TargetKind, string> = {")
            .nth(1)
            .and_then(|rest| rest.split("};").next())
            .expect("KIND_LABELS in format.ts");
        let labels: std::collections::BTreeMap<&str, &str> = block
            .lines()
            .filter_map(|l| l.trim().strip_suffix(','))
            .filter_map(|l| l.split_once(": "))
            .map(|(k, v)| (k.trim(), v.trim_matches('\'')))
            .collect();
        for kind in targets::Kind::ALL {
            let wire = serde_json::to_value(kind).unwrap();
            let wire = wire.as_str().unwrap();
            assert_eq!(
                labels.get(wire).copied(),
                Some(kind.display_name()),
                "{wire}"
            );
        }
        assert_eq!(labels.len(), targets::Kind::ALL.len());
    }
}
