//! Where a workspace keeps its last diffs. Apart from the diff run so that the workspace can hold
//! it without depending on the run (which works on the workspace).

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};

use super::report::DiffReport;

/// The last report per target.
#[derive(Default)]
pub(crate) struct DiffStore {
    reports: Mutex<HashMap<String, Arc<DiffReport>>>,
    /// Targets an apply wrote to after their last diff: the report still pages and shows
    /// details, but no plan is made from it.
    stale: Mutex<HashSet<String>>,
}

/// A poisoned lock only means another thread panicked mid-insert; the maps stay usable.
fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl DiffStore {
    pub(crate) fn get(&self, target_id: &str) -> Option<Arc<DiffReport>> {
        lock(&self.reports).get(target_id).cloned()
    }

    /// Keeps `report` as the target's last diff; a fresh one is not stale.
    pub(crate) fn keep(&self, target_id: &str, report: Arc<DiffReport>) {
        lock(&self.reports).insert(target_id.to_owned(), report);
        lock(&self.stale).remove(target_id);
    }

    pub(crate) fn mark_stale(&self, target_id: &str) {
        lock(&self.stale).insert(target_id.to_owned());
    }

    pub(crate) fn is_stale(&self, target_id: &str) -> bool {
        lock(&self.stale).contains(target_id)
    }
}
