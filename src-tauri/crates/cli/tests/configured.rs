//! The CLI on targets configured in the app's data folder (settings.json, secrets in the
//! keychain), not the demo: listing, unusable targets, and a full diff that reads JumpCloud
//! (simulator) with the saved connection.

#![allow(clippy::unwrap_used)]

mod common;

use chrono::Utc;
use common::{command, finish, Run};
use engine::config::{TargetAuth, TargetSettings, WorkspaceConfig};

fn target(id: &str, base_url: &str, local: bool, app_id: Option<String>) -> TargetSettings {
    TargetSettings {
        id: id.to_owned(),
        kind: targets::Kind::Generic,
        name: format!("Target {id}"),
        base_url: base_url.to_owned(),
        local_endpoint: local,
        auth: TargetAuth::Bearer,
        jumpcloud_app_id: app_id,
        manage_groups: true,
        validated_domains: Vec::new(),
        created_at: Utc::now(),
        token_saved_at: None,
        token_created_on: None,
    }
}

fn cli(data_dir: &std::path::Path, service: &str, env: &[(&str, &str)], args: &[&str]) -> Run {
    let mut cmd = command();
    cmd.env("SCIM_COMPANION_DATA_DIR", data_dir)
        .env("SCIM_COMPANION_KEYCHAIN_SERVICE", service)
        .args(args);
    for (k, v) in env {
        cmd.env(k, v);
    }
    finish(cmd.output().unwrap())
}

#[test]
fn a_target_without_its_token_is_listed_as_unavailable_and_cannot_be_diffed() {
    let dir = tempfile::tempdir().unwrap();
    let config = WorkspaceConfig {
        targets: vec![target(
            "prod",
            "https://scim.example.com/scim/v2",
            false,
            None,
        )],
        ..WorkspaceConfig::default()
    };
    engine::config::save(dir.path(), &config).unwrap();
    // A service nobody wrote to: the token is missing, or the keychain is absent altogether.
    let service = format!("dev.scimcompanion.cli-test.empty.{}", std::process::id());

    let list = cli(dir.path(), &service, &[], &["targets", "list", "--json"]);
    assert_eq!(list.code, 0, "{list:?}");
    let doc = list.json();
    assert_eq!(doc["mode"], "configured");
    let targets = doc["targets"].as_array().unwrap();
    assert_eq!(targets.len(), 1);
    assert_eq!(targets[0]["id"], "prod");
    assert!(
        targets[0]["status"]
            .as_str()
            .unwrap()
            .starts_with("unavailable"),
        "{list:?}"
    );
    assert!(targets[0]["hint"].is_string(), "{list:?}");

    let table = cli(dir.path(), &service, &[], &["targets", "list"]);
    assert!(
        table.stdout.contains("prod") && table.stdout.contains("unavailable"),
        "{table:?}"
    );

    let diff = cli(
        dir.path(),
        &service,
        &[],
        &["diff", "prod", "--detailed-exitcode"],
    );
    assert_eq!(diff.code, 1, "{diff:?}");
    assert!(
        diff.stderr.contains("target `prod` cannot be used"),
        "{diff:?}"
    );
    assert!(diff.stderr.contains("hint:"), "{diff:?}");

    // --demo still reaches the demo targets from the same folder.
    let demo = cli(
        dir.path(),
        &service,
        &[],
        &["targets", "list", "--demo", "--json"],
    );
    assert_eq!(demo.json()["mode"], "demo", "{demo:?}");
}

/// Needs a Secret Service: `scripts/test-all.sh` runs tests under dbus-run-session with an unlocked
/// gnome-keyring. Without one the test fails rather than skipping, so CI cannot pass it unseen.
#[test]
fn configured_diff_reads_jumpcloud_with_the_saved_connection_and_records_the_run() {
    let env = common::configured("cfg", "target-token-abc123");
    let (dir, service, jc_key) = (&env.dir, &env.service, env.key.as_str());
    let (directory, app_id) = (&env.directory, &env.app_id);

    let r = cli(
        dir.path(),
        service,
        &[("JUMPCLOUD_API_KEY", jc_key)],
        &["diff", "local", "--format", "json", "--detailed-exitcode"],
    );
    // The empty target lacks everything JumpCloud would push.
    assert_eq!(r.code, 2, "{r:?}");
    assert!(r.stderr.contains("JumpCloud: http://127.0.0.1"), "{r:?}");
    assert!(!r.stderr.contains(jc_key) && !r.stderr.contains("target-token-abc123"));
    let doc = r.json();
    let rows = doc["rows"].as_array().unwrap();
    let scope = directory.app_scope(app_id).unwrap();
    let missing_users = rows
        .iter()
        .filter(|r| r["kind"] == "user" && r["state"] == "missing")
        .count();
    let ineligible_users = rows
        .iter()
        .filter(|r| r["kind"] == "user" && r["state"] == "ineligible")
        .count();
    // Suspended users are not provisioned while inactive: left as is.
    let inactive_users = rows
        .iter()
        .filter(|r| r["kind"] == "user" && r["state"] == "left_as_is")
        .count();
    assert_eq!(
        missing_users + ineligible_users + inactive_users,
        scope.users.len(),
        "{r:?}"
    );
    assert!(missing_users > 0);
    assert!(!rows.iter().any(|r| r["state"] == "extra"), "{r:?}");

    let list = cli(dir.path(), service, &[], &["history", "list", "--json"]);
    let runs = list.json();
    assert_eq!(runs[0]["targetId"], "local", "{list:?}");
    let recorded_missing = runs[0]["counts"]["missing"].as_u64().unwrap() as usize;
    assert!(recorded_missing >= missing_users, "{list:?}");
}

/// `targets test` on a saved target whose server has no discovery: reachable, the users read by
/// the probe, and "discovery unavailable" said plainly; exit 0.
#[test]
fn targets_test_reports_discovery_unavailable_and_the_probe_counts() {
    use sim::target::{Dialect, DiscoveryEndpoints, SimConfig};

    let setup = common::configured_with(
        "no-discovery",
        "tok-7a1c9e",
        SimConfig::new(Dialect::Generic).with_discovery(DiscoveryEndpoints::HtmlNotFound),
    );
    setup.scim.seed_demo(5, 1, 3).unwrap();
    let run = cli(
        setup.dir.path(),
        &setup.service,
        &[],
        &["targets", "test", "local"],
    );
    assert_eq!(run.code, 0, "{run:?}");
    assert!(run.stdout.contains("5 users"), "{run:?}");
    assert!(
        run.stdout
            .contains("discovery unavailable (ServiceProviderConfig answered HTTP 404"),
        "{run:?}"
    );
}

/// A diff that fails (here: no JumpCloud key in the environment or the keychain) is listed in
/// the history as failed, with the reason, as a failed diff from the app is.
#[test]
fn a_failed_configured_diff_is_recorded_in_history() {
    let env = common::configured("failed", "target-token-f41l3d");
    let r = cli(env.dir.path(), &env.service, &[], &["diff", "local"]);
    assert_eq!(r.code, 1, "{r:?}");
    assert!(r.stderr.contains("JumpCloud"), "{r:?}");
    let list = cli(
        env.dir.path(),
        &env.service,
        &[],
        &["history", "list", "--json"],
    );
    let runs = list.json();
    let runs = runs.as_array().unwrap();
    assert_eq!(runs.len(), 1, "{list:?}");
    assert_eq!(runs[0]["kind"], "diff", "{list:?}");
    assert_eq!(runs[0]["outcome"], "failed", "{list:?}");
    assert_eq!(runs[0]["targetId"], "local", "{list:?}");
}

/// Ctrl-C during a diff stops it through the session's registry: exit 1, and the run is listed
/// in History as cancelled (not lost, not a half-written snapshot).
#[test]
fn ctrl_c_cancels_a_running_diff_and_history_lists_it_as_cancelled() {
    use sim::target::{Dialect, FaultConfig, SimConfig};

    let slow = FaultConfig {
        latency_ms: 3_000,
        ..FaultConfig::default()
    };
    let env = common::configured_with(
        "ctrl-c",
        "target-token-c7r1c",
        SimConfig::new(Dialect::Generic).with_faults(slow),
    );
    let mut cmd = command();
    cmd.env("SCIM_COMPANION_DATA_DIR", env.dir.path())
        .env("SCIM_COMPANION_KEYCHAIN_SERVICE", &env.service)
        .env("JUMPCLOUD_API_KEY", &env.key)
        .args(["diff", "local"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    // Wait until the session is open (its Ctrl-C handler installed) and the read has begun:
    // the CLI names the JumpCloud connection then. Every target request then takes 3 s.
    let stderr = std::io::BufReader::new(child.stderr.take().unwrap());
    let (tx, rx) = std::sync::mpsc::channel();
    let reader = std::thread::spawn(move || {
        let mut all = String::new();
        for line in std::io::BufRead::split(stderr, b'\n').map_while(Result::ok) {
            let line = String::from_utf8_lossy(&line).into_owned();
            if line.contains("JumpCloud:") {
                let _ = tx.send(());
            }
            all.push_str(&line);
            all.push('\n');
        }
        all
    });
    rx.recv_timeout(std::time::Duration::from_secs(60))
        .expect("the diff started");
    std::thread::sleep(std::time::Duration::from_millis(500));
    let sent = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
    let status = child.wait().unwrap();
    let stderr = reader.join().unwrap();
    assert_eq!(status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("cancel"), "{stderr}");

    let list = cli(
        env.dir.path(),
        &env.service,
        &[],
        &["history", "list", "--json"],
    );
    let runs = list.json();
    let runs = runs.as_array().unwrap();
    assert_eq!(runs.len(), 1, "{list:?}");
    assert_eq!(runs[0]["outcome"], "cancelled", "{list:?}");
}
