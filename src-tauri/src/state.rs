//! What the app keeps while it runs: the data folder and the workspace (demo or configured).

use std::path::PathBuf;
use std::sync::{Arc, Mutex, RwLock};

use tauri::{AppHandle, Manager};

pub struct AppState {
    pub data_dir: PathBuf,
    /// The workspace; replaced (not mutated) when setup saves or removes a target.
    pub workspace: WorkspaceHandle,
    /// The local sync history, or why it could not be opened (the app runs on without it).
    pub history: crate::commands::history::HistoryState,
    /// The OS keychain, where target tokens and the JumpCloud API key live.
    pub vault: secrets::Vault,
    /// Why `settings.json` could not be read, if it could not. The app then runs on the demo,
    /// says so on the setup page, and refuses to save over the file.
    pub settings_error: Mutex<Option<ipc::IpcError>>,
    /// The cancellation switches of running applies, per target.
    pub applies: crate::commands::plan::Applies,
}

impl AppState {
    /// Opens the workspace from `<data_dir>/settings.json` and the keychain (the demo when no
    /// target is configured).
    pub fn start(data_dir: PathBuf) -> Result<Self, Box<dyn std::error::Error>> {
        engine::private_dir::create(&data_dir)?;
        // Tightens (with a warning) anything in the folder that other users could read.
        if let Err(e) = engine::private_dir::secure(&data_dir) {
            tracing::warn!(error = %e, "could not check the data folder's permissions");
        }
        let vault = secrets::Vault::default();
        let (workspace, settings_error) = match engine::Workspace::open(&data_dir, &vault) {
            Ok(ws) => (ws, None),
            Err(e @ engine::Error::Config(_)) => {
                tracing::error!(error = %e, "settings could not be read; running the demo");
                (engine::Workspace::demo()?, Some(ipc::IpcError::from(&e)))
            }
            Err(e) => return Err(e.into()),
        };
        let history = crate::commands::history::HistoryState::open(&data_dir);
        if let Some(store) = history.store() {
            engine::run_log::register_jumpcloud_key(&store, &vault);
        }
        Ok(Self {
            history,
            data_dir,
            workspace: WorkspaceHandle::new(workspace),
            vault,
            settings_error: Mutex::new(settings_error),
            applies: Default::default(),
        })
    }

    /// Opens the workspace again after setup changed the settings, so every page sees it.
    pub fn reload(&self) -> Result<(), engine::Error> {
        let mut workspace = engine::Workspace::open(&self.data_dir, &self.vault)?;
        // A JumpCloud read stays when it still fits (same connection, apps already read).
        workspace.keep_directory_of(&self.workspace.current());
        self.workspace.replace(workspace);
        *self
            .settings_error
            .lock()
            .unwrap_or_else(|e| e.into_inner()) = None;
        Ok(())
    }
}

/// The current workspace behind a lock, so setup can swap in a reloaded one while commands keep
/// the `Arc` they already hold (a running diff finishes on the workspace it started on).
///
/// Commands take a snapshot with [`WorkspaceHandle::clone`] (or `current`) and work on that;
/// the few delegating methods below keep short one-liners readable.
pub struct WorkspaceHandle(RwLock<Arc<engine::Workspace>>);

impl WorkspaceHandle {
    pub fn new(workspace: engine::Workspace) -> Self {
        Self(RwLock::new(Arc::new(workspace)))
    }

    /// The workspace as it is now.
    pub fn current(&self) -> Arc<engine::Workspace> {
        self.0.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Same as [`WorkspaceHandle::current`]; named so `state.workspace.clone()` reads as a
    /// snapshot of the shared workspace.
    #[allow(clippy::should_implement_trait)]
    pub fn clone(&self) -> Arc<engine::Workspace> {
        self.current()
    }

    pub fn replace(&self, workspace: engine::Workspace) {
        *self.0.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(workspace);
    }

    /// Replaces the workspace with `f(current)` under the write lock, so a reload cannot slip
    /// in between; on error the current one stays.
    pub fn update(
        &self,
        f: impl FnOnce(&engine::Workspace) -> engine::Result<engine::Workspace>,
    ) -> engine::Result<Arc<engine::Workspace>> {
        let mut current = self.0.write().unwrap_or_else(|e| e.into_inner());
        let next = Arc::new(f(&current)?);
        *current = next.clone();
        Ok(next)
    }

    pub fn mode(&self) -> engine::WorkspaceMode {
        self.current().mode()
    }

    pub fn cancel_diff(&self, target_id: &str) -> bool {
        self.current().cancel_diff(target_id)
    }

    pub fn last_diff(&self, target_id: &str) -> engine::Result<Arc<engine::DiffReport>> {
        self.current().last_diff(target_id)
    }

    pub fn diff_detail(
        &self,
        target_id: &str,
        kind: engine::diff::DriftRowKind,
        key: &str,
    ) -> engine::Result<engine::diff::RowDetail> {
        self.current().diff_detail(target_id, kind, key)
    }
}

/// `SCIM_COMPANION_DATA_DIR` overrides the platform's app data folder; tests use it to start
/// from a clean slate without touching the user's settings.
pub fn data_dir(app: &AppHandle) -> Result<PathBuf, tauri::Error> {
    match std::env::var_os("SCIM_COMPANION_DATA_DIR") {
        Some(dir) if !dir.is_empty() => Ok(PathBuf::from(dir)),
        _ => app.path().app_data_dir(),
    }
}
