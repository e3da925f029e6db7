//! Where a workspace keeps its last diffs. Apart from the diff run so that the workspace can hold
//! it without depending on the run (which works on the workspace).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use super::report::DiffReport;

/// The last report per target.
#[derive(Default)]
pub(crate) struct DiffStore {
    pub(super) reports: Mutex<HashMap<String, Arc<DiffReport>>>,
    /// Targets an apply wrote to after their last diff: the report still pages and shows
    /// details, but no plan is made from it.
    pub(super) stale: Mutex<std::collections::HashSet<String>>,
}
