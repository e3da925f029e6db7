//! Which workspace a subcommand works on: the targets configured in the app's data folder
//! (tokens from the OS keychain), or the demo.

use std::path::PathBuf;
use std::sync::Arc;

use clap::{Args, ValueEnum};
use engine::{Session, Start, TargetProblem, Workspace, WorkspaceMode};
use secrets::{ExplicitSecrets, SecretStore};

use crate::data_dir;
use crate::error::{CliError, CliResult};

/// The folder systemd puts a service's credentials in (`LoadCredential=`).
const SYSTEMD_CREDENTIALS_ENV: &str = "CREDENTIALS_DIRECTORY";

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

    /// Where target tokens and the JumpCloud API key come from: the OS keychain (what the app
    /// saves), environment variables (SCIM_COMPANION_TOKEN_<TARGET ID> with the id upper-cased
    /// and other characters as `_`, and JUMPCLOUD_API_KEY), or files in --secrets-dir
    /// (token-<target id>, jumpcloud-api-key) that only their owner can read. Never an
    /// argument: arguments are visible to every user in the process list. [default: keychain,
    /// or dir when --secrets-dir is given]
    #[arg(
        long,
        value_enum,
        value_name = "SOURCE",
        env = "SCIM_COMPANION_SECRETS"
    )]
    pub secrets: Option<SecretsFrom>,

    /// The folder of secret files for `--secrets dir` [default: $CREDENTIALS_DIRECTORY, which
    /// systemd sets for a service with LoadCredential=].
    #[arg(long, value_name = "DIR")]
    pub secrets_dir: Option<PathBuf>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum SecretsFrom {
    Keychain,
    Env,
    Dir,
}

/// Where this run's secrets are read from.
pub enum SecretSource {
    Keychain(secrets::Vault),
    Explicit(ExplicitSecrets),
}

impl SecretSource {
    pub fn from_args(args: &WorkspaceArgs) -> CliResult<SecretSource> {
        let from = args.secrets.unwrap_or(if args.secrets_dir.is_some() {
            SecretsFrom::Dir
        } else {
            SecretsFrom::Keychain
        });
        Ok(match from {
            SecretsFrom::Keychain => SecretSource::Keychain(crate::connect::vault()),
            SecretsFrom::Env => SecretSource::Explicit(ExplicitSecrets::env()),
            SecretsFrom::Dir => {
                let dir = args
                    .secrets_dir
                    .clone()
                    .or_else(|| std::env::var_os(SYSTEMD_CREDENTIALS_ENV).map(PathBuf::from))
                    .ok_or_else(|| {
                        CliError::new("--secrets dir needs a folder of secret files").with_hint(
                            "Give --secrets-dir DIR, or run under systemd with LoadCredential= \
                             (which sets $CREDENTIALS_DIRECTORY).",
                        )
                    })?;
                if !dir.is_dir() {
                    return Err(CliError::new(format!(
                        "the secrets folder {} does not exist",
                        dir.display()
                    )));
                }
                SecretSource::Explicit(ExplicitSecrets::dir(dir))
            }
        })
    }

    pub fn into_store(self) -> Arc<dyn SecretStore> {
        match self {
            SecretSource::Keychain(vault) => Arc::new(vault),
            SecretSource::Explicit(explicit) => Arc::new(explicit),
        }
    }
}

/// Why a target cannot be used, and what to do, as the CLI says it: where its token was looked
/// for when the secrets come from the environment or a folder (the engine's wording is about
/// the keychain the app saves to).
pub fn unusable_reason(
    id: &str,
    problem: &TargetProblem,
    source: &SecretSource,
) -> (String, String) {
    match (problem, source) {
        (TargetProblem::TokenMissing, SecretSource::Explicit(explicit)) => {
            let account = engine::setup::target_account(id);
            (
                format!("no token in {}", explicit.location(&account)),
                format!(
                    "Set {} to the target's token, or use --secrets dir with a file {} that \
                     only its owner can read.",
                    secrets::env_name(&account),
                    secrets::file_name(&account)
                ),
            )
        }
        _ => (problem.to_string(), problem.hint()),
    }
}

/// [`unusable_reason`] as the error of a command on that target.
pub fn unusable_target(id: &str, problem: &TargetProblem, source: &SecretSource) -> CliError {
    let (reason, hint) = unusable_reason(id, problem, source);
    CliError::new(format!("target `{id}` cannot be used: {reason}")).with_hint(hint)
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
        let source = SecretSource::from_args(args)?;
        Workspace::open(&data_dir, source.into_store().as_ref(), ::demo::workspace)?
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
    let session = open_session_plain(args, record).await?;
    crate::cancel::cancel_session_on_ctrl_c(session.clone());
    Ok(session)
}

/// [`open_session_recording`] without the Ctrl-C handler, which would keep the session alive
/// for the rest of the process (the watcher opens one per check and cancels it itself).
pub async fn open_session_plain(args: &WorkspaceArgs, record: bool) -> CliResult<Arc<Session>> {
    let data_dir = data_dir::resolve(args.data_dir.clone())?;
    let start = if args.demo {
        Start::Demo
    } else {
        Start::Configured
    };
    let secrets = SecretSource::from_args(args)?.into_store();
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
    Ok(Arc::new(session))
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
