//! Where SCIM Companion keeps credentials: only in the operating system's keychain
//! (Keychain on macOS, Credential Manager on Windows, the Secret Service on Linux).
//!
//! There is deliberately no fallback: if no keychain is reachable, every call fails with
//! [`Error::Unavailable`], whose message says so and what to install. Settings files, the
//! history database and logs never see a secret.
//!
//! [`Secret`] is the type every token and key travels in. It cannot be serialized, so no DTO,
//! settings struct or log record can carry one out by accident. This does not compile:
//! ```compile_fail
//! let _ = serde_json::to_string(&secrets::Secret::new("t0ken"));
//! ```

#![cfg_attr(test, allow(clippy::unwrap_used))]

use std::fmt;

use thiserror::Error;

mod explicit;
mod secret;
mod store;
#[cfg(feature = "keychain")]
mod vault;

pub use explicit::{
    env_name, file_name, read_private_file, ExplicitSecrets, ExplicitSource, JUMPCLOUD_KEY_ENV,
    JUMPCLOUD_KEY_FILE, TARGET_TOKEN_ENV_PREFIX, TARGET_TOKEN_FILE_PREFIX,
};
pub use secret::Secret;
pub use store::{MemorySecrets, SecretStore};
#[cfg(feature = "keychain")]
pub use vault::Vault;

/// The keychain "service" under which every entry of the app is filed.
pub const SERVICE: &str = "dev.scimcompanion.app";

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, Error)]
pub enum Error {
    #[error("no OS keychain is available ({reason}); SCIM Companion stores tokens only in the keychain, so nothing was saved")]
    Unavailable { reason: String },

    #[error("the keychain refused access to `{account}`: {reason}")]
    Access { account: String, reason: String },

    /// A secret file that group or others can read (see [`ExplicitSecrets`]).
    #[error("the secret file {path} can be read by others than its owner (mode {mode:04o}), so it was not used")]
    FileTooOpen { path: String, mode: u32 },

    #[error("cannot use the secret file {path}: {reason}")]
    File { path: String, reason: String },

    /// Secrets of an unattended run are read from the environment or a folder, never written.
    #[error(
        "`{account}` was not changed: in this run secrets are read from {origin}, never written"
    )]
    ReadOnly { account: String, origin: String },
}

impl Error {
    pub fn hint(&self) -> &'static str {
        match self {
            Self::Unavailable { .. } => {
                "On Linux, install and unlock a Secret Service keyring (e.g. gnome-keyring or KeePassXC) in your desktop session; on macOS and Windows the system keychain must be reachable."
            }
            Self::Access { .. } => {
                "Unlock the keychain (or allow SCIM Companion in its prompt) and try again."
            }
            Self::FileTooOpen { .. } => {
                "Let only the file's owner read it (chmod 600 FILE, or mode 0400 for systemd credentials and container secrets), then run again."
            }
            Self::File { .. } => {
                "Put the secret alone in the file (one line), readable by the user the check runs as and nobody else."
            }
            Self::ReadOnly { .. } => {
                "Change the secret where it comes from (the environment or the secrets folder), or save it from the app on a desktop."
            }
        }
    }
}

/// What a secret belongs to; also its account name in the keychain.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Account {
    /// The SCIM bearer token (or Unity secret key) of a target.
    TargetToken { target_id: String },
    /// The JumpCloud API key of a connection profile.
    JumpCloudApiKey { profile: String },
}

impl fmt::Display for Account {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::TargetToken { target_id } => write!(f, "target:{target_id}:token"),
            Self::JumpCloudApiKey { profile } => write!(f, "jumpcloud:{profile}:api-key"),
        }
    }
}

/// A secret read back from the keychain. Its Debug and Display never show the value.
#[derive(Clone, PartialEq, Eq)]
pub struct SecretValue(Secret);

impl SecretValue {
    /// The raw value, for the one place that puts it into a request header.
    pub fn expose(&self) -> &str {
        self.0.expose()
    }
}

impl fmt::Debug for SecretValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SecretValue(<redacted>)")
    }
}

/// Whether the keychain can be used in this process.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    Available,
    Unavailable { reason: String },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn account_names_are_stable_and_distinct() {
        let token = Account::TargetToken {
            target_id: "aws-prod".into(),
        };
        let key = Account::JumpCloudApiKey {
            profile: "default".into(),
        };
        assert_eq!(token.to_string(), "target:aws-prod:token");
        assert_eq!(key.to_string(), "jumpcloud:default:api-key");
    }

    #[test]
    fn secret_value_debug_is_redacted() {
        let v = SecretValue(Secret::new("s3cr3t-token"));
        assert!(!format!("{v:?}").contains("s3cr3t"));
        assert_eq!(v.expose(), "s3cr3t-token");
    }

    #[test]
    fn unavailable_error_says_nothing_was_saved_and_what_to_do() {
        let e = Error::Unavailable {
            reason: "no D-Bus".into(),
        };
        assert!(e.to_string().contains("nothing was saved"));
        assert!(e.hint().contains("Secret Service"));
    }
}
