use std::path::PathBuf;

/// What went wrong while writing, registering or reading a scheduled check. Each message says
/// what failed and what the admin can do about it.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("the target id is empty: a scheduled check needs the id of a configured target")]
    EmptyTargetId,

    #[error(
        "the target id {id:?} is too long for a job name ({len} characters once encoded, at most \
         {max}). Give the target a shorter id in Settings"
    )]
    TargetIdTooLong { id: String, len: usize, max: usize },

    #[error(
        "a check every {seconds} s is too often: the shortest interval is 5 minutes (a check reads \
         every user and group, and vendors throttle per tenant). Choose a longer interval"
    )]
    IntervalTooShort { seconds: u64 },

    #[error(
        "a check every {seconds} s is too rare: the longest interval is 31 days (Task Scheduler's \
         longest repetition, kept on every platform). Choose a shorter interval"
    )]
    IntervalTooLong { seconds: u64 },

    #[error(
        "{what} {path:?} is not an absolute path: the scheduler starts the check without the app's \
         working folder. Pass the full path"
    )]
    NotAbsolute { what: &'static str, path: PathBuf },

    #[error(
        "{what} {path:?} is not valid UTF-8, so it cannot be written into a job file. Move it to \
         a folder whose name is valid UTF-8"
    )]
    NotUtf8 { what: &'static str, path: PathBuf },

    #[error(
        "{what} contains a control character (a line break, tab or similar), which a job file \
         cannot hold: {value:?}. Remove it"
    )]
    ControlCharacter { what: &'static str, value: String },

    #[error(
        "{name:?} is not an environment variable name a job can set: use letters, digits and _ \
         and do not start with a digit"
    )]
    BadEnvName { name: String },

    #[error(
        "the environment variable {name} looks like a secret, and job files are plain text that \
         other programs of this user can read. Leave it out: the check reads tokens from the \
         keychain of the logged-in user"
    )]
    SecretInEnv { name: String },

    #[error(
        "{platform} cannot set environment variables for a job ({names}). Leave them out on \
         Windows; the data folder is passed as --data-dir"
    )]
    EnvNotSupported {
        platform: &'static str,
        names: String,
    },

    #[error(
        "{what} {value:?} contains %{var}%, which Task Scheduler would replace with the \
         environment variable {var}. Rename it, or move the folder"
    )]
    EnvExpansion {
        what: &'static str,
        value: String,
        var: String,
    },

    #[error(
        "{what} {path:?} is longer than Task Scheduler's {max} characters. Use a shorter path"
    )]
    PathTooLong {
        what: &'static str,
        path: PathBuf,
        max: usize,
    },

    #[error("scheduled checks are not supported on this operating system (only Linux with systemd, macOS and Windows)")]
    UnsupportedPlatform,

    #[error("the folder for {platform} jobs is not known: {missing} is not set. Set it, or run the app from a normal login session")]
    NoJobFolder {
        platform: &'static str,
        missing: &'static str,
    },

    #[error("could not {action} {path:?}: {source}. Check that the folder exists and that you may write to it")]
    Io {
        action: &'static str,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    #[error("could not start {program}: {source}. {hint}")]
    Spawn {
        program: String,
        #[source]
        source: std::io::Error,
        hint: &'static str,
    },

    #[error("{command} failed ({status}): {output}. {hint}")]
    Command {
        command: String,
        status: String,
        output: String,
        hint: &'static str,
    },

    #[error("{command} answered something this version cannot read: {output:?}. {hint}")]
    UnexpectedOutput {
        command: String,
        output: String,
        hint: &'static str,
    },
}

pub type Result<T> = std::result::Result<T, Error>;

impl Error {
    pub(crate) fn io(
        action: &'static str,
        path: impl Into<PathBuf>,
        source: std::io::Error,
    ) -> Self {
        Error::Io {
            action,
            path: path.into(),
            source,
        }
    }
}
