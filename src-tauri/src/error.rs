//! The one place where core errors become what the UI shows: `{code, message, hint}`.
//! Messages come from the core errors' Display, which never contains secrets.

use ipc::{ErrorCode, IpcError};

pub fn to_ipc_error(error: &engine::Error) -> IpcError {
    match error {
        engine::Error::Scim(e) => scim_error(e),
        engine::Error::UnknownTarget(id) => IpcError::new(
            ErrorCode::NotFound,
            format!("There is no target with id \"{id}\"."),
        )
        .with_hint("Reload the Home page; the target may have been removed."),
        engine::Error::Cancelled => IpcError::new(ErrorCode::Cancelled, "The diff was cancelled."),
        engine::Error::NoDiff(_)
        | engine::Error::StaleDiff(_)
        | engine::Error::UnknownRow { .. } => {
            let mut ipc = IpcError::new(ErrorCode::NotFound, error.to_string());
            if let Some(hint) = error.hint() {
                ipc = ipc.with_hint(hint);
            }
            ipc
        }
        engine::Error::Target(_) | engine::Error::InvalidSetting(_) => with_hint(
            IpcError::new(ErrorCode::InvalidInput, error.to_string()),
            error,
        ),
        engine::Error::Config(_) => {
            with_hint(IpcError::new(ErrorCode::Storage, error.to_string()), error)
        }
        engine::Error::Secrets(_) => with_hint(
            IpcError::new(ErrorCode::KeychainUnavailable, error.to_string()),
            error,
        ),
        engine::Error::TargetUnavailable { problem, .. } => {
            let code = match problem {
                engine::TargetProblem::Keychain { .. } => ErrorCode::KeychainUnavailable,
                engine::TargetProblem::TokenMissing => ErrorCode::Unauthorized,
                engine::TargetProblem::InvalidSettings { .. } => ErrorCode::InvalidInput,
            };
            with_hint(IpcError::new(code, error.to_string()), error)
        }
        engine::Error::JumpCloudNotConfigured => {
            with_hint(IpcError::new(ErrorCode::NotFound, error.to_string()), error)
        }
        engine::Error::JumpCloud(e) => jumpcloud_error(e),
        engine::Error::DirectoryNotRead => with_hint(
            IpcError::new(ErrorCode::DirectoryNotRead, error.to_string()),
            error,
        ),
        engine::Error::ConfirmationRequired { .. } => with_hint(
            IpcError::new(ErrorCode::ConfirmationRequired, error.to_string()),
            error,
        ),
        engine::Error::GuardTripped { .. } => with_hint(
            IpcError::new(ErrorCode::GuardTripped, error.to_string()),
            error,
        ),
        engine::Error::InvalidGuard(_) => with_hint(
            IpcError::new(ErrorCode::InvalidInput, error.to_string()),
            error,
        ),
        engine::Error::History(_) => {
            with_hint(IpcError::new(ErrorCode::Storage, error.to_string()), error)
        }
        engine::Error::SecretNotForThisAddress { .. } => with_hint(
            IpcError::new(
                ErrorCode::SecretNotForThisAddress,
                capitalise(&error.to_string()),
            ),
            error,
        ),
        engine::Error::NoJumpCloudApp(_) | engine::Error::JumpCloudSettingsChanged => with_hint(
            IpcError::new(ErrorCode::InvalidInput, error.to_string()),
            error,
        ),
        other => IpcError::new(ErrorCode::Internal, other.to_string()),
    }
}

fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().collect::<String>() + chars.as_str())
        .unwrap_or_default()
}

fn with_hint(ipc: IpcError, error: &engine::Error) -> IpcError {
    match error.hint() {
        Some(hint) => ipc.with_hint(hint),
        None => ipc,
    }
}

/// JumpCloud API errors; the key never appears in them (the client redacts it).
fn jumpcloud_error(e: &jumpcloud::Error) -> IpcError {
    use jumpcloud::Error as E;
    let code = match e {
        E::InvalidBaseUrl { .. } | E::MissingApiKey | E::InvalidId(_) => ErrorCode::InvalidInput,
        E::Transport { .. } => ErrorCode::Network,
        E::Cancelled => ErrorCode::Cancelled,
        E::RetriesExhausted { .. } => ErrorCode::RateLimited,
        E::Status { status, .. } => match status {
            401 => ErrorCode::Unauthorized,
            403 => ErrorCode::Forbidden,
            404 => ErrorCode::NotFound,
            429 => ErrorCode::RateLimited,
            _ => ErrorCode::RemoteError,
        },
        _ => ErrorCode::RemoteError,
    };
    let ipc = IpcError::new(code, format!("JumpCloud: {e}"));
    match e.hint() {
        Some(hint) => {
            let text = hint.to_string();
            let mut chars = text.chars();
            let capitalised = chars
                .next()
                .map(|c| c.to_uppercase().collect::<String>() + chars.as_str())
                .unwrap_or_default();
            ipc.with_hint(format!("{capitalised}."))
        }
        None => ipc,
    }
}

/// History store errors. Opening failures say the file was left untouched, so the admin knows
/// moving it aside loses nothing the app could still read.
pub fn history_error(e: &history::Error) -> IpcError {
    use history::Error as E;
    match e {
        E::RunNotFound(id) => IpcError::new(ErrorCode::NotFound, format!("Run {id} is not in the history."))
            .with_hint("It may have been removed by history retention; reload the list."),
        E::SnapshotNotFound(id) => IpcError::new(
            ErrorCode::NotFound,
            format!("Run {id} has no diff snapshot to compare."),
        )
        .with_hint("Only diff runs keep a snapshot; pick a diff run."),
        E::SchemaNewerThanApp { .. } => IpcError::new(ErrorCode::Storage, e.to_string()).with_hint(
            "A newer SCIM Companion wrote this history file; it was left untouched. Update the app, or quit and move the file aside to start a new history.",
        ),
        E::Corrupt { .. } => IpcError::new(ErrorCode::Storage, e.to_string()).with_hint(
            "The history file was left untouched. Quit the app, move the file aside (keep it if you need the old runs) and start the app again to begin a new history.",
        ),
        E::CreateDir { .. } => IpcError::new(ErrorCode::Storage, e.to_string())
            .with_hint("Check that your user can write to the app's data folder."),
        other => IpcError::new(ErrorCode::Storage, other.to_string()),
    }
}

/// The SAML builder was asked to resolve values for a user the directory does not have.
pub fn unknown_user(id: &str) -> IpcError {
    IpcError::new(
        ErrorCode::NotFound,
        format!("There is no user with id \"{id}\" in the directory."),
    )
    .with_hint("Pick the user again; the directory may have been reloaded.")
}

/// Writing a file the admin chose failed; the OS error says why (permissions, disk full).
pub fn file_write_error(path: &str, e: &std::io::Error) -> IpcError {
    IpcError::new(ErrorCode::Storage, format!("Could not write {path}: {e}"))
        .with_hint("Choose a folder you can write to, or check the free disk space.")
}

fn scim_error(e: &scim::Error) -> IpcError {
    use scim::Error as E;
    let code = match e {
        E::InvalidBaseUrl { .. } | E::InvalidConfig { .. } => ErrorCode::InvalidInput,
        E::Transport { .. } => ErrorCode::Network,
        E::Cancelled => ErrorCode::Cancelled,
        E::ReplaceAllForbidden => ErrorCode::InvalidInput,
        _ => match e.status() {
            Some(401) => ErrorCode::Unauthorized,
            Some(403) => ErrorCode::Forbidden,
            Some(404) => ErrorCode::NotFound,
            Some(409) | Some(412) => ErrorCode::Conflict,
            Some(429) => ErrorCode::RateLimited,
            _ => ErrorCode::RemoteError,
        },
    };
    IpcError::new(code, e.to_string()).with_hint(e.hint())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn history_schema_newer_is_storage_and_says_file_untouched() {
        let ipc = history_error(&history::Error::SchemaNewerThanApp {
            db_version: 9,
            app_version: 2,
        });
        assert_eq!(ipc.code, ErrorCode::Storage);
        assert!(ipc.hint.unwrap().contains("left untouched"));
    }

    #[test]
    fn unknown_user_is_not_found_and_names_the_id() {
        let ipc = unknown_user("u-42");
        assert_eq!(ipc.code, ErrorCode::NotFound);
        assert!(ipc.message.contains("u-42"));
        assert!(ipc.hint.is_some());
    }

    #[test]
    fn no_keychain_is_its_own_code_and_says_nothing_was_saved() {
        let ipc = to_ipc_error(&engine::Error::from(secrets::Error::Unavailable {
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
        let ipc = to_ipc_error(&engine::Error::from(e));
        assert_eq!(ipc.code, ErrorCode::InvalidInput);
        assert!(ipc.message.contains("scim.<region>.amazonaws.com"));
        assert!(ipc.hint.is_some());
    }

    #[test]
    fn unknown_target_is_not_found_with_hint() {
        let ipc = to_ipc_error(&engine::Error::UnknownTarget("t1".into()));
        assert_eq!(ipc.code, ErrorCode::NotFound);
        assert!(ipc.message.contains("t1"));
        assert!(ipc.hint.is_some());
    }
}

#[cfg(test)]
mod secret_origin_tests {
    use super::*;

    #[test]
    fn a_secret_asked_for_another_address_has_its_own_code_and_says_re_enter() {
        let ipc = to_ipc_error(&engine::Error::SecretNotForThisAddress {
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
