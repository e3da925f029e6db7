//! The workspace: one JumpCloud directory and the SCIM targets the admin compares it with.

use crate::connection::{self, ConnectionReport};
use crate::error::{Error, Result};

/// Demo until the admin configures JumpCloud and a target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WorkspaceMode {
    Demo,
    Configured,
}

/// A target as the UI and CLI list it. Credentials are not here: they stay inside the client.
#[derive(Debug, Clone)]
pub struct TargetInfo {
    pub id: String,
    pub name: String,
    pub kind: targets::Kind,
    pub base_url: String,
    /// True for the demo's loopback simulators.
    pub simulated: bool,
}

/// Counts for the Home page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DirectorySummary {
    pub source: String,
    pub users: u32,
    pub groups: u32,
    pub suspended_users: u32,
    pub applications: u32,
}

pub(crate) struct Target {
    pub info: TargetInfo,
    /// One client per target so connections are reused across calls.
    pub client: scim::Client,
    /// The JumpCloud application whose scope this target receives.
    pub app_id: String,
    /// The admin's choices for this target (group management, domains).
    pub settings: targets::Settings,
}

pub struct Workspace {
    pub(crate) mode: WorkspaceMode,
    pub(crate) directory_source: String,
    pub(crate) directory: jumpcloud::Directory,
    pub(crate) targets: Vec<Target>,
    /// The last diff per target and the cancel switches of running ones.
    pub(crate) diffs: crate::diff::DiffStore,
    /// Keeps the demo's simulators alive as long as the workspace.
    pub(crate) _demo: Option<crate::demo::DemoRuntime>,
}

impl Workspace {
    pub fn mode(&self) -> WorkspaceMode {
        self.mode
    }

    pub fn directory(&self) -> &jumpcloud::Directory {
        &self.directory
    }

    pub fn directory_summary(&self) -> DirectorySummary {
        let d = &self.directory;
        DirectorySummary {
            source: self.directory_source.clone(),
            users: d.users.len() as u32,
            groups: d.groups.len() as u32,
            suspended_users: d.users.iter().filter(|u| u.suspended).count() as u32,
            applications: d.applications.len() as u32,
        }
    }

    pub fn targets(&self) -> Vec<TargetInfo> {
        self.targets.iter().map(|t| t.info.clone()).collect()
    }

    pub fn target(&self, id: &str) -> Option<&TargetInfo> {
        self.find(id).ok().map(|t| &t.info)
    }

    pub(crate) fn find(&self, id: &str) -> Result<&Target> {
        self.targets
            .iter()
            .find(|t| t.info.id == id)
            .ok_or_else(|| Error::UnknownTarget(id.to_owned()))
    }

    /// Read-only check: discovery and user/group totals.
    pub async fn test_connection(&self, id: &str) -> Result<ConnectionReport> {
        connection::check(&self.find(id)?.client).await
    }
}
