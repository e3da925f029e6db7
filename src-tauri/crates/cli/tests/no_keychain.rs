//! The CLI on a machine with no OS keychain (no Secret Service: the session bus points at
//! nothing), with a configured JumpCloud connection and target whose secrets would live in the
//! keychain. Every command that needs a stored secret fails with exit code 1 and a message that
//! names the missing keychain and how to fix it; a key given in the environment still works;
//! and neither secret is written anywhere: the whole scratch tree (data folder with
//! settings.json and history.sqlite*, HOME and the XDG folders) and every output are searched.
//!
//! The CLI itself never saves secrets (the app does; see `tests/e2e/security.rs` for the app
//! without a keychain and `engine::setup` tests for saving with an unavailable store).

#![allow(clippy::unwrap_used)]

mod common;

use std::path::{Path, PathBuf};

use chrono::Utc;
use common::{command, finish, Run};
use engine::config::{JumpCloudSettings, TargetAuth, TargetSettings, WorkspaceConfig};
use sim::jumpcloud::{demo_directory, SimConfig as JumpCloudSimConfig, SimThread};
use sim::target::{Dialect, SimConfig as TargetSimConfig, SimTarget};

const TARGET_TOKEN: &str = "no-keychain-cli-target-token-31c7e";

/// The scratch tree every file the CLI could write goes to.
struct Scratch {
    _root: tempfile::TempDir,
    root: PathBuf,
    data: PathBuf,
}

impl Scratch {
    fn new() -> Scratch {
        let root_dir = tempfile::tempdir().unwrap();
        let root = root_dir.path().to_path_buf();
        let data = root.join("data");
        for dir in [
            "data",
            "home",
            "xdg-data",
            "xdg-config",
            "xdg-cache",
            "xdg-state",
        ] {
            std::fs::create_dir_all(root.join(dir)).unwrap();
        }
        Scratch {
            _root: root_dir,
            root,
            data,
        }
    }

    /// `scim-companion ARGS` without a Secret Service, all its folders inside the scratch tree.
    fn run(&self, env: &[(&str, &str)], args: &[&str]) -> Run {
        let mut cmd = command();
        cmd.args(args)
            .env("SCIM_COMPANION_DATA_DIR", &self.data)
            .env(
                "DBUS_SESSION_BUS_ADDRESS",
                "unix:path=/nonexistent/scim-companion-no-keychain",
            )
            .env_remove("XDG_RUNTIME_DIR")
            .env("HOME", self.root.join("home"))
            .env("XDG_DATA_HOME", self.root.join("xdg-data"))
            .env("XDG_CONFIG_HOME", self.root.join("xdg-config"))
            .env("XDG_CACHE_HOME", self.root.join("xdg-cache"))
            .env("XDG_STATE_HOME", self.root.join("xdg-state"))
            // Debug logs on stderr too, so a secret in a log line would be seen below.
            .env("SCIM_COMPANION_LOG", "debug");
        for (k, v) in env {
            cmd.env(k, v);
        }
        finish(cmd.output().expect("the binary runs"))
    }
}

/// Files under `root` whose bytes contain `needle`, and how many files were searched.
fn files_containing(root: &Path, needle: &str) -> (Vec<PathBuf>, usize) {
    let (mut hits, mut searched) = (Vec::new(), 0);
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            searched += 1;
            let bytes = std::fs::read(&path).unwrap();
            if bytes.windows(needle.len()).any(|w| w == needle.as_bytes()) {
                hits.push(path);
            }
        }
    }
    (hits, searched)
}

fn assert_names_the_keychain(r: &Run, what: &str) {
    assert_eq!(r.code, 1, "{what}: {r:?}");
    assert!(
        r.stderr.contains("no OS keychain"),
        "{what} does not say the keychain is missing: {r:?}"
    );
    assert!(
        r.stderr.contains("Secret Service"),
        "{what} does not say what to install: {r:?}"
    );
}

#[test]
fn without_a_keychain_the_cli_says_so_and_writes_no_secret() {
    let directory = demo_directory();
    let app_id = directory
        .applications
        .iter()
        .find(|a| {
            a.display_label.as_deref() == Some("Generic SCIM app")
                || a.display_name.as_deref() == Some("Generic SCIM app")
        })
        .map(|a| a.id.clone())
        .expect("the demo has a generic SCIM app");
    let jc = JumpCloudSimConfig::default();
    let api_key = jc.api_key.clone();
    let jumpcloud = SimThread::start(directory, jc).unwrap();
    let scim =
        SimTarget::spawn_in_thread(TargetSimConfig::new(Dialect::Generic).with_token(TARGET_TOKEN))
            .unwrap();

    let scratch = Scratch::new();
    let config = WorkspaceConfig {
        jumpcloud: Some(JumpCloudSettings {
            region: jumpcloud::Region::Us,
            org_id: None,
            base_url: Some(jumpcloud.base_url()),
            key_saved_at: None,
        }),
        targets: vec![TargetSettings {
            id: "local".to_owned(),
            kind: targets::Kind::Generic,
            name: "Local SCIM".to_owned(),
            base_url: scim.base_url().to_owned(),
            local_endpoint: true,
            auth: TargetAuth::Bearer,
            jumpcloud_app_id: Some(app_id),
            manage_groups: true,
            validated_domains: Vec::new(),
            created_at: Utc::now(),
            token_saved_at: Some(Utc::now()),
            token_created_on: None,
        }],
        ..WorkspaceConfig::default()
    };
    engine::config::save(&scratch.data, &config).unwrap();

    // The JumpCloud key would come from the keychain: refused, saying why and what to do.
    let base = jumpcloud.base_url();
    let users = scratch.run(&[], &["jumpcloud", "--base-url", &base, "users"]);
    assert_names_the_keychain(&users, "jumpcloud users");
    assert!(
        users
            .stderr
            .contains("no OS keychain to read the app's saved key from"),
        "{users:?}"
    );
    assert!(
        users
            .stderr
            .contains("Set JUMPCLOUD_API_KEY in the environment"),
        "{users:?}"
    );
    assert!(
        !users.stderr.contains("save the key in the app"),
        "saving in the app cannot work without a keychain either: {users:?}"
    );

    // The target's token would come from the keychain: listed as unavailable, not diffable.
    let list = scratch.run(&[], &["targets", "list", "--json"]);
    assert_eq!(list.code, 0, "{list:?}");
    let doc = list.json();
    let status = doc["targets"][0]["status"].as_str().unwrap_or_default();
    assert!(
        status.starts_with("unavailable: no OS keychain is available"),
        "{list:?}"
    );
    assert!(
        doc["targets"][0]["hint"]
            .as_str()
            .unwrap_or_default()
            .contains("Secret Service"),
        "{list:?}"
    );
    let diff = scratch.run(
        &[("JUMPCLOUD_API_KEY", &api_key)],
        &["diff", "local", "--detailed-exitcode"],
    );
    assert_names_the_keychain(&diff, "diff");
    assert!(
        diff.stderr.contains("target `local` cannot be used"),
        "{diff:?}"
    );

    // A key from the environment needs no keychain, and the snapshot holds no key.
    let snapshot = scratch.data.join("directory.json");
    let read = scratch.run(
        &[("JUMPCLOUD_API_KEY", &api_key)],
        &[
            "jumpcloud",
            "--base-url",
            &base,
            "snapshot",
            "--out",
            snapshot.to_str().unwrap(),
        ],
    );
    assert_eq!(read.code, 0, "{read:?}");
    assert!(snapshot.is_file(), "{read:?}");

    for r in [&users, &list, &diff, &read] {
        for secret in [api_key.as_str(), TARGET_TOKEN] {
            assert!(
                !r.stdout.contains(secret) && !r.stderr.contains(secret),
                "a secret was printed: {r:?}"
            );
        }
    }
    for secret in [api_key.as_str(), TARGET_TOKEN] {
        let (hits, searched) = files_containing(&scratch.root, secret);
        assert!(hits.is_empty(), "a secret was written to {hits:?}");
        assert!(searched >= 2, "settings.json and the snapshot at least");
    }
}
