//! Drift checks on a schedule, shared by the CLI's `watch`, the background jobs the app
//! registers, and the app's own scheduler for targets no background job can reach (the demo's
//! simulators live inside the app).
//!
//! A check reads JumpCloud (all or nothing, as every diff), diffs each target (recorded in the
//! history like a diff from the app) and sums up what the default plan would do. A check never
//! writes to a target. [`alerts`] compares a check with the state the previous one left, so a
//! notification or webhook says what is new (drift appeared or grew, a check failed, a token
//! nears its expiry, the guard would trip) instead of repeating itself every few hours.

mod alerts;
mod apply_safe;
mod check;
mod follow_up;
pub mod launch;
mod schedule;
mod state;

pub use alerts::{alerts, counts_text, Alert, AlertKind};
pub use apply_safe::{apply_safe, apply_safe_where_chosen};
pub use check::{check_targets, CheckError, CheckSummary, Status, TargetCheck};
pub use follow_up::follow_up;
pub use schedule::{due_targets, TargetSchedule, WatchSchedule, MAX_EVERY_HOURS};
pub use state::{TargetState, WatchState, STATE_FILE};

#[cfg(test)]
mod tests;
