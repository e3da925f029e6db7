//! One session over a data folder, the same for the desktop app and the CLI: the workspace
//! (swapped, not mutated, when setup changes it), the history and its retention, the secrets,
//! and one registry of running jobs. Every front-end calls these methods, so both record
//! failed and cancelled runs, both prune the history, and both check policies the same way.

mod jobs;
mod run_history;
mod saved;
mod target;
mod work;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};

use secrets::{Secret, SecretStore};

use crate::error::{Error, Result};
use crate::workspace::{DemoBuilder, Workspace, WorkspaceMode};

pub use jobs::JobKind;
pub use run_history::{RunHistory, FILE_NAME as HISTORY_FILE_NAME};
pub use saved::SavedSetup;
pub use target::TargetHandle;
pub use work::{DiffEvent, DirectoryReadDone, TargetCheck};

/// Which workspace a session starts on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Start {
    /// The targets configured in the data folder; the demo when none is. A settings file that
    /// cannot be read is an error.
    #[default]
    Configured,
    /// Like `Configured`, but a settings file that cannot be read starts the demo instead and
    /// [`Session::settings_error`] says why (the app runs on; setup refuses to save over it).
    ConfiguredOrDemo,
    /// The demo, even when targets are configured (held to the guard limits saved there).
    Demo,
}

pub struct Session {
    data_dir: PathBuf,
    secrets: Arc<dyn SecretStore>,
    /// Builds the demo when it starts or when a reload finds nothing configured.
    demo: DemoBuilder,
    /// A JumpCloud API key given for this session only (the CLI's `JUMPCLOUD_API_KEY`); used
    /// instead of the keychain's and never stored.
    jumpcloud_key: Option<Secret>,
    workspace: RwLock<Arc<Workspace>>,
    history: RunHistory,
    jobs: jobs::Jobs,
    settings_error: Mutex<Option<Arc<Error>>>,
}

impl Session {
    /// Opens the data folder: its workspace (see [`Start`]) and its history. `demo` builds the
    /// demo workspace (`demo::workspace` in the app and the CLI).
    pub async fn open(
        data_dir: impl Into<PathBuf>,
        secrets: Arc<dyn SecretStore>,
        start: Start,
        demo: DemoBuilder,
    ) -> Result<Session> {
        Self::open_recording(data_dir.into(), secrets, start, demo, true).await
    }

    /// Like [`Session::open`], but without opening the history: diffs and tests go unrecorded
    /// and applies are refused (the CLI's `--no-history`).
    pub async fn open_without_history(
        data_dir: impl Into<PathBuf>,
        secrets: Arc<dyn SecretStore>,
        start: Start,
        demo: DemoBuilder,
    ) -> Result<Session> {
        Self::open_recording(data_dir.into(), secrets, start, demo, false).await
    }

    async fn open_recording(
        data_dir: PathBuf,
        secrets: Arc<dyn SecretStore>,
        start: Start,
        demo: DemoBuilder,
        record: bool,
    ) -> Result<Session> {
        crate::private_dir::create(&data_dir).map_err(|e| {
            Error::InvalidSetting(format!(
                "the data folder {} cannot be created: {e}",
                data_dir.display()
            ))
        })?;
        // Tightens (with a warning) anything in the folder that other users could read.
        if let Err(e) = crate::private_dir::secure(&data_dir) {
            tracing::warn!(error = %e, "could not check the data folder's permissions");
        }
        let (workspace, settings_error) = match start {
            Start::Demo => (demo()?.with_saved_guard(&data_dir)?, None),
            Start::Configured => (Workspace::open(&data_dir, secrets.as_ref(), demo)?, None),
            Start::ConfiguredOrDemo => match Workspace::open(&data_dir, secrets.as_ref(), demo) {
                Ok(ws) => (ws, None),
                Err(e @ Error::Config(_)) => {
                    tracing::error!(error = %e, "settings could not be read; running the demo");
                    (demo()?, Some(Arc::new(e)))
                }
                Err(e) => return Err(e),
            },
        };
        let history = if record {
            RunHistory::open(&data_dir).await
        } else {
            RunHistory::off(&data_dir)
        };
        if let Some(store) = history.store() {
            crate::run_log::register_jumpcloud_key(&store, secrets.as_ref());
        }
        Ok(Session {
            data_dir,
            secrets,
            demo,
            jumpcloud_key: None,
            workspace: RwLock::new(Arc::new(workspace)),
            history,
            jobs: jobs::Jobs::default(),
            settings_error: Mutex::new(settings_error),
        })
    }

    /// Uses `key` for JumpCloud reads of this session instead of the keychain's.
    pub fn with_jumpcloud_key(mut self, key: Secret) -> Self {
        if let Some(store) = self.history.store() {
            store.add_secret(key.expose());
        }
        self.jumpcloud_key = Some(key);
        self
    }

    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    pub fn secrets(&self) -> &dyn SecretStore {
        self.secrets.as_ref()
    }

    pub fn history(&self) -> &RunHistory {
        &self.history
    }

    /// The workspace as it is now. Work keeps the `Arc` it started on, so a diff finishes on
    /// the workspace it began with even if setup swaps in another meanwhile.
    pub fn workspace(&self) -> Arc<Workspace> {
        self.workspace
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    pub fn mode(&self) -> WorkspaceMode {
        self.workspace().mode()
    }

    /// Why `settings.json` could not be read at start, until a reload succeeds.
    pub fn settings_error(&self) -> Option<Arc<Error>> {
        self.settings_error
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Opens the workspace again after setup changed the settings. A JumpCloud read stays when
    /// it still fits (same connection, the applications in use already read).
    pub fn reload(&self) -> Result<()> {
        let mut next = Workspace::open(&self.data_dir, self.secrets.as_ref(), self.demo)?;
        crate::directory_read::keep_directory_of(&mut next, &self.workspace());
        self.replace_workspace(next);
        *self
            .settings_error
            .lock()
            .unwrap_or_else(|e| e.into_inner()) = None;
        Ok(())
    }

    /// Replaces the workspace with `f(current)` under the write lock, so a reload cannot slip
    /// in between; on error the current one stays.
    pub fn update_workspace(
        &self,
        f: impl FnOnce(&Workspace) -> Result<Workspace>,
    ) -> Result<Arc<Workspace>> {
        let mut current = self.workspace.write().unwrap_or_else(|e| e.into_inner());
        let next = Arc::new(f(&current)?);
        *current = next.clone();
        Ok(next)
    }

    fn replace_workspace(&self, workspace: Workspace) {
        *self.workspace.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(workspace);
    }

    /// Stops the running job of that kind for `target` (any target for a JumpCloud read);
    /// false when none was running.
    pub fn cancel(&self, kind: JobKind, target: &str) -> bool {
        let target = if kind == JobKind::DirectoryRead {
            ""
        } else {
            target
        };
        self.jobs.cancel(kind, target)
    }

    /// Stops every running job and every later one (the CLI's Ctrl-C).
    pub fn cancel_all(&self) {
        self.jobs.cancel_all();
    }

    /// Whether a diff or an apply of `target` is running: a scheduled check waits for the
    /// admin's own work instead of racing it.
    pub fn is_busy(&self, target: &str) -> bool {
        self.jobs.is_running(JobKind::Diff, target) || self.jobs.is_running(JobKind::Apply, target)
    }
}

#[cfg(test)]
mod tests;
