//! `scim-companion targets list`: the targets configured in the app (or the demo's), with
//! whether each can be used as saved.

use std::fmt::Write as _;
use std::process::ExitCode;

use clap::{Args, Subcommand};
use engine::WorkspaceMode;

use crate::error::CliResult;
use crate::text::fit;
use crate::workspace::{self, WorkspaceArgs};

#[derive(Args)]
pub struct TargetsArgs {
    #[command(subcommand)]
    command: TargetsCommand,
}

#[derive(Subcommand)]
enum TargetsCommand {
    /// Id, kind, name, base URL and status of every target (the ids `diff` takes).
    List(ListArgs),
    /// Save a target's SCIM token in the OS keychain, read from stdin (for scripts and CI;
    /// the app's Setup does the same). The token is never printed.
    SetToken(SetTokenArgs),
    /// Test Connection of a saved target, read-only: discovery (/ServiceProviderConfig) and
    /// one-item pages of users and groups. A target without discovery is reported as
    /// "discovery unavailable", not as a failure. Exits with 1 when the target cannot be read.
    Test(TestArgs),
}

#[derive(Args)]
struct TestArgs {
    /// The target id (`targets list` shows them).
    target: String,
    #[command(flatten)]
    workspace: WorkspaceArgs,
}

#[derive(Args)]
struct SetTokenArgs {
    /// The target id (it must be configured: `targets list`).
    target: String,
    /// The day the vendor created the token (YYYY-MM-DD); its lifetime, and the expiry
    /// warning, run from here [default: today].
    #[arg(long, value_name = "YYYY-MM-DD")]
    created: Option<String>,
    /// The app's data folder [default: the desktop app's own data folder].
    #[arg(long, value_name = "DIR", env = crate::data_dir::ENV)]
    data_dir: Option<std::path::PathBuf>,
}

#[derive(Args)]
struct ListArgs {
    /// Print JSON instead of a table.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    workspace: WorkspaceArgs,
}

pub async fn run(args: TargetsArgs) -> CliResult<ExitCode> {
    let a = match args.command {
        TargetsCommand::List(a) => a,
        TargetsCommand::SetToken(a) => return set_token(&a),
        TargetsCommand::Test(a) => return test(&a).await,
    };
    let opened = workspace::open(&a.workspace)?;
    let ws = &opened.workspace;
    let secrets = workspace::SecretSource::from_args(&a.workspace)?;
    let rows: Vec<(engine::TargetInfo, String, Option<String>)> = ws
        .targets()
        .into_iter()
        .map(|t| {
            let (status, hint) = match ws.target_problem(&t.id) {
                Some(p) => {
                    let (reason, hint) = workspace::unusable_reason(&t.id, p, &secrets);
                    (format!("unavailable: {reason}"), Some(hint))
                }
                None => ("ok".to_owned(), None),
            };
            (t, status, hint)
        })
        .collect();
    if a.json {
        let list: Vec<serde_json::Value> = rows
            .iter()
            .map(|(t, status, hint)| {
                serde_json::json!({
                    "id": t.id, "name": t.name, "kind": t.kind.id(), "baseUrl": t.base_url,
                    "simulated": t.simulated, "status": status, "hint": hint,
                })
            })
            .collect();
        let doc = serde_json::json!({
            "mode": match ws.mode() { WorkspaceMode::Demo => "demo", WorkspaceMode::Configured => "configured" },
            "dataDir": opened.data_dir.display().to_string(),
            "targets": list,
        });
        println!("{}", serde_json::to_string_pretty(&doc).unwrap_or_default());
        return Ok(ExitCode::SUCCESS);
    }
    let mut out = String::new();
    if ws.mode() == WorkspaceMode::Demo {
        let _ = writeln!(out, "Demo workspace (simulated targets on loopback)");
    } else {
        let _ = writeln!(out, "Targets configured in {}", opened.data_dir.display());
    }
    let _ = writeln!(
        out,
        "{:<20} {:<10} {:<30} STATUS / BASE URL",
        "ID", "KIND", "NAME"
    );
    for (t, status, hint) in &rows {
        let _ = writeln!(
            out,
            "{:<20} {:<10} {:<30} {}",
            fit(&t.id, 20),
            t.kind.id(),
            fit(&t.name, 30),
            status
        );
        let _ = writeln!(out, "{:<62} {}", "", t.base_url);
        if let Some(hint) = hint {
            let _ = writeln!(out, "{:<62} hint: {hint}", "");
        }
    }
    print!("{out}");
    Ok(ExitCode::SUCCESS)
}

async fn test(args: &TestArgs) -> CliResult<ExitCode> {
    // Recorded in the history, like a test from the app.
    let session = workspace::open_session(&args.workspace).await?;
    let report = session.target(&args.target)?.test_connection().await?;
    println!("{}: {}", args.target, report.summary());
    Ok(ExitCode::SUCCESS)
}

fn set_token(args: &SetTokenArgs) -> CliResult<ExitCode> {
    let created = args
        .created
        .as_deref()
        .map(engine::setup::parse_token_date)
        .transpose()?;
    let data_dir = crate::data_dir::resolve(args.data_dir.clone())?;
    let mut token = String::new();
    std::io::Read::read_to_string(&mut std::io::stdin(), &mut token).map_err(|e| {
        crate::error::CliError::new(format!("cannot read the token from stdin: {e}"))
    })?;
    let token = token.trim();
    if token.is_empty() {
        return Err(crate::error::CliError::new("no token on stdin"));
    }
    let saved = engine::setup::set_target_token(
        &data_dir,
        &crate::connect::vault(),
        &args.target,
        token,
        created,
    )?;
    let created = saved
        .token_created_on
        .map(|d| format!(", created on {d}"))
        .unwrap_or_default();
    eprintln!(
        "saved the token of target `{}` in the OS keychain{created}",
        args.target
    );
    Ok(ExitCode::SUCCESS)
}
