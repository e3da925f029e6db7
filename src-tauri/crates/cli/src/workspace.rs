//! Which workspace a subcommand works on: the targets configured in the app's data folder
//! (tokens from the OS keychain), or the demo.

use std::path::PathBuf;
use std::sync::Arc;

use clap::Args;
use engine::{Session, Start, Workspace, WorkspaceMode};

use crate::data_dir;
use crate::error::CliResult;

#[derive(Args, Clone, Debug, Default)]
pub struct WorkspaceArgs {
    /// The app's data folder (settings.json with the configured targets, history.sqlite)
    /// [default: the desktop app's own data folder].
    #[arg(long, value_name = "DIR", env = data_dir::ENV)]
    pub data_dir: Option<PathBuf>,

    /// Use the demo workspace (JumpCloud-shaped directory and simulated targets on loopback)
    /// even when targets are configured. Without configured targets the demo is used anyway.
    #[arg(long)]
    pub demo: bool,
}

pub struct Opened {
    pub workspace: Workspace,
    pub data_dir: PathBuf,
}

pub fn open(args: &WorkspaceArgs) -> CliResult<Opened> {
    let data_dir = data_dir::resolve(args.data_dir.clone())?;
    let workspace = if args.demo {
        // The demo too is held to the guard limits saved in the data folder.
        ::demo::workspace()?.with_saved_guard(&data_dir)?
    } else {
        Workspace::open(&data_dir, &crate::connect::vault(), ::demo::workspace)?
    };
    if workspace.mode() == WorkspaceMode::Demo && !args.demo {
        eprintln!(
            "no targets configured in {}: using the demo workspace",
            data_dir.display()
        );
    }
    Ok(Opened {
        workspace,
        data_dir,
    })
}

/// The engine session over the data folder, as the app opens it: runs are recorded in its
/// history (with its retention) and the first Ctrl-C cancels the running job. A
/// `JUMPCLOUD_API_KEY` in the environment is used for JumpCloud reads instead of the keychain.
pub async fn open_session(args: &WorkspaceArgs) -> CliResult<Arc<Session>> {
    open_session_recording(args, true).await
}

/// [`open_session`], without opening the history when `record` is false (`--no-history`).
pub async fn open_session_recording(args: &WorkspaceArgs, record: bool) -> CliResult<Arc<Session>> {
    let data_dir = data_dir::resolve(args.data_dir.clone())?;
    let start = if args.demo {
        Start::Demo
    } else {
        Start::Configured
    };
    let secrets = Arc::new(crate::connect::vault());
    let mut session = if record {
        Session::open(&data_dir, secrets, start, ::demo::workspace).await?
    } else {
        Session::open_without_history(&data_dir, secrets, start, ::demo::workspace).await?
    };
    if let Some(key) = crate::connect::env_key() {
        session = session.with_jumpcloud_key(key);
    }
    if session.mode() == WorkspaceMode::Demo && !args.demo {
        eprintln!(
            "no targets configured in {}: using the demo workspace",
            data_dir.display()
        );
    }
    let session = Arc::new(session);
    crate::cancel::cancel_session_on_ctrl_c(session.clone());
    Ok(session)
}

/// "demo-aws (AWS IAM Identity Center (demo)), ..." for error messages.
pub fn known_targets(workspace: &Workspace) -> String {
    let all: Vec<String> = workspace
        .targets()
        .iter()
        .map(|t| format!("{} ({})", t.id, t.name))
        .collect();
    if all.is_empty() {
        "none".to_owned()
    } else {
        all.join(", ")
    }
}
