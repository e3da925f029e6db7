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

#[cfg(test)]
mod tests {
    use super::*;
    use history::{NewRun, RunCounts, RunFilter, RunKind, RunOutcome, RunPage};

    async fn record(store: &History, n: usize) {
        for i in 0..n {
            let id = store
                .start_run(NewRun::new(
                    RunKind::TestConnection,
                    "t1",
                    "Target",
                    "0.1.0",
                ))
                .await
                .unwrap();
            store
                .finish_run(
                    id,
                    RunOutcome::Succeeded,
                    &RunCounts::default(),
                    &format!("run {i}"),
                )
                .await
                .unwrap();
        }
    }

    async fn count(store: &History) -> usize {
        store
            .list_runs(&RunFilter::default(), RunPage::first(100))
            .await
            .unwrap()
            .len()
    }

    #[tokio::test]
    async fn saved_retention_is_applied_at_start_after_runs_and_on_save() {
        let dir = tempfile::tempdir().unwrap();
        let state = RunHistory::open(dir.path()).await;
        let store = state.store().unwrap();
        record(&store, 5).await;
        // Nothing saved: keep everything.
        state.after_run().await;
        assert_eq!(count(&store).await, 5);

        // Saving prunes at once and reports how many runs went.
        let removed = state
            .set_retention(dir.path(), Some(Retention::KeepRuns(3)))
            .await
            .unwrap();
        assert_eq!(removed, 2);
        assert_eq!(count(&store).await, 3);
        assert_eq!(
            config::load_history_retention(dir.path()).unwrap(),
            Some(Retention::KeepRuns(3))
        );

        // Later runs are pruned after they are recorded.
        record(&store, 2).await;
        state.after_run().await;
        assert_eq!(count(&store).await, 3);
        drop(store);
        drop(state);

        // The next start reads the saved setting and prunes before anything else.
        config::save_history_retention(dir.path(), Some(Retention::KeepRuns(1))).unwrap();
        let reopened = RunHistory::open(dir.path()).await;
        let store = reopened.store().unwrap();
        assert_eq!(count(&store).await, 1);
        // Back to keeping everything: nothing more is removed.
        assert_eq!(reopened.set_retention(dir.path(), None).await.unwrap(), 0);
        record(&store, 2).await;
        reopened.after_run().await;
        assert_eq!(count(&store).await, 3);
        assert_eq!(config::load_history_retention(dir.path()).unwrap(), None);
    }

    #[tokio::test]
    async fn zero_is_refused_and_nothing_is_saved() {
        let dir = tempfile::tempdir().unwrap();
        let state = RunHistory::open(dir.path()).await;
        for bad in [Retention::KeepRuns(0), Retention::KeepDays(0)] {
            let err = state
                .set_retention(dir.path(), Some(bad))
                .await
                .unwrap_err();
            assert!(matches!(err, Error::InvalidSetting(_)), "{err:?}");
        }
        assert!(!config::settings_path(dir.path()).exists());
    }

    #[tokio::test]
    async fn a_damaged_settings_file_is_not_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(config::settings_path(dir.path()), "{oops").unwrap();
        // Start-up keeps every run rather than guessing.
        let state = RunHistory::open(dir.path()).await;
        assert!(state.store().is_some());
        let err = state
            .set_retention(dir.path(), Some(Retention::KeepDays(30)))
            .await
            .unwrap_err();
        assert!(matches!(err, Error::Config(_)), "{err:?}");
        assert_eq!(
            std::fs::read_to_string(config::settings_path(dir.path())).unwrap(),
            "{oops"
        );
    }

    #[tokio::test]
    async fn off_records_nothing_and_creates_no_file() {
        let dir = tempfile::tempdir().unwrap();
        let off = RunHistory::off(dir.path());
        assert!(off.store().is_none() && off.open_error().is_none());
        assert!(matches!(
            off.for_recording(),
            Err(Error::HistoryUnavailable(_))
        ));
        off.after_run().await;
        assert!(!off.path().exists());
    }
}
