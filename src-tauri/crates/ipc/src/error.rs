use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The error categories the UI picks icons and actions from (it never parses `message`): the
/// engine's own [`engine::ErrorKind`], which serialises as the wire code (`"not_found"`) and is
/// exported to TypeScript as `ErrorCode`.
pub use engine::ErrorKind as ErrorCode;

/// The one error shape the UI receives: what happened, and what the admin can do about it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct IpcError {
    pub code: ErrorCode,
    pub message: String,
    pub hint: Option<String>,
}

impl IpcError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            hint: None,
        }
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
}

impl std::fmt::Display for IpcError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)?;
        if let Some(hint) = &self.hint {
            write!(f, " ({hint})")?;
        }
        Ok(())
    }
}

impl std::error::Error for IpcError {}

/// Core errors as the UI shows them: the code from [`engine::Error::kind`], the hint from
/// [`engine::Error::hint`], and the message from the error's Display (which never holds a
/// secret) except where the window words it for itself.
impl From<&engine::Error> for IpcError {
    fn from(error: &engine::Error) -> Self {
        use engine::Error as E;
        let code = error.kind();
        let hint = error.hint();
        let (message, hint) = match error {
            // The app's own wording: the window lists targets, it has no ids to look up.
            E::UnknownTarget(id) => (
                format!("There is no target with id \"{id}\"."),
                Some("Reload the Home page; the target may have been removed.".to_owned()),
            ),
            E::Cancelled(_) => (format!("{}.", capitalise(&error.to_string())), hint),
            // Sentences the window shows as they are (the engine's texts start lowercase).
            E::SecretNotForThisAddress { .. }
            | E::DemoHasDirectory
            | E::HistoryUnavailable(_)
            | E::NothingToProvision { .. } => (capitalise(&error.to_string()), hint),
            E::JumpCloud(e) => (
                format!("JumpCloud: {e}"),
                e.hint().map(|h| format!("{}.", capitalise(&h.to_string()))),
            ),
            // Only the simulators of the demo fail this way; the window shows no hint for it.
            E::Demo(_) => (error.to_string(), None),
            E::Scim(_)
            | E::Target(_)
            | E::Config(_)
            | E::Secrets(_)
            | E::InvalidSetting(_)
            | E::TargetUnavailable { .. }
            | E::JumpCloudNotConfigured
            | E::DirectoryNotRead
            | E::NoJumpCloudApp(_)
            | E::JumpCloudSettingsChanged
            | E::ConfirmationRequired { .. }
            | E::InvalidGuard(_)
            | E::GuardTripped { .. }
            | E::History(_)
            | E::StaleDiff(_)
            | E::NoDiff(_)
            | E::UnknownRow { .. } => (error.to_string(), hint),
        };
        IpcError {
            code,
            message,
            hint,
        }
    }
}

impl From<engine::Error> for IpcError {
    fn from(error: engine::Error) -> Self {
        IpcError::from(&error)
    }
}

/// History store errors. Opening failures say the file was left untouched, so the admin knows
/// moving it aside loses nothing the app could still read.
impl From<&history::Error> for IpcError {
    fn from(e: &history::Error) -> Self {
        use history::Error as E;
        let code = ErrorCode::from(e);
        match e {
            E::RunNotFound(id) => IpcError::new(code, format!("Run {id} is not in the history."))
                .with_hint("It may have been removed by history retention; reload the list."),
            E::SnapshotNotFound(id) => {
                IpcError::new(code, format!("Run {id} has no diff snapshot to compare."))
                    .with_hint("Only diff runs keep a snapshot; pick a diff run.")
            }
            E::SchemaNewerThanApp { .. } => IpcError::new(code, e.to_string()).with_hint(
                "A newer SCIM Companion wrote this history file; it was left untouched. Update the app, or quit and move the file aside to start a new history.",
            ),
            E::Corrupt { .. } => IpcError::new(code, e.to_string()).with_hint(
                "The history file was left untouched. Quit the app, move the file aside (keep it if you need the old runs) and start the app again to begin a new history.",
            ),
            E::CreateDir { .. } => IpcError::new(code, e.to_string())
                .with_hint("Check that your user can write to the app's data folder."),
            E::SnapshotMalformed { .. }
            | E::UnexpectedValue { .. }
            | E::Migrate(_)
            | E::Database(_)
            | E::Json(_)
            | E::Csv(_) => IpcError::new(code, e.to_string()),
        }
    }
}

impl From<history::Error> for IpcError {
    fn from(e: history::Error) -> Self {
        IpcError::from(&e)
    }
}

impl IpcError {
    /// The SAML builder was asked to resolve values for a user the directory does not have.
    pub fn unknown_user(id: &str) -> Self {
        IpcError::new(
            ErrorCode::NotFound,
            format!("There is no user with id \"{id}\" in the directory."),
        )
        .with_hint("Pick the user again; the directory may have been reloaded.")
    }

    /// Writing a file the admin chose failed; the OS error says why (permissions, disk full).
    pub fn file_write(path: &str, e: &std::io::Error) -> Self {
        IpcError::new(ErrorCode::Storage, format!("Could not write {path}: {e}"))
            .with_hint("Choose a folder you can write to, or check the free disk space.")
    }
}

/// Core texts are lower-case clauses (they also appear inside CLI lines); the window starts
/// them with a capital.
pub fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().collect::<String>() + chars.as_str())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serializes_as_code_message_hint() {
        let err = IpcError::new(ErrorCode::Unauthorized, "The target rejected the token.")
            .with_hint("Create a new SCIM token in the AWS console.");
        let json = serde_json::to_value(&err).unwrap();
        assert_eq!(json["code"], "unauthorized");
        assert_eq!(json["message"], "The target rejected the token.");
        assert_eq!(json["hint"], "Create a new SCIM token in the AWS console.");
    }

    #[test]
    fn display_includes_hint_when_present() {
        let plain = IpcError::new(ErrorCode::Network, "Timed out");
        assert_eq!(plain.to_string(), "Timed out");
        let hinted = plain.with_hint("Check the URL");
        assert_eq!(hinted.to_string(), "Timed out (Check the URL)");
    }
}

#[cfg(test)]
mod mapping_tests {
    use super::*;

    #[test]
    fn every_kind_has_the_code_of_the_same_name() {
        use engine::ErrorKind as K;
        for kind in [
            K::InvalidInput,
            K::Unauthorized,
            K::Forbidden,
            K::NotFound,
            K::Conflict,
            K::RateLimited,
            K::RemoteError,
            K::Network,
            K::KeychainUnavailable,
            K::Storage,
            K::Cancelled,
            K::DirectoryNotRead,
            K::ConfirmationRequired,
            K::SecretNotForThisAddress,
            K::GuardTripped,
            K::Internal,
        ] {
            let code = serde_json::to_value(kind).unwrap();
            let snake: String = format!("{kind:?}")
                .chars()
                .enumerate()
                .flat_map(|(i, c)| {
                    let sep = (i > 0 && c.is_uppercase()).then_some('_');
                    sep.into_iter().chain(c.to_lowercase())
                })
                .collect();
            assert_eq!(code, snake.as_str());
        }
    }

    #[test]
    fn a_cancellation_says_what_was_cancelled() {
        use engine::Job;
        for (job, text) in [
            (
                Job::DirectoryRead,
                "The JumpCloud read was cancelled; the directory is as it was before.",
            ),
            (Job::Diff, "The diff was cancelled."),
            (
                Job::ApplyRead,
                "The apply was cancelled while reading the target; nothing was written.",
            ),
            (Job::Apply, "The apply was cancelled."),
        ] {
            let ipc = IpcError::from(engine::Error::Cancelled(job));
            assert_eq!(ipc.code, ErrorCode::Cancelled);
            assert_eq!(ipc.message, text);
            assert_eq!(ipc.hint, None);
        }
    }

    #[test]
    fn the_apply_read_is_named_even_though_it_is_a_diff() {
        let e = engine::Error::Cancelled(engine::Job::Diff).cancelled_as(engine::Job::ApplyRead);
        assert!(IpcError::from(&e).message.contains("nothing was written"));
        let other = engine::Error::DirectoryNotRead.cancelled_as(engine::Job::ApplyRead);
        assert_eq!(IpcError::from(&other).code, ErrorCode::DirectoryNotRead);
    }

    #[test]
    fn history_schema_newer_is_storage_and_says_file_untouched() {
        let ipc = IpcError::from(&history::Error::SchemaNewerThanApp {
            db_version: 9,
            app_version: 2,
        });
        assert_eq!(ipc.code, ErrorCode::Storage);
        assert!(ipc.hint.unwrap().contains("left untouched"));
    }

    #[test]
    fn a_missing_run_is_not_found_and_names_it() {
        let ipc = IpcError::from(&history::Error::RunNotFound(history::RunId(7)));
        assert_eq!(ipc.code, ErrorCode::NotFound);
        assert!(ipc.message.contains("Run 7"), "{}", ipc.message);
        assert!(ipc.hint.is_some());
    }

    #[test]
    fn unknown_user_is_not_found_and_names_the_id() {
        let ipc = IpcError::unknown_user("u-42");
        assert_eq!(ipc.code, ErrorCode::NotFound);
        assert!(ipc.message.contains("u-42"));
        assert!(ipc.hint.is_some());
    }

    #[test]
    fn a_failed_write_is_storage_and_names_the_path() {
        let io = std::io::Error::new(std::io::ErrorKind::PermissionDenied, "denied");
        let ipc = IpcError::file_write("/x/y.csv", &io);
        assert_eq!(ipc.code, ErrorCode::Storage);
        assert!(ipc.message.contains("/x/y.csv"));
    }

    #[test]
    fn no_keychain_is_its_own_code_and_says_nothing_was_saved() {
        let ipc = IpcError::from(&engine::Error::from(secrets::Error::Unavailable {
            reason: "no D-Bus".into(),
        }));
        assert_eq!(ipc.code, ErrorCode::KeychainUnavailable);
        assert!(ipc.message.contains("nothing was saved"));
        assert!(ipc.hint.unwrap().contains("Secret Service"));
    }

    #[test]
    fn a_bad_url_is_invalid_input_with_the_rule() {
        let e =
            targets::normalize_base_url(targets::Kind::Aws, "https://example.com/x").unwrap_err();
        let ipc = IpcError::from(&engine::Error::from(e));
        assert_eq!(ipc.code, ErrorCode::InvalidInput);
        assert!(ipc.message.contains("scim.<region>.amazonaws.com"));
        assert!(ipc.hint.is_some());
    }

    #[test]
    fn unknown_target_is_not_found_with_the_windows_hint() {
        let ipc = IpcError::from(&engine::Error::UnknownTarget("t1".into()));
        assert_eq!(ipc.code, ErrorCode::NotFound);
        assert_eq!(ipc.message, "There is no target with id \"t1\".");
        assert!(ipc.hint.unwrap().starts_with("Reload the Home page"));
    }

    #[test]
    fn a_diff_before_the_read_maps_to_its_own_code_with_the_hint() {
        let e = IpcError::from(&engine::Error::DirectoryNotRead);
        assert_eq!(e.code, ErrorCode::DirectoryNotRead);
        assert!(e.hint.unwrap().starts_with("Read JumpCloud first"));
    }

    #[test]
    fn missing_token_is_unauthorized_and_bad_settings_invalid_input() {
        let missing = IpcError::from(&engine::Error::TargetUnavailable {
            id: "t".into(),
            problem: engine::TargetProblem::TokenMissing,
        });
        assert_eq!(missing.code, ErrorCode::Unauthorized);
        assert!(missing.hint.is_some());
        let invalid = IpcError::from(&engine::Error::TargetUnavailable {
            id: "t".into(),
            problem: engine::TargetProblem::InvalidSettings {
                message: "bad".into(),
            },
        });
        assert_eq!(invalid.code, ErrorCode::InvalidInput);
    }

    #[test]
    fn jumpcloud_statuses_keep_their_codes_and_the_message_says_jumpcloud() {
        for (status, code) in [
            (401, ErrorCode::Unauthorized),
            (403, ErrorCode::Forbidden),
            (404, ErrorCode::NotFound),
            (409, ErrorCode::RemoteError),
            (429, ErrorCode::RateLimited),
            (500, ErrorCode::RemoteError),
        ] {
            let e = engine::Error::from(jumpcloud::Error::Status {
                status,
                endpoint: "/systemusers".into(),
                hint: None,
                message: None,
            });
            let ipc = IpcError::from(&e);
            assert_eq!(ipc.code, code, "{status}");
            assert!(ipc.message.starts_with("JumpCloud: "), "{}", ipc.message);
        }
    }

    #[test]
    fn the_demo_failing_is_internal_without_a_hint() {
        let ipc = IpcError::from(&engine::Error::Demo("no loopback".into()));
        assert_eq!(ipc.code, ErrorCode::Internal);
        assert_eq!(ipc.hint, None);
    }

    #[test]
    fn a_plan_over_the_guard_has_its_code_and_the_number_to_type() {
        let ipc = IpcError::from(&engine::Error::GuardTripped {
            deprovisions: 12,
            target_objects: 40,
            max_count: 10,
            max_percent: 20.0,
            offered: None,
        });
        assert_eq!(ipc.code, ErrorCode::GuardTripped);
        assert!(ipc.hint.unwrap().contains("typing 12"));
    }

    #[test]
    fn a_secret_asked_for_another_address_has_its_own_code_and_says_re_enter() {
        let ipc = IpcError::from(&engine::Error::SecretNotForThisAddress {
            secret: engine::setup::SavedSecret::TargetToken,
            saved_for: "https://scim.example.org/v2".into(),
            change: engine::setup::OriginChange::Host,
        });
        assert_eq!(ipc.code, ErrorCode::SecretNotForThisAddress);
        assert!(
            ipc.message
                .starts_with("The saved token belongs to https://scim.example.org/v2"),
            "{}",
            ipc.message
        );
        assert!(ipc.message.contains("the host changed"), "{}", ipc.message);
        assert!(ipc
            .message
            .contains("re-enter the token for the new address"));
        assert!(ipc.hint.unwrap().contains("Enter the token again"));
    }
}
