//! settings.json: round trips, atomic saves, backups, unreadable files and the extra keys.

use std::fs;
use std::path::Path;

use serde_json::Value;

use super::file::temp_path;
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
    let raw: Value = serde_json::from_slice(&fs::read(settings_path(dir.path())).unwrap()).unwrap();
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
    let raw: Value = serde_json::from_slice(&fs::read(settings_path(dir.path())).unwrap()).unwrap();
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
    let raw: Value = serde_json::from_slice(&fs::read(settings_path(dir.path())).unwrap()).unwrap();
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
    let raw: Value = serde_json::from_slice(&fs::read(settings_path(dir.path())).unwrap()).unwrap();
    assert_eq!(raw["ui"]["theme"], "dark");
    assert_eq!(raw["workspace"]["targets"][0]["id"], "a");
}

#[test]
fn each_save_keeps_the_previous_good_copy() {
    let dir = tempfile::tempdir().unwrap();
    save(dir.path(), &config(&["a"])).unwrap();
    assert!(!backup_path(dir.path()).exists(), "nothing to back up yet");
    save(dir.path(), &config(&["a", "b"])).unwrap();
    let bak: Value = serde_json::from_slice(&fs::read(backup_path(dir.path())).unwrap()).unwrap();
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

/// A copied target block that kept its id would let a choice of the second target read from,
/// and apply to, the first: the file is refused, naming the id, and nothing overwrites it.
#[test]
fn two_targets_with_one_id_are_refused_and_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let mut copied = config(&["aws-prod", "aws-dev"]);
    copied.targets[1].id = "aws-prod".into();
    copied.targets[1].base_url = "https://scim.eu-west-1.amazonaws.com/t-2/scim/v2".into();
    let bytes = serde_json::to_vec(&serde_json::json!({ STORE_KEY: copied })).unwrap();
    fs::write(settings_path(dir.path()), &bytes).unwrap();

    let err = load(dir.path()).unwrap_err();
    match &err {
        Error::Corrupt { detail, .. } => assert!(detail.contains("\"aws-prod\""), "{detail}"),
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        save(dir.path(), &config(&["aws-prod"])),
        Err(Error::Corrupt { .. })
    ));
    assert_eq!(fs::read(settings_path(dir.path())).unwrap(), bytes);

    // Distinct ids load as written.
    let fixed = config(&["aws-prod", "aws-dev"]);
    fs::remove_file(settings_path(dir.path())).unwrap();
    save(dir.path(), &fixed).unwrap();
    assert_eq!(load(dir.path()).unwrap(), Some(fixed));
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
