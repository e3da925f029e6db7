//! `targets set-token` with `--created`: the token goes to the keychain, its creation date to
//! settings.json (never the token), and the date is checked. Needs a Secret Service (run under
//! `dbus-run-session` with an unlocked gnome-keyring, as `scripts/test-all.sh` does).

#![allow(clippy::unwrap_used)]

mod common;

use std::io::Write;
use std::process::Stdio;

use common::{command, finish, Run};
use engine::config::{TargetAuth, TargetSettings, WorkspaceConfig};

const TOKEN: &str = "set-token-test-9f81c2";

fn set_token(data: &std::path::Path, service: &str, extra: &[&str]) -> Run {
    let mut cmd = command();
    cmd.args(["targets", "set-token", "t1"])
        .args(extra)
        .env("SCIM_COMPANION_DATA_DIR", data)
        .env("SCIM_COMPANION_KEYCHAIN_SERVICE", service)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    let written = child.stdin.take().unwrap().write_all(TOKEN.as_bytes());
    // A bad option is refused before the token is read: the CLI may be gone already.
    if let Err(e) = written {
        assert_eq!(e.kind(), std::io::ErrorKind::BrokenPipe, "{e}");
    }
    finish(child.wait_with_output().unwrap())
}

#[test]
fn set_token_stores_the_creation_date_in_settings_and_the_token_in_the_keychain() {
    assert_eq!(
        secrets::Vault::status(),
        secrets::Status::Available,
        "no OS keychain here: run under `dbus-run-session` with an unlocked gnome-keyring"
    );
    let data = tempfile::tempdir().unwrap();
    let config = WorkspaceConfig {
        targets: vec![TargetSettings {
            id: "t1".into(),
            kind: targets::Kind::Aws,
            name: "AWS".into(),
            base_url: "https://scim.us-east-1.amazonaws.com/t/scim/v2".into(),
            local_endpoint: false,
            auth: TargetAuth::Bearer,
            jumpcloud_app_id: None,
            manage_groups: true,
            validated_domains: vec![],
            created_at: chrono::Utc::now(),
            token_saved_at: None,
            token_created_on: None,
        }],
        ..WorkspaceConfig::default()
    };
    engine::config::save(data.path(), &config).unwrap();
    let service = format!("dev.scimcompanion.cli-set-token.{}", std::process::id());
    let vault = secrets::Vault::new(&service);
    let account = secrets::Account::TargetToken {
        target_id: "t1".into(),
    };

    let bad = set_token(data.path(), &service, &["--created", "31.01.2026"]);
    assert_eq!(bad.code, 1, "{bad:?}");
    assert!(bad.stderr.contains("is not a date like"), "{bad:?}");
    let future = set_token(data.path(), &service, &["--created", "2999-01-01"]);
    assert_eq!(future.code, 1, "{future:?}");
    assert!(future.stderr.contains("in the future"), "{future:?}");

    let ok = set_token(data.path(), &service, &["--created", "2026-01-31"]);
    let stored = vault.get(&account).unwrap().map(|v| v.expose().to_owned());
    let _ = vault.delete(&account);
    assert_eq!(ok.code, 0, "{ok:?}");
    assert!(ok.stderr.contains("created on 2026-01-31"), "{ok:?}");
    assert_eq!(stored.as_deref(), Some(TOKEN));
    let saved = engine::config::load(data.path()).unwrap().unwrap();
    let t = saved.target("t1").unwrap();
    assert_eq!(
        t.token_created_on,
        chrono::NaiveDate::from_ymd_opt(2026, 1, 31)
    );
    assert!(t.token_saved_at.is_some());
    let text = std::fs::read_to_string(data.path().join("settings.json")).unwrap();
    assert!(
        text.contains("\"token_created_on\": \"2026-01-31\""),
        "{text}"
    );
    assert!(!text.contains(TOKEN));
    assert!(!ok.stderr.contains(TOKEN) && !ok.stdout.contains(TOKEN));
}
