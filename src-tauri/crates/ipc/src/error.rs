use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Stable, machine-readable error categories. The UI picks icons and actions from these;
/// it never parses `message`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ErrorCode {
    /// The input failed validation before anything was sent.
    InvalidInput,
    /// The remote service rejected the credentials (401).
    Unauthorized,
    /// The credentials are valid but lack permission (403).
    Forbidden,
    /// The URL or the object does not exist (404).
    NotFound,
    /// The object already exists or changed meanwhile (409/412).
    Conflict,
    /// The service asked us to slow down (429) and retries ran out.
    RateLimited,
    /// The service failed (5xx) or answered with something that is not SCIM/JSON.
    RemoteError,
    /// No connection, DNS failure or timeout.
    Network,
    /// No OS keychain is available to hold secrets.
    KeychainUnavailable,
    /// Local storage (settings or history database) failed.
    Storage,
    /// The user cancelled the operation.
    Cancelled,
    /// A configured target cannot be diffed yet: JumpCloud has not been read successfully.
    DirectoryNotRead,
    /// An apply has destructive operations whose exact count was not confirmed; nothing was written.
    ConfirmationRequired,
    /// A saved secret was asked for with another address than it was saved for; nothing was
    /// sent. The secret must be entered again for the new address.
    SecretNotForThisAddress,
    /// An apply is over the deletion guard's saved limits and no override named its exact
    /// number of deactivations and deletions; nothing was written.
    GuardTripped,
    /// Anything else; a bug if it shows up.
    Internal,
}

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
