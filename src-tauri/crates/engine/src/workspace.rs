//! The workspace: one JumpCloud directory and the SCIM targets the admin compares it with.

use crate::connection::{self, ConnectionReport};
use crate::error::{Error, Result, TargetProblem};

/// Held by a workspace only to keep it alive, e.g. the demo's loopback simulators: the engine
/// does not know what it is, so it does not depend on the simulators.
pub type KeepAlive = std::sync::Arc<dyn std::any::Any + Send + Sync>;

/// Builds the demo workspace. The engine does not build it itself (that would make it depend on
/// the simulators); the app and the CLI pass `demo::workspace`.
pub type DemoBuilder = fn() -> Result<Workspace>;

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
    pub(crate) directory_read: Option<crate::directory_read::ReadInfo>,
    pub(crate) targets: Vec<Target>,
    /// The last diff per target and the cancel switches of running ones.
    pub(crate) diffs: crate::diff::DiffStore,
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

    pub fn target(&self, id: &str) -> Option<&TargetInfo> {
        self.targets
            .iter()
            .map(|t| &t.info)
            .chain(self.unavailable.iter().map(|t| &t.info))
            .find(|t| t.id == id)
    }

    /// The SCIM client of a usable target (its credentials, for the history redactor).
    pub(crate) fn target_client(&self, id: &str) -> Option<&scim::Client> {
        self.targets
            .iter()
            .find(|t| t.info.id == id)
            .map(|t| &t.client)
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

    /// Read-only check: discovery and user/group totals.
    pub async fn test_connection(&self, id: &str) -> Result<ConnectionReport> {
        connection::check(&self.find(id)?.client).await
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
            directory_read: Some(crate::directory_read::ReadInfo::preloaded()),
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
