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
        engine::Error::NoDiff(_) | engine::Error::UnknownRow { .. } => {
            let mut ipc = IpcError::new(ErrorCode::NotFound, error.to_string());
            if let Some(hint) = error.hint() {
                ipc = ipc.with_hint(hint);
            }
            ipc
        }
        other => IpcError::new(ErrorCode::Internal, other.to_string()),
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
    fn unknown_target_is_not_found_with_hint() {
        let ipc = to_ipc_error(&engine::Error::UnknownTarget("t1".into()));
        assert_eq!(ipc.code, ErrorCode::NotFound);
        assert!(ipc.message.contains("t1"));
        assert!(ipc.hint.is_some());
    }
}
