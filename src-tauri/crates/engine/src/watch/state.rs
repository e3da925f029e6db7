//! What the previous check of each target found, so the next one can say what is new.
//!
//! `<data dir>/watch-state.json`, written by whichever runs the check (the CLI, a background
//! job, the app's scheduler). It is a cache, not a record: the history keeps every diff. A
//! missing or unreadable file reads as "never checked", which costs at most one repeated alert
//! and never a write to a target.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::check::Status;
use crate::ErrorKind;

pub const STATE_FILE: &str = "watch-state.json";

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct WatchState {
    #[serde(default)]
    pub targets: BTreeMap<String, TargetState>,
}

/// The last check of one target.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TargetState {
    pub checked_at: DateTime<Utc>,
    pub status: Status,
    /// Rows the default plan would write, per state.
    #[serde(default)]
    pub drift: BTreeMap<String, usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<ErrorKind>,
    #[serde(default)]
    pub guard_tripped: bool,
    /// The day the token's expiry was last announced (again after a week).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token_alerted_on: Option<NaiveDate>,
}

impl WatchState {
    /// The saved state; empty when there is none or it cannot be read (logged).
    pub fn load(data_dir: &Path) -> WatchState {
        let path = data_dir.join(STATE_FILE);
        match std::fs::read(&path) {
            Ok(bytes) => serde_json::from_slice(&bytes).unwrap_or_else(|e| {
                tracing::warn!(path = %path.display(), error = %e, "watch state unreadable; starting afresh");
                WatchState::default()
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => WatchState::default(),
            Err(e) => {
                tracing::warn!(path = %path.display(), error = %e, "watch state unreadable; starting afresh");
                WatchState::default()
            }
        }
    }

    /// Writes the state atomically (a temporary file renamed over the old one).
    pub fn save(&self, data_dir: &Path) -> std::io::Result<()> {
        crate::private_dir::create(data_dir)?;
        let path = data_dir.join(STATE_FILE);
        let tmp = data_dir.join(format!("{STATE_FILE}.tmp"));
        let bytes = serde_json::to_vec_pretty(self).expect("watch state serialises");
        let mut file = std::fs::File::create(&tmp)?;
        file.write_all(&bytes)?;
        file.sync_all()?;
        std::fs::rename(&tmp, &path)
    }

    /// When the target was last checked, if ever.
    pub fn last_checked(&self, target: &str) -> Option<DateTime<Utc>> {
        self.targets.get(target).map(|t| t.checked_at)
    }
}
