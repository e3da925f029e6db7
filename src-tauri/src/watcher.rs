//! Scheduled drift checks from the app's side: where they run, the background jobs it
//! registers, and the checks it runs itself.
//!
//! A configured workspace's checks run as a per-user background job (the `jobs` crate: a
//! systemd user timer, a launchd agent or a Task Scheduler task) that starts the CLI's
//! `scim-companion watch --once --target ID --notify`, so they need neither the window nor the
//! app. The app runs the checks itself, while it is open, where no job can: the demo (its
//! simulated targets live inside the app), a system without a supported scheduler, a missing
//! `scim-companion` program, or a job that could not be registered. Both paths use
//! `engine::watch`, record each diff in History and share `watch-state.json`, so a notification
//! says only what is new whichever ran the check.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use engine::watch::{self, Alert, CheckSummary, WatchSchedule, WatchState};
use engine::{Session, WorkspaceMode};
use tauri::{AppHandle, Manager};

use crate::state::AppState;

/// Test seam: `app` keeps every check in the app (end-to-end tests cannot register jobs with
/// the test machine's scheduler).
const RUNNER_ENV: &str = "SCIM_COMPANION_WATCH_RUNNER";
/// Test seam: the length of an "hour" of the schedule in seconds, so a test sees it fire.
const HOUR_ENV: &str = "SCIM_COMPANION_WATCH_HOUR_SECS";
/// The watcher program a background job runs; default `scim-companion` beside the app.
const CLI_ENV: &str = "SCIM_COMPANION_CLI";

/// Where the checks of the current workspace run.
pub enum Runner {
    Background { jobs: jobs::Jobs, program: PathBuf },
    App { note: String },
}

/// The app's watch state: job problems seen this run (why a target's job is not registered).
#[derive(Default)]
pub struct Watcher {
    problems: Mutex<BTreeMap<String, String>>,
    /// One check at a time from the app (the timer and "Check now").
    running: tokio::sync::Mutex<()>,
}

impl Watcher {
    pub fn problem(&self, target: &str) -> Option<String> {
        self.problems.lock().ok()?.get(target).cloned()
    }

    pub fn set_problem(&self, target: &str, problem: Option<String>) {
        if let Ok(mut problems) = self.problems.lock() {
            match problem {
                Some(p) => problems.insert(target.to_owned(), p),
                None => problems.remove(target),
            };
        }
    }
}

/// An hour of the schedule (shorter only in tests, see [`HOUR_ENV`]).
pub fn hour() -> Duration {
    std::env::var(HOUR_ENV)
        .ok()
        .and_then(|s| s.trim().parse::<u64>().ok())
        .filter(|s| *s > 0)
        .map_or(Duration::from_secs(3600), Duration::from_secs)
}

/// Where this workspace's checks run, and why.
pub fn runner(session: &Session) -> Runner {
    let app = |note: &str| Runner::App {
        note: note.to_owned(),
    };
    if std::env::var(RUNNER_ENV).is_ok_and(|v| v == "app") {
        return app("Background jobs are turned off for this run (test mode): scheduled checks run while the app is open.");
    }
    if session.mode() == WorkspaceMode::Demo {
        return app("The demo's targets are simulated inside the app, so their scheduled checks run while the app is open. Configured targets are checked by a background job, with the app closed too.");
    }
    let Some(platform) = jobs::Platform::current() else {
        return app("This system has no background scheduler SCIM Companion can use: scheduled checks run while the app is open.");
    };
    let program = match cli_program() {
        Ok(program) => program,
        Err(looked) => {
            return Runner::App {
                note: format!(
                    "The watcher program was not found at {}: scheduled checks run while the app is open. Install the scheduled-check program beside the app to check with the app closed.",
                    looked.display()
                ),
            }
        }
    };
    match jobs::Layout::for_user() {
        Ok(layout) => Runner::Background {
            jobs: jobs::Jobs::new(platform, layout, Arc::new(jobs::SystemRunner)),
            program,
        },
        Err(e) => Runner::App {
            note: format!("{e}. Scheduled checks run while the app is open."),
        },
    }
}

/// The CLI beside the app's own program (both are in the same folder once installed, and in
/// the same target folder when built); [`CLI_ENV`] overrides it.
fn cli_program() -> Result<PathBuf, PathBuf> {
    if let Some(path) = std::env::var_os(CLI_ENV).filter(|p| !p.is_empty()) {
        let path = PathBuf::from(path);
        return if path.is_file() { Ok(path) } else { Err(path) };
    }
    let name = format!("scim-companion{}", std::env::consts::EXE_SUFFIX);
    let beside = std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(|dir| dir.join(&name)))
        .unwrap_or_else(|| PathBuf::from(&name));
    if beside.is_file() {
        Ok(beside)
    } else {
        Err(beside)
    }
}

/// The job of one target, as the background runner registers it.
pub fn job_spec(target: &str, every_hours: u32, program: &Path, data_dir: &Path) -> jobs::JobSpec {
    // A keychain service other than the default (tests, a second profile) must reach the job.
    // Task Scheduler tasks cannot carry environment (the jobs crate refuses it there).
    let extra_env = std::env::var("SCIM_COMPANION_KEYCHAIN_SERVICE")
        .ok()
        .filter(|_| !cfg!(windows))
        .map(|v| vec![("SCIM_COMPANION_KEYCHAIN_SERVICE".to_owned(), v)])
        .unwrap_or_default();
    jobs::JobSpec {
        target_id: target.to_owned(),
        every: Duration::from_secs(3600 * u64::from(every_hours)),
        program: program.to_owned(),
        data_dir: data_dir.to_owned(),
        extra_env,
    }
}

/// Targets whose scheduled checks the app runs: all of them when it is the runner, else those
/// without a registered job.
pub fn app_checked(session: &Session, schedule: &WatchSchedule, runner: &Runner) -> Vec<String> {
    let listed = session.workspace().target_ids();
    let registered = match runner {
        Runner::Background { jobs, .. } => jobs.installed().unwrap_or_default(),
        Runner::App { .. } => Vec::new(),
    };
    schedule
        .targets
        .keys()
        .filter(|id| listed.contains(id) && !registered.contains(id))
        .cloned()
        .collect()
}

/// Drops the schedule and the background job of a target that is being removed. Failures are
/// logged: a job left behind fails with "unknown target" once and says so.
pub fn forget(session: &Session, target: &str) {
    let data_dir = session.data_dir();
    match engine::watch::WatchSchedule::load(data_dir) {
        Ok(mut schedule) if schedule.every_hours(target).is_some() => {
            let _ = schedule.set(target, None);
            if let Err(e) = schedule.save(data_dir) {
                tracing::warn!(target, error = %e, "could not remove the target's schedule");
            }
        }
        Ok(_) => {}
        Err(e) => tracing::warn!(target, error = %e, "could not read the watch schedule"),
    }
    if let Runner::Background { jobs, .. } = runner(session) {
        if let Err(e) = jobs.remove(target) {
            tracing::warn!(target, error = %e, "could not remove the target's background job");
        }
    }
}

/// Checks `targets` now (recorded in History), compares with the previous checks and shows
/// what is new as notifications.
pub async fn check_now(
    app: &AppHandle,
    session: &Session,
    watcher: &Watcher,
    targets: &[String],
) -> (CheckSummary, Vec<Alert>) {
    let _one_at_a_time = watcher.running.lock().await;
    let explain = |_: &str, problem: &engine::TargetProblem| (problem.to_string(), problem.hint());
    let summary = watch::check_targets(session, targets, &explain).await;
    let alerts = watch::follow_up(session, &summary).await;
    crate::tray::refresh(app);
    let (to_show, handle) = (alerts.clone(), app.clone());
    let shown = tauri::async_runtime::spawn_blocking(move || notify(&handle, &to_show)).await;
    if let Err(e) = shown {
        tracing::warn!(error = %e, "the notification task failed");
    }
    (summary, alerts)
}

/// Shows each alert; clicking one (where the desktop reports clicks) opens its target's diff.
fn notify(app: &AppHandle, alerts: &[Alert]) {
    let sink = notices::Sink::from_env();
    for alert in alerts {
        let notice = notices::Notice::new(
            alert.kind.as_str(),
            &alert.target_id,
            &alert.title,
            &alert.body,
        );
        let on_click: Option<notices::OnClick> = (!alert.target_id.is_empty()).then(|| {
            let (app, target) = (app.clone(), alert.target_id.clone());
            Box::new(move || crate::tray::open_diff(&app, &target)) as notices::OnClick
        });
        // The app outlives its notifications: nothing waits for the click threads.
        if let Err(e) = sink.send_then(&notice, on_click) {
            tracing::warn!(error = %e, "notification not shown");
        }
    }
}

/// The app's scheduler: wakes every minute (sooner in tests), checks the due targets the app is
/// responsible for, skipping any the admin is diffing or applying right now.
pub fn spawn(app: AppHandle) {
    let hour = hour();
    let tick = (hour / 60).clamp(Duration::from_millis(500), Duration::from_secs(60));
    tauri::async_runtime::spawn(async move {
        loop {
            tokio::time::sleep(tick).await;
            // A background job may have checked since: the tray follows watch-state.json.
            crate::tray::refresh(&app);
            let session = app.state::<AppState>();
            let watcher = app.state::<Watcher>();
            let data_dir = session.data_dir().to_owned();
            let schedule = match engine::watch::WatchSchedule::load(&data_dir) {
                Ok(s) if !s.targets.is_empty() => s,
                Ok(_) => continue,
                Err(e) => {
                    tracing::warn!(error = %e, "the watch schedule cannot be read");
                    continue;
                }
            };
            let ours = app_checked(&session, &schedule, &runner(&session));
            let state = WatchState::load(&data_dir);
            let due: Vec<String> = watch::due_targets(&schedule, &state, chrono::Utc::now(), hour)
                .into_iter()
                .filter(|id| ours.contains(id) && !session.is_busy(id))
                .collect();
            if due.is_empty() {
                continue;
            }
            tracing::info!(targets = ?due, "scheduled drift check");
            check_now(&app, &session, &watcher, &due).await;
        }
    });
}
