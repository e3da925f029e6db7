//! `scim-companion watch`: drift checks without the app's window, once (for a systemd timer,
//! cron or a CI job) or on a schedule. A check reads JumpCloud (all or nothing, as every diff)
//! and diffs each target; every diff is recorded in the history like one run from the app, so
//! the History page's drift chart fills itself. A check never writes to a target.
//!
//! Output: one JSON summary per check on stdout (pretty for `--once`, one line per check for
//! `--every`), progress on stderr, exit codes as `diff --detailed-exitcode`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use clap::Args;
use engine::watch::{self, Alert, CheckSummary, Status, WatchState};
use engine::TargetProblem;
use serde::Serialize;

use super::diff::EXIT_DRIFT;
use crate::error::CliResult;
use crate::webhook::{self, Webhook};
use crate::workspace::{self, SecretSource, WorkspaceArgs};

/// The shortest interval `--every` accepts: a check of a large tenant reads for minutes, and
/// vendors throttle per tenant.
const MIN_INTERVAL: Duration = Duration::from_secs(5 * 60);

#[derive(Args)]
#[command(after_long_help = "\
Exit codes (--once):
  0  every target checked is in sync (what the default plan would write is nothing)
  1  a check failed (JumpCloud or a target could not be read, a token is missing, ...) or the
     webhook could not be reached
  2  every check ran, and at least one target has drift

Secrets: on a desktop the tokens come from the OS keychain the app saved them in. On a server
give --secrets env (SCIM_COMPANION_TOKEN_<TARGET ID>, JUMPCLOUD_API_KEY) or --secrets dir with
files only their owner can read (systemd's LoadCredential= sets $CREDENTIALS_DIRECTORY). Never
on the command line. The webhook's URL is a secret too (a Slack incoming webhook URL is a
credential): SCIM_COMPANION_WEBHOOK_URL, or the file webhook-url in the secrets folder.

Examples:
  scim-companion watch --once
  scim-companion watch --once --target aws-prod --secrets env --webhook
  scim-companion watch --every 4h --secrets dir --secrets-dir /run/secrets/scim-companion

docs/watch.md has a systemd unit and timer and a container image definition.")]
pub struct WatchArgs {
    /// Check once and exit with the result's code.
    #[arg(long, conflicts_with = "every", required_unless_present = "every")]
    pub once: bool,

    /// Check now, then again after each interval until stopped (Ctrl-C or SIGTERM ends the
    /// wait): 30m, 4h, 1d; at least 5m. One JSON line per check.
    #[arg(long, value_name = "INTERVAL", value_parser = parse_interval)]
    pub every: Option<Duration>,

    /// Only these targets (repeat or comma-separate) [default: every target].
    #[arg(long = "target", value_name = "ID")]
    pub targets: Vec<String>,

    /// POST each check that has news (drift appeared or grew, a new failure, ...) to a webhook, as JSON with a Slack-compatible
    /// `text` field. The URL comes from SCIM_COMPANION_WEBHOOK_URL or the secrets folder's
    /// `webhook-url` file; https only, except to this machine.
    #[arg(long)]
    pub webhook: bool,

    /// Show what is new since the previous check (drift appeared or grew, a new failure, the
    /// deletion guard, a token near its expiry) as desktop notifications; a click opens the app
    /// on that target's diff (with --once the watcher waits up to 5 minutes for it). The
    /// background jobs the app registers use it.
    #[arg(long)]
    pub notify: bool,

    /// Do not record the checks in the history.
    #[arg(long)]
    pub no_history: bool,

    #[command(flatten)]
    pub workspace: WorkspaceArgs,
}

/// "30m", "4h", "1d", "90s" (seconds only for tests of the parser; the minimum still holds).
pub fn parse_interval(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    let split = text
        .find(|c: char| !c.is_ascii_digit())
        .ok_or_else(|| format!("`{text}` has no unit: write 30m, 4h or 1d"))?;
    let (number, unit) = text.split_at(split);
    let n: u64 = number
        .parse()
        .map_err(|_| format!("`{text}` does not start with a whole number"))?;
    let seconds = match unit {
        "s" => n,
        "m" | "min" => n.saturating_mul(60),
        "h" => n.saturating_mul(3600),
        "d" => n.saturating_mul(86_400),
        _ => return Err(format!("`{unit}` is not a unit: use m, h or d")),
    };
    let interval = Duration::from_secs(seconds);
    if interval < MIN_INTERVAL {
        return Err(
            "the interval is under 5 minutes: a check reads every user and group of \
                    JumpCloud and the target, and vendors throttle per tenant"
                .to_owned(),
        );
    }
    Ok(interval)
}

/// One check as the CLI reports it: the engine's summary, what is new since the previous
/// check, and what happened to the alerts.
#[derive(Debug, Serialize)]
pub struct WatchOutput {
    #[serde(flatten)]
    pub check: CheckSummary,
    pub exit_code: u8,
    /// What is new since the previous check (drift appeared or grew, a new failure, the
    /// guard, a token's expiry): what the webhook and the notifications say.
    pub alerts: Vec<Alert>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub webhook: Option<webhook::Delivery>,
    /// Desktop notifications shown (with --notify).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notified: Option<usize>,
}

impl WatchOutput {
    fn new(check: CheckSummary, alerts: Vec<Alert>) -> Self {
        let mut output = WatchOutput {
            check,
            exit_code: 0,
            alerts,
            webhook: None,
            notified: None,
        };
        output.exit_code = output.code();
        output
    }

    /// Exit code: failure (1) over drift (2) over in sync (0); a webhook that could not be
    /// reached is a failure, since nobody would hear of the drift.
    fn code(&self) -> u8 {
        let undelivered = self.webhook.as_ref().is_some_and(|d| !d.delivered);
        match self.check.status {
            Status::Failed => 1,
            _ if undelivered => 1,
            Status::Drift => EXIT_DRIFT,
            Status::InSync => 0,
        }
    }
}

/// The `--target` values as target ids: a value that is a listed id is taken whole (an id may
/// contain a comma; the background jobs pass one id each), any other is split on commas.
fn selected_targets(values: &[String], listed: &[String]) -> Vec<String> {
    values
        .iter()
        .flat_map(|value| {
            if listed.contains(value) {
                vec![value.clone()]
            } else {
                value
                    .split(',')
                    .map(str::trim)
                    .filter(|id| !id.is_empty())
                    .map(str::to_owned)
                    .collect()
            }
        })
        .collect()
}

/// Says why a target cannot be used, naming the variable or file of the chosen secret source.
fn explainer(
    secrets: &SecretSource,
) -> impl Fn(&str, &TargetProblem) -> (String, String) + Sync + '_ {
    move |id, problem| workspace::unusable_reason(id, problem, secrets)
}

/// A check that could not open the data folder: nothing to compare with, so it always alerts.
fn could_not_start(message: String, hint: Option<String>) -> (CheckSummary, PathBuf, Vec<Alert>) {
    let summary = CheckSummary::could_not_start(message, hint);
    let alerts = watch::alerts(&mut WatchState::default(), &summary, chrono::Utc::now());
    (summary, PathBuf::new(), alerts)
}

/// One check of the selected targets, in a session of its own: every check reads JumpCloud
/// and the settings afresh, and nothing of it stays in memory while the watcher waits.
async fn check(
    args: &WatchArgs,
    stop: &jumpcloud::CancellationToken,
) -> (CheckSummary, PathBuf, Vec<Alert>) {
    let secrets = match SecretSource::from_args(&args.workspace) {
        Ok(s) => s,
        Err(e) => return could_not_start(e.message, e.hint),
    };
    let session = match workspace::open_session_plain(&args.workspace, !args.no_history).await {
        Ok(session) => session,
        Err(e) => return could_not_start(e.message, e.hint),
    };
    // Ctrl-C or SIGTERM during a check cancels it cleanly (the history marks it cancelled).
    let cancel_on_stop = {
        let (stop, session) = (stop.clone(), session.clone());
        tokio::spawn(async move {
            stop.cancelled().await;
            session.cancel_all();
        })
    };
    let listed = session.workspace().target_ids();
    let selected = selected_targets(&args.targets, &listed);
    for info in session.workspace().targets() {
        if selected.is_empty() || selected.contains(&info.id) {
            eprintln!("watch: checking {} ({})", info.name, info.id);
        }
    }
    let explain = explainer(&secrets);
    let summary = watch::check_targets(&session, &selected, &explain).await;
    let data_dir = session.data_dir().to_owned();
    let alerts = watch::follow_up(&session, &summary).await;
    // Awaited, not only aborted: the task holds the session, which must be gone before the
    // watcher trims its memory for the wait.
    cancel_on_stop.abort();
    let _ = cancel_on_stop.await;
    drop(session);
    (summary, data_dir, alerts)
}

/// How long `--once` waits for a click on its notifications before it exits.
const CLICK_WAIT: Duration = Duration::from_secs(5 * 60);

/// Shows each alert as a desktop notification; a failure is reported, not fatal (the summary
/// and the exit code still carry the news). A click on one opens the app on its target's diff
/// ([`open_in_app`]); with `wait`, returns once every notification was clicked or closed, or
/// after [`CLICK_WAIT`].
fn notify(alerts: &[Alert], data_dir: &Path, wait: bool) -> usize {
    let sink = notices::Sink::from_env();
    let mut shown = 0;
    let mut waiting = Vec::new();
    for alert in alerts {
        let notice = notices::Notice::new(
            alert.kind.as_str(),
            &alert.target_id,
            &alert.title,
            &alert.body,
        );
        let on_click: Option<notices::OnClick> =
            (!alert.target_id.is_empty() && !data_dir.as_os_str().is_empty()).then(|| {
                let (dir, target) = (data_dir.to_owned(), alert.target_id.clone());
                Box::new(move || open_in_app(&dir, &target)) as notices::OnClick
            });
        match sink.send_then(&notice, on_click) {
            Ok(thread) => {
                shown += 1;
                waiting.extend(thread);
            }
            Err(e) => eprintln!("watch: {e}"),
        }
    }
    if wait && !waiting.is_empty() {
        let (done, finished) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for thread in waiting {
                let _ = thread.join();
            }
            let _ = done.send(());
        });
        eprintln!(
            "watch: waiting up to {} for a click on a notification",
            humanize(CLICK_WAIT)
        );
        let _ = finished.recv_timeout(CLICK_WAIT);
    }
    shown
}

/// Opens the app of `data_dir` on `target`'s diff: the running app takes a request; else the
/// app is started with `--open-diff` (the program beside this one, or `SCIM_COMPANION_APP`).
fn open_in_app(data_dir: &Path, target: &str) {
    use engine::watch::launch;
    if launch::app_is_running(data_dir) {
        if let Err(e) = launch::request_open(data_dir, target) {
            eprintln!("watch: could not ask the app to open the diff: {e}");
        }
        return;
    }
    let program = std::env::var_os("SCIM_COMPANION_APP")
        .map(PathBuf::from)
        .or_else(|| {
            let name = format!("scim-companion-app{}", std::env::consts::EXE_SUFFIX);
            std::env::current_exe()
                .ok()
                .and_then(|exe| exe.parent().map(|dir| dir.join(name)))
        });
    let Some(program) = program else {
        eprintln!("watch: the app's program was not found beside the watcher");
        return;
    };
    let started = std::process::Command::new(&program)
        .arg("--open-diff")
        .arg(target)
        .env("SCIM_COMPANION_DATA_DIR", data_dir)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
    if let Err(e) = started {
        eprintln!("watch: could not start {}: {e}", program.display());
    }
}

fn print(output: &WatchOutput, pretty: bool) {
    let text = if pretty {
        serde_json::to_string_pretty(output)
    } else {
        serde_json::to_string(output)
    };
    println!("{}", text.unwrap_or_default());
    for t in &output.check.targets {
        let what = match (&t.error, t.status) {
            (Some(e), _) => format!("failed: {}", e.message),
            (None, Status::Drift) => format!("drift: {}", watch::counts_text(&t.drift)),
            (None, _) => "in sync".to_owned(),
        };
        let label = if t.id.is_empty() { "check" } else { &t.id };
        eprintln!("watch: {label}: {what}");
    }
}

pub async fn run(args: WatchArgs) -> CliResult<ExitCode> {
    let hook = if args.webhook {
        Some(Webhook::from_source(&SecretSource::from_args(
            &args.workspace,
        )?)?)
    } else {
        None
    };
    let stop = crate::cancel::on_stop_signal();
    loop {
        let (summary, data_dir, alerts) = check(&args, &stop).await;
        let mut output = WatchOutput::new(summary, alerts);
        // Only news is worth a message: drift that stays as it was is in the summary, not
        // in the channel every few hours.
        if let Some(hook) = &hook {
            if !output.alerts.is_empty() {
                output.webhook = Some(hook.post(&output.check, &output.alerts).await);
                output.exit_code = output.code();
            }
        }
        if args.notify {
            let (alerts, dir, wait) = (output.alerts.clone(), data_dir.clone(), args.once);
            output.notified = tokio::task::spawn_blocking(move || notify(&alerts, &dir, wait))
                .await
                .ok();
        }
        print(&output, args.once);
        let code = output.exit_code;
        drop(output);
        release_memory();
        let Some(every) = args.every else {
            return Ok(ExitCode::from(code));
        };
        if stop.is_cancelled() {
            return Ok(ExitCode::SUCCESS);
        }
        eprintln!("watch: next check in {}", humanize(every));
        tokio::select! {
            _ = stop.cancelled() => return Ok(ExitCode::SUCCESS),
            _ = tokio::time::sleep(every) => {}
        }
    }
}

/// Gives the memory of a finished check back to the system. The check's session is gone by
/// now, but glibc keeps freed memory in its arenas: after a check of 20,000 users the idle
/// watcher held 423 MB, and 56 MB once trimmed (measured, docs/watch.md).
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn release_memory() {
    // SAFETY: malloc_trim only returns free heap pages to the kernel; it takes no pointers
    // and is safe to call at any time from any thread.
    unsafe {
        libc::malloc_trim(0);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn release_memory() {}

fn humanize(d: Duration) -> String {
    let s = d.as_secs();
    match s {
        s if s % 86_400 == 0 => format!("{} d", s / 86_400),
        s if s % 3600 == 0 => format!("{} h", s / 3600),
        s => format!("{} min", s / 60),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use engine::watch::TargetCheck;
    use engine::ErrorKind;

    #[test]
    fn intervals_read_minutes_hours_and_days_and_refuse_short_or_unitless_ones() {
        assert_eq!(parse_interval("30m"), Ok(Duration::from_secs(1800)));
        assert_eq!(parse_interval("4h"), Ok(Duration::from_secs(4 * 3600)));
        assert_eq!(parse_interval("1d"), Ok(Duration::from_secs(86_400)));
        assert_eq!(parse_interval("300s"), Ok(Duration::from_secs(300)));
        assert!(parse_interval("4m")
            .unwrap_err()
            .contains("under 5 minutes"));
        assert!(parse_interval("4").unwrap_err().contains("no unit"));
        assert!(parse_interval("4w").unwrap_err().contains("not a unit"));
        assert!(parse_interval("h").is_err());
        assert_eq!(humanize(Duration::from_secs(4 * 3600)), "4 h");
        assert_eq!(humanize(Duration::from_secs(90 * 60)), "90 min");
    }

    fn output(statuses: &[Status]) -> WatchOutput {
        let targets = statuses
            .iter()
            .map(|s| {
                let mut t = TargetCheck::failed("t", "T", ErrorKind::Network, "x".into(), None);
                t.status = *s;
                t
            })
            .collect();
        WatchOutput::new(CheckSummary::new("demo", targets), vec![])
    }

    #[test]
    fn target_values_split_on_commas_unless_they_name_a_target_whole() {
        let listed = vec!["aws".to_owned(), "a,b".to_owned(), "unity".to_owned()];
        let select = |values: &[&str]| {
            selected_targets(
                &values.iter().map(|v| (*v).to_owned()).collect::<Vec<_>>(),
                &listed,
            )
        };
        assert_eq!(select(&["aws,unity"]), ["aws", "unity"]);
        assert_eq!(
            select(&["a,b"]),
            ["a,b"],
            "an id with a comma is kept whole"
        );
        assert_eq!(select(&["aws", "unity"]), ["aws", "unity"]);
        assert_eq!(select(&["aws, nope,"]), ["aws", "nope"]);
        assert!(select(&[]).is_empty());
    }

    #[test]
    fn the_exit_code_puts_failure_over_drift_over_in_sync() {
        let code = |s: &[Status]| output(s).exit_code;
        assert_eq!(code(&[Status::InSync, Status::InSync]), 0);
        assert_eq!(code(&[Status::InSync, Status::Drift]), 2);
        assert_eq!(code(&[Status::Drift, Status::Failed]), 1);
        assert_eq!(code(&[]), 0);
        let mut drift = output(&[Status::Drift]);
        drift.webhook = Some(webhook::Delivery {
            delivered: false,
            status: None,
            error: Some("refused".into()),
        });
        assert_eq!(drift.code(), 1, "an alert nobody received is a failure");
    }
}
