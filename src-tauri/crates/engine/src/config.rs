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

use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

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

pub fn settings_path(data_dir: &Path) -> PathBuf {
    data_dir.join(FILE_NAME)
}

pub fn backup_path(data_dir: &Path) -> PathBuf {
    data_dir.join(format!("{FILE_NAME}.bak"))
}

fn temp_path(data_dir: &Path) -> PathBuf {
    data_dir.join(format!("{FILE_NAME}.tmp"))
}

/// The configuration, or `None` when there is no file or it has no `"workspace"` key.
pub fn load(data_dir: &Path) -> Result<Option<WorkspaceConfig>> {
    let path = settings_path(data_dir);
    let Some(object) = read_object(&path, data_dir)? else {
        return Ok(None);
    };
    match object.get(STORE_KEY) {
        None | Some(Value::Null) => Ok(None),
        Some(value) => parse_config(value, &path, data_dir).map(Some),
    }
}

/// Like [`load`], with an empty configuration when there is none.
pub fn load_or_default(data_dir: &Path) -> Result<WorkspaceConfig> {
    Ok(load(data_dir)?.unwrap_or_default())
}

fn parse_config(value: &Value, path: &Path, data_dir: &Path) -> Result<WorkspaceConfig> {
    let found = value.get("version").and_then(Value::as_u64).unwrap_or(0);
    if found > u64::from(VERSION) {
        return Err(Error::NewerVersion {
            path: path.to_owned(),
            found: found.min(u64::from(u32::MAX)) as u32,
        });
    }
    serde_json::from_value(value.clone()).map_err(|e| Error::Corrupt {
        path: path.to_owned(),
        detail: format!("the \"{STORE_KEY}\" entry is not valid: {e}"),
        backup: backup_path(data_dir).exists(),
    })
}

/// The whole store object, `None` when the file does not exist.
fn read_object(path: &Path, data_dir: &Path) -> Result<Option<Map<String, Value>>> {
    let bytes = match fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(source) => {
            return Err(Error::Read {
                path: path.to_owned(),
                source,
            })
        }
    };
    let corrupt = |detail: String| Error::Corrupt {
        path: path.to_owned(),
        detail,
        backup: backup_path(data_dir).exists(),
    };
    match serde_json::from_slice::<Value>(&bytes) {
        Ok(Value::Object(map)) => Ok(Some(map)),
        Ok(_) => Err(corrupt("it is not a JSON object".to_owned())),
        Err(e) => Err(corrupt(format!("it is not valid JSON ({e})"))),
    }
}

/// Writes `config` under `"workspace"`, keeping the file's other keys, atomically, and keeps the
/// file it replaces as `settings.json.bak`. Refuses to write over a file it cannot read.
pub fn save(data_dir: &Path, config: &WorkspaceConfig) -> Result<()> {
    let mut config = config.clone();
    config.version = VERSION;
    let value = serde_json::to_value(&config).expect("settings serialise");
    update(data_dir, STORE_KEY, Some(value))
}

/// The history retention the admin chose; `None` keeps everything. A file without the key
/// (every file written before the setting existed) reads as `None`.
pub fn load_history_retention(data_dir: &Path) -> Result<Option<history::Retention>> {
    let path = settings_path(data_dir);
    let Some(object) = read_object(&path, data_dir)? else {
        return Ok(None);
    };
    match object.get(RETENTION_KEY) {
        None | Some(Value::Null) => Ok(None),
        Some(value) => serde_json::from_value(value.clone())
            .map(Some)
            .map_err(|e| Error::Corrupt {
                path: path.clone(),
                detail: format!("the \"{RETENTION_KEY}\" entry is not valid: {e}"),
                backup: backup_path(data_dir).exists(),
            }),
    }
}

/// Saves the history retention (`None` removes the key), keeping every other key, with the
/// same atomic write and refusals as [`save`].
pub fn save_history_retention(
    data_dir: &Path,
    retention: Option<history::Retention>,
) -> Result<()> {
    let value = retention.map(|r| serde_json::to_value(r).expect("retention serialises"));
    update(data_dir, RETENTION_KEY, value)
}

/// The saved deletion guard limits; `None` when none were saved (the defaults apply).
pub fn load_deletion_guard(data_dir: &Path) -> Result<Option<drift::plan::DeletionGuard>> {
    let path = settings_path(data_dir);
    let Some(object) = read_object(&path, data_dir)? else {
        return Ok(None);
    };
    match object.get(GUARD_KEY) {
        None | Some(Value::Null) => Ok(None),
        Some(value) => serde_json::from_value(value.clone())
            .map(Some)
            .map_err(|e| Error::Corrupt {
                path: path.clone(),
                detail: format!("the \"{GUARD_KEY}\" entry is not valid: {e}"),
                backup: backup_path(data_dir).exists(),
            }),
    }
}

/// Saves the deletion guard limits (checked by [`crate::guard::validate`] first), keeping every
/// other key, with the same atomic write and refusals as [`save`].
pub fn save_deletion_guard(data_dir: &Path, guard: &drift::plan::DeletionGuard) -> Result<()> {
    let value = serde_json::to_value(guard).expect("guard serialises");
    update(data_dir, GUARD_KEY, Some(value))
}

/// Sets (or with `None` removes) one key of the file and writes it atomically.
fn update(data_dir: &Path, key: &str, value: Option<Value>) -> Result<()> {
    let path = settings_path(data_dir);
    crate::private_dir::create(data_dir).map_err(|source| Error::Write {
        path: data_dir.to_owned(),
        source,
    })?;
    // Reading first both keeps other keys and refuses to replace a damaged or newer file.
    let existing = read_object(&path, data_dir)?;
    if let Some(value) = existing.as_ref().and_then(|o| o.get(STORE_KEY)) {
        if !value.is_null() {
            parse_config(value, &path, data_dir)?;
        }
    }
    let mut object = existing.clone().unwrap_or_default();
    match value {
        Some(value) => {
            object.insert(key.to_owned(), value);
        }
        None => {
            object.remove(key);
        }
    }
    let bytes = serde_json::to_vec_pretty(&Value::Object(object)).expect("settings serialise");

    let tmp = temp_path(data_dir);
    write_synced(&tmp, &bytes)?;
    if existing.is_some() {
        // The current file parsed above, so it is a good copy worth keeping.
        let bak = backup_path(data_dir);
        let bak_tmp = data_dir.join(format!("{FILE_NAME}.bak.tmp"));
        let current = fs::read(&path).map_err(|source| Error::Read {
            path: path.clone(),
            source,
        })?;
        write_synced(&bak_tmp, &current)?;
        rename(&bak_tmp, &bak)?;
    }
    rename(&tmp, &path)?;
    sync_dir(data_dir);
    Ok(())
}

/// Puts `settings.json.bak` back as `settings.json` (the damaged file is kept as
/// `settings.json.damaged`). An explicit step: nothing calls it on its own.
pub fn restore_backup(data_dir: &Path) -> Result<()> {
    let bak = backup_path(data_dir);
    let path = settings_path(data_dir);
    let bytes = match fs::read(&bak) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(Error::NoBackup { path: bak })
        }
        Err(source) => return Err(Error::Read { path: bak, source }),
    };
    if path.exists() {
        rename(&path, &data_dir.join(format!("{FILE_NAME}.damaged")))?;
    }
    let tmp = temp_path(data_dir);
    write_synced(&tmp, &bytes)?;
    rename(&tmp, &path)?;
    sync_dir(data_dir);
    Ok(())
}

fn write_synced(path: &Path, bytes: &[u8]) -> Result<()> {
    let write = || -> std::io::Result<()> {
        let mut options = OpenOptions::new();
        options.write(true).create(true).truncate(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, crate::private_dir::FILE_MODE);
        let mut file = options.open(path)?;
        // A left-over file keeps its old mode on open, and the rename would carry it over.
        #[cfg(unix)]
        file.set_permissions(std::os::unix::fs::PermissionsExt::from_mode(
            crate::private_dir::FILE_MODE,
        ))?;
        file.write_all(bytes)?;
        file.sync_all()
    };
    write().map_err(|source| Error::Write {
        path: path.to_owned(),
        source,
    })
}

fn rename(from: &Path, to: &Path) -> Result<()> {
    fs::rename(from, to).map_err(|source| Error::Write {
        path: to.to_owned(),
        source,
    })
}

/// Makes the rename durable where the platform allows opening a folder (not on Windows).
fn sync_dir(dir: &Path) {
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(id: &str) -> TargetSettings {
        TargetSettings {
            id: id.into(),
            kind: targets::Kind::Aws,
            name: "AWS prod".into(),
            base_url: "https://scim.us-east-1.amazonaws.com/t-1/scim/v2".into(),
            local_endpoint: false,
            auth: TargetAuth::Bearer,
            jumpcloud_app_id: Some("app-1".into()),
            manage_groups: true,
            validated_domains: vec![],
            created_at: DateTime::from_timestamp(1_700_000_000, 0).unwrap(),
            token_saved_at: None,
            token_created_on: None,
        }
    }

    fn config(ids: &[&str]) -> WorkspaceConfig {
        WorkspaceConfig {
            version: VERSION,
            jumpcloud: Some(JumpCloudSettings {
                region: jumpcloud::Region::Eu,
                org_id: Some("org-9".into()),
                base_url: None,
                key_saved_at: None,
            }),
            targets: ids.iter().map(|id| target(id)).collect(),
        }
    }

    /// Settings name every target and its URL: only their user may read them, whatever the
    /// umask (the tests run with 022, which would give 0644 and 0755).
    #[cfg(unix)]
    #[test]
    fn settings_and_their_backup_are_private() {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join("data");
        save(&dir, &config(&["a"])).unwrap();
        assert_eq!(mode(&dir), 0o700);
        // A second save makes the .bak; a left-over loose temp file must not lend its mode.
        fs::write(temp_path(&dir), b"old").unwrap();
        fs::set_permissions(temp_path(&dir), fs::Permissions::from_mode(0o666)).unwrap();
        save(&dir, &config(&["a", "b"])).unwrap();
        assert_eq!(mode(&settings_path(&dir)), 0o600);
        assert_eq!(mode(&backup_path(&dir)), 0o600);
    }

    #[test]
    fn history_retention_is_its_own_key_and_survives_workspace_saves() {
        use history::Retention;
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(load_history_retention(dir.path()).unwrap(), None);
        save(dir.path(), &config(&["a"])).unwrap();
        // A file from before the setting existed: keep everything.
        assert_eq!(load_history_retention(dir.path()).unwrap(), None);

        save_history_retention(dir.path(), Some(Retention::KeepRuns(50))).unwrap();
        assert_eq!(
            load_history_retention(dir.path()).unwrap(),
            Some(Retention::KeepRuns(50))
        );
        let raw: Value =
            serde_json::from_slice(&fs::read(settings_path(dir.path())).unwrap()).unwrap();
        assert_eq!(raw[RETENTION_KEY]["kind"], "keep_runs");
        assert_eq!(raw[RETENTION_KEY]["value"], 50);
        assert_eq!(load(dir.path()).unwrap(), Some(config(&["a"])));

        // Setup saving the workspace keeps the retention, and the other way round.
        save(dir.path(), &config(&["a", "b"])).unwrap();
        assert_eq!(
            load_history_retention(dir.path()).unwrap(),
            Some(Retention::KeepRuns(50))
        );
        save_history_retention(dir.path(), Some(Retention::KeepDays(30))).unwrap();
        assert_eq!(load(dir.path()).unwrap(), Some(config(&["a", "b"])));
        assert_eq!(
            load_history_retention(dir.path()).unwrap(),
            Some(Retention::KeepDays(30))
        );

        save_history_retention(dir.path(), None).unwrap();
        assert_eq!(load_history_retention(dir.path()).unwrap(), None);
        let raw: Value =
            serde_json::from_slice(&fs::read(settings_path(dir.path())).unwrap()).unwrap();
        assert!(raw.get(RETENTION_KEY).is_none());
        assert!(!temp_path(dir.path()).exists());
    }

    #[test]
    fn history_retention_is_not_written_over_a_damaged_file() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(settings_path(dir.path()), "{not json").unwrap();
        assert!(matches!(
            save_history_retention(dir.path(), Some(history::Retention::KeepDays(7))),
            Err(Error::Corrupt { .. })
        ));
        assert_eq!(
            fs::read_to_string(settings_path(dir.path())).unwrap(),
            "{not json"
        );
        fs::write(
            settings_path(dir.path()),
            r#"{"history_retention":{"kind":"forever"}}"#,
        )
        .unwrap();
        assert!(matches!(
            load_history_retention(dir.path()),
            Err(Error::Corrupt { .. })
        ));
    }

    #[test]
    fn nothing_on_disk_is_none() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(load(dir.path()).unwrap(), None);
        assert_eq!(
            load_or_default(dir.path()).unwrap(),
            WorkspaceConfig::default()
        );
    }

    #[test]
    fn save_then_load_round_trips_in_the_store_format() {
        let dir = tempfile::tempdir().unwrap();
        save(dir.path(), &config(&["a", "b"])).unwrap();
        assert_eq!(load(dir.path()).unwrap(), Some(config(&["a", "b"])));
        // The tauri-plugin-store format: a JSON object of key -> value.
        let raw: Value =
            serde_json::from_slice(&fs::read(settings_path(dir.path())).unwrap()).unwrap();
        assert_eq!(raw["workspace"]["version"], 1);
        assert_eq!(raw["workspace"]["targets"][1]["id"], "b");
        assert_eq!(raw["workspace"]["targets"][0]["kind"], "aws");
        assert_eq!(raw["workspace"]["jumpcloud"]["region"], "eu");
        assert!(!temp_path(dir.path()).exists(), "no temporary file is left");
    }

    #[test]
    fn other_keys_in_the_file_are_kept() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(
            settings_path(dir.path()),
            r#"{"ui":{"theme":"dark"},"workspace":{"version":1,"targets":[]}}"#,
        )
        .unwrap();
        save(dir.path(), &config(&["a"])).unwrap();
        let raw: Value =
            serde_json::from_slice(&fs::read(settings_path(dir.path())).unwrap()).unwrap();
        assert_eq!(raw["ui"]["theme"], "dark");
        assert_eq!(raw["workspace"]["targets"][0]["id"], "a");
    }

    #[test]
    fn each_save_keeps_the_previous_good_copy() {
        let dir = tempfile::tempdir().unwrap();
        save(dir.path(), &config(&["a"])).unwrap();
        assert!(!backup_path(dir.path()).exists(), "nothing to back up yet");
        save(dir.path(), &config(&["a", "b"])).unwrap();
        let bak: Value =
            serde_json::from_slice(&fs::read(backup_path(dir.path())).unwrap()).unwrap();
        assert_eq!(bak["workspace"]["targets"].as_array().unwrap().len(), 1);
        assert_eq!(load(dir.path()).unwrap().unwrap().targets.len(), 2);
    }

    #[test]
    fn a_torn_write_leaves_the_last_complete_file() {
        let dir = tempfile::tempdir().unwrap();
        save(dir.path(), &config(&["a", "b"])).unwrap();
        // A crash mid-save: the temporary file holds half of the new content, the rename never
        // happened.
        let full = serde_json::to_vec_pretty(&config(&["a", "b", "c"])).unwrap();
        fs::write(temp_path(dir.path()), &full[..full.len() / 2]).unwrap();
        assert_eq!(load(dir.path()).unwrap(), Some(config(&["a", "b"])));
        // The next save goes through and replaces the leftover.
        save(dir.path(), &config(&["a"])).unwrap();
        assert_eq!(load(dir.path()).unwrap(), Some(config(&["a"])));
    }

    #[test]
    fn a_damaged_file_is_a_typed_error_and_never_replaced() {
        let dir = tempfile::tempdir().unwrap();
        save(dir.path(), &config(&["a"])).unwrap();
        save(dir.path(), &config(&["a", "b"])).unwrap();
        let damaged = br#"{"workspace":{"version":1,"targets":[{"id":"a""#;
        fs::write(settings_path(dir.path()), damaged).unwrap();

        let err = load(dir.path()).unwrap_err();
        assert!(
            matches!(err, Error::Corrupt { backup: true, .. }),
            "{err:?}"
        );
        assert!(err.hint().contains("settings.json.bak"));
        // Saving refuses rather than overwriting what the admin may still recover.
        assert!(matches!(
            save(dir.path(), &config(&["z"])),
            Err(Error::Corrupt { .. })
        ));
        assert_eq!(fs::read(settings_path(dir.path())).unwrap(), damaged);

        // Restoring is explicit and keeps the damaged file aside.
        restore_backup(dir.path()).unwrap();
        assert_eq!(load(dir.path()).unwrap(), Some(config(&["a"])));
        assert_eq!(
            fs::read(dir.path().join("settings.json.damaged")).unwrap(),
            damaged
        );
    }

    #[test]
    fn a_wrong_shape_is_corrupt_not_empty() {
        let dir = tempfile::tempdir().unwrap();
        for bad in [
            r#"[1,2]"#,
            r#"{"workspace":{"version":1,"targets":[{"id":"a"}]}}"#,
            r#"{"workspace":"x"}"#,
        ] {
            fs::write(settings_path(dir.path()), bad).unwrap();
            assert!(
                matches!(load(dir.path()), Err(Error::Corrupt { backup: false, .. })),
                "{bad}"
            );
        }
    }

    #[test]
    fn a_newer_version_is_refused_and_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let newer = r#"{"workspace":{"version":7,"targets":[],"future":true}}"#;
        fs::write(settings_path(dir.path()), newer).unwrap();
        assert!(matches!(
            load(dir.path()),
            Err(Error::NewerVersion { found: 7, .. })
        ));
        assert!(save(dir.path(), &config(&[])).is_err());
        assert_eq!(
            fs::read_to_string(settings_path(dir.path())).unwrap(),
            newer
        );
    }

    #[test]
    fn restore_without_backup_says_so() {
        let dir = tempfile::tempdir().unwrap();
        assert!(matches!(
            restore_backup(dir.path()),
            Err(Error::NoBackup { .. })
        ));
    }

    #[test]
    fn upsert_replaces_in_place_and_remove_returns_the_target() {
        let mut c = config(&["a", "b"]);
        let mut b = target("b");
        b.name = "renamed".into();
        c.upsert_target(b);
        c.upsert_target(target("c"));
        let ids: Vec<&str> = c.targets.iter().map(|t| t.id.as_str()).collect();
        assert_eq!(ids, ["a", "b", "c"]);
        assert_eq!(c.target("b").unwrap().name, "renamed");
        assert_eq!(c.remove_target("a").unwrap().id, "a");
        assert!(c.remove_target("a").is_none());
    }

    #[test]
    fn auth_keeps_the_identifier_and_hands_the_secret_to_the_keychain() {
        let creds = targets::Credentials::Basic {
            key_id: "kid".into(),
            secret_key: "s3cret".into(),
        };
        let auth = TargetAuth::of(&creds);
        assert_eq!(
            auth,
            TargetAuth::Basic {
                key_id: "kid".into()
            }
        );
        assert_eq!(TargetAuth::secret_of(&creds), "s3cret");
        assert_eq!(auth.with_secret("s3cret"), creds);
        assert!(!serde_json::to_string(&auth).unwrap().contains("s3cret"));
    }
}
