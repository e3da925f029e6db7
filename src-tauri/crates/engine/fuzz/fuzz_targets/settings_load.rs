//! Settings loading fuzzing: any bytes as `settings.json`, read the way the app and the CLI
//! read it (`engine::config::load`, `load_history_retention`, `guard::load`, then
//! `Workspace::configured` over the targets, with an empty keychain).
//! - Nothing panics, and no read changes the file.
//! - A file that does not load is a typed `Corrupt` (saying truthfully whether a backup exists)
//!   or `NewerVersion` error, and `save` then refuses to write over it: the file stays as it was.
//! - A configuration that loads has a version this build reads and no repeated target id;
//!   opened as a workspace, every target is listed, and is unusable for the right reason:
//!   settings that fail the target's URL rule, or (with an empty keychain) a missing token.
//! - Round trip: saving a loaded configuration and loading it again gives the same
//!   configuration (at this build's version), keeps every other key of the file, and leaves
//!   retention and guard reading the same.
//!
//! Each run writes into one private folder under /dev/shm (or the temp folder); the byte
//! length's parity decides whether a `settings.json.bak` exists beside the file.
#![no_main]

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use engine::config::{self, Error, WorkspaceConfig, STORE_KEY, VERSION};
use engine::setup::MemorySecrets;
use engine::{TargetProblem, Workspace};
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

fn data_dir() -> &'static Path {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let base = Path::new("/dev/shm");
        let base = if base.is_dir() {
            base.to_owned()
        } else {
            std::env::temp_dir()
        };
        let dir = base.join(format!("settings-fuzz-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        dir
    })
}

fuzz_target!(|data: &[u8]| {
    let dir = data_dir();
    for name in [
        "settings.json.bak",
        "settings.json.tmp",
        "settings.json.bak.tmp",
    ] {
        let _ = fs::remove_file(dir.join(name));
    }
    let backup = data.len() % 2 == 1;
    if backup {
        fs::write(config::backup_path(dir), b"{}").unwrap();
    }
    let path = config::settings_path(dir);
    fs::write(&path, data).unwrap();

    let loaded = config::load(dir);
    let retention = config::load_history_retention(dir).map_err(|e| check_error(&e, backup));
    let guard = engine::guard::load(dir).map_err(|e| e.to_string());
    assert_eq!(fs::read(&path).unwrap(), data, "a read changed the file");

    let config = match loaded {
        Err(e) => {
            check_error(&e, backup);
            assert!(has_object(data) || retention.is_err());
            let refused = config::save(dir, &WorkspaceConfig::default());
            assert!(refused.is_err(), "saved over a file that does not load");
            assert_eq!(
                fs::read(&path).unwrap(),
                data,
                "a refused save changed the file"
            );
            return;
        }
        Ok(None) => {
            assert!(has_object(data));
            return;
        }
        Ok(Some(config)) => config,
    };
    assert!(config.version <= VERSION);
    open_workspace(&config);

    config::save(dir, &config)
        .unwrap_or_else(|e| panic!("a loaded configuration does not save: {e}"));
    let again = config::load(dir).unwrap().expect("saved configuration");
    let expected = WorkspaceConfig {
        version: VERSION,
        ..config
    };
    assert_eq!(again, expected);
    let (before, after) = (object(data), object(&fs::read(&path).unwrap()));
    let others = |o: &serde_json::Map<String, Value>| {
        o.iter()
            .filter(|(k, _)| *k != STORE_KEY)
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect::<BTreeMap<_, _>>()
    };
    assert_eq!(others(&before), others(&after), "other keys changed");
    let retention_again = config::load_history_retention(dir).map_err(|e| check_error(&e, true));
    assert_eq!(retention, retention_again);
    assert_eq!(guard, engine::guard::load(dir).map_err(|e| e.to_string()));
});

fn object(bytes: &[u8]) -> serde_json::Map<String, Value> {
    match serde_json::from_slice(bytes) {
        Ok(Value::Object(o)) => o,
        other => panic!("a loaded file is not a JSON object: {other:?}"),
    }
}

fn has_object(bytes: &[u8]) -> bool {
    matches!(serde_json::from_slice(bytes), Ok(Value::Object(_)))
}

/// A load error is one of the two a file can cause, says truthfully whether a backup exists,
/// and has a message and a hint. Returns its kind, so two reads can be compared.
fn check_error(e: &Error, backup: bool) -> &'static str {
    assert!(!e.to_string().is_empty() && !e.hint().is_empty());
    match e {
        Error::Corrupt {
            backup: b, detail, ..
        } => {
            assert_eq!(*b, backup);
            assert!(!detail.is_empty());
            "corrupt"
        }
        Error::NewerVersion { found, .. } => {
            assert!(*found > VERSION);
            "newer"
        }
        other => panic!("unexpected error for a readable file: {other:?}"),
    }
}

/// Opens the configuration as the app does, with an empty keychain: every target is listed,
/// and a target is unusable because its URL fails the rule or, if not, because its token is
/// missing. No two targets share an id (a file that repeats one does not load).
fn open_workspace(config: &WorkspaceConfig) {
    let workspace = Workspace::configured(config.clone(), &MemorySecrets::new());
    assert_eq!(workspace.targets().len(), config.targets.len());
    for (i, t) in config.targets.iter().enumerate() {
        assert!(
            config.targets[..i].iter().all(|o| o.id != t.id),
            "a configuration with two targets of the id {:?} loaded",
            t.id
        );
        let url_ok = if t.local_endpoint {
            targets::base_url::normalize_local_endpoint(t.kind, &t.base_url).is_ok()
        } else {
            targets::base_url::normalize_base_url(t.kind, &t.base_url).is_ok()
        };
        match workspace.target_problem(&t.id) {
            Some(TargetProblem::InvalidSettings { message }) => {
                assert!(!url_ok && !message.is_empty(), "{t:?}: {message}")
            }
            Some(TargetProblem::TokenMissing) => assert!(url_ok, "{t:?}"),
            other => panic!("{t:?}: unexpected problem {other:?}"),
        }
    }
}
