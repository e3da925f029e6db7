//! `scim-companion jumpcloud`: read-only access to the JumpCloud API (organizations, SSO
//! applications, users, user groups) and an all-or-nothing directory snapshot to a file.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Subcommand};

use crate::connect::{self, ConnectArgs};
use crate::data_dir;
use crate::error::{CliError, CliResult};
use crate::text::fit;

#[derive(Args)]
#[command(after_long_help = "\
The API key is read from the JUMPCLOUD_API_KEY environment variable, else from the OS keychain
entry the app saves (Setup > JumpCloud). It is never printed. Region, organization and address
default to the app's saved JumpCloud settings.

Examples:
  JUMPCLOUD_API_KEY=... scim-companion jumpcloud apps
  scim-companion jumpcloud --region eu --org 5f00... users --json
  scim-companion jumpcloud snapshot --app 64a1... --out directory.json
  scim-companion saml --directory directory.json --map Department=department --check

Progress goes to stderr; the listing or snapshot goes to stdout (or --out).")]
pub struct JumpCloudArgs {
    #[command(subcommand)]
    command: JumpCloudCommand,

    #[command(flatten)]
    connect: ConnectArgs,

    /// The app's data folder, for the saved JumpCloud settings [default: the desktop app's own].
    #[arg(long, value_name = "DIR", env = data_dir::ENV, global = true)]
    data_dir: Option<PathBuf>,
}

#[derive(Subcommand)]
enum JumpCloudCommand {
    /// Organizations the key's administrator can reach (multi-tenant admins pick one with --org).
    Orgs(ListArgs),
    /// SSO applications: id, label, catalog name, active.
    Apps(ListArgs),
    /// System users: id, username, email, state.
    Users(ListArgs),
    /// User groups: id, name.
    Groups(ListArgs),
    /// Read the whole directory into a JSON snapshot, all or nothing.
    ///
    /// Users, groups, memberships (direct and effective), applications and their bindings; a
    /// failed or partial read writes nothing.
    Snapshot(SnapshotArgs),
}

#[derive(Args)]
struct ListArgs {
    /// Print JSON (the objects as the reader models them) instead of a table.
    #[arg(long)]
    json: bool,
}

#[derive(Args)]
struct SnapshotArgs {
    /// Keep only this application's bindings (its scope is what the connector pushes).
    /// Default: every application.
    #[arg(long, value_name = "ID")]
    app: Option<String>,
    /// Write the snapshot here (atomically) instead of to stdout.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
}

pub async fn run(args: JumpCloudArgs) -> CliResult<ExitCode> {
    let data_dir = data_dir::resolve(args.data_dir.clone()).ok();
    let settings = connect::settings(&args.connect, data_dir.as_deref());
    let client = connect::client(&settings, data_dir.as_deref())?;
    let out = match args.command {
        JumpCloudCommand::Orgs(a) => {
            eprintln!("listing organizations...");
            let orgs = client.organizations().await?;
            if a.json {
                to_json(&orgs)?
            } else {
                table(
                    &["ID", "NAME"],
                    orgs.iter()
                        .map(|o| vec![o.id.clone(), o.display_name.clone()]),
                )
            }
        }
        JumpCloudCommand::Apps(a) => {
            eprintln!("listing SSO applications...");
            let apps = client.applications().await?;
            if a.json {
                to_json(&apps)?
            } else {
                table(
                    &["ID", "LABEL", "CATALOG NAME", "ACTIVE"],
                    apps.iter().map(|app| {
                        vec![
                            app.id.clone(),
                            app.display_label
                                .clone()
                                .or_else(|| app.display_name.clone())
                                .unwrap_or_default(),
                            app.name.clone(),
                            if app.active { "yes" } else { "no" }.to_owned(),
                        ]
                    }),
                )
            }
        }
        JumpCloudCommand::Users(a) => {
            eprintln!("listing users...");
            let users = client.system_users().await?;
            eprintln!(
                "{} users ({} requests)",
                users.len(),
                client.request_count()
            );
            if a.json {
                to_json(&users)?
            } else {
                table(
                    &["ID", "USERNAME", "EMAIL", "STATE"],
                    users.iter().map(|u| {
                        vec![
                            u.id.clone(),
                            u.username.clone(),
                            u.email.clone(),
                            u.state.as_str().to_lowercase(),
                        ]
                    }),
                )
            }
        }
        JumpCloudCommand::Groups(a) => {
            eprintln!("listing user groups...");
            let groups = client.user_groups().await?;
            eprintln!(
                "{} groups ({} requests)",
                groups.len(),
                client.request_count()
            );
            if a.json {
                to_json(&groups)?
            } else {
                table(
                    &["ID", "NAME"],
                    groups.iter().map(|g| vec![g.id.clone(), g.name.clone()]),
                )
            }
        }
        JumpCloudCommand::Snapshot(a) => {
            let directory = connect::snapshot(&client, a.app.as_deref()).await?;
            match &a.out {
                Some(path) => {
                    directory.save_json(path)?;
                    eprintln!("wrote {}", path.display());
                    String::new()
                }
                None => directory.to_json() + "\n",
            }
        }
    };
    print!("{out}");
    Ok(ExitCode::SUCCESS)
}

fn to_json<T: serde::Serialize>(value: &T) -> CliResult<String> {
    serde_json::to_string_pretty(value)
        .map(|s| s + "\n")
        .map_err(|e| CliError::new(format!("cannot write JSON: {e}")))
}

/// Columns as wide as their content, the last one cut so a line fits 100 columns.
fn table(header: &[&str], rows: impl Iterator<Item = Vec<String>>) -> String {
    let rows: Vec<Vec<String>> = rows.collect();
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count()).min(40);
        }
    }
    let mut out = String::new();
    let line = |out: &mut String, cells: Vec<String>| {
        let last = cells.len().saturating_sub(1);
        let parts: Vec<String> = cells
            .iter()
            .enumerate()
            .map(|(i, c)| {
                if i == last {
                    fit(c, widths[i])
                } else {
                    format!("{:<w$}", fit(c, widths[i]), w = widths[i])
                }
            })
            .collect();
        let _ = writeln!(out, "{}", parts.join("  "));
    };
    line(&mut out, header.iter().map(|h| (*h).to_owned()).collect());
    for row in rows {
        line(&mut out, row);
    }
    out
}
