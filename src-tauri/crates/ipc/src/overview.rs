use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Whether the app runs on the embedded demo or on the admin's own configuration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum WorkspaceMode {
    Demo,
    Configured,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AppInfo {
    pub name: String,
    pub version: String,
    pub mode: WorkspaceMode,
    /// Folder with settings and the history database.
    pub data_dir: String,
}

/// The SCIM service providers the app knows how to talk to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum TargetKind {
    Aws,
    Unity,
    StrongDm,
    Axis,
    Generic,
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

impl From<engine::WorkspaceMode> for WorkspaceMode {
    fn from(mode: engine::WorkspaceMode) -> Self {
        match mode {
            engine::WorkspaceMode::Demo => WorkspaceMode::Demo,
            engine::WorkspaceMode::Configured => WorkspaceMode::Configured,
        }
    }
}

impl From<targets::Kind> for TargetKind {
    fn from(kind: targets::Kind) -> Self {
        match kind {
            targets::Kind::Aws => TargetKind::Aws,
            targets::Kind::Unity => TargetKind::Unity,
            targets::Kind::StrongDm => TargetKind::StrongDm,
            targets::Kind::Axis => TargetKind::Axis,
            targets::Kind::Generic => TargetKind::Generic,
        }
    }
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
            kind: target.kind.into(),
            base_url: target.base_url.clone(),
            simulated: target.simulated,
            status,
            token_warning: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_target_kind_keeps_its_wire_name() {
        for kind in targets::Kind::ALL {
            assert_eq!(
                serde_json::to_value(TargetKind::from(kind)).unwrap(),
                serde_json::to_value(kind).unwrap()
            );
        }
    }

    #[test]
    fn a_failed_check_shows_the_errors_message_and_hint() {
        let status = TargetStatus::checked(
            &Err(engine::Error::UnknownTarget("t9".into())),
            "2026-01-01T00:00:00+00:00".into(),
        );
        assert_eq!(status.state, StatusState::Error);
        assert!(status.detail.contains("t9"));
        assert!(status.hint.is_some());
        assert_eq!(status.latency_ms, None);
    }

    #[test]
    fn a_card_starts_without_a_token_warning() {
        let card = TargetCard::new(
            &engine::TargetInfo {
                id: "t1".into(),
                name: "AWS".into(),
                kind: targets::Kind::Aws,
                base_url: "https://scim.example".into(),
                simulated: true,
            },
            TargetStatus::unchecked(),
        );
        assert_eq!(card.kind, TargetKind::Aws);
        assert_eq!(card.status.state, StatusState::Unknown);
        assert!(card.token_warning.is_none());
    }

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
            let wire = serde_json::to_value(TargetKind::from(kind)).unwrap();
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
