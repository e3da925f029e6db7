//! What a finished check leads to, the same for every front-end (the CLI's watcher, the
//! background jobs, the app's scheduler and its "Check now").

use super::alerts::{alerts, Alert};
use super::apply_safe::apply_safe_where_chosen;
use super::check::CheckSummary;
use super::schedule::WatchSchedule;
use super::state::WatchState;
use crate::Session;

/// The alerts of `summary` against the state the previous check left (which this check then
/// replaces in `watch-state.json`), followed by the safe changes applied where the target's
/// schedule asks for it. A state or schedule that cannot be read or written is logged: it costs
/// at most a repeated alert or a skipped automatic apply, never a write.
pub async fn follow_up(session: &Session, summary: &CheckSummary) -> Vec<Alert> {
    let data_dir = session.data_dir();
    let mut state = WatchState::load(data_dir);
    let mut raised = alerts(&mut state, summary, chrono::Utc::now());
    if let Err(e) = state.save(data_dir) {
        tracing::warn!(error = %e, "could not save the watch state");
    }
    match WatchSchedule::load(data_dir) {
        Ok(schedule) => raised.extend(apply_safe_where_chosen(session, summary, &schedule).await),
        Err(e) => {
            tracing::warn!(error = %e, "the schedule cannot be read; no safe changes applied")
        }
    }
    raised
}
