//! Settings → Scheduled checks: the schedule per target, where it runs, the background jobs,
//! and a check on demand. The work is in `crate::watcher` and `engine::watch`.

use ipc::{IpcError, WatchCheckResult, WatchOverview, WatchRunner};
use tauri::State;

use crate::state::AppState;
use crate::watcher::{self, Runner, Watcher};

/// Every target's schedule, where its checks run and what the last one found.
#[tauri::command]
pub async fn watch_overview(
    state: State<'_, AppState>,
    watcher: State<'_, Watcher>,
) -> Result<WatchOverview, IpcError> {
    overview(&state, &watcher)
}

/// Turns one target's schedule on (`every_hours`) or off (`null`), with or without applying
/// its safe changes automatically, and registers or removes its background job where there is
/// one.
#[tauri::command]
pub async fn watch_schedule_set(
    state: State<'_, AppState>,
    watcher: State<'_, Watcher>,
    target_id: String,
    every_hours: Option<u32>,
    apply_safe: bool,
) -> Result<WatchOverview, IpcError> {
    // Unknown targets are refused before anything is saved.
    known(&state, &target_id)?;
    let data_dir = state.data_dir().to_owned();
    let mut schedule =
        engine::watch::WatchSchedule::load(&data_dir).map_err(engine::Error::from)?;
    schedule
        .set(&target_id, every_hours)
        .and_then(|()| schedule.set_apply_safe(&target_id, apply_safe && every_hours.is_some()))
        .map_err(|m| IpcError::new(ipc::ErrorCode::InvalidInput, m))?;
    schedule.save(&data_dir).map_err(engine::Error::from)?;
    if let Runner::Background { jobs, program } = watcher::runner(&state) {
        let result = match every_hours {
            Some(hours) => jobs
                .install(&watcher::job_spec(&target_id, hours, &program, &data_dir))
                .map(drop),
            None => jobs.remove(&target_id),
        };
        // The schedule stays saved either way: without a job the app checks while it is open.
        watcher.set_problem(
            &target_id,
            result.err().map(|e| {
                format!("The background job could not be registered: {e}. Until it is, the app checks this target while it is open.")
            }),
        );
    }
    overview(&state, &watcher)
}

/// Checks one target now, as the schedule would (recorded in History, notifications for what
/// is new).
#[tauri::command]
pub async fn watch_check_now(
    app: tauri::AppHandle,
    state: State<'_, AppState>,
    watcher: State<'_, Watcher>,
    target_id: String,
) -> Result<WatchCheckResult, IpcError> {
    known(&state, &target_id)?;
    let (_, alerts) = watcher::check_now(&app, &state, &watcher, &[target_id]).await;
    Ok(WatchCheckResult {
        overview: overview(&state, &watcher)?,
        alerts,
    })
}

fn known(session: &AppState, target_id: &str) -> Result<(), IpcError> {
    if session
        .workspace()
        .targets()
        .iter()
        .any(|t| t.id == target_id)
    {
        Ok(())
    } else {
        Err(IpcError::new(
            ipc::ErrorCode::NotFound,
            format!("There is no target `{target_id}` in this workspace."),
        ))
    }
}

fn overview(session: &AppState, watcher: &Watcher) -> Result<WatchOverview, IpcError> {
    let data_dir = session.data_dir();
    let schedule = engine::watch::WatchSchedule::load(data_dir).map_err(engine::Error::from)?;
    let state = engine::watch::WatchState::load(data_dir);
    let runner = watcher::runner(session);
    let by_app = watcher::app_checked(session, &schedule, &runner);
    let hour = chrono::Duration::from_std(watcher::hour()).unwrap_or(chrono::Duration::hours(1));
    let (kind, note, platform) = match &runner {
        Runner::Background { jobs, .. } => (
            WatchRunner::Background,
            format!(
                "Checks run as a {} under your user account, with the app closed too. Tokens stay in the keychain; a check never writes to a target.",
                jobs.platform().label()
            ),
            Some(jobs.platform().label().to_owned()),
        ),
        Runner::App { note } => (WatchRunner::App, note.clone(), None),
    };
    let targets = session
        .workspace()
        .targets()
        .into_iter()
        .map(|t| {
            let every_hours = schedule.every_hours(&t.id);
            let in_app = by_app.contains(&t.id);
            let job = match &runner {
                Runner::Background { jobs, .. } if every_hours.is_some() => {
                    jobs.status(&t.id).ok().and_then(ipc::BackgroundJob::of)
                }
                _ => None,
            };
            let last = state.targets.get(&t.id);
            let next_check = match (every_hours, in_app) {
                (Some(hours), true) => Some(
                    last.map_or_else(chrono::Utc::now, |l| l.checked_at + hour * hours as i32)
                        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                ),
                _ => None,
            };
            ipc::WatchTarget {
                every_hours,
                apply_safe: schedule.applies_safe(&t.id),
                runs_in: every_hours.map(|_| {
                    if in_app {
                        WatchRunner::App
                    } else {
                        WatchRunner::Background
                    }
                }),
                job,
                last_check: last.map(ipc::LastCheck::from),
                next_check,
                problem: watcher.problem(&t.id),
                id: t.id,
                name: t.name,
            }
        })
        .collect();
    Ok(WatchOverview {
        runner: kind,
        runner_note: note,
        platform,
        choices: ipc::SCHEDULE_CHOICES.to_vec(),
        targets,
    })
}
