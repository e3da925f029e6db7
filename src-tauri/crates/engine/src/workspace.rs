//! The workspace: one JumpCloud directory and the SCIM targets the admin compares it with.
//!
//! Data only, with its whole API in this file (the deletion guard's accessors are with the
//! guard, in [`crate::guard`]): the directory and whether it was read, the usable and unusable
//! targets, the saved settings, the guard and the last diffs. The work on it lives where it
//! happens: per target through [`crate::TargetWork`] (diff, plan, apply, connection checks),
//! reading JumpCloud as functions of [`crate::directory_read`] that return a new workspace.

use std::sync::Arc;

use crate::diff::{DiffReport, DiffStore, RowDetail};
use crate::directory_read::{DirectoryStatus, ReadInfo};
use crate::error::{Error, Result, TargetProblem};

/// Held by a workspace only to keep it alive, e.g. the demo's loopback simulators: the engine
/// does not know what it is, so it does not depend on the simulators.
pub type KeepAlive = std::sync::Arc<dyn std::any::Any + Send + Sync>;

/// Builds the demo workspace. The engine does not build it itself (that would make it depend on
/// the simulators); the app and the CLI pass `demo::workspace`.
pub type DemoBuilder = fn() -> Result<Workspace>;

/// Demo until the admin configures JumpCloud and a target. Sent to the window as it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
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

/// Counts for the Home page. The UI gets them inside `ipc::DirectorySummary`, hence the derives.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, ts_rs::TS)]
pub struct DirectorySummary {
    /// Where the directory came from, e.g. "Demo directory" or "JumpCloud (US)".
    pub source: String,
    pub users: u32,
    pub groups: u32,
    pub suspended_users: u32,
    pub applications: u32,
}

/// A usable target of a workspace; the demo builds these (see [`Workspace::preloaded`]).
#[derive(Clone)]
pub struct Target {
    pub info: TargetInfo,
    /// One client per target so connections are reused across calls.
    pub client: scim::Client,
    /// The JumpCloud application whose scope this target receives.
    pub app_id: String,
    /// The admin's choices for this target (group management, domains).
    pub settings: targets::Settings,
}

/// A configured target that could not be set up, with the reason.
#[derive(Clone)]
pub(crate) struct UnavailableTarget {
    pub info: TargetInfo,
    pub problem: TargetProblem,
}

pub struct Workspace {
    pub(crate) mode: WorkspaceMode,
    pub(crate) directory_source: String,
    pub(crate) directory: jumpcloud::Directory,
    /// `None` until the directory was read successfully (a configured workspace starts so);
    /// no configured target is diffed before (see [`crate::directory_read`]).
    pub(crate) directory_read: Option<ReadInfo>,
    pub(crate) targets: Vec<Target>,
    /// The last diff per target, and which an apply made stale.
    pub(crate) diffs: DiffStore,
    /// Whatever must outlive the workspace's clients (the demo's simulators); never read.
    pub(crate) _keep_alive: Option<KeepAlive>,
    /// Configured targets that cannot be used (no token, no keychain); listed with the others.
    pub(crate) unavailable: Vec<UnavailableTarget>,
    /// The settings this workspace was opened from; `None` for the demo.
    pub(crate) config: Option<crate::config::WorkspaceConfig>,
    /// The deletion guard limits saved in settings (defaults for the demo); see [`crate::guard`].
    pub(crate) deletion_guard: std::sync::RwLock<drift::plan::DeletionGuard>,
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

    /// Whether the directory has been read (see [`crate::directory_read`]).
    pub fn directory_status(&self) -> DirectoryStatus {
        DirectoryStatus {
            needs_read: self.directory_read.is_none(),
            read_at: self.directory_read.as_ref().and_then(|r| r.read_at),
        }
    }

    /// Replaces the directory and its description. Diffs kept from the previous directory are
    /// dropped: they no longer describe what JumpCloud would push.
    pub fn set_directory(&mut self, directory: jumpcloud::Directory, source: impl Into<String>) {
        self.directory = directory;
        self.directory_source = source.into();
        // Loaded by the caller (a snapshot file, a CSV export): it counts as read.
        self.directory_read = Some(ReadInfo::preloaded());
        self.diffs = Default::default();
    }

    /// Every target, usable or not, in the order of the settings file.
    pub fn targets(&self) -> Vec<TargetInfo> {
        let mut all: Vec<TargetInfo> = self.targets.iter().map(|t| t.info.clone()).collect();
        all.extend(self.unavailable.iter().map(|t| t.info.clone()));
        if let Some(config) = &self.config {
            let at = |id: &str| config.targets.iter().position(|t| t.id == id);
            all.sort_by_key(|t| at(&t.id).unwrap_or(usize::MAX));
        }
        all
    }

    /// Every target's id, in the order of [`Workspace::targets`].
    pub fn target_ids(&self) -> Vec<String> {
        self.targets().into_iter().map(|t| t.id).collect()
    }

    pub fn target(&self, id: &str) -> Option<&TargetInfo> {
        self.targets
            .iter()
            .map(|t| &t.info)
            .chain(self.unavailable.iter().map(|t| &t.info))
            .find(|t| t.id == id)
    }

    /// Why a listed target cannot be used, if it cannot.
    pub fn target_problem(&self, id: &str) -> Option<&TargetProblem> {
        self.unavailable
            .iter()
            .find(|t| t.info.id == id)
            .map(|t| &t.problem)
    }

    /// The saved settings of a configured target (not for demo targets).
    pub fn target_settings(&self, id: &str) -> Option<&crate::config::TargetSettings> {
        self.config.as_ref()?.target(id)
    }

    /// The settings the workspace was opened from; `None` for the demo.
    pub fn config(&self) -> Option<&crate::config::WorkspaceConfig> {
        self.config.as_ref()
    }

    /// A usable target, or why it cannot be used ([`Error::TargetUnavailable`]) or is unknown.
    pub(crate) fn find(&self, id: &str) -> Result<&Target> {
        if let Some(t) = self.targets.iter().find(|t| t.info.id == id) {
            return Ok(t);
        }
        match self.target_problem(id) {
            Some(problem) => Err(Error::TargetUnavailable {
                id: id.to_owned(),
                problem: problem.clone(),
            }),
            None => Err(Error::UnknownTarget(id.to_owned())),
        }
    }

    /// The target's last completed diff.
    pub fn last_diff(&self, target_id: &str) -> Result<Arc<DiffReport>> {
        self.find(target_id)?;
        self.diffs
            .get(target_id)
            .ok_or_else(|| Error::NoDiff(target_id.to_owned()))
    }

    /// Whether an apply wrote to the target after its last diff.
    pub fn diff_is_stale(&self, target_id: &str) -> bool {
        self.diffs.is_stale(target_id)
    }

    /// One row of the last diff with the records on each side: the JumpCloud object, the SCIM
    /// resource JumpCloud would push, and the target's resource.
    pub fn diff_detail(
        &self,
        target_id: &str,
        kind: drift::DriftRowKind,
        key: &str,
    ) -> Result<RowDetail> {
        let report = self.last_diff(target_id)?;
        report
            .detail(&self.directory, kind, key)
            .ok_or_else(|| Error::UnknownRow {
                target: target_id.to_owned(),
                kind: crate::diff::kind_name(kind),
                key: key.to_owned(),
            })
    }
}

impl Workspace {
    /// A workspace over a directory given up front (the demo, benchmarks): it counts as read,
    /// its mode is [`WorkspaceMode::Demo`] and it has no settings file. `keep_alive` is held
    /// as long as the workspace, for what its targets' clients talk to.
    pub fn preloaded(
        directory_source: impl Into<String>,
        directory: jumpcloud::Directory,
        targets: Vec<Target>,
        keep_alive: Option<KeepAlive>,
    ) -> Workspace {
        Workspace {
            mode: WorkspaceMode::Demo,
            directory_source: directory_source.into(),
            directory,
            directory_read: Some(ReadInfo::preloaded()),
            targets,
            diffs: Default::default(),
            _keep_alive: keep_alive,
            unavailable: Vec::new(),
            config: None,
            deletion_guard: Default::default(),
        }
    }

    /// The workspace the admin configured in `data_dir` (see [`crate::config`]), or the demo
    /// (built by `demo`) when no target is configured yet.
    ///
    /// Secrets are read from `secrets` (the OS keychain in the app and CLI). A target whose
    /// secret is missing, or a keychain that is unavailable, does not fail the whole workspace:
    /// the target is listed with a [`TargetProblem`] and every call on it returns
    /// [`Error::TargetUnavailable`]. A damaged or newer settings file is an error
    /// ([`Error::Config`]); it is never replaced by the demo silently.
    pub fn open(
        data_dir: &std::path::Path,
        secrets: &dyn secrets::SecretStore,
        demo: DemoBuilder,
    ) -> Result<Workspace> {
        let workspace = match crate::config::load(data_dir)? {
            Some(config) if !config.targets.is_empty() => Self::configured(config, secrets),
            _ => demo()?,
        };
        workspace.with_saved_guard(data_dir)
    }

    /// A workspace over `config`'s targets. The JumpCloud directory is not read here (that is
    /// slow and needs the network); it starts empty.
    pub fn configured(
        config: crate::config::WorkspaceConfig,
        secrets: &dyn secrets::SecretStore,
    ) -> Workspace {
        let mut targets = Vec::new();
        let mut unavailable = Vec::new();
        for t in &config.targets {
            let info = TargetInfo {
                id: t.id.clone(),
                name: t.name.clone(),
                kind: t.kind,
                base_url: t.base_url.clone(),
                simulated: false,
            };
            match configured_client(t, secrets) {
                Ok(client) => targets.push(Target {
                    info,
                    client,
                    app_id: t.jumpcloud_app_id.clone().unwrap_or_default(),
                    settings: t.profile_settings(),
                }),
                Err(problem) => unavailable.push(UnavailableTarget { info, problem }),
            }
        }
        let directory_source =
            crate::directory_read::describe(config.jumpcloud.as_ref(), "not read yet");
        Workspace {
            mode: WorkspaceMode::Configured,
            directory_source,
            directory: jumpcloud::Directory::default(),
            directory_read: None,
            targets,
            diffs: Default::default(),
            _keep_alive: None,
            unavailable,
            config: Some(config),
            deletion_guard: Default::default(),
        }
    }

    /// The same targets, settings and guard (and the demo's simulators, shared) with no
    /// directory and no diffs: the base of a workspace with another directory (see
    /// [`crate::directory_read`]). The targets' clients are shared.
    pub(crate) fn copy_without_directory(&self) -> Workspace {
        Workspace {
            mode: self.mode,
            directory_source: self.directory_source.clone(),
            directory: jumpcloud::Directory::default(),
            directory_read: None,
            targets: self.targets.clone(),
            diffs: Default::default(),
            _keep_alive: self._keep_alive.clone(),
            unavailable: self.unavailable.clone(),
            config: self.config.clone(),
            deletion_guard: std::sync::RwLock::new(self.deletion_guard()),
        }
    }
}

fn configured_client(
    t: &crate::config::TargetSettings,
    secrets: &dyn secrets::SecretStore,
) -> std::result::Result<scim::Client, TargetProblem> {
    let url = crate::setup::settings_url(t).map_err(|e| TargetProblem::InvalidSettings {
        message: e.to_string(),
    })?;
    let secret = match secrets.get(&crate::setup::target_account(&t.id)) {
        Ok(Some(secret)) => secret,
        Ok(None) => return Err(TargetProblem::TokenMissing),
        Err(e) => {
            return Err(TargetProblem::Keychain {
                message: e.to_string(),
                hint: e.hint().to_owned(),
            })
        }
    };
    crate::setup::client(t.kind, &url, &t.auth.with_secret(secret.expose())).map_err(|e| {
        TargetProblem::InvalidSettings {
            message: e.to_string(),
        }
    })
}
