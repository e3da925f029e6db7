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
}

#[derive(Args)]
struct ListArgs {
    /// Print JSON instead of a table.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    workspace: WorkspaceArgs,
}

pub fn run(args: TargetsArgs) -> CliResult<ExitCode> {
    let TargetsCommand::List(a) = args.command;
    let opened = workspace::open(&a.workspace)?;
    let ws = &opened.workspace;
    let rows: Vec<(engine::TargetInfo, String, Option<String>)> = ws
        .targets()
        .into_iter()
        .map(|t| {
            let (status, hint) = match ws.target_problem(&t.id) {
                Some(p) => (format!("unavailable: {p}"), Some(p.hint())),
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
