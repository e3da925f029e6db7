//! `scim-companion`: the command-line face of SCIM Companion, on the same core as the app.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod demo;

#[derive(Parser)]
#[command(
    name = "scim-companion",
    version,
    about = "Check and compare SCIM provisioning from JumpCloud to AWS IAM Identity Center, Unity, StrongDM, Axis and generic SCIM 2.0 targets",
    long_about = None
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
}

fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("SCIM_COMPANION_LOG")
                .unwrap_or_else(|_| "warn".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(async {
        match cli.command {
            Command::Demo(args) => demo::run(args).await,
        }
    });
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e}");
            if let Some(hint) = e.hint() {
                eprintln!("hint: {hint}");
            }
            ExitCode::FAILURE
        }
    }
}
