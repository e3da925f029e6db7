//! `scim-companion apply TARGET`: re-read the target and make the approved writes that are still
//! needed, journalled in the local history. The approvals are a saved plan's operations
//! (`--plan`) or, without one, the whole plan made now.

use std::collections::HashSet;
use std::io::{IsTerminal, Write as _};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use engine::{ApplyProgress, ApplyRequest};
use history::{RunOutcome, StepState};

use crate::cmd::diff;
use crate::cmd::plan::{self, PlanFile, PolicyArgs};
use crate::error::{CliError, CliResult};
use crate::progress::Progress;
use crate::workspace::WorkspaceArgs;

/// Exit code when some steps failed, or the apply was cancelled or stopped part-way.
pub const EXIT_PARTIAL: u8 = 3;

#[derive(Args)]
#[command(after_long_help = "\
Exit codes:
  0  every step succeeded (or there was nothing to do)
  1  error before any write: unknown target, failed read, destructive operations not
     confirmed with their exact count, a plan over the deletion guard without
     --override-guard naming its exact count, refused confirmation, bad plan file, ...
  3  the apply ran but some steps failed, or it was cancelled (Ctrl-C) part-way

Examples:
  scim-companion plan aws-prod --out plan.json
  scim-companion apply aws-prod --plan plan.json --yes
  scim-companion apply aws-prod --plan plan.json --yes --confirm-destructive 3
  scim-companion apply demo-aws --yes --confirm-destructive 2
  scim-companion apply aws-prod --plan plan.json --yes --confirm-destructive 40 --override-guard 30

A plan with more deactivations and deletions than the deletion guard saved in Settings allows
(default 10 or 5% of the target) is refused, whatever plan file or flags ask, unless
--override-guard names its exact number of deactivations plus deletions (`plan` prints it).

The target is read again first; only approved operations that are still needed run, so applying
the same plan twice writes nothing the second time. Progress goes to stderr; the steps and the
summary go to stdout. Every apply is recorded in the history with a journal of its steps.")]
pub struct ApplyArgs {
    /// The target id (`scim-companion targets list`).
    pub target: String,

    /// Apply the operations of this plan file (`plan --out`). Without it, plan now and apply
    /// the whole plan.
    #[arg(long, value_name = "FILE")]
    pub plan: Option<PathBuf>,

    /// Do not ask for confirmation (needed when stdin is not a terminal).
    #[arg(long, short = 'y')]
    pub yes: bool,

    /// Confirm the destructive operations (deactivations, deletions, member removals) by their
    /// exact number. Required when the plan has any.
    #[arg(long, value_name = "N")]
    pub confirm_destructive: Option<u32>,

    /// Override the deletion guard for this apply: the exact number of deactivations plus
    /// deletions of the plan (`plan` shows it). Needed, besides --confirm-destructive, when the
    /// plan is over the guard's saved limits.
    #[arg(long, value_name = "N")]
    pub override_guard: Option<u32>,

    /// The policy to plan with when no --plan is given (a plan file carries its own).
    #[command(flatten)]
    pub policy: PolicyArgs,

    /// JumpCloud directory to apply from: a JSON snapshot or a CSV export (as for `diff`).
    #[arg(long, value_name = "FILE")]
    pub directory: Option<PathBuf>,

    #[command(flatten)]
    pub workspace: WorkspaceArgs,
}

pub async fn run(args: ApplyArgs) -> CliResult<ExitCode> {
    let saved = args.plan.as_deref().map(PlanFile::load).transpose()?;
    if let Some(file) = &saved {
        if file.target_id != args.target {
            return Err(CliError::new(format!(
                "the plan file is for target `{}`, not `{}`",
                file.target_id, args.target
            )));
        }
        if args.policy.any() {
            return Err(CliError::new(
                "policy options cannot be combined with --plan: the plan file carries its policy",
            ));
        }
    }
    let (session, target) =
        diff::open_target(&args.target, args.directory.as_deref(), &args.workspace).await?;

    // The reviewed plan: the saved one, or one made now.
    let (policy, reviewed) = match saved {
        Some(file) => {
            eprintln!(
                "plan file: {} operations, made {} from a diff of {}",
                file.plan.counts.operations,
                file.created_at.format("%Y-%m-%d %H:%M:%S UTC"),
                file.diff_finished_at.format("%Y-%m-%d %H:%M:%S UTC")
            );
            (file.policy, file.plan)
        }
        None => {
            args.policy.policy()?;
            args.policy
                .note_looser_than(&session.workspace().deletion_guard());
            diff::read(&session, &target).await?;
            let (policy, planned) = args.policy.plan(&session.target(&target.id)?)?;
            (policy, planned.plan.clone())
        }
    };

    if !args.yes {
        if !std::io::stdin().is_terminal() {
            return Err(CliError::new(
                "refusing to apply without confirmation: stdin is not a terminal",
            )
            .with_hint("Review the plan (`scim-companion plan TARGET`), then pass --yes."));
        }
        print!(
            "{}",
            plan::table(&target.name, &target.id, &reviewed, diff::terminal_width())
        );
        if reviewed.operations.is_empty() {
            println!("Nothing to apply.");
            return Ok(ExitCode::SUCCESS);
        }
        print!(
            "\nApply {} operation(s) to {} ({})? The target is read again first. [y/N] ",
            reviewed.counts.operations, target.name, target.id
        );
        let _ = std::io::stdout().flush();
        let mut answer = String::new();
        std::io::stdin()
            .read_line(&mut answer)
            .map_err(|e| CliError::new(format!("cannot read the answer: {e}")))?;
        if !matches!(answer.trim().to_ascii_lowercase().as_str(), "y" | "yes") {
            return Err(CliError::new("not applied: not confirmed"));
        }
    }

    let approved: HashSet<String> = reviewed.intents();
    let request = ApplyRequest {
        policy,
        approved,
        confirm_destructive: args.confirm_destructive,
        override_guard: args.override_guard,
        provision_one: false,
    };
    // A saved plan starts without a diff: read JumpCloud (when configured) with progress here.
    let progress = Progress::new();
    session
        .directory_for(&target.id, |p| {
            progress.update(&crate::connect::progress_text(&p))
        })
        .await?;
    let result = session
        .target(&target.id)?
        .apply(&request, |p| match p {
            ApplyProgress::Reading(d) => {
                progress.update(&format!("re-reading: {}", diff::progress_text(&d)))
            }
            ApplyProgress::Applying(t) => progress.update(&format!(
                "applying: {}/{} ({} ok, {} failed, {} skipped): {}",
                t.done, t.total, t.succeeded, t.failed, t.skipped, t.last
            )),
        })
        .await;
    progress.finish();
    let outcome = result?;

    let mut out = String::new();
    {
        use std::fmt::Write as _;
        let _ = writeln!(
            out,
            "Applied to {} ({}): {} operations",
            target.name,
            target.id,
            outcome.steps.len()
        );
        for step in &outcome.steps {
            let _ = writeln!(
                out,
                "{:<9} {:<15} {}{}{}",
                step.state.as_str(),
                step.action.name(),
                step.label,
                if step.destructive {
                    " [destructive]"
                } else {
                    ""
                },
                if step.detail.is_empty() {
                    String::new()
                } else {
                    format!(": {}", step.detail)
                }
            );
        }
        let c = &outcome.counts;
        let _ = writeln!(
            out,
            "{} approved change(s) no longer needed; {} new change(s) not approved (left for the next plan)",
            c.no_longer_needed, c.not_approved
        );
        let _ = writeln!(out, "{}", outcome.summary);
        let _ = writeln!(
            out,
            "outcome: {}; history run {} in {}",
            outcome.outcome.as_str(),
            outcome.run_id,
            session.history().path().display()
        );
    }
    print!("{out}");
    let failed = outcome.steps.iter().any(|s| s.state == StepState::Failed);
    Ok(match outcome.outcome {
        RunOutcome::Succeeded if !failed => ExitCode::SUCCESS,
        _ => ExitCode::from(EXIT_PARTIAL),
    })
}
