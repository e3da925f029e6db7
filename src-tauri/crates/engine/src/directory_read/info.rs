//! What a workspace keeps about its directory read. Apart from the reading itself so that the
//! workspace can hold it without depending on the read (which works on the workspace).

use chrono::{DateTime, Utc};

use crate::config::JumpCloudSettings;

/// A JumpCloud connection without its bookkeeping (when the key was saved): two reads came from
/// the same directory when these are equal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Connection {
    pub region: jumpcloud::Region,
    pub org_id: Option<String>,
    pub base_url: Option<String>,
}

impl From<&JumpCloudSettings> for Connection {
    fn from(s: &JumpCloudSettings) -> Self {
        Connection {
            region: s.region,
            org_id: s.org_id.clone(),
            base_url: s.base_url.clone(),
        }
    }
}

/// Whether the directory has been read, for Home and the Diff page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DirectoryStatus {
    /// True for a configured workspace whose directory was never read successfully: no diff
    /// runs until it is.
    pub needs_read: bool,
    /// When the directory was last read from JumpCloud (`None` for the demo and before a read).
    pub read_at: Option<DateTime<Utc>>,
}

/// What a workspace knows about its directory, kept beside it.
#[derive(Debug, Clone)]
pub(crate) struct ReadInfo {
    /// `None` for the demo's generated directory.
    pub read_at: Option<DateTime<Utc>>,
    /// The applications read; empty = all.
    pub apps: Vec<String>,
    pub connection: Option<Connection>,
}

impl ReadInfo {
    /// The demo's directory: present from the start, never read from JumpCloud.
    pub(crate) fn preloaded() -> Self {
        ReadInfo {
            read_at: None,
            apps: Vec::new(),
            connection: None,
        }
    }

    pub(super) fn covers(&self, app_id: &str) -> bool {
        self.apps.is_empty() || self.apps.iter().any(|a| a == app_id)
    }
}

/// "JumpCloud (US region, organization 5f...)" for the directory summary.
pub(crate) fn describe(settings: Option<&JumpCloudSettings>, state: &str) -> String {
    match settings {
        Some(j) => format!(
            "JumpCloud ({} region{}), {state}",
            match j.region {
                jumpcloud::Region::Us => "US",
                jumpcloud::Region::Eu => "EU",
            },
            j.org_id
                .as_deref()
                .map(|o| format!(", organization {o}"))
                .unwrap_or_default()
        ),
        None => "No JumpCloud connection yet".to_owned(),
    }
}
