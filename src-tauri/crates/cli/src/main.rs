//! `scim-companion`: the command-line face of SCIM Companion, on the same core as the app.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod connect;
mod data_dir;
mod demo;
mod diff;
mod error;
mod history;
mod jumpcloud;
mod progress;
mod saml;
mod source;
mod targets;
mod text;
mod workspace;

#[derive(Parser)]
#[command(
    name = "scim-companion",
    version,
    about = "Check and compare SCIM provisioning from JumpCloud to AWS IAM Identity Center, Unity, StrongDM, Axis and generic SCIM 2.0 targets",
    long_about = None,
    after_help = "Exit codes: 0 success, 1 error, 2 drift found (diff --detailed-exitcode).\n\
                  Set SCIM_COMPANION_LOG=debug for logs on stderr. See docs/cli.md."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Start the embedded demo workspace (a JumpCloud-shaped directory and simulated SCIM
    /// targets on loopback) and check each target over SCIM.
    Demo(demo::DemoArgs),
    /// Diff JumpCloud against one target: who is missing, extra, changed or ineligible, and
    /// why. Exit code 2 on drift with --detailed-exitcode.
    Diff(diff::DiffArgs),
    /// List the configured targets (or the demo's) with their ids and status.
    Targets(targets::TargetsArgs),
    /// Read JumpCloud: organizations, SSO applications, users, groups, or a full directory
    /// snapshot to a file (key from JUMPCLOUD_API_KEY or the OS keychain).
    #[command(name = "jumpcloud")]
    JumpCloud(jumpcloud::JumpCloudArgs),
    /// Build the AWS IAM Identity Center AccessControl SAML attribute statement, the JumpCloud
    /// attribute mapping rows, or check every user's values against AWS's limits.
    Saml(saml::SamlArgs),
    /// The local sync history (runs recorded by the app and by `diff`): list, show, export.
    History(history::HistoryArgs),
}

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("SCIM_COMPANION_LOG")
                .unwrap_or_else(|_| "warn".into()),
        )
        .with_writer(std::io::stderr)
        .init();
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
            Command::Targets(args) => targets::run(args),
            Command::JumpCloud(args) => jumpcloud::run(args).await,
            Command::Saml(args) => saml::run(args),
            Command::History(args) => history::run(args).await,
        }
    });
    match result {
        Ok(code) => code,
        Err(e) => e.report(),
    }
}
