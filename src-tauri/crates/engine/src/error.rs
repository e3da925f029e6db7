use thiserror::Error;

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Errors of the orchestration layer. Core errors are wrapped, not flattened, so the IPC boundary
/// and the CLI can still read their status codes and hints.
#[derive(Debug, Error)]
pub enum Error {
    #[error(transparent)]
    Scim(#[from] scim::Error),

    #[error(transparent)]
    JumpCloud(#[from] jumpcloud::Error),

    #[error("no target with id `{0}`")]
    UnknownTarget(String),

    #[error("the demo workspace could not start: {0}")]
    Demo(String),
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
        }
    }
}
