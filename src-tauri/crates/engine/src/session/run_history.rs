//! The local sync history of a data folder: the database, or why it could not be opened, and
//! the retention saved in `settings.json`, applied at start and after every recorded run by
//! whichever front-end made the run.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use history::{History, Retention};

use crate::config;
use crate::error::{Error, Result};

/// File name of the history database inside the data folder.
pub const FILE_NAME: &str = "history.sqlite";

/// The history database, or the error that kept it closed. An unopenable file (newer schema,
/// corrupt) must not stop the app: recording then fails plainly, and the History page says why.
pub struct RunHistory {
    path: PathBuf,
    store: Store,
    /// The saved retention; `None` keeps every run.
    retention: Mutex<Option<Retention>>,
}

enum Store {
    Open(Arc<History>),
    Failed(history::Error),
    /// Not opened on purpose (the CLI's `--no-history`): nothing is read or written.
    Off,
}

impl RunHistory {
    /// A history that records nothing and leaves the folder untouched.
    pub fn off(data_dir: &Path) -> Self {
        Self {
            path: data_dir.join(FILE_NAME),
            store: Store::Off,
            retention: Mutex::new(None),
        }
    }

    /// Opens `<data_dir>/history.sqlite` and prunes it to the saved retention. An unreadable
    /// retention setting keeps everything (nothing is deleted on a guess).
    pub async fn open(data_dir: &Path) -> Self {
        let path = data_dir.join(FILE_NAME);
        let retention = config::load_history_retention(data_dir).unwrap_or_else(|e| {
            tracing::warn!(error = %e, "history retention unreadable; keeping every run");
            None
        });
        let store = match History::open(&path).await {
            Ok(store) => {
                if let Some(r) = retention {
                    prune(&store, r).await;
                }
                Store::Open(Arc::new(store))
            }
            Err(e) => {
                tracing::warn!(error = %e, "history database unavailable");
                Store::Failed(e)
            }
        };
        Self {
            path,
            store,
            retention: Mutex::new(retention),
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The open store; `None` when it could not be opened or is off.
    pub fn store(&self) -> Option<Arc<History>> {
        match &self.store {
            Store::Open(store) => Some(store.clone()),
            Store::Failed(_) | Store::Off => None,
        }
    }

    /// Why the store could not be opened, if it could not.
    pub fn open_error(&self) -> Option<&history::Error> {
        match &self.store {
            Store::Failed(e) => Some(e),
            Store::Open(_) | Store::Off => None,
        }
    }

    /// The store for recording a run that must not run unrecorded (an apply).
    pub(crate) fn for_recording(&self) -> Result<Arc<History>> {
        match &self.store {
            Store::Open(store) => Ok(store.clone()),
            Store::Failed(e) => Err(Error::HistoryUnavailable(e.to_string())),
            Store::Off => Err(Error::HistoryUnavailable("recording is off".into())),
        }
    }

    /// The retention in force.
    pub fn retention(&self) -> Option<Retention> {
        *self.retention.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Saves a new retention in `settings.json` and applies it now; returns how many runs were
    /// removed. At least one day or one run is kept.
    pub async fn set_retention(
        &self,
        data_dir: &Path,
        retention: Option<Retention>,
    ) -> Result<u64> {
        match retention {
            Some(Retention::KeepDays(0)) => {
                return Err(Error::InvalidSetting(
                    "Keep at least 1 day of history.".into(),
                ))
            }
            Some(Retention::KeepRuns(0)) => {
                return Err(Error::InvalidSetting("Keep at least 1 run.".into()))
            }
            _ => {}
        }
        config::save_history_retention(data_dir, retention)?;
        *self.retention.lock().unwrap_or_else(|e| e.into_inner()) = retention;
        match (retention, self.store()) {
            (Some(r), Some(store)) => Ok(store.apply_retention(r).await?),
            _ => Ok(0),
        }
    }

    /// Applies the retention; called after each recorded run. A failure is only logged: pruning
    /// must never turn a finished run into an error.
    pub async fn after_run(&self) {
        if let (Some(r), Some(store)) = (self.retention(), self.store()) {
            prune(&store, r).await;
        }
    }
}

async fn prune(store: &History, retention: Retention) -> u64 {
    match store.apply_retention(retention).await {
        Ok(n) => {
            if n > 0 {
                tracing::info!(removed = n, ?retention, "history pruned");
            }
            n
        }
        Err(e) => {
            tracing::warn!(error = %e, "history retention could not be applied");
            0
        }
    }
}
