use std::fmt;

use thiserror::Error;

mod kind;

pub use kind::ErrorKind;

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Errors of the orchestration layer. Core errors are wrapped, not flattened, so the IPC boundary
/// and the CLI can still read their status codes and hints.
#[derive(Debug, Error)]
pub enum Error {
    // Boxed: the core errors carry status, excerpts and hints, and a large Err variant would
    // make every engine `Result` as big as the rarest failure.
    #[error(transparent)]
    Scim(Box<scim::Error>),

    #[error(transparent)]
    JumpCloud(Box<jumpcloud::Error>),

    #[error("no target with id `{0}`")]
    UnknownTarget(String),

    /// A target setting broke a target's rule (base URL, credentials, domains).
    #[error(transparent)]
    Target(Box<targets::Error>),

    /// `settings.json` could not be read or written; it is never silently replaced.
    #[error(transparent)]
    Config(Box<crate::config::Error>),

    /// The keychain is missing or refused; no secret was stored anywhere else.
    #[error(transparent)]
    Secrets(Box<secrets::Error>),

    #[error("{0}")]
    InvalidSetting(String),

    /// A stored secret was asked for with an address it was not saved for; nothing was sent.
    #[error("the saved {secret} belongs to {saved_for} and is not sent anywhere else ({change}): re-enter the {secret} for the new address")]
    SecretNotForThisAddress {
        secret: SavedSecret,
        /// The address the secret was saved for (no secret in it).
        saved_for: String,
        change: OriginChange,
    },

    /// A configured target that cannot be used as it is (no token in the keychain, ...).
    #[error("target `{id}` cannot be used: {problem}")]
    TargetUnavailable { id: String, problem: TargetProblem },

    #[error("JumpCloud is not connected yet")]
    JumpCloudNotConfigured,

    /// A configured target is diffed only against a directory read successfully: an empty one
    /// would make every account on the target look extra.
    #[error("JumpCloud has not been read yet, so there is nothing to compare the target with")]
    DirectoryNotRead,

    #[error("target `{0}` has no JumpCloud application chosen")]
    NoJumpCloudApp(String),

    #[error("the JumpCloud connection changed while the directory was read")]
    JumpCloudSettingsChanged,

    #[error("the demo workspace could not start: {0}")]
    Demo(String),

    /// The admin (or the app closing) cancelled the job; the job says what that left behind.
    #[error("{0}")]
    Cancelled(Job),

    /// The demo has its directory built in; there is no JumpCloud to read.
    #[error("the demo has its directory already; there is no JumpCloud to read")]
    DemoHasDirectory,

    /// The history database could not be opened, so a run that must be recorded (an apply)
    /// was not started.
    #[error("the local history is not available ({0}), so nothing was applied: every apply is recorded there")]
    HistoryUnavailable(String),

    /// Provisioning one user found nothing to do for it.
    #[error("{}", reason.as_deref().unwrap_or("this user needs nothing in the target: it is in sync, or not in scope"))]
    NothingToProvision { reason: Option<String> },

    /// The plan to apply has destructive operations and their exact count was not confirmed.
    #[error("{}", confirmation_text(*destructive, *deprovisions, *guard_tripped))]
    ConfirmationRequired {
        destructive: u32,
        deprovisions: u32,
        guard_tripped: bool,
    },

    /// The deletion guard's limits are out of range (the share must be in `0 < p <= 100`).
    #[error("{0}")]
    InvalidGuard(String),

    /// The plan to apply is over the deletion guard's saved limits and no override named its
    /// exact number of deactivations and deletions. Nothing was written.
    #[error("{}", guard_text(*deprovisions, *target_objects, *max_count, *max_percent, *offered))]
    GuardTripped {
        deprovisions: u32,
        target_objects: u32,
        max_count: u32,
        max_percent: f64,
        /// The override number that was given, if any (it did not match).
        offered: Option<u32>,
    },

    /// The local history could not record an apply; nothing more is written to the target.
    #[error("the local history could not record the apply: {0}")]
    History(Box<history::Error>),

    #[error("target `{0}` was changed by an apply after its last diff")]
    StaleDiff(String),

    #[error("no diff has run for target `{0}` yet")]
    NoDiff(String),

    #[error("the last diff of target `{target}` has no {kind} row `{key}`")]
    UnknownRow {
        target: String,
        kind: &'static str,
        key: String,
    },
}

fn guard_text(
    deprovisions: u32,
    target_objects: u32,
    max_count: u32,
    max_percent: f64,
    offered: Option<u32>,
) -> String {
    let base = format!(
        "the deletion guard halted the apply: {deprovisions} deactivation(s) or deletion(s) of {target_objects} objects are over its limit ({max_count} or {max_percent}%)"
    );
    match offered {
        Some(n) => format!("{base}; the override named {n}, not {deprovisions}"),
        None => base,
    }
}

fn confirmation_text(destructive: u32, deprovisions: u32, guard_tripped: bool) -> String {
    if guard_tripped {
        format!(
            "the deletion guard halted the plan: {deprovisions} deactivation(s) or deletion(s) are more than it allows without approval"
        )
    } else {
        format!("the plan has {destructive} destructive operation(s), which need confirming")
    }
}

impl From<history::Error> for Error {
    fn from(e: history::Error) -> Self {
        Self::History(Box::new(e))
    }
}

impl From<scim::Error> for Error {
    fn from(e: scim::Error) -> Self {
        Self::Scim(Box::new(e))
    }
}

impl From<jumpcloud::Error> for Error {
    fn from(e: jumpcloud::Error) -> Self {
        Self::JumpCloud(Box::new(e))
    }
}

impl From<targets::Error> for Error {
    fn from(e: targets::Error) -> Self {
        Self::Target(Box::new(e))
    }
}

impl From<crate::config::Error> for Error {
    fn from(e: crate::config::Error) -> Self {
        Self::Config(Box::new(e))
    }
}

impl From<secrets::Error> for Error {
    fn from(e: secrets::Error) -> Self {
        Self::Secrets(Box::new(e))
    }
}

impl Error {
    /// What the administrator can do about it, when there is something to say.
    pub fn hint(&self) -> Option<String> {
        match self {
            Self::Scim(e) => Some(e.hint().to_owned()),
            Self::JumpCloud(e) => e.hint().map(|h| h.to_string()),
            Self::UnknownTarget(_) => Some("List the targets to see their ids.".to_owned()),
            Self::Demo(_) => Some(
                "The demo runs simulators on 127.0.0.1; check that loopback networking works."
                    .to_owned(),
            ),
            Self::Target(e) => match **e {
                targets::Error::InvalidBaseUrl { .. } => Some(
                    "Copy the base URL again from the vendor's console; the setup page shows the expected form."
                        .to_owned(),
                ),
                targets::Error::InvalidBasicValue { .. } => Some(
                    "Paste the Authorization header value exactly as copied (Basic followed by the base64 text), or enter the key ID and secret key instead."
                        .to_owned(),
                ),
                targets::Error::BasicValueAsBearer { .. } => Some(
                    "Paste the bearer token the vendor issued; a Basic value would be sent as \"Bearer Basic …\" and refused. Generic targets: use a custom header named Authorization for a Basic value."
                        .to_owned(),
                ),
                targets::Error::AuthNotSupported { .. }
                | targets::Error::EmptyField { .. }
                | targets::Error::KeyIdContainsColon
                | targets::Error::InvalidHeaderName { .. }
                | targets::Error::InvalidDomain { .. }
                | targets::Error::AppNotFound { .. } => None,
            },
            Self::Config(e) => Some(e.hint().to_owned()),
            Self::Secrets(e) => Some(e.hint().to_owned()),
            Self::InvalidSetting(_) => None,
            Self::SecretNotForThisAddress { secret, .. } => Some(format!(
                "Enter the {secret} again for the new address, or put the saved address back. A saved {secret} is only ever sent to the address it was saved for."
            )),
            Self::TargetUnavailable { problem, .. } => Some(problem.hint()),
            Self::JumpCloudNotConfigured => Some(
                "Open Setup > JumpCloud, enter the region and API key, and select Test.".to_owned(),
            ),
            Self::DirectoryNotRead => Some(
                "Read JumpCloud first: select Read JumpCloud on Home, or Run diff on the Diff page, which reads it before comparing. Nothing was compared."
                    .to_owned(),
            ),
            Self::NoJumpCloudApp(_) => Some(
                "Open Setup, edit the target and pick the JumpCloud application that provisions it."
                    .to_owned(),
            ),
            Self::JumpCloudSettingsChanged => Some("Read JumpCloud again.".to_owned()),
            Self::Cancelled(_) => None,
            Self::DemoHasDirectory => Some(
                "Set up JumpCloud and a target on the Setup page to read your own directory."
                    .to_owned(),
            ),
            Self::HistoryUnavailable(_) => Some(
                "Open the History page to see why the history could not be opened, fix it and restart the app."
                    .to_owned(),
            ),
            Self::NothingToProvision { reason } => Some(
                if reason.is_some() {
                    "Resolve it in the target, run the diff again, then provision."
                } else {
                    "Run the diff again to see its current state."
                }
                .to_owned(),
            ),
            Self::NoDiff(_) => Some("Run the diff for this target first.".to_owned()),
            Self::StaleDiff(_) => Some(
                "Run the diff again: a plan is only made from a read taken after the last apply."
                    .to_owned(),
            ),
            Self::ConfirmationRequired { destructive, .. } => Some(format!(
                "Review the plan and confirm the {destructive} destructive operation(s) by their number (CLI: --confirm-destructive {destructive}); nothing was written."
            )),
            Self::InvalidGuard(_) => Some(
                "Enter a share above 0 and at most 100 percent (Settings > Deletion guard, or --guard-percent)."
                    .to_owned(),
            ),
            Self::GuardTripped { deprovisions, .. } => Some(format!(
                "Review the deactivations and deletions, then override the guard for this apply by typing {deprovisions} (CLI: --override-guard {deprovisions}), or raise the limits in Settings; nothing was written."
            )),
            Self::History(_) => Some(
                "Check that the history file (Settings shows where it is) is writable and the disk is not full; the apply stopped so that nothing goes unrecorded."
                    .to_owned(),
            ),
            Self::UnknownRow { .. } => {
                Some("Run the diff again; the row belongs to an older result.".to_owned())
            }
        }
    }
}

/// What a cancelled [`Error::Cancelled`] stopped, so the message can say what it left behind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Job {
    /// Reading the JumpCloud directory; the previous directory stays.
    DirectoryRead,
    /// Reading the target and comparing it with JumpCloud.
    Diff,
    /// The fresh read an apply starts with; nothing was written yet.
    ApplyRead,
    /// The writes of an apply.
    Apply,
    /// A connection check (only when the app shuts down during one).
    ConnectionTest,
}

impl fmt::Display for Job {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Job::DirectoryRead => {
                "the JumpCloud read was cancelled; the directory is as it was before"
            }
            Job::Diff => "the diff was cancelled",
            Job::ApplyRead => {
                "the apply was cancelled while reading the target; nothing was written"
            }
            Job::Apply => "the apply was cancelled",
            Job::ConnectionTest => "the connection check was cancelled",
        })
    }
}

/// Why a configured target cannot be used as saved. Shown on its card; the rest of the
/// workspace works on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TargetProblem {
    /// The keychain has no secret for the target (deleted, or another computer's settings).
    TokenMissing,
    /// The keychain is unavailable or refused access.
    Keychain { message: String, hint: String },
    /// The saved settings no longer pass the target's rules.
    InvalidSettings { message: String },
}

impl fmt::Display for TargetProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TargetProblem::TokenMissing => f.write_str("its token is not in the keychain"),
            TargetProblem::Keychain { message, .. } => f.write_str(message),
            TargetProblem::InvalidSettings { message } => f.write_str(message),
        }
    }
}

impl TargetProblem {
    pub fn hint(&self) -> String {
        match self {
            TargetProblem::TokenMissing => {
                "Open Setup, edit the target and enter its token again.".to_owned()
            }
            TargetProblem::Keychain { hint, .. } => hint.clone(),
            TargetProblem::InvalidSettings { .. } => {
                "Open Setup and edit the target's base URL.".to_owned()
            }
        }
    }
}

/// What differs between the saved origin and the requested one (the first difference found).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OriginChange {
    Kind,
    Scheme,
    Host,
    Port,
    Path,
    LocalEndpoint,
    /// The saved address no longer passes its target's rule, so it binds nothing.
    SavedAddressInvalid,
}

impl fmt::Display for OriginChange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            OriginChange::Kind => "the target kind changed",
            OriginChange::Scheme => "the scheme changed",
            OriginChange::Host => "the host changed",
            OriginChange::Port => "the port changed",
            OriginChange::Path => "the base path changed",
            OriginChange::LocalEndpoint => "the local test endpoint choice changed",
            OriginChange::SavedAddressInvalid => "the saved address no longer passes its rule",
        })
    }
}

/// Which saved secret a [`Error::SecretNotForThisAddress`] is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SavedSecret {
    TargetToken,
    JumpCloudKey,
}

impl fmt::Display for SavedSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            SavedSecret::TargetToken => "token",
            SavedSecret::JumpCloudKey => "JumpCloud API key",
        })
    }
}

#[cfg(test)]
mod tests;
