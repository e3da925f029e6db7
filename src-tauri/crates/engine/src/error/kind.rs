//! What kind of failure an engine error is, from one exhaustive match per error type, so the
//! app's error codes and the CLI's exit paths never fall into "internal" by a catch-all.

use super::{Error, Job, TargetProblem};

/// What kind of failure an [`Error`] is, for front-ends that pick codes, icons or exit paths
/// without reading messages. The app sends it as is: it is the IPC error code (`"not_found"`),
/// exported to TypeScript as `ErrorCode`.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize, ts_rs::TS,
)]
#[serde(rename_all = "snake_case")]
#[ts(export, rename = "ErrorCode")]
pub enum ErrorKind {
    /// The input failed validation before anything was sent.
    InvalidInput,
    /// The remote service rejected the credentials (401), or none are saved.
    Unauthorized,
    /// The credentials are valid but lack permission (403).
    Forbidden,
    /// The URL or the object does not exist (404).
    NotFound,
    /// The object already exists or changed meanwhile (409/412).
    Conflict,
    /// The service asked to slow down (429) and retries ran out.
    RateLimited,
    /// The service failed or answered with something unexpected.
    RemoteError,
    /// No connection, DNS failure or timeout.
    Network,
    /// No OS keychain is available to hold secrets.
    KeychainUnavailable,
    /// Local storage (settings or history) failed.
    Storage,
    /// The admin cancelled the job.
    Cancelled,
    /// A configured target cannot be diffed before JumpCloud was read successfully.
    DirectoryNotRead,
    /// Destructive operations were not confirmed with their exact count.
    ConfirmationRequired,
    /// A saved secret was asked for with another address than it was saved for.
    SecretNotForThisAddress,
    /// The plan is over the deletion guard and no override named its exact number.
    GuardTripped,
    /// Anything else; a bug if it shows up.
    Internal,
}

impl Error {
    /// The kind of failure. Exhaustive on purpose: a new variant does not compile until it is
    /// classified here (and in [`Error::hint`]).
    pub fn kind(&self) -> ErrorKind {
        match self {
            Self::Scim(e) => ErrorKind::from(&**e),
            Self::JumpCloud(e) => ErrorKind::from(&**e),
            Self::UnknownTarget(_)
            | Self::NoDiff(_)
            | Self::StaleDiff(_)
            | Self::UnknownRow { .. }
            | Self::JumpCloudNotConfigured => ErrorKind::NotFound,
            Self::Target(_)
            | Self::InvalidSetting(_)
            | Self::InvalidGuard(_)
            | Self::NoJumpCloudApp(_)
            | Self::DemoHasDirectory
            | Self::NothingToProvision { .. }
            | Self::JumpCloudSettingsChanged => ErrorKind::InvalidInput,
            Self::HistoryUnavailable(_) => ErrorKind::Storage,
            // A history failure in the engine is always about recording, whatever its cause.
            Self::Config(_) | Self::History(_) => ErrorKind::Storage,
            Self::Secrets(e) => match **e {
                secrets::Error::Unavailable { .. } | secrets::Error::Access { .. } => {
                    ErrorKind::KeychainUnavailable
                }
                // An unattended run's secret file or read-only source: the admin's input.
                secrets::Error::FileTooOpen { .. }
                | secrets::Error::File { .. }
                | secrets::Error::ReadOnly { .. } => ErrorKind::InvalidInput,
            },
            Self::SecretNotForThisAddress { .. } => ErrorKind::SecretNotForThisAddress,
            Self::TargetUnavailable { problem, .. } => match problem {
                TargetProblem::Keychain { .. } => ErrorKind::KeychainUnavailable,
                TargetProblem::TokenMissing => ErrorKind::Unauthorized,
                TargetProblem::InvalidSettings { .. } => ErrorKind::InvalidInput,
            },
            Self::DirectoryNotRead => ErrorKind::DirectoryNotRead,
            Self::Demo(_) => ErrorKind::Internal,
            Self::Cancelled(_) => ErrorKind::Cancelled,
            Self::ConfirmationRequired { .. } => ErrorKind::ConfirmationRequired,
            Self::GuardTripped { .. } => ErrorKind::GuardTripped,
        }
    }

    /// Names the job a cancellation stopped: a job built on another one (the apply's read is a
    /// diff) says what the admin cancelled, not what ran underneath.
    pub fn cancelled_as(self, job: Job) -> Self {
        match self {
            Self::Cancelled(_) => Self::Cancelled(job),
            other => other,
        }
    }
}

/// The kind of an HTTP status a service answered with.
fn status_kind(status: Option<u16>) -> ErrorKind {
    match status {
        Some(401) => ErrorKind::Unauthorized,
        Some(403) => ErrorKind::Forbidden,
        Some(404) => ErrorKind::NotFound,
        Some(409) | Some(412) => ErrorKind::Conflict,
        Some(429) => ErrorKind::RateLimited,
        _ => ErrorKind::RemoteError,
    }
}

impl From<&scim::Error> for ErrorKind {
    fn from(e: &scim::Error) -> Self {
        use scim::Error as E;
        match e {
            E::InvalidBaseUrl { .. } | E::InvalidConfig { .. } | E::ReplaceAllForbidden => {
                ErrorKind::InvalidInput
            }
            E::Transport { .. } => ErrorKind::Network,
            E::Cancelled => ErrorKind::Cancelled,
            E::Http(_) | E::NotJson { .. } | E::MalformedJson { .. } | E::Redirected { .. } => {
                status_kind(e.status())
            }
            E::InvalidFilter { .. }
            | E::BodyTooLarge { .. }
            | E::PagingLoop { .. }
            | E::AdoptNotFound { .. }
            | E::MissingId => ErrorKind::RemoteError,
        }
    }
}

impl From<&jumpcloud::Error> for ErrorKind {
    fn from(e: &jumpcloud::Error) -> Self {
        use jumpcloud::Error as E;
        match e {
            E::InvalidBaseUrl { .. } | E::MissingApiKey | E::InvalidId(_) => {
                ErrorKind::InvalidInput
            }
            E::Transport { .. } => ErrorKind::Network,
            E::Cancelled => ErrorKind::Cancelled,
            E::RetriesExhausted { .. } => ErrorKind::RateLimited,
            // The app only reads JumpCloud, so a 409/412 there is no conflict of the admin's making.
            E::Status { status, .. } => match status_kind(Some(*status)) {
                ErrorKind::Conflict => ErrorKind::RemoteError,
                kind => kind,
            },
            E::HttpClient(_)
            | E::Redirected { .. }
            | E::BodyTooLarge { .. }
            | E::Decode { .. }
            | E::IncompleteRead { .. }
            | E::Inconsistent(_)
            | E::AppNotFound(_)
            | E::SnapshotJson { .. }
            | E::SnapshotFormat { .. }
            | E::SnapshotVersion { .. }
            | E::SnapshotContent(_)
            | E::Csv(_)
            | E::Io { .. }
            | E::CsvHeader { .. } => ErrorKind::RemoteError,
        }
    }
}

impl From<&history::Error> for ErrorKind {
    fn from(e: &history::Error) -> Self {
        use history::Error as E;
        match e {
            E::RunNotFound(_) | E::SnapshotNotFound(_) => ErrorKind::NotFound,
            E::SchemaNewerThanApp { .. }
            | E::Corrupt { .. }
            | E::CreateDir { .. }
            | E::SnapshotMalformed { .. }
            | E::UnexpectedValue { .. }
            | E::Migrate(_)
            | E::Database(_)
            | E::Json(_)
            | E::Csv(_) => ErrorKind::Storage,
        }
    }
}
