//! `scim-companion watch`: drift checks without the app's window, once (for a systemd timer,
//! cron or a CI job) or on a schedule. A check reads JumpCloud (all or nothing, as every diff)
//! and diffs each target; every diff is recorded in the history like one run from the app, so
//! the History page's drift chart fills itself. A check never writes to a target.
//!
//! Output: one JSON summary per check on stdout (pretty for `--once`, one line per check for
//! `--every`), progress on stderr, exit codes as `diff --detailed-exitcode`.

use std::process::ExitCode;
use std::time::Duration;

use clap::Args;
use engine::{ErrorKind, Session, WorkspaceMode};
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
    #[arg(long = "target", value_name = "ID", value_delimiter = ',')]
    pub targets: Vec<String>,

    /// POST each check that finds drift or fails to a webhook, as JSON with a Slack-compatible
    /// `text` field. The URL comes from SCIM_COMPANION_WEBHOOK_URL or the secrets folder's
    /// `webhook-url` file; https only, except to this machine.
    #[arg(long)]
    pub webhook: bool,

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

/// What a check found: the JSON summary on stdout and the webhook's body.
#[derive(Debug, Serialize)]
pub struct CheckSummary {
    pub checked_at: String,
    pub mode: &'static str,
    pub status: Status,
    pub exit_code: u8,
    pub targets: Vec<TargetCheck>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub webhook: Option<webhook::Delivery>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    InSync,
    Drift,
    Failed,
}

#[derive(Debug, Serialize)]
pub struct TargetCheck {
    pub id: String,
    pub name: String,
    pub status: Status,
    /// Rows the default plan would write, per state (missing, changed, deactivate, extra).
    pub drift: std::collections::BTreeMap<&'static str, usize>,
    /// Rows that wait for a person (conflict, decision).
    pub needs_decision: usize,
    pub rows: usize,
    pub requests: u64,
    pub duration_ms: u64,
    /// The default plan would deactivate or delete more than the deletion guard allows.
    pub guard_tripped: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub token_warning: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<CheckError>,
}

#[derive(Debug, Serialize)]
pub struct CheckError {
    pub code: ErrorKind,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
}

impl CheckSummary {
    fn new(mode: &'static str, targets: Vec<TargetCheck>) -> Self {
        let status = if targets.iter().any(|t| t.status == Status::Failed) {
            Status::Failed
        } else if targets.iter().any(|t| t.status == Status::Drift) {
            Status::Drift
        } else {
            Status::InSync
        };
        let mut summary = CheckSummary {
            checked_at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            mode,
            status,
            exit_code: 0,
            targets,
            webhook: None,
        };
        summary.exit_code = summary.code();
        summary
    }

    /// Exit code: failure (1) over drift (2) over in sync (0); a webhook that could not be
    /// reached is a failure, since nobody would hear of the drift.
    fn code(&self) -> u8 {
        let undelivered = self.webhook.as_ref().is_some_and(|d| !d.delivered);
        match self.status {
            Status::Failed => 1,
            _ if undelivered => 1,
            Status::Drift => EXIT_DRIFT,
            Status::InSync => 0,
        }
    }

    /// Whether the webhook hears of this check.
    fn worth_telling(&self) -> bool {
        self.status != Status::InSync
    }
}

fn failed(
    id: &str,
    name: &str,
    code: ErrorKind,
    message: String,
    hint: Option<String>,
) -> TargetCheck {
    TargetCheck {
        id: id.to_owned(),
        name: name.to_owned(),
        status: Status::Failed,
        drift: Default::default(),
        needs_decision: 0,
        rows: 0,
        requests: 0,
        duration_ms: 0,
        guard_tripped: false,
        token_warning: None,
        error: Some(CheckError {
            code,
            message,
            hint,
        }),
    }
}

/// Diffs one target (recorded in the history) and sums up what the default plan would do.
async fn check_target(
    session: &Session,
    info: &engine::TargetInfo,
    secrets: &SecretSource,
) -> TargetCheck {
    let workspace = session.workspace();
    if let Some(problem) = workspace.target_problem(&info.id) {
        let (reason, hint) = workspace::unusable_reason(&info.id, problem, secrets);
        let code = engine::Error::TargetUnavailable {
            id: info.id.clone(),
            problem: problem.clone(),
        }
        .kind();
        return failed(&info.id, &info.name, code, reason, Some(hint));
    }
    let token_warning = workspace
        .target_settings(&info.id)
        .and_then(|t| engine::setup::token_warning(t, chrono::Utc::now()));
    eprintln!("watch: checking {} ({})", info.name, info.id);
    let handle = match session.target(&info.id) {
        Ok(handle) => handle,
        Err(e) => return failed(&info.id, &info.name, e.kind(), e.to_string(), e.hint()),
    };
    let report = match handle.diff(|_| {}).await {
        Ok(report) => report,
        Err(e) => {
            let mut check = failed(&info.id, &info.name, e.kind(), e.to_string(), e.hint());
            check.token_warning = token_warning;
            return check;
        }
    };
    let mut drift = std::collections::BTreeMap::new();
    for row in report.rows.iter().filter(|r| r.state.is_drift()) {
        *drift
            .entry(engine::diff::state_name(row.state))
            .or_insert(0) += 1;
    }
    let guard_tripped = crate::cmd::plan::PolicyArgs::default()
        .policy()
        .ok()
        .and_then(|policy| handle.plan(&policy).ok())
        .is_some_and(|plan| plan.plan.guard.tripped);
    let status = if drift.is_empty() {
        Status::InSync
    } else {
        Status::Drift
    };
    TargetCheck {
        id: info.id.clone(),
        name: info.name.clone(),
        status,
        drift,
        needs_decision: report.needs_decision(),
        rows: report.rows.len(),
        requests: report.requests,
        duration_ms: u64::try_from(report.duration.as_millis()).unwrap_or(u64::MAX),
        guard_tripped,
        token_warning,
        error: None,
    }
}

/// One check of the selected targets, in a session of its own: every check reads JumpCloud
/// and the settings afresh, and nothing of it stays in memory while the watcher waits.
async fn check(args: &WatchArgs, stop: &jumpcloud::CancellationToken) -> CheckSummary {
    let secrets = match SecretSource::from_args(&args.workspace) {
        Ok(s) => s,
        Err(e) => return whole_check_failed(e.message, e.hint),
    };
    let session = match workspace::open_session_plain(&args.workspace, !args.no_history).await {
        Ok(session) => session,
        Err(e) => return whole_check_failed(e.message, e.hint),
    };
    // Ctrl-C or SIGTERM during a check cancels it cleanly (the history marks it cancelled).
    let cancel_on_stop = {
        let (stop, session) = (stop.clone(), session.clone());
        tokio::spawn(async move {
            stop.cancelled().await;
            session.cancel_all();
        })
    };
    let workspace = session.workspace();
    let mode = match workspace.mode() {
        WorkspaceMode::Demo => "demo",
        WorkspaceMode::Configured => "configured",
    };
    let listed = workspace.targets();
    let mut results = Vec::new();
    for id in &args.targets {
        if !listed.iter().any(|t| &t.id == id) {
            results.push(failed(
                id,
                id,
                ErrorKind::NotFound,
                format!(
                    "unknown target `{id}`; known targets: {}",
                    workspace::known_targets(&workspace)
                ),
                Some("`scim-companion targets list` shows the configured targets.".to_owned()),
            ));
        }
    }
    let selected: Vec<_> = listed
        .into_iter()
        .filter(|t| args.targets.is_empty() || args.targets.contains(&t.id))
        .collect();
    drop(workspace);
    for info in &selected {
        results.push(check_target(&session, info, &secrets).await);
    }
    // Awaited, not only aborted: the task holds the session, which must be gone before the
    // watcher trims its memory for the wait.
    cancel_on_stop.abort();
    let _ = cancel_on_stop.await;
    drop(session);
    CheckSummary::new(mode, results)
}

/// A check that could not start (no data folder, unreadable settings, no secrets folder).
fn whole_check_failed(message: String, hint: Option<String>) -> CheckSummary {
    CheckSummary::new(
        "unknown",
        vec![failed("", "", ErrorKind::InvalidInput, message, hint)],
    )
}

fn print(summary: &CheckSummary, pretty: bool) {
    let text = if pretty {
        serde_json::to_string_pretty(summary)
    } else {
        serde_json::to_string(summary)
    };
    println!("{}", text.unwrap_or_default());
    for t in &summary.targets {
        let what = match (&t.error, t.status) {
            (Some(e), _) => format!("failed: {}", e.message),
            (None, Status::Drift) => format!("drift: {}", webhook::counts_text(&t.drift)),
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
        let mut summary = check(&args, &stop).await;
        if let Some(hook) = &hook {
            if summary.worth_telling() {
                summary.webhook = Some(hook.post(&summary).await);
                summary.exit_code = summary.code();
            }
        }
        print(&summary, args.once);
        let code = summary.exit_code;
        drop(summary);
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

    fn target(status: Status) -> TargetCheck {
        let mut t = failed("t", "T", ErrorKind::Network, "x".into(), None);
        t.status = status;
        t
    }

    #[test]
    fn the_exit_code_puts_failure_over_drift_over_in_sync() {
        let code = |s: &[Status]| {
            CheckSummary::new("demo", s.iter().map(|s| target(*s)).collect()).exit_code
        };
        assert_eq!(code(&[Status::InSync, Status::InSync]), 0);
        assert_eq!(code(&[Status::InSync, Status::Drift]), 2);
        assert_eq!(code(&[Status::Drift, Status::Failed]), 1);
        assert_eq!(code(&[]), 0);
        let mut drift = CheckSummary::new("demo", vec![target(Status::Drift)]);
        drift.webhook = Some(webhook::Delivery {
            delivered: false,
            status: None,
            error: Some("refused".into()),
        });
        assert_eq!(drift.code(), 1, "an alert nobody received is a failure");
    }
}
