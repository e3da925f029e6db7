//! The CLI's one error type: a message for stderr, an optional hint, and exit code 1.
//! Core crates keep their typed errors; this is where they become text.

use std::fmt;
use std::process::ExitCode;

#[derive(Debug)]
pub struct CliError {
    pub message: String,
    pub hint: Option<String>,
}

pub type CliResult<T> = Result<T, CliError>;

impl CliError {
    pub fn new(message: impl Into<String>) -> Self {
        CliError {
            message: message.into(),
            hint: None,
        }
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Writes `error: ...` (and `hint: ...`) to stderr; the exit code for errors is always 1.
    pub fn report(&self) -> ExitCode {
        eprintln!("error: {}", self.message);
        if let Some(hint) = &self.hint {
            eprintln!("hint: {hint}");
        }
        ExitCode::FAILURE
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl From<engine::Error> for CliError {
    fn from(e: engine::Error) -> Self {
        CliError {
            message: e.to_string(),
            hint: e.hint(),
        }
    }
}

impl From<jumpcloud::Error> for CliError {
    fn from(e: jumpcloud::Error) -> Self {
        let hint = e.hint().map(|h| h.to_string());
        let message = match &e {
            // The row-level errors matter more than the first one the summary names.
            jumpcloud::Error::Csv(rows) if rows.len() > 1 => {
                let mut text = format!("CSV import failed with {} error(s):", rows.len());
                for row in rows.iter().take(20) {
                    text.push_str("\n  ");
                    text.push_str(&row.to_string());
                }
                if rows.len() > 20 {
                    text.push_str(&format!("\n  ... and {} more", rows.len() - 20));
                }
                text
            }
            _ => e.to_string(),
        };
        CliError { message, hint }
    }
}

impl From<history::Error> for CliError {
    fn from(e: history::Error) -> Self {
        let hint = match &e {
            history::Error::SchemaNewerThanApp { .. } => {
                Some("Update scim-companion: a newer version wrote this history file.".to_owned())
            }
            history::Error::Corrupt { .. } => Some(
                "The file was left untouched; move it aside to start a new history.".to_owned(),
            ),
            history::Error::RunNotFound(_) => {
                Some("`scim-companion history list` shows the run ids.".to_owned())
            }
            history::Error::CreateDir { .. }
            | history::Error::SnapshotNotFound(_)
            | history::Error::SnapshotMalformed { .. }
            | history::Error::UnexpectedValue { .. }
            | history::Error::Migrate(_)
            | history::Error::Database(_)
            | history::Error::Json(_)
            | history::Error::Csv(_) => None,
        };
        CliError {
            message: e.to_string(),
            hint,
        }
    }
}

impl From<secrets::Error> for CliError {
    fn from(e: secrets::Error) -> Self {
        CliError {
            message: e.to_string(),
            hint: Some(e.hint().to_owned()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_secret_asked_for_another_address_says_re_enter_with_a_hint() {
        let e = CliError::from(engine::Error::SecretNotForThisAddress {
            secret: engine::setup::SavedSecret::JumpCloudKey,
            saved_for: "https://console.jumpcloud.com".into(),
            change: engine::setup::OriginChange::Host,
        });
        assert!(
            e.message
                .contains("re-enter the JumpCloud API key for the new address"),
            "{}",
            e.message
        );
        assert!(e
            .hint
            .unwrap()
            .contains("Enter the JumpCloud API key again"));
    }

    #[test]
    fn a_cancelled_apply_read_says_nothing_was_written() {
        let e = CliError::from(engine::Error::Cancelled(engine::Job::ApplyRead));
        assert_eq!(
            e.message,
            "the apply was cancelled while reading the target; nothing was written"
        );
        assert!(e.hint.is_none());
    }
}
