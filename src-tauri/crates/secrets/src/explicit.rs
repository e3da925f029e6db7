//! Secrets from an explicit source, for unattended runs where there is no keychain (a server, a
//! container, a systemd service): an environment variable per secret, or a folder holding one
//! file per secret that only its owner can read (systemd credentials, container secrets).
//!
//! Never a command-line argument: arguments are visible to every user of the machine in the
//! process list. A file that group or others can read is refused, not used with a warning: a
//! token that anyone on the machine could copy is already a leak.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::{Account, Error, Result, Secret, SecretStore};

/// Environment variable for the JumpCloud API key (the CLI reads the same one).
pub const JUMPCLOUD_KEY_ENV: &str = "JUMPCLOUD_API_KEY";
/// Prefix of a target token's environment variable: `SCIM_COMPANION_TOKEN_AWS_PROD` for `aws-prod`.
pub const TARGET_TOKEN_ENV_PREFIX: &str = "SCIM_COMPANION_TOKEN_";
/// File name of the JumpCloud API key in a secrets folder.
pub const JUMPCLOUD_KEY_FILE: &str = "jumpcloud-api-key";
/// Prefix of a target token's file name in a secrets folder: `token-aws-prod`.
pub const TARGET_TOKEN_FILE_PREFIX: &str = "token-";

/// Where the secrets of an unattended run come from.
pub enum ExplicitSource {
    /// Environment variables (see [`env_name`]). Tests pass a map instead of the process's.
    Env(Option<HashMap<String, String>>),
    /// One file per secret in this folder (see [`file_name`]).
    Dir(PathBuf),
}

/// Read-only secrets from an [`ExplicitSource`].
pub struct ExplicitSecrets {
    source: ExplicitSource,
}

/// The environment variable that holds `account`'s secret. A target id's letters are
/// upper-cased and anything else becomes `_`, so two ids can share a name (`a-b`, `a_b`); the
/// CLI refuses to run when the targets it checks do.
pub fn env_name(account: &Account) -> String {
    match account {
        Account::JumpCloudApiKey { .. } => JUMPCLOUD_KEY_ENV.to_owned(),
        Account::TargetToken { target_id } => {
            let id: String = target_id
                .chars()
                .map(|c| {
                    if c.is_ascii_alphanumeric() {
                        c.to_ascii_uppercase()
                    } else {
                        '_'
                    }
                })
                .collect();
            format!("{TARGET_TOKEN_ENV_PREFIX}{id}")
        }
    }
}

/// The file name that holds `account`'s secret in a secrets folder.
pub fn file_name(account: &Account) -> String {
    match account {
        Account::JumpCloudApiKey { .. } => JUMPCLOUD_KEY_FILE.to_owned(),
        Account::TargetToken { target_id } => format!("{TARGET_TOKEN_FILE_PREFIX}{target_id}"),
    }
}

impl ExplicitSecrets {
    /// Secrets from the process's environment.
    pub fn env() -> Self {
        Self {
            source: ExplicitSource::Env(None),
        }
    }

    /// Secrets from these variables instead of the process's (tests).
    pub fn env_from(vars: HashMap<String, String>) -> Self {
        Self {
            source: ExplicitSource::Env(Some(vars)),
        }
    }

    /// Secrets from files in `dir`, each readable by its owner only.
    pub fn dir(dir: impl Into<PathBuf>) -> Self {
        Self {
            source: ExplicitSource::Dir(dir.into()),
        }
    }

    /// Where `account`'s secret is looked for, for messages: "the environment variable X" or
    /// "the file /run/credentials/…/token-x". Never the value.
    pub fn location(&self, account: &Account) -> String {
        match &self.source {
            ExplicitSource::Env(_) => format!("the environment variable {}", env_name(account)),
            ExplicitSource::Dir(dir) => {
                format!("the file {}", dir.join(file_name(account)).display())
            }
        }
    }

    /// The secrets folder, when the secrets come from one.
    pub fn folder(&self) -> Option<&Path> {
        match &self.source {
            ExplicitSource::Env(_) => None,
            ExplicitSource::Dir(dir) => Some(dir),
        }
    }

    fn describe_source(&self) -> String {
        match &self.source {
            ExplicitSource::Env(_) => "environment variables".to_owned(),
            ExplicitSource::Dir(dir) => format!("the folder {}", dir.display()),
        }
    }

    fn read_env(vars: Option<&HashMap<String, String>>, name: &str) -> Option<String> {
        match vars {
            Some(vars) => vars.get(name).cloned(),
            None => std::env::var(name).ok(),
        }
    }
}

/// A secret file's content, when only its owner can read it. `Ok(None)` when there is no file.
pub fn read_private_file(path: &Path) -> Result<Option<Secret>> {
    let shown = path.display().to_string();
    // Follows symlinks, as container runtimes mount secrets through them; the file reached is
    // the one whose permissions count.
    let meta = match std::fs::metadata(path) {
        Ok(meta) => meta,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => {
            return Err(Error::File {
                path: shown,
                reason: e.to_string(),
            })
        }
    };
    if !meta.is_file() {
        return Err(Error::File {
            path: shown,
            reason: "it is not a regular file".to_owned(),
        });
    }
    check_private(&meta, &shown)?;
    let text = std::fs::read_to_string(path).map_err(|e| Error::File {
        path: shown.clone(),
        reason: e.to_string(),
    })?;
    // Editors and `echo` end files with a newline; no token or key carries whitespace.
    let value = text.trim();
    if value.is_empty() {
        return Err(Error::File {
            path: shown,
            reason: "it is empty".to_owned(),
        });
    }
    Ok(Some(Secret::new(value)))
}

#[cfg(unix)]
fn check_private(meta: &std::fs::Metadata, shown: &str) -> Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let mode = meta.permissions().mode() & 0o777;
    if mode & 0o077 != 0 {
        return Err(Error::FileTooOpen {
            path: shown.to_owned(),
            mode,
        });
    }
    Ok(())
}

/// Windows has no mode bits to check; its files are protected by ACLs, which are not read
/// here, so a secrets folder is refused rather than trusted unchecked.
#[cfg(not(unix))]
fn check_private(_meta: &std::fs::Metadata, shown: &str) -> Result<()> {
    Err(Error::File {
        path: shown.to_owned(),
        reason: "secret files are supported on Linux and macOS only; use environment variables"
            .to_owned(),
    })
}

impl SecretStore for ExplicitSecrets {
    fn get(&self, account: &Account) -> Result<Option<Secret>> {
        match &self.source {
            ExplicitSource::Env(vars) => Ok(Self::read_env(vars.as_ref(), &env_name(account))
                .map(|v| v.trim().to_owned())
                .filter(|v| !v.is_empty())
                .map(Secret::new)),
            ExplicitSource::Dir(dir) => read_private_file(&dir.join(file_name(account))),
        }
    }

    fn set(&self, account: &Account, _secret: &str) -> Result<()> {
        Err(Error::ReadOnly {
            account: account.to_string(),
            origin: self.describe_source(),
        })
    }

    fn delete(&self, account: &Account) -> Result<bool> {
        Err(Error::ReadOnly {
            account: account.to_string(),
            origin: self.describe_source(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn token(id: &str) -> Account {
        Account::TargetToken {
            target_id: id.to_owned(),
        }
    }

    fn jumpcloud() -> Account {
        Account::JumpCloudApiKey {
            profile: "default".to_owned(),
        }
    }

    #[test]
    fn environment_names_are_upper_case_with_underscores() {
        assert_eq!(
            env_name(&token("aws-prod")),
            "SCIM_COMPANION_TOKEN_AWS_PROD"
        );
        assert_eq!(env_name(&token("Unity.2")), "SCIM_COMPANION_TOKEN_UNITY_2");
        assert_eq!(env_name(&jumpcloud()), "JUMPCLOUD_API_KEY");
        assert_eq!(file_name(&token("aws-prod")), "token-aws-prod");
        assert_eq!(file_name(&jumpcloud()), "jumpcloud-api-key");
    }

    #[test]
    fn the_environment_gives_trimmed_values_and_nothing_for_blank_ones() {
        let store = ExplicitSecrets::env_from(HashMap::from([
            ("SCIM_COMPANION_TOKEN_AWS".to_owned(), " t0ken\n".to_owned()),
            ("SCIM_COMPANION_TOKEN_BLANK".to_owned(), "  ".to_owned()),
            ("JUMPCLOUD_API_KEY".to_owned(), "k3y".to_owned()),
        ]));
        assert_eq!(store.get(&token("aws")).unwrap().unwrap().expose(), "t0ken");
        assert!(store.get(&token("blank")).unwrap().is_none());
        assert!(store.get(&token("other")).unwrap().is_none());
        assert_eq!(store.get(&jumpcloud()).unwrap().unwrap().expose(), "k3y");
        assert!(store
            .location(&token("aws"))
            .contains("SCIM_COMPANION_TOKEN_AWS"));
    }

    #[test]
    fn nothing_is_ever_written_or_deleted() {
        let store = ExplicitSecrets::env_from(HashMap::new());
        let e = store.set(&token("aws"), "x").unwrap_err();
        assert!(matches!(e, Error::ReadOnly { .. }), "{e}");
        assert!(e.to_string().contains("environment variables"), "{e}");
        assert!(matches!(
            store.delete(&token("aws")).unwrap_err(),
            Error::ReadOnly { .. }
        ));
    }

    #[cfg(unix)]
    #[test]
    fn a_file_only_its_owner_can_read_is_used_and_a_looser_one_refused() {
        use std::os::unix::fs::PermissionsExt;
        let dir = std::env::temp_dir().join(format!("secrets-explicit-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let write = |name: &str, content: &str, mode: u32| {
            let path = dir.join(name);
            std::fs::write(&path, content).unwrap();
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).unwrap();
        };
        write("token-aws", "t0ken\n", 0o600);
        write("token-ro", "r3ad", 0o400);
        write("token-open", "0pen", 0o644);
        write("token-group", "gr0up", 0o640);
        write("token-empty", "\n", 0o600);
        let store = ExplicitSecrets::dir(&dir);

        assert_eq!(store.get(&token("aws")).unwrap().unwrap().expose(), "t0ken");
        assert_eq!(store.get(&token("ro")).unwrap().unwrap().expose(), "r3ad");
        assert!(store.get(&token("absent")).unwrap().is_none());
        for (id, mode) in [("open", "0644"), ("group", "0640")] {
            let e = store.get(&token(id)).unwrap_err();
            assert!(matches!(e, Error::FileTooOpen { .. }), "{e}");
            let text = e.to_string();
            assert!(
                text.contains(mode) && text.contains(&format!("token-{id}")),
                "{text}"
            );
            assert!(!text.contains("0pen") && !text.contains("gr0up"), "{text}");
            assert!(e.hint().contains("chmod 600"), "{}", e.hint());
        }
        let e = store.get(&token("empty")).unwrap_err();
        assert!(e.to_string().contains("empty"), "{e}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
