//! `scim-companion diff TARGET`: JumpCloud against one target (who is missing, extra, changed,
//! ineligible, and why), as a table, JSON, CSV or a standalone HTML report; recorded into the
//! local history like a diff run from the app.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use clap::{Args, ValueEnum};
use engine::diff::{kind_name, state_name, DriftRow, DriftRowKind, DriftRowState, STATES};
use engine::{
    DiffEvent, DiffPhase, DiffProgress, DiffReport, ExportFormat, RowQuery, Session, WorkspaceMode,
};

use crate::error::{CliError, CliResult};
use crate::progress::Progress;
use crate::text::{fit, wrap};
use crate::workspace::{self, WorkspaceArgs};
use crate::{connect, source};

/// Exit code with `--detailed-exitcode` when the diff ran and found drift.
pub const EXIT_DRIFT: u8 = 2;

#[derive(Args)]
#[command(after_long_help = "\
Exit codes:
  0  the diff ran (with --detailed-exitcode: and the default plan would write nothing)
  1  error (unknown target, unreachable target, JumpCloud or keychain problem, ...)
  2  with --detailed-exitcode only: the diff ran and found drift: a row the default plan
     writes (missing, changed, deactivate, extra), or any row in the --state states if given

Rows in the other states say why nothing is written (conflict and decision wait for a person;
disabled, left_as_is, unmanaged and ineligible are JumpCloud's own behaviour); they are listed
but are not drift, so a scheduled check comes back clean right after a complete apply.

Examples:
  scim-companion diff demo-aws
  scim-companion diff demo-aws --format json > drift.json
  scim-companion diff demo-strongdm --state missing --state changed --format csv
  scim-companion diff aws-prod --detailed-exitcode --no-history || echo \"drift or error: $?\"

Progress goes to stderr; the report goes to stdout. Each run is recorded in the app's history
(<data dir>/history.sqlite) unless --no-history is given.")]
pub struct DiffArgs {
    /// The target id (`scim-companion targets list` shows them; the demo has demo-aws,
    /// demo-strongdm and demo-generic).
    pub target: String,

    /// How to print the report. json, csv and html are the app's export formats.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,

    /// Exit with 2 when there is drift and 0 when in sync (like `terraform plan`).
    #[arg(long)]
    pub detailed_exitcode: bool,

    /// Only rows in these states (repeat or comma-separate). The table shows every state
    /// except in_sync by default; json and csv show every row by default.
    #[arg(
        long = "state",
        value_enum,
        value_delimiter = ',',
        value_name = "STATE"
    )]
    pub states: Vec<StateArg>,

    /// Do not record this run in the history.
    #[arg(long)]
    pub no_history: bool,

    /// JumpCloud directory to diff from: a JSON snapshot (`jumpcloud snapshot --out`) or a CSV
    /// export. For configured targets the default is to read JumpCloud with the saved
    /// connection (key from JUMPCLOUD_API_KEY or the keychain).
    #[arg(long, value_name = "FILE")]
    pub directory: Option<PathBuf>,

    #[command(flatten)]
    pub workspace: WorkspaceArgs,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Table,
    Json,
    Csv,
    Html,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum StateArg {
    Missing,
    Extra,
    Changed,
    Deactivate,
    Conflict,
    Decision,
    Disabled,
    #[value(name = "left_as_is", alias = "left-as-is")]
    LeftAsIs,
    Unmanaged,
    Ineligible,
    #[value(name = "in_sync", alias = "in-sync")]
    InSync,
}

impl From<StateArg> for DriftRowState {
    fn from(s: StateArg) -> Self {
        match s {
            StateArg::Missing => DriftRowState::Missing,
            StateArg::Extra => DriftRowState::Extra,
            StateArg::Changed => DriftRowState::Changed,
            StateArg::Deactivate => DriftRowState::Deactivate,
            StateArg::Conflict => DriftRowState::Conflict,
            StateArg::Decision => DriftRowState::Decision,
            StateArg::Disabled => DriftRowState::Disabled,
            StateArg::LeftAsIs => DriftRowState::LeftAsIs,
            StateArg::Unmanaged => DriftRowState::Unmanaged,
            StateArg::Ineligible => DriftRowState::Ineligible,
            StateArg::InSync => DriftRowState::InSync,
        }
    }
}

fn kind_index(kind: DriftRowKind) -> usize {
    match kind {
        DriftRowKind::User => 0,
        DriftRowKind::Group => 1,
        DriftRowKind::Membership => 2,
    }
}

/// Opens the session, checks that `target` can be used, and loads the directory from
/// `directory` when given (else the session reads JumpCloud with the saved connection when it
/// diffs). Shared by `diff`, `plan` and `apply`.
pub async fn open_target(
    target: &str,
    directory: Option<&std::path::Path>,
    workspace_args: &WorkspaceArgs,
) -> CliResult<(Arc<Session>, engine::TargetInfo)> {
    open_target_recording(target, directory, workspace_args, true).await
}

/// [`open_target`], without the history when `record` is false (`diff --no-history`).
pub async fn open_target_recording(
    target: &str,
    directory: Option<&std::path::Path>,
    workspace_args: &WorkspaceArgs,
    record: bool,
) -> CliResult<(Arc<Session>, engine::TargetInfo)> {
    let session = workspace::open_session_recording(workspace_args, record).await?;
    let workspace = session.workspace();
    let Some(target) = workspace.target(target).cloned() else {
        return Err(CliError::new(format!(
            "unknown target `{target}`; known targets: {}",
            workspace::known_targets(&workspace)
        ))
        .with_hint(
            "`scim-companion targets list` shows the configured targets; --demo uses the demo's.",
        ));
    };
    if let Some(problem) = workspace.target_problem(&target.id) {
        let secrets = workspace::SecretSource::from_args(workspace_args)?;
        return Err(workspace::unusable_target(&target.id, problem, &secrets));
    }
    if let Some(file) = directory {
        let loaded = source::load_file(file)?;
        session.update_workspace(|w| {
            Ok(engine::directory_read::with_directory(
                w,
                loaded.directory,
                loaded.source,
            ))
        })?;
    }
    Ok((session, target))
}

/// Diffs `target` with progress on stderr (reading JumpCloud first when the session has not),
/// recorded in the history unless the session records nothing.
pub async fn read(session: &Session, target: &engine::TargetInfo) -> CliResult<Arc<DiffReport>> {
    let workspace = session.workspace();
    let reads_jumpcloud =
        workspace.mode() == WorkspaceMode::Configured && workspace.directory_status().needs_read;
    if let (true, Some(settings)) = (
        reads_jumpcloud,
        workspace.config().and_then(|c| c.jumpcloud.as_ref()),
    ) {
        connect::announce_saved(settings);
    }
    let progress = Progress::new();
    let last_phase = std::sync::Mutex::new(None);
    let result = session
        .target(&target.id)?
        .diff(|event| match event {
            DiffEvent::JumpCloud(p) => progress.update(&connect::progress_text(&p)),
            DiffEvent::Target(p) => {
                let mut last = last_phase.lock().unwrap_or_else(|e| e.into_inner());
                if *last != Some(p.phase) {
                    *last = Some(p.phase);
                    progress.force(&progress_text(&p));
                } else {
                    progress.update(&progress_text(&p));
                }
            }
        })
        .await;
    progress.finish();
    let report = result?;
    eprintln!(
        "diff: {} -> {} ({}, {})",
        session.workspace().directory_summary().source,
        target.name,
        target.id,
        target.base_url
    );
    eprintln!(
        "read the target with {} requests in {} ms; {} rows, {} drift, {} need a decision",
        report.requests,
        report.duration.as_millis(),
        report.rows.len(),
        report.drifted(),
        report.needs_decision()
    );
    Ok(report)
}

pub async fn run(args: DiffArgs) -> CliResult<ExitCode> {
    let (session, target) = open_target_recording(
        &args.target,
        args.directory.as_deref(),
        &args.workspace,
        !args.no_history,
    )
    .await?;
    let report = read(&session, &target).await?;

    let states: Vec<DriftRowState> = args.states.iter().map(|s| (*s).into()).collect();
    let out = match args.format {
        Format::Table => table(&report, &states, terminal_width()),
        Format::Json => report.export_states(ExportFormat::Json, &states) + "\n",
        Format::Csv => report.export_states(ExportFormat::Csv, &states),
        Format::Html if states.is_empty() => report.export(ExportFormat::Html),
        Format::Html => {
            return Err(CliError::new(
                "--state cannot be combined with --format html (the report shows every row)",
            ))
        }
    };
    print!("{out}");

    let drift = report.rows.iter().any(|r| {
        if states.is_empty() {
            r.state.is_drift()
        } else {
            r.state != DriftRowState::InSync && states.contains(&r.state)
        }
    });
    Ok(if drift && args.detailed_exitcode {
        ExitCode::from(EXIT_DRIFT)
    } else {
        ExitCode::SUCCESS
    })
}

pub fn progress_text(p: &DiffProgress) -> String {
    let of = |n: u64, total: Option<u64>| match total {
        Some(t) => format!("{n}/{t}"),
        None => n.to_string(),
    };
    let phase = match p.phase {
        DiffPhase::Reading => "reading users and groups",
        DiffPhase::Memberships => "reading memberships",
        DiffPhase::Comparing => "comparing",
        DiffPhase::Done => "done",
    };
    let mut parts = vec![format!(
        "{phase}: {} users, {} groups",
        of(p.users_read, p.users_total),
        of(p.groups_read, p.groups_total)
    )];
    if p.phase == DiffPhase::Memberships {
        parts.push(format!(
            "{} member lists",
            of(p.member_lists_read, p.member_lists_total)
        ));
    }
    parts.push(format!("{} requests", p.requests));
    if let Some(rate) = p.per_second {
        let unit = if p.phase == DiffPhase::Memberships {
            "lists"
        } else {
            "resources"
        };
        parts.push(format!("{rate:.1} {unit}/s"));
    }
    if let Some(left) = p.seconds_left {
        parts.push(format!("about {} left", duration_text(left)));
    }
    if p.refused > 0 {
        let pace = p
            .pace
            .map(|r| format!(", keeping to {r:.1} requests/s"))
            .unwrap_or_default();
        parts.push(format!("target throttled {} requests{pace}", p.refused));
    }
    parts.join(", ")
}

/// "45 s", "4 min 10 s", "1 h 12 min".
fn duration_text(seconds: u64) -> String {
    match seconds {
        s if s < 60 => format!("{s} s"),
        s if s < 3600 => format!("{} min {} s", s / 60, s % 60),
        s => format!("{} h {} min", s / 3600, (s % 3600) / 60),
    }
}

fn query(states: &[DriftRowState]) -> RowQuery {
    RowQuery {
        states: states.to_vec(),
        ..RowQuery::default()
    }
}

pub fn terminal_width() -> usize {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse::<usize>().ok())
        .filter(|w| *w >= 60)
        .unwrap_or(100)
}

/// The row's reason (it names the changed attributes); the attribute list when there is none.
fn detail(row: &DriftRow) -> String {
    if row.reason.is_empty() {
        row.changed_attributes.join(", ")
    } else {
        row.reason.clone()
    }
}

/// Counts per state and kind, then one line per row, within `width` columns.
pub fn table(report: &DiffReport, states: &[DriftRowState], width: usize) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "JumpCloud vs {} ({}): {} rows, {} not in sync",
        report.target_name,
        report.target_id,
        report.rows.len(),
        report.drifted()
    );
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "{:<12} {:>7} {:>7} {:>12}",
        "STATE", "USERS", "GROUPS", "MEMBERSHIPS"
    );
    let mut counts: Vec<(DriftRowState, [u32; 3])> = STATES.iter().map(|s| (*s, [0; 3])).collect();
    for row in &report.rows {
        if let Some((_, c)) = counts.iter_mut().find(|(s, _)| *s == row.state) {
            c[kind_index(row.kind)] += 1;
        }
    }
    for (state, [u, g, m]) in &counts {
        let _ = writeln!(out, "{:<12} {u:>7} {g:>7} {m:>12}", state_name(*state));
    }

    let shown: Vec<DriftRowState> = if states.is_empty() {
        STATES
            .iter()
            .copied()
            .filter(|s| *s != DriftRowState::InSync)
            .collect()
    } else {
        states.to_vec()
    };
    let (total, rows) = report.query(&query(&shown), 0, usize::MAX);
    let _ = writeln!(out);
    if total == 0 {
        let _ = writeln!(
            out,
            "No rows to show: nothing drifted in the selected states."
        );
        return out;
    }
    let (ws, wk) = (11, 10);
    let rest = width.saturating_sub(ws + wk + 3).max(30);
    let wl = (rest * 2 / 5).clamp(16, 40);
    let wd = rest.saturating_sub(wl + 1).max(10);
    let _ = writeln!(
        out,
        "{:<ws$} {:<wk$} {:<wl$} REASON / CHANGED ATTRIBUTES",
        "STATE", "KIND", "NAME"
    );
    // The reason is the "why" an admin needs: wrapped under its column, never cut.
    let indent = " ".repeat(ws + wk + wl + 3);
    for row in rows {
        let mut reason = wrap(&detail(row), wd).into_iter();
        let _ = writeln!(
            out,
            "{:<ws$} {:<wk$} {:<wl$} {}",
            state_name(row.state),
            kind_name(row.kind),
            fit(&row.label, wl),
            reason.next().unwrap_or_default()
        );
        for more in reason {
            let _ = writeln!(out, "{indent}{more}");
        }
    }
    out
}

#[cfg(test)]
mod progress_tests {
    use super::*;

    #[test]
    fn a_long_membership_read_shows_lists_rate_time_left_and_throttling() {
        let p = DiffProgress {
            phase: DiffPhase::Memberships,
            users_read: 50_000,
            groups_read: 10_000,
            member_lists_read: 4_210,
            member_lists_total: Some(10_000),
            per_second: Some(19.64),
            seconds_left: Some(295),
            requests: 4_810,
            refused: 12,
            pace: Some(19.6),
            ..DiffProgress::default()
        };
        assert_eq!(
            progress_text(&p),
            "reading memberships: 50000 users, 10000 groups, 4210/10000 member lists, \
             4810 requests, 19.6 lists/s, about 4 min 55 s left, \
             target throttled 12 requests, keeping to 19.6 requests/s"
        );
        let start = DiffProgress::default();
        assert_eq!(
            progress_text(&start),
            "reading users and groups: 0 users, 0 groups, 0 requests"
        );
    }
}
