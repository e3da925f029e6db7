//! `scim-companion history`: the local sync history the app and the CLI record into
//! (`<data dir>/history.sqlite`), read-only: list runs, show one run, export a run.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, Subcommand, ValueEnum};
use history::{
    ApplyStep, History, OperationPage, RunFilter, RunId, RunKind, RunOutcome, RunPage, RunSummary,
    StepState,
};

use crate::data_dir;
use crate::error::{CliError, CliResult};
use crate::text::fit;

/// File name of the history database inside the data folder (as the app names it).
pub const FILE_NAME: &str = engine::session::HISTORY_FILE_NAME;

#[derive(Args)]
#[command(after_long_help = "\
Examples:
  scim-companion history list
  scim-companion history list --target demo-aws --kind diff --limit 5
  scim-companion history show 12
  scim-companion history export 12 --format csv > run-12.csv
  scim-companion history export            # the latest run, as JSON

Runs are recorded by the app (connection checks, diffs) and by `scim-companion diff`.")]
pub struct HistoryArgs {
    #[command(subcommand)]
    command: HistoryCommand,

    /// The app's data folder holding history.sqlite [default: the desktop app's own].
    #[arg(long, value_name = "DIR", env = data_dir::ENV, global = true)]
    data_dir: Option<PathBuf>,
}

#[derive(Subcommand)]
enum HistoryCommand {
    /// Runs, newest first: id, start time (UTC), kind, target, outcome, summary.
    List(ListArgs),
    /// One run: when, what, outcome, counts, what changed since the previous diff, the steps of
    /// an apply (which succeeded, failed, were in flight or never started), and its SCIM requests.
    Show(ShowArgs),
    /// One run with its requests, as JSON or CSV (the app's export).
    Export(ExportArgs),
}

#[derive(Args)]
struct ListArgs {
    /// Only runs of this target id.
    #[arg(long, value_name = "ID")]
    target: Option<String>,
    /// Only runs of this kind.
    #[arg(long, value_enum)]
    kind: Option<KindArg>,
    /// Only runs with this outcome.
    #[arg(long, value_enum)]
    outcome: Option<OutcomeArg>,
    /// How many runs to show.
    #[arg(long, default_value_t = 20)]
    limit: u32,
    /// Print the runs as JSON.
    #[arg(long)]
    json: bool,
}

#[derive(Args)]
struct ShowArgs {
    /// The run id (from `history list`).
    run: i64,
    /// How many of the run's requests to list.
    #[arg(long, default_value_t = 50)]
    operations: u32,
}

#[derive(Args)]
struct ExportArgs {
    /// The run id (from `history list`) [default: the latest run].
    run: Option<i64>,
    #[arg(long, value_enum, default_value_t = ExportFormatArg::Json)]
    format: ExportFormatArg,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum ExportFormatArg {
    Json,
    Csv,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum KindArg {
    #[value(name = "test_connection", alias = "test-connection")]
    TestConnection,
    Diff,
    Apply,
    #[value(name = "provision_one", alias = "provision-one")]
    ProvisionOne,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum OutcomeArg {
    Running,
    Succeeded,
    Failed,
    Cancelled,
    Partial,
}

pub async fn run(args: HistoryArgs) -> CliResult<ExitCode> {
    let dir = data_dir::resolve(args.data_dir)?;
    let path = dir.join(FILE_NAME);
    let Some(store) = open(&path).await? else {
        return match args.command {
            HistoryCommand::List(_) => {
                eprintln!("No history yet: {} does not exist.", path.display());
                Ok(ExitCode::SUCCESS)
            }
            _ => Err(
                CliError::new(format!("no history yet: {} does not exist", path.display()))
                    .with_hint(
                    "Run a diff (`scim-companion diff TARGET`) or check a target in the app first.",
                ),
            ),
        };
    };
    let result = match args.command {
        HistoryCommand::List(a) => list(&store, &a).await,
        HistoryCommand::Show(a) => show(&store, &a).await,
        HistoryCommand::Export(a) => export(&store, &a).await,
    };
    store.close().await;
    result.map(|out| {
        print!("{out}");
        ExitCode::SUCCESS
    })
}

/// Opens an existing history file; `None` when there is none (this command never creates one).
async fn open(path: &Path) -> CliResult<Option<History>> {
    if !path.exists() {
        return Ok(None);
    }
    Ok(Some(History::open(path).await?))
}

async fn list(store: &History, a: &ListArgs) -> CliResult<String> {
    let filter = RunFilter {
        target: a.target.clone(),
        kind: a.kind.map(|k| match k {
            KindArg::TestConnection => RunKind::TestConnection,
            KindArg::Diff => RunKind::Diff,
            KindArg::Apply => RunKind::Apply,
            KindArg::ProvisionOne => RunKind::ProvisionOne,
        }),
        outcome: a.outcome.map(|o| match o {
            OutcomeArg::Running => RunOutcome::Running,
            OutcomeArg::Succeeded => RunOutcome::Succeeded,
            OutcomeArg::Failed => RunOutcome::Failed,
            OutcomeArg::Cancelled => RunOutcome::Cancelled,
            OutcomeArg::Partial => RunOutcome::Partial,
        }),
        ..RunFilter::default()
    };
    let runs = store
        .list_runs(&filter, RunPage::first(a.limit.max(1)))
        .await?;
    if a.json {
        return Ok(serde_json::to_string_pretty(&runs).unwrap_or_default() + "\n");
    }
    if runs.is_empty() {
        return Ok("No runs match.\n".to_owned());
    }
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{:>5}  {:<16}  {:<15}  {:<16}  {:<9}  SUMMARY",
        "ID", "STARTED (UTC)", "KIND", "TARGET", "OUTCOME"
    );
    for r in &runs {
        let _ = writeln!(
            out,
            "{:>5}  {:<16}  {:<15}  {:<16}  {:<9}  {}",
            r.id.0,
            r.started_at.format("%Y-%m-%d %H:%M"),
            r.kind.as_str(),
            fit(&r.target_id, 16),
            r.outcome.as_str(),
            fit(&short_summary(r), 29)
        );
    }
    Ok(out)
}

/// Diff runs by their counts (the summary text is long); other runs by their summary.
fn short_summary(r: &RunSummary) -> String {
    let c = &r.counts;
    match (r.kind, r.outcome) {
        (RunKind::Diff, RunOutcome::Succeeded) => format!(
            "{} missing, {} extra, {} changed",
            c.missing, c.extra, c.changed
        ),
        _ => r.summary.clone(),
    }
}

async fn show(store: &History, a: &ShowArgs) -> CliResult<String> {
    let id = RunId(a.run);
    let detail = store.run(id).await?;
    let r: &RunSummary = &detail.run;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Run {}: {} of {} ({})",
        r.id,
        r.kind.as_str(),
        r.target_name,
        r.target_id
    );
    let _ = writeln!(out, "  outcome:   {}", r.outcome.as_str());
    let _ = writeln!(out, "  started:   {}", r.started_at.to_rfc3339());
    if let Some(f) = r.finished_at {
        let took = (f - r.started_at).num_milliseconds().max(0);
        let _ = writeln!(out, "  finished:  {} ({took} ms)", f.to_rfc3339());
    }
    if r.actor.is_empty() {
        let _ = writeln!(out, "  version:   {}", r.app_version);
    } else {
        let _ = writeln!(out, "  by:        {} (version {})", r.actor, r.app_version);
    }
    if !r.summary.is_empty() {
        let _ = writeln!(out, "  summary:   {}", r.summary);
    }
    let c = &r.counts;
    match r.kind {
        RunKind::Diff => {
            let _ = writeln!(
                out,
                "  drift:     {} missing, {} extra, {} changed, {} ineligible",
                c.missing, c.extra, c.changed, c.ineligible
            );
        }
        RunKind::Apply | RunKind::ProvisionOne => {
            let _ = writeln!(
                out,
                "  changes:   {} created, {} updated, {} deleted, {} failed, {} skipped",
                c.created, c.updated, c.deleted, c.failed, c.skipped
            );
        }
        RunKind::TestConnection => {}
    }
    if detail.has_snapshot {
        let delta = store.diff_since_previous(id).await?;
        match delta.previous_run_id {
            Some(prev) => {
                let _ = writeln!(
                    out,
                    "  since run {prev}: {} appeared, {} disappeared, {} changed",
                    delta.appeared.len(),
                    delta.disappeared.len(),
                    delta.changed.len()
                );
            }
            None => {
                let _ = writeln!(out, "  first diff of this target in the history");
            }
        }
    }
    if matches!(r.kind, RunKind::Apply | RunKind::ProvisionOne) {
        let steps = store.steps(id).await?;
        write_steps(&mut out, &steps, r.outcome == RunOutcome::Running);
    }
    let t = &detail.operation_outcomes;
    let total = t.succeeded + t.failed + t.skipped;
    if total > 0 {
        let _ = writeln!(
            out,
            "\nRequests: {total} ({} succeeded, {} failed, {} skipped)",
            t.succeeded, t.failed, t.skipped
        );
        let ops = store
            .operations(id, OperationPage::first(a.operations))
            .await?;
        for operation in &ops {
            let op = &operation.op;
            let status = op.status.map_or("-".to_owned(), |s| s.to_string());
            let latency = op.latency_ms.map_or(String::new(), |l| format!("{l} ms"));
            let _ = writeln!(
                out,
                "  {:>4}  {:<6} {:<44} {:>4} {:>8}  {}",
                operation.seq,
                op.method,
                fit(&op.path, 44),
                status,
                latency,
                op.error_detail
                    .as_deref()
                    .map(|e| fit(e, 24))
                    .unwrap_or_default()
            );
        }
        if u64::from(total) > ops.len() as u64 {
            let _ = writeln!(
                out,
                "  ... {} more (use --operations N or `history export`)",
                u64::from(total) - ops.len() as u64
            );
        }
    }
    Ok(out)
}

/// The apply journal, one line per planned step in plan order: seq, state, action, label,
/// detail. In a run that is no longer running, a `running` step was in flight when the process
/// stopped (its request may or may not have taken effect) and a `pending` step was never sent.
fn write_steps(out: &mut String, steps: &[ApplyStep], run_still_running: bool) {
    if steps.is_empty() {
        let _ = writeln!(
            out,
            "\nSteps: none recorded (applies recorded before the journal have none)"
        );
        return;
    }
    let count = |state: StepState| steps.iter().filter(|s| s.state == state).count();
    let tally: Vec<String> = [
        StepState::Succeeded,
        StepState::Failed,
        StepState::Running,
        StepState::Pending,
        StepState::Skipped,
    ]
    .into_iter()
    .map(|state| (state, count(state)))
    .filter(|(_, n)| *n > 0)
    .map(|(state, n)| format!("{n} {}", state.as_str()))
    .collect();
    let _ = writeln!(out, "\nSteps: {} ({})", steps.len(), tally.join(", "));
    let cut_off = !run_still_running
        && steps
            .iter()
            .any(|s| matches!(s.state, StepState::Running | StepState::Pending));
    if cut_off {
        let _ = writeln!(
            out,
            "  The apply stopped before it finished: a running step was in flight (check the target \
             to see whether it took effect); pending steps were never sent."
        );
    }
    let _ = writeln!(
        out,
        "  {:>5}  {:<9}  {:<20}  {:<32}  DETAIL",
        "SEQ", "STATE", "ACTION", "LABEL"
    );
    for s in steps {
        let action = if s.destructive {
            format!("{} !", s.action)
        } else {
            s.action.clone()
        };
        let mut detail = s.detail.clone();
        if cut_off && s.state == StepState::Running && detail.is_empty() {
            detail = "in flight when the run stopped".to_owned();
        }
        if let Some(id) = &s.target_id {
            detail = if detail.is_empty() {
                format!("id {id}")
            } else {
                format!("{detail} (id {id})")
            };
        }
        let _ = writeln!(
            out,
            "  {:>5}  {:<9}  {:<20}  {:<32}  {}",
            s.seq,
            s.state.as_str(),
            fit(&action, 20),
            fit(&s.label, 32),
            fit(&detail, 60)
        );
    }
    if steps.iter().any(|s| s.destructive) {
        let _ = writeln!(
            out,
            "  (! marks a destructive step: a deactivation, deletion or member removal)"
        );
    }
}

async fn export(store: &History, a: &ExportArgs) -> CliResult<String> {
    let id = match a.run {
        Some(id) => RunId(id),
        None => store
            .list_runs(&RunFilter::default(), RunPage::first(1))
            .await?
            .first()
            .map(|r| r.id)
            .ok_or_else(|| CliError::new("the history has no runs yet"))?,
    };
    Ok(match a.format {
        ExportFormatArg::Json => {
            let value = store.export_run_json(id).await?;
            serde_json::to_string_pretty(&value).unwrap_or_else(|_| value.to_string()) + "\n"
        }
        ExportFormatArg::Csv => store.export_run_csv(id).await?,
    })
}
