//! Reading and writing `settings.json`: load, atomic save with a backup, the extra keys
//! (history retention, deletion guard) and restoring the backup. See the module
//! documentation of [`crate::config`] for why the file is written this way.

use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use super::{
    Error, Result, WorkspaceConfig, FILE_NAME, GUARD_KEY, RETENTION_KEY, STORE_KEY, VERSION,
};

pub fn settings_path(data_dir: &Path) -> PathBuf {
    data_dir.join(FILE_NAME)
}

pub fn backup_path(data_dir: &Path) -> PathBuf {
    data_dir.join(format!("{FILE_NAME}.bak"))
}

pub(super) fn temp_path(data_dir: &Path) -> PathBuf {
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
    let corrupt = |detail: String| Error::Corrupt {
        path: path.to_owned(),
        detail,
        backup: backup_path(data_dir).exists(),
    };
    let config: WorkspaceConfig = serde_json::from_value(value.clone())
        .map_err(|e| corrupt(format!("the \"{STORE_KEY}\" entry is not valid: {e}")))?;
    // Only a hand edit (a copied target block) can repeat an id. Every lookup by id would then
    // reach the first of them, so choosing the second in the app would read from, and apply
    // to, the first; refusing the file is the one reading that cannot write where the admin
    // did not mean to.
    if let Some(id) = repeated_target_id(&config) {
        return Err(corrupt(format!(
            "two targets have the id \"{id}\"; give each target its own id (its token in the keychain and its history are filed under it)"
        )));
    }
    Ok(config)
}

fn repeated_target_id(config: &WorkspaceConfig) -> Option<&str> {
    let mut seen = std::collections::HashSet::new();
    config
        .targets
        .iter()
        .map(|t| t.id.as_str())
        .find(|id| !seen.insert(*id))
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
    load_entry(data_dir, RETENTION_KEY)
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
    load_entry(data_dir, GUARD_KEY)
}

/// Saves the deletion guard limits (checked by [`crate::guard::validate`] first), keeping every
/// other key, with the same atomic write and refusals as [`save`].
pub fn save_deletion_guard(data_dir: &Path, guard: &drift::plan::DeletionGuard) -> Result<()> {
    let value = serde_json::to_value(guard).expect("guard serialises");
    update(data_dir, GUARD_KEY, Some(value))
}

/// One entry of the file beside the workspace; `None` when the file or the key is absent (or
/// `null`), a typed [`Error::Corrupt`] when the entry does not parse.
pub(crate) fn load_entry<T: serde::de::DeserializeOwned>(
    data_dir: &Path,
    key: &str,
) -> Result<Option<T>> {
    let path = settings_path(data_dir);
    let Some(object) = read_object(&path, data_dir)? else {
        return Ok(None);
    };
    match object.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(value) => serde_json::from_value(value.clone())
            .map(Some)
            .map_err(|e| Error::Corrupt {
                path: path.clone(),
                detail: format!("the \"{key}\" entry is not valid: {e}"),
                backup: backup_path(data_dir).exists(),
            }),
    }
}

/// Sets (or with `None` removes) one key of the file and writes it atomically.
pub(crate) fn update(data_dir: &Path, key: &str, value: Option<Value>) -> Result<()> {
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
