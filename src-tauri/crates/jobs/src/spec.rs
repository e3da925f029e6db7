//! What a job runs, and the checks a spec passes before any file is written: the interval
//! within the CLI's and the schedulers' limits, absolute paths, no control characters (a line
//! break would end a unit-file line), and no environment variable that looks like a secret.

use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::error::{Error, Result};
use crate::names;

/// The shortest interval between checks (the CLI's own rule for `watch --every`).
pub const MIN_INTERVAL: Duration = Duration::from_secs(5 * 60);
/// The longest interval: Task Scheduler repeats at most every 31 days; kept on every platform
/// so a schedule means the same everywhere.
pub const MAX_INTERVAL: Duration = Duration::from_secs(31 * 24 * 60 * 60);

/// The environment variable the CLI reads its data folder from.
const DATA_DIR_ENV: &str = "SCIM_COMPANION_DATA_DIR";

/// One scheduled check: which target, how often, and how to start the CLI.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobSpec {
    /// The target's id as saved in settings (free text).
    pub target_id: String,
    /// Between 5 minutes and 31 days; whole seconds count.
    pub every: Duration,
    /// The CLI binary, an absolute path.
    pub program: PathBuf,
    /// The app's data folder (settings.json, history), an absolute path.
    pub data_dir: PathBuf,
    /// More environment for the check, where the platform can set it (not on Windows). Never
    /// secrets: names that look like one are refused.
    pub extra_env: Vec<(String, String)>,
}

impl JobSpec {
    /// The arguments the job passes to [`JobSpec::program`]. `=` keeps a target id or folder that
    /// starts with `-` from reading as an option.
    pub fn arguments(&self) -> Result<Vec<String>> {
        Ok(Checked::new(self)?.args)
    }
}

/// A [`JobSpec`] that passed every check, with what the generators need as text.
pub(crate) struct Checked<'a> {
    pub target_id: &'a str,
    pub name: String,
    pub every_seconds: u64,
    pub program: &'a str,
    pub data_dir: &'a str,
    pub args: Vec<String>,
    /// `SCIM_COMPANION_DATA_DIR` and the extra pairs, for the platforms that set environment.
    pub env: Vec<(&'a str, &'a str)>,
}

impl<'a> Checked<'a> {
    pub(crate) fn new(spec: &'a JobSpec) -> Result<Checked<'a>> {
        let name = names::encode(&spec.target_id)?;
        no_control("the target id", &spec.target_id)?;
        let every_seconds = spec.every.as_secs();
        if every_seconds < MIN_INTERVAL.as_secs() {
            return Err(Error::IntervalTooShort {
                seconds: every_seconds,
            });
        }
        if every_seconds > MAX_INTERVAL.as_secs() {
            return Err(Error::IntervalTooLong {
                seconds: every_seconds,
            });
        }
        let program = absolute_text("the program", &spec.program)?;
        let data_dir = absolute_text("the data folder", &spec.data_dir)?;
        let mut env = vec![(DATA_DIR_ENV, data_dir)];
        for (key, value) in &spec.extra_env {
            check_env_name(key)?;
            no_control("an environment value", value)?;
            env.push((key.as_str(), value.as_str()));
        }
        let args = vec![
            "watch".to_owned(),
            "--once".to_owned(),
            format!("--target={}", spec.target_id),
            "--notify".to_owned(),
            format!("--data-dir={data_dir}"),
        ];
        Ok(Checked {
            target_id: &spec.target_id,
            name,
            every_seconds,
            program,
            data_dir,
            args,
            env,
        })
    }

    /// Whether the caller asked for environment beyond the data folder.
    pub fn has_extra_env(&self) -> bool {
        self.env.len() > 1
    }
}

fn absolute_text<'p>(what: &'static str, path: &'p Path) -> Result<&'p str> {
    let text = path.to_str().ok_or_else(|| Error::NotUtf8 {
        what,
        path: path.to_owned(),
    })?;
    // Files may be generated for another platform than the host's (tests, previews), so a
    // `/`-rooted path, a drive path and a UNC path all count.
    let bytes = text.as_bytes();
    let windows_absolute = (bytes.len() >= 3
        && bytes[0].is_ascii_alphabetic()
        && bytes[1] == b':'
        && matches!(bytes[2], b'\\' | b'/'))
        || text.starts_with("\\\\");
    if !(path.is_absolute() || text.starts_with('/') || windows_absolute) {
        return Err(Error::NotAbsolute {
            what,
            path: path.to_owned(),
        });
    }
    no_control(what, text)?;
    Ok(text)
}

fn no_control(what: &'static str, value: &str) -> Result<()> {
    if value.chars().any(char::is_control) {
        return Err(Error::ControlCharacter {
            what,
            value: value.to_owned(),
        });
    }
    Ok(())
}

/// Parts of names that hold credentials by convention. A job file is plain text; a false
/// positive only asks the caller to rename a variable.
const SECRET_MARKERS: [&str; 10] = [
    "TOKEN",
    "SECRET",
    "PASSWORD",
    "PASSWD",
    "API_KEY",
    "APIKEY",
    "PRIVATE_KEY",
    "CREDENTIAL",
    "AUTH",
    "WEBHOOK",
];

fn check_env_name(name: &str) -> Result<()> {
    let mut chars = name.chars();
    let well_formed = chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_');
    if !well_formed {
        return Err(Error::BadEnvName {
            name: name.to_owned(),
        });
    }
    let upper = name.to_ascii_uppercase();
    if SECRET_MARKERS.iter().any(|marker| upper.contains(marker)) {
        return Err(Error::SecretInEnv {
            name: name.to_owned(),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec() -> JobSpec {
        JobSpec {
            target_id: "aws-prod".into(),
            every: Duration::from_secs(4 * 3600),
            program: "/usr/bin/scim-companion".into(),
            data_dir: "/home/a/.local/share/scim-companion".into(),
            extra_env: vec![],
        }
    }

    #[test]
    fn arguments_are_the_watch_command() {
        assert_eq!(
            spec().arguments().unwrap(),
            [
                "watch",
                "--once",
                "--target=aws-prod",
                "--notify",
                "--data-dir=/home/a/.local/share/scim-companion"
            ]
        );
    }

    #[test]
    fn intervals_outside_5_minutes_to_31_days_are_refused() {
        let mut short = spec();
        short.every = Duration::from_secs(299);
        assert!(matches!(
            short.arguments(),
            Err(Error::IntervalTooShort { seconds: 299 })
        ));
        short.every = MIN_INTERVAL;
        assert!(short.arguments().is_ok());
        short.every = MAX_INTERVAL + Duration::from_secs(1);
        assert!(matches!(
            short.arguments(),
            Err(Error::IntervalTooLong { .. })
        ));
    }

    #[test]
    fn relative_paths_and_control_characters_are_refused() {
        let mut relative = spec();
        relative.program = "scim-companion".into();
        let error = relative.arguments().unwrap_err();
        assert!(matches!(error, Error::NotAbsolute { .. }), "{error}");
        let mut newline = spec();
        newline.target_id = "a\nExecStart=/bin/evil".into();
        assert!(matches!(
            newline.arguments(),
            Err(Error::ControlCharacter { .. })
        ));
        let mut env = spec();
        env.extra_env = vec![("SCIM_COMPANION_LOG".into(), "x\ny".into())];
        assert!(matches!(
            env.arguments(),
            Err(Error::ControlCharacter { .. })
        ));
    }

    #[test]
    fn secret_looking_and_malformed_env_names_are_refused() {
        for name in [
            "SCIM_COMPANION_TOKEN_AWS",
            "JUMPCLOUD_API_KEY",
            "my_password",
            "SCIM_COMPANION_WEBHOOK_URL",
        ] {
            let mut with_secret = spec();
            with_secret.extra_env = vec![(name.into(), "x".into())];
            let error = with_secret.arguments().unwrap_err();
            assert!(
                matches!(error, Error::SecretInEnv { .. }),
                "{name}: {error}"
            );
            assert!(error.to_string().contains("keychain"), "{error}");
        }
        for name in ["", "1A", "A-B", "A=B", "A B"] {
            let mut bad = spec();
            bad.extra_env = vec![(name.into(), "x".into())];
            assert!(
                matches!(bad.arguments(), Err(Error::BadEnvName { .. })),
                "{name:?}"
            );
        }
        let mut fine = spec();
        fine.extra_env = vec![("SCIM_COMPANION_KEYCHAIN_SERVICE".into(), "x".into())];
        assert!(fine.arguments().is_ok());
    }
}
