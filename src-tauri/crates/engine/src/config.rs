//! The workspace settings: which JumpCloud organization and which SCIM targets the admin set up.
//! No secrets: tokens and API keys live only in the OS keychain (see [`crate::setup`]).
//!
//! # File
//! `<data_dir>/settings.json`, a JSON object of key -> value (the format tauri-plugin-store
//! uses), with the whole configuration under the key [`STORE_KEY`] (`"workspace"`). Other keys
//! in the file are kept as they are.
//!
//! # Why this wrapper writes the file, not tauri-plugin-store
//! The app and the `scim-companion` CLI read and write the same file, and the CLI has no Tauri.
//! The plugin also keeps its own in-memory copy, writes in place (a crash mid-save leaves half a
//! file) and would silently start empty on a file it cannot parse. So both the app and the CLI
//! go through [`load`] and [`save`] here:
//! - a save writes `settings.json.tmp`, fsyncs it, copies the current good file to
//!   `settings.json.bak`, then renames the temporary file over `settings.json` (atomic on one
//!   file system) and fsyncs the folder. A crash at any point leaves either the old or the new
//!   file, never half of one.
//! - a file that cannot be read or parsed is a typed [`Error`], never replaced: [`save`] refuses
//!   to write over it, and [`restore_backup`] is an explicit step the admin takes.
//!
//! The UI must not open `settings.json` through the store plugin; UI preferences, if any, go to
//! a file of their own.

use std::path::PathBuf;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// The settings file's name inside the data folder.
pub const FILE_NAME: &str = "settings.json";
/// The key holding [`WorkspaceConfig`] inside the file.
pub const STORE_KEY: &str = "workspace";
/// The key holding the history retention ([`history::Retention`]) inside the file; absent or
/// `null` means keep everything.
pub const RETENTION_KEY: &str = "history_retention";
/// The key holding the deletion guard's limits ([`drift::plan::DeletionGuard`]); absent means
/// the defaults. Enforced by the engine (see [`crate::guard`]).
pub const GUARD_KEY: &str = "deletion_guard";
/// The key holding the scheduled drift checks ([`crate::watch::WatchSchedule`]); absent means
/// no target is checked on a schedule.
pub const WATCH_KEY: &str = "watch_schedule";
/// The version this build writes; a file with a higher version is refused, not rewritten.
pub const VERSION: u32 = 1;

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("could not read {path}: {source}")]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// The file exists but is not valid JSON or not a valid configuration. It is left untouched.
    #[error("{path} is damaged and was left untouched: {detail}")]
    Corrupt {
        path: PathBuf,
        detail: String,
        /// Whether `settings.json.bak` (the previous good copy) exists.
        backup: bool,
    },
    #[error("{path} was written by a newer SCIM Companion (settings version {found}, this build reads up to {VERSION})")]
    NewerVersion { path: PathBuf, found: u32 },
    #[error("could not write {path}: {source}")]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("there is no previous copy {path} to restore")]
    NoBackup { path: PathBuf },
}

impl Error {
    pub fn hint(&self) -> &'static str {
        match self {
            Error::Read { .. } => "Check that your user can read the app's data folder.",
            Error::Corrupt { backup: true, .. } => {
                "Restore the previous good copy (settings.json.bak), or move settings.json aside to start over."
            }
            Error::Corrupt { backup: false, .. } => {
                "Fix the file by hand or move it aside to start over; SCIM Companion will not overwrite it."
            }
            Error::NewerVersion { .. } => "Update SCIM Companion; the file was left untouched.",
            Error::Write { .. } => {
                "Check the free disk space and that your user can write to the app's data folder."
            }
            Error::NoBackup { .. } => "Move settings.json aside to start over.",
        }
    }
}

/// Everything the admin configured, without secrets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkspaceConfig {
    pub version: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jumpcloud: Option<JumpCloudSettings>,
    #[serde(default)]
    pub targets: Vec<TargetSettings>,
}

impl Default for WorkspaceConfig {
    fn default() -> Self {
        Self {
            version: VERSION,
            jumpcloud: None,
            targets: Vec::new(),
        }
    }
}

impl WorkspaceConfig {
    pub fn target(&self, id: &str) -> Option<&TargetSettings> {
        self.targets.iter().find(|t| t.id == id)
    }

    /// Adds the target, or replaces the one with the same id in place (keeping its position).
    pub fn upsert_target(&mut self, target: TargetSettings) {
        match self.targets.iter_mut().find(|t| t.id == target.id) {
            Some(slot) => *slot = target,
            None => self.targets.push(target),
        }
    }

    /// Returns the removed target.
    pub fn remove_target(&mut self, id: &str) -> Option<TargetSettings> {
        let at = self.targets.iter().position(|t| t.id == id)?;
        Some(self.targets.remove(at))
    }
}

/// The JumpCloud connection. The API key is in the keychain under
/// `secrets::Account::JumpCloudApiKey { profile: JUMPCLOUD_PROFILE }`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JumpCloudSettings {
    pub region: jumpcloud::Region,
    /// Multi-tenant admins must name the organization (`x-org-id`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub org_id: Option<String>,
    /// An explicit API address instead of the region's (a proxy, or the simulator on loopback).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base_url: Option<String>,
    /// When the API key was last stored in the keychain.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key_saved_at: Option<DateTime<Utc>>,
}

/// The one keychain profile name for the JumpCloud API key.
pub const JUMPCLOUD_PROFILE: &str = "default";

/// How a target authenticates; the secret part is in the keychain under
/// `secrets::Account::TargetToken { target_id }`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum TargetAuth {
    /// `Authorization: Bearer <token>`.
    Bearer,
    /// Unity service account: the key id is an identifier, the secret key is in the keychain.
    Basic { key_id: String },
    /// A header the admin names; its value is in the keychain.
    Header { name: String },
}

impl TargetAuth {
    pub fn kind(&self) -> targets::AuthKind {
        match self {
            TargetAuth::Bearer => targets::AuthKind::Bearer,
            TargetAuth::Basic { .. } => targets::AuthKind::Basic,
            TargetAuth::Header { .. } => targets::AuthKind::Header,
        }
    }

    /// The non-secret part of credentials the admin entered (validated ones: a pasted Basic
    /// value is already split into key ID and secret key).
    pub fn of(credentials: &targets::Credentials) -> Self {
        match credentials {
            targets::Credentials::Bearer { .. } => TargetAuth::Bearer,
            targets::Credentials::Basic { .. } | targets::Credentials::BasicValue { .. } => {
                TargetAuth::Basic {
                    key_id: credentials.basic_parts().map(|p| p.0).unwrap_or_default(),
                }
            }
            targets::Credentials::Header { name, .. } => TargetAuth::Header { name: name.clone() },
        }
    }

    /// The secret part of credentials (what goes to the keychain).
    pub fn secret_of(credentials: &targets::Credentials) -> String {
        match credentials {
            targets::Credentials::Bearer { token } => token.expose().to_owned(),
            targets::Credentials::Basic { .. } | targets::Credentials::BasicValue { .. } => {
                credentials.basic_parts().map(|p| p.1).unwrap_or_default()
            }
            targets::Credentials::Header { value, .. } => value.expose().to_owned(),
        }
    }

    /// Credentials again from this and the secret read from the keychain.
    pub fn with_secret(&self, secret: &str) -> targets::Credentials {
        match self {
            TargetAuth::Bearer => targets::Credentials::Bearer {
                token: secret.into(),
            },
            TargetAuth::Basic { key_id } => targets::Credentials::Basic {
                key_id: key_id.clone(),
                secret_key: secret.into(),
            },
            TargetAuth::Header { name } => targets::Credentials::Header {
                name: name.clone(),
                value: secret.into(),
            },
        }
    }
}

/// One configured SCIM target.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TargetSettings {
    /// Stable id: the keychain account and history rows refer to it.
    pub id: String,
    pub kind: targets::Kind,
    pub name: String,
    /// Normalised by the target's URL rule (or the local-endpoint rule below).
    pub base_url: String,
    /// The admin chose "local test endpoint": the URL must be on this computer (loopback) and
    /// the vendor's host rule is not applied. For simulators and local test servers only.
    #[serde(default)]
    pub local_endpoint: bool,
    pub auth: TargetAuth,
    /// The JumpCloud SSO application whose scope this target receives.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jumpcloud_app_id: Option<String>,
    /// JumpCloud's "Enable management of User Groups and Group Membership" checkbox.
    pub manage_groups: bool,
    /// Unity: the domains validated for SSO.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub validated_domains: Vec<String>,
    pub created_at: DateTime<Utc>,
    /// When the token was stored in the keychain.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token_saved_at: Option<DateTime<Utc>>,
    /// The day the vendor created the token (the admin enters it; default the day it was
    /// saved). The token's lifetime runs from here, so the expiry warning uses it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token_created_on: Option<NaiveDate>,
}

impl TargetSettings {
    /// The admin's choices as the targets crate's mapping needs them.
    pub fn profile_settings(&self) -> targets::Settings {
        targets::Settings {
            manage_groups: self.manage_groups,
            validated_domains: self.validated_domains.clone(),
        }
    }
}

mod file;
#[cfg(test)]
mod tests;

pub use file::{
    backup_path, load, load_deletion_guard, load_history_retention, load_or_default,
    restore_backup, save, save_deletion_guard, save_history_retention, settings_path,
};
pub(crate) use file::{load_entry, update};
