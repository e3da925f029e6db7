//! `scim-companion watch --once` as a server runs it: no keychain, secrets from environment
//! variables or from files only their owner can read, against the JumpCloud and SCIM
//! simulators; exit codes 0/1/2, the JSON summary, the history, and a loopback webhook that
//! hears of drift exactly once (a repeat of the same drift is not news) and of a clean check
//! never; `--notify` records its notifications in the test sink.

#![allow(clippy::unwrap_used)]

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::path::Path;
use std::sync::{Arc, Mutex};

use common::{command, finish, Run};

const TOKEN: &str = "watch-target-t0ken-5ecret";

/// A configured data folder (JumpCloud simulator, one empty generic SCIM target `local`) whose
/// secrets are in no keychain.
fn unattended() -> common::DataFolder {
    common::data_folder(
        TOKEN,
        sim::target::SimConfig::new(sim::target::Dialect::Generic),
    )
}

fn cli(data_dir: &Path, env: &[(&str, &str)], args: &[&str]) -> Run {
    let mut cmd = command();
    // No keychain may be reached: a service name nobody wrote to, and no D-Bus session.
    cmd.env("SCIM_COMPANION_DATA_DIR", data_dir)
        .env(
            "SCIM_COMPANION_KEYCHAIN_SERVICE",
            "dev.scimcompanion.watch-test.none",
        )
        .env_remove("DBUS_SESSION_BUS_ADDRESS")
        .env_remove("SCIM_COMPANION_WEBHOOK_URL")
        .env_remove("CREDENTIALS_DIRECTORY")
        .args(args);
    for (k, v) in env {
        cmd.env(k, v);
    }
    finish(cmd.output().unwrap())
}

fn assert_no_secret(run: &Run, secrets: &[&str]) {
    for secret in secrets {
        assert!(
            !run.stdout.contains(secret) && !run.stderr.contains(secret),
            "a secret was printed: {run:?}"
        );
    }
}

#[test]
fn watch_once_with_secrets_from_the_environment_reports_drift_then_in_sync_after_apply() {
    let env = unattended();
    let secrets = [
        ("SCIM_COMPANION_TOKEN_LOCAL", TOKEN),
        ("JUMPCLOUD_API_KEY", env.key.as_str()),
    ];
    let r = cli(
        env.dir.path(),
        &secrets,
        &["watch", "--once", "--secrets", "env"],
    );
    assert_eq!(r.code, 2, "the empty target has drift: {r:?}");
    assert_no_secret(&r, &[TOKEN, &env.key]);
    let doc = r.json();
    assert_eq!(doc["status"], "drift", "{r:?}");
    assert_eq!(doc["exit_code"], 2);
    assert_eq!(doc["mode"], "configured");
    let target = &doc["targets"][0];
    assert_eq!(target["id"], "local");
    assert_eq!(target["status"], "drift");
    assert!(target["drift"]["missing"].as_u64().unwrap() > 0, "{r:?}");
    assert!(target["requests"].as_u64().unwrap() > 0, "{r:?}");
    assert!(target.get("error").is_none(), "{r:?}");

    // The check is a diff in the history, like one run from the app.
    let history = cli(env.dir.path(), &[], &["history", "list", "--json"]);
    assert_eq!(history.code, 0, "{history:?}");
    let runs = history.json();
    let diffs = runs
        .as_array()
        .or_else(|| runs["runs"].as_array())
        .unwrap()
        .iter()
        .filter(|r| r["kind"] == "diff")
        .count();
    assert_eq!(diffs, 1, "{history:?}");

    // Apply (with the same explicit secrets), then the next check is clean.
    let apply = cli(
        env.dir.path(),
        &secrets,
        &["apply", "local", "--yes", "--secrets", "env"],
    );
    assert_eq!(apply.code, 0, "{apply:?}");
    let r = cli(
        env.dir.path(),
        &secrets,
        &["watch", "--once", "--secrets", "env"],
    );
    assert_eq!(r.code, 0, "in sync after a complete apply: {r:?}");
    let doc = r.json();
    assert_eq!(doc["status"], "in_sync", "{r:?}");
    assert_eq!(doc["targets"][0]["drift"], serde_json::json!({}), "{r:?}");
}

#[test]
fn a_missing_token_fails_the_check_and_names_the_variable_to_set() {
    let env = unattended();
    let r = cli(
        env.dir.path(),
        &[("JUMPCLOUD_API_KEY", env.key.as_str())],
        &["watch", "--once", "--secrets", "env"],
    );
    assert_eq!(r.code, 1, "{r:?}");
    let doc = r.json();
    assert_eq!(doc["status"], "failed");
    let error = &doc["targets"][0]["error"];
    let message = error["message"].as_str().unwrap();
    assert!(message.contains("SCIM_COMPANION_TOKEN_LOCAL"), "{r:?}");
    assert!(
        error["hint"].as_str().unwrap().contains("token-local"),
        "{r:?}"
    );
    assert_eq!(error["code"], "unauthorized", "{r:?}");
}

#[cfg(unix)]
fn write_secret(dir: &Path, name: &str, value: &str, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    let path = dir.join(name);
    std::fs::write(&path, format!("{value}\n")).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).unwrap();
}

#[cfg(unix)]
#[test]
fn secret_files_are_used_only_when_their_owner_alone_can_read_them() {
    let env = unattended();
    let secrets = tempfile::tempdir().unwrap();
    write_secret(secrets.path(), "jumpcloud-api-key", &env.key, 0o600);
    write_secret(secrets.path(), "token-local", TOKEN, 0o600);
    let folder = secrets.path().to_str().unwrap();

    let r = cli(
        env.dir.path(),
        &[],
        &["watch", "--once", "--secrets-dir", folder],
    );
    assert_eq!(r.code, 2, "{r:?}");
    assert_eq!(r.json()["targets"][0]["status"], "drift", "{r:?}");

    // systemd's LoadCredential= sets CREDENTIALS_DIRECTORY; `--secrets dir` reads it.
    let r = cli(
        env.dir.path(),
        &[("CREDENTIALS_DIRECTORY", folder)],
        &["watch", "--once", "--secrets", "dir"],
    );
    assert_eq!(r.code, 2, "{r:?}");

    // Readable by others: refused, and the token never shows.
    write_secret(secrets.path(), "token-local", TOKEN, 0o644);
    let r = cli(
        env.dir.path(),
        &[],
        &["watch", "--once", "--secrets-dir", folder],
    );
    assert_eq!(r.code, 1, "{r:?}");
    assert_no_secret(&r, &[TOKEN, &env.key]);
    let doc = r.json();
    let error = &doc["targets"][0]["error"];
    let message = error["message"].as_str().unwrap();
    assert!(
        message.contains("0644") && message.contains("token-local"),
        "{r:?}"
    );
    assert!(
        error["hint"].as_str().unwrap().contains("chmod 600"),
        "{r:?}"
    );
}

/// A loopback HTTP receiver that records each POST body and answers 200.
struct Receiver {
    url: String,
    bodies: Arc<Mutex<Vec<String>>>,
}

fn receiver() -> Receiver {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!(
        "http://{}/hooks/T000/s3cr3t-path",
        listener.local_addr().unwrap()
    );
    let bodies = Arc::new(Mutex::new(Vec::new()));
    let seen = bodies.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut length = 0usize;
            let mut line = String::new();
            let mut request_line = String::new();
            reader.read_line(&mut request_line).unwrap();
            loop {
                line.clear();
                reader.read_line(&mut line).unwrap();
                if line.trim().is_empty() {
                    break;
                }
                if let Some((name, value)) = line.split_once(':') {
                    if name.eq_ignore_ascii_case("content-length") {
                        length = value.trim().parse().unwrap();
                    }
                }
            }
            let mut body = vec![0; length];
            reader.read_exact(&mut body).unwrap();
            if request_line.starts_with("POST ") {
                seen.lock().unwrap().push(String::from_utf8(body).unwrap());
            }
            let _ = stream
                .write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\nconnection: close\r\n\r\nok");
        }
    });
    Receiver { url, bodies }
}

#[test]
fn the_webhook_and_notifications_hear_of_new_drift_once_and_of_a_clean_check_never() {
    let env = unattended();
    let hook = receiver();
    let secrets = [
        ("SCIM_COMPANION_TOKEN_LOCAL", TOKEN),
        ("JUMPCLOUD_API_KEY", env.key.as_str()),
        ("SCIM_COMPANION_WEBHOOK_URL", hook.url.as_str()),
    ];
    let sink = env.dir.path().join("notices.jsonl");
    let sink_env = ("SCIM_COMPANION_NOTIFICATION_SINK", sink.to_str().unwrap());
    let secrets = [secrets[0], secrets[1], secrets[2], sink_env];
    let args = [
        "watch",
        "--once",
        "--secrets",
        "env",
        "--webhook",
        "--notify",
    ];

    let r = cli(env.dir.path(), &secrets, &args);
    assert_eq!(r.code, 2, "{r:?}");
    assert_eq!(r.json()["alerts"][0]["kind"], "drift_appeared", "{r:?}");
    assert_eq!(r.json()["notified"], 1, "{r:?}");
    assert_no_secret(&r, &["s3cr3t-path", TOKEN]);
    assert_eq!(r.json()["webhook"]["delivered"], true, "{r:?}");
    {
        let bodies = hook.bodies.lock().unwrap();
        assert_eq!(bodies.len(), 1, "exactly one POST on drift: {bodies:?}");
        let body: serde_json::Value = serde_json::from_str(&bodies[0]).unwrap();
        let text = body["text"].as_str().unwrap();
        assert!(
            text.contains("Local SCIM (local)") && text.contains("missing"),
            "{text}"
        );
        assert_eq!(body["scim_companion"]["status"], "drift");
        assert!(!bodies[0].contains(TOKEN) && !bodies[0].contains(&env.key));
        assert_eq!(body["alerts"][0]["kind"], "drift_appeared");
        assert!(
            text.contains("New: Local SCIM: drift from JumpCloud"),
            "{text}"
        );
    }

    // The same drift again is not news: no POST, no notification, the summary still says drift.
    let r = cli(env.dir.path(), &secrets, &args);
    assert_eq!(r.code, 2, "{r:?}");
    assert_eq!(r.json()["alerts"], serde_json::json!([]), "{r:?}");
    assert!(r.json().get("webhook").is_none(), "{r:?}");
    assert_eq!(
        hook.bodies.lock().unwrap().len(),
        1,
        "no POST for drift already told"
    );
    let notices: Vec<serde_json::Value> = std::fs::read_to_string(&sink)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(notices.len(), 1, "{notices:?}");
    assert_eq!(notices[0]["kind"], "drift_appeared");
    assert_eq!(notices[0]["target_id"], "local");

    let apply = cli(
        env.dir.path(),
        &secrets,
        &["apply", "local", "--yes", "--secrets", "env"],
    );
    assert_eq!(apply.code, 0, "{apply:?}");
    let r = cli(env.dir.path(), &secrets, &args);
    assert_eq!(r.code, 0, "{r:?}");
    assert!(r.json().get("webhook").is_none(), "{r:?}");
    assert_eq!(hook.bodies.lock().unwrap().len(), 1, "no POST when in sync");

    // Nobody listening: the alert is lost, so the check fails.
    let gone = TcpListener::bind("127.0.0.1:0").unwrap();
    let dead = format!("http://{}/hook", gone.local_addr().unwrap());
    drop(gone);
    let r = cli(
        env.dir.path(),
        &[
            ("SCIM_COMPANION_TOKEN_LOCAL", TOKEN),
            ("JUMPCLOUD_API_KEY", env.key.as_str()),
            ("SCIM_COMPANION_WEBHOOK_URL", dead.as_str()),
        ],
        &[
            "watch",
            "--once",
            "--secrets",
            "env",
            "--webhook",
            "--target",
            "nope",
        ],
    );
    assert_eq!(r.code, 1, "{r:?}");
    let doc = r.json();
    assert_eq!(doc["webhook"]["delivered"], false, "{r:?}");
    assert!(doc["targets"][0]["error"]["message"]
        .as_str()
        .unwrap()
        .contains("unknown target `nope`"));
}

#[test]
fn a_secret_is_never_taken_from_the_command_line() {
    let r = cli(
        Path::new("/nonexistent"),
        &[],
        &["watch", "--once", "--token", TOKEN],
    );
    assert_eq!(r.code, 1, "{r:?}");
    assert!(r.stderr.contains("unexpected argument"), "{r:?}");
    let r = cli(Path::new("/nonexistent"), &[], &["watch"]);
    assert_eq!(r.code, 1, "--once or --every is required: {r:?}");
    let r = cli(Path::new("/nonexistent"), &[], &["watch", "--every", "1m"]);
    assert_eq!(r.code, 1, "{r:?}");
    assert!(r.stderr.contains("under 5 minutes"), "{r:?}");
}

/// A click on a notification of a background check opens the app on that target's diff: it
/// starts the app with `--open-diff` when none runs on the data folder, and asks the running
/// one (`open-request.json`) otherwise. The test sink counts a `drift_appeared` notice as
/// clicked; a script stands in for the app and records how it was started.
#[test]
fn a_click_on_a_notification_opens_the_app_on_the_target_s_diff() {
    let env = unattended();
    let dir = env.dir.path();
    let sink = dir.join("notices.jsonl");
    // Outside the data folder, whose files the app keeps private (no execute bit).
    let elsewhere = tempfile::tempdir().unwrap();
    let started = elsewhere.path().join("app-started.txt");
    let fake_app = elsewhere.path().join("fake-app.sh");
    std::fs::write(
        &fake_app,
        format!(
            "#!/bin/sh\necho \"$@|$SCIM_COMPANION_DATA_DIR\" >> '{}'\n",
            started.display()
        ),
    )
    .unwrap();
    std::fs::set_permissions(
        &fake_app,
        std::os::unix::fs::PermissionsExt::from_mode(0o755),
    )
    .unwrap();
    let env_vars = [
        ("SCIM_COMPANION_TOKEN_LOCAL", TOKEN),
        ("JUMPCLOUD_API_KEY", env.key.as_str()),
        ("SCIM_COMPANION_NOTIFICATION_SINK", sink.to_str().unwrap()),
        ("SCIM_COMPANION_NOTIFICATION_CLICK", "drift_appeared"),
        ("SCIM_COMPANION_APP", fake_app.to_str().unwrap()),
    ];
    let args = ["watch", "--once", "--secrets", "env", "--notify"];

    // No app runs on this folder: the click starts one on the target's diff.
    let r = cli(dir, &env_vars, &args);
    assert_eq!(r.code, 2, "{r:?}");
    // The script's `>>` creates the file before `echo` writes to it: wait for a whole line.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    let whole_line = || {
        std::fs::read_to_string(&started)
            .ok()
            .filter(|text| text.ends_with('\n'))
    };
    while whole_line().is_none() && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let line = whole_line()
        .unwrap_or_else(|| panic!("the click did not start the app within 10 s: {r:?}"));
    assert_eq!(line.trim(), format!("--open-diff local|{}", dir.display()));

    // An app runs on it: the click asks that app instead of starting another.
    let running = engine::watch::launch::AppLock::take(dir)
        .unwrap()
        .expect("the test holds the app lock");
    std::fs::remove_file(dir.join(engine::watch::STATE_FILE)).unwrap(); // the drift is news again
    let r = cli(dir, &env_vars, &args);
    assert_eq!(r.code, 2, "{r:?}");
    assert_eq!(
        engine::watch::launch::take_open_request(dir).as_deref(),
        Some("local")
    );
    assert_eq!(
        std::fs::read_to_string(&started).unwrap().lines().count(),
        1,
        "no second app was started"
    );
    drop(running);
}
