//! `scim-companion`: the command-line face of SCIM Companion, on the same core as the app.

#![cfg_attr(test, allow(clippy::unwrap_used))]

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod cancel;
mod cmd;
mod connect;
mod data_dir;
mod error;
mod progress;
mod source;
mod text;
mod webhook;
mod workspace;

use cmd::{apply, demo, diff, history, jumpcloud, plan, saml, targets, watch};

#[derive(Parser)]
#[command(
    name = "scim-companion",
    version,
    about = "Check and compare SCIM provisioning from JumpCloud to AWS IAM Identity Center, Unity, StrongDM, Axis and generic SCIM 2.0 targets",
    long_about = None,
    after_help = "Exit codes: 0 success, 1 error, 2 drift found (diff --detailed-exitcode) or changes\n\
                  planned (plan), 3 some apply steps failed (apply).\n\
                  Set SCIM_COMPANION_LOG=debug for logs on stderr. See docs/cli.md."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Start the demo workspace and check its simulated targets over SCIM.
    ///
    /// The demo is a JumpCloud-shaped directory and simulated AWS, StrongDM and generic SCIM
    /// targets on loopback, seeded with a little deliberate drift.
    Demo(demo::DemoArgs),
    /// Diff JumpCloud against one target: missing, extra, changed, ineligible, and why.
    ///
    /// Reads the whole target, projects what JumpCloud would push under the target's rules, and
    /// compares. Exit code 2 on drift with --detailed-exitcode. The run is recorded in the
    /// local history unless --no-history.
    Diff(diff::DiffArgs),
    /// List the configured targets (or the demo's): ids, kinds, status.
    Targets(targets::TargetsArgs),
    /// Read JumpCloud: orgs, apps, users, groups, or a full directory snapshot.
    ///
    /// The API key comes from JUMPCLOUD_API_KEY or the OS keychain (saved by the app).
    #[command(name = "jumpcloud")]
    JumpCloud(jumpcloud::JumpCloudArgs),
    /// AWS AccessControl SAML attributes: XML, JumpCloud mapping rows, value check.
    ///
    /// Builds the <saml:AttributeStatement> AWS IAM Identity Center reads session tags from,
    /// validated against AWS's limits, for one user of the directory or as a template.
    Saml(saml::SamlArgs),
    /// The local sync history (runs of the app and of `diff`): list, show, export.
    History(history::HistoryArgs),
    /// Plan the SCIM writes that would bring a target in line with JumpCloud (writes nothing).
    ///
    /// Diffs, then orders the creates, updates, member changes and deactivations under a policy
    /// (managed objects only and a deletion guard by default). Exit code 2 when the plan has
    /// operations, 0 when it is empty. --out saves it for `apply --plan`.
    Plan(plan::PlanArgs),
    /// Apply a plan: re-read the target and make the approved writes that are still needed.
    ///
    /// Destructive operations need --confirm-destructive with their exact count. Exit code 3
    /// when some steps failed. Every apply is journalled in the local history.
    Apply(apply::ApplyArgs),
    /// Check for drift without the app's window: once, or on a schedule; never writes.
    ///
    /// Reads JumpCloud and diffs every target (or the --target ones), records each diff in the
    /// history, prints a JSON summary and can post it to a webhook. Exit code 2 on drift, 1 when
    /// a check failed. For servers: --secrets env or --secrets dir (see docs/watch.md).
    Watch(watch::WatchArgs),
}

fn main() -> ExitCode {
    engine::init_logging();
    // Usage errors exit with 1 like every other error: 2 is reserved for "drift found".
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                ExitCode::FAILURE
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(async {
        match cli.command {
            Command::Demo(args) => demo::run(args).await.map_err(error::CliError::from),
            Command::Diff(args) => diff::run(args).await,
            Command::Targets(args) => targets::run(args).await,
            Command::JumpCloud(args) => jumpcloud::run(args).await,
            Command::Saml(args) => saml::run(args),
            Command::History(args) => history::run(args).await,
            Command::Plan(args) => plan::run(args).await,
            Command::Apply(args) => apply::run(args).await,
            Command::Watch(args) => watch::run(args).await,
        }
    });
    match result {
        Ok(code) => code,
        Err(e) => e.report(),
    }
}
