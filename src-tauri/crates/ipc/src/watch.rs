//! Scheduled drift checks as the Settings page shows them.

use serde::Serialize;
use ts_rs::TS;

pub use engine::watch::{Alert, AlertKind, Status as WatchStatus};
use engine::ErrorKind;

/// The intervals the Settings page offers, in hours.
pub const SCHEDULE_CHOICES: [u32; 6] = [1, 2, 4, 8, 12, 24];

/// Where scheduled checks run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum WatchRunner {
    /// A per-user background job (systemd user timer, launchd agent, Task Scheduler task)
    /// runs the CLI's watcher: checks run with the app closed.
    Background,
    /// The app checks while it is open.
    App,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct WatchOverview {
    /// Where this workspace's scheduled checks run.
    pub runner: WatchRunner,
    /// One sentence on what that means, e.g. why checks run only while the app is open.
    pub runner_note: String,
    /// "systemd user timer", "launchd agent", "Task Scheduler task"; none when the app runs
    /// the checks.
    pub platform: Option<String>,
    pub choices: Vec<u32>,
    pub targets: Vec<WatchTarget>,
}

/// One target's schedule and its last check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct WatchTarget {
    pub id: String,
    pub name: String,
    /// Hours between checks; none when the target is not checked on a schedule.
    pub every_hours: Option<u32>,
    /// Checks apply the safe part of the plan (creates, updates, member additions).
    pub apply_safe: bool,
    /// Where this target's checks run; none when its schedule is off.
    pub runs_in: Option<WatchRunner>,
    pub job: Option<BackgroundJob>,
    pub last_check: Option<LastCheck>,
    /// RFC 3339; for checks the app runs (a background job's comes from its scheduler).
    pub next_check: Option<String>,
    /// Why the schedule does not run as chosen (e.g. the background job could not be
    /// registered), with what to do.
    pub problem: Option<String>,
}

/// The registered background job of a target, as its scheduler reports it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct BackgroundJob {
    /// The scheduler will start it; false when its files are there but the scheduler does
    /// not know it (removed by hand).
    pub active: bool,
    /// As the scheduler prints it (UTC from systemd, the user's locale on Windows).
    pub next_run: Option<String>,
    pub last_run: Option<String>,
    /// The watcher's last exit code: 0 in sync, 2 drift, other failure.
    pub last_exit: Option<i32>,
}

impl BackgroundJob {
    /// The job of a status; none when no job is registered.
    pub fn of(status: jobs::JobStatus) -> Option<Self> {
        match status {
            jobs::JobStatus::NotInstalled => None,
            jobs::JobStatus::Installed {
                active,
                next_run,
                last_run,
                last_exit,
                ..
            } => Some(BackgroundJob {
                active,
                next_run,
                last_run,
                last_exit,
            }),
        }
    }
}

/// The last scheduled check of a target (from whichever ran it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct LastCheck {
    /// RFC 3339.
    pub checked_at: String,
    pub status: WatchStatus,
    /// Rows the default plan would write, per state ("missing", "changed", ...).
    pub drift: Vec<(String, u32)>,
    pub error: Option<ErrorKind>,
}

impl From<&engine::watch::TargetState> for LastCheck {
    fn from(s: &engine::watch::TargetState) -> Self {
        LastCheck {
            checked_at: s
                .checked_at
                .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            status: s.status,
            drift: s
                .drift
                .iter()
                .map(|(k, v)| (k.clone(), u32::try_from(*v).unwrap_or(u32::MAX)))
                .collect(),
            error: s.error,
        }
    }
}

/// What a check the app ran found: for the Settings page's "Check now" and its toasts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct WatchCheckResult {
    pub overview: WatchOverview,
    /// What was new (and shown as notifications).
    pub alerts: Vec<Alert>,
}
