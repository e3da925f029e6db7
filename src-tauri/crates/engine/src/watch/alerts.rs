//! What a check has to tell a person: only what is new since the previous check, so a target
//! that stays drifted does not ring every few hours.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::check::{CheckSummary, Status, TargetCheck};
use super::state::{TargetState, WatchState};

/// A token warning is repeated after this many days while it lasts.
const TOKEN_REMINDER_DAYS: i64 = 7;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum AlertKind {
    /// The target was in sync (or never checked) and now has drift.
    DriftAppeared,
    /// The target had drift and now has more rows of some state.
    DriftGrew,
    /// JumpCloud or the target could not be read, or the target cannot be used.
    CheckFailed,
    /// The token is within 30 days of its expected expiry, or past it.
    TokenExpiring,
    /// The default plan would deactivate or delete more than the deletion guard allows.
    GuardWouldTrip,
    /// The check applied the safe part of the plan (the admin turned that on), or tried to.
    SafeChangesApplied,
}

impl AlertKind {
    /// The name it has in JSON (`drift_appeared`, ...), for notification records and logs.
    pub fn as_str(self) -> &'static str {
        match self {
            AlertKind::DriftAppeared => "drift_appeared",
            AlertKind::DriftGrew => "drift_grew",
            AlertKind::CheckFailed => "check_failed",
            AlertKind::TokenExpiring => "token_expiring",
            AlertKind::GuardWouldTrip => "guard_would_trip",
            AlertKind::SafeChangesApplied => "safe_changes_applied",
        }
    }
}

/// One notification's worth: what happened to which target, in words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct Alert {
    pub kind: AlertKind,
    /// Empty when the whole check could not start.
    pub target_id: String,
    pub target_name: String,
    pub title: String,
    pub body: String,
}

/// "3 missing, 1 changed".
pub fn counts_text<K: AsRef<str>>(drift: &BTreeMap<K, usize>) -> String {
    drift
        .iter()
        .map(|(state, n)| format!("{n} {}", state.as_ref()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The alerts `summary` raises against the state the previous check left, and the state
/// updated to this check.
pub fn alerts(state: &mut WatchState, summary: &CheckSummary, now: DateTime<Utc>) -> Vec<Alert> {
    let mut out = Vec::new();
    for check in &summary.targets {
        let previous = state.targets.get(&check.id);
        let (raised, next) = target_alerts(previous, check, now);
        out.extend(raised);
        if !check.id.is_empty() {
            state.targets.insert(check.id.clone(), next);
        }
    }
    out
}

fn target_alerts(
    previous: Option<&TargetState>,
    check: &TargetCheck,
    now: DateTime<Utc>,
) -> (Vec<Alert>, TargetState) {
    let label = if check.id.is_empty() {
        "Drift check".to_owned()
    } else {
        check.name.clone()
    };
    let alert = |kind, title: String, body: String| Alert {
        kind,
        target_id: check.id.clone(),
        target_name: check.name.clone(),
        title,
        body,
    };
    let mut raised = Vec::new();
    // A failed check says nothing about drift: the last known counts and guard stay, so the
    // same drift is not announced again once the target can be read.
    let mut next = TargetState {
        checked_at: now,
        status: check.status,
        drift: previous.map(|p| p.drift.clone()).unwrap_or_default(),
        error: None,
        guard_tripped: previous.is_some_and(|p| p.guard_tripped),
        token_alerted_on: previous.and_then(|p| p.token_alerted_on),
    };

    if let Some(error) = &check.error {
        let same_failure =
            previous.is_some_and(|p| p.status == Status::Failed && p.error == Some(error.code));
        if !same_failure {
            let mut body = error.message.clone();
            if let Some(hint) = &error.hint {
                body = format!("{body} {hint}");
            }
            raised.push(alert(
                AlertKind::CheckFailed,
                format!("{label}: the check failed"),
                body,
            ));
        }
        next.error = Some(error.code);
    } else {
        let before = previous.map(|p| &p.drift);
        let now_counts: BTreeMap<String, usize> = check
            .drift
            .iter()
            .map(|(k, v)| ((*k).to_owned(), *v))
            .collect();
        let before_total: usize = before.map(|b| b.values().sum()).unwrap_or(0);
        let grew = now_counts
            .iter()
            .any(|(state, n)| before.and_then(|b| b.get(state)).copied().unwrap_or(0) < *n);
        if !now_counts.is_empty() && before_total == 0 {
            raised.push(alert(
                AlertKind::DriftAppeared,
                format!("{label}: drift from JumpCloud"),
                format!(
                    "{} row(s) differ: {}.",
                    check.drift_total(),
                    counts_text(&now_counts)
                ),
            ));
        } else if grew {
            raised.push(alert(
                AlertKind::DriftGrew,
                format!("{label}: drift grew"),
                format!(
                    "{} row(s) differ, {} before: {}.",
                    check.drift_total(),
                    before_total,
                    counts_text(&now_counts)
                ),
            ));
        }
        if check.guard_tripped && !next.guard_tripped {
            raised.push(alert(
                AlertKind::GuardWouldTrip,
                format!("{label}: the deletion guard would stop a sync"),
                "The plan would deactivate or delete more than the deletion guard allows. \
                 Review the diff before applying anything."
                    .to_owned(),
            ));
        }
        next.drift = now_counts;
        next.guard_tripped = check.guard_tripped;
    }

    match &check.token_warning {
        Some(warning) => {
            let today = now.date_naive();
            let due = next
                .token_alerted_on
                .is_none_or(|day| (today - day).num_days() >= TOKEN_REMINDER_DAYS);
            if due {
                raised.push(alert(
                    AlertKind::TokenExpiring,
                    format!("{label}: token expiry"),
                    warning.clone(),
                ));
                next.token_alerted_on = Some(today);
            }
        }
        // A new token (or a target without a known lifetime) starts the reminders over.
        None => next.token_alerted_on = None,
    }
    (raised, next)
}
