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
    /// Where the directory came from, e.g. "Demo directory" or "JumpCloud (US)".
    pub source: String,
    pub users: u32,
    pub groups: u32,
    pub suspended_users: u32,
    pub applications: u32,
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
