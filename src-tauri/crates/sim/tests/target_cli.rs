//! The `sim-target` binary prints its base URL and token as JSON, then serves.

#![allow(clippy::unwrap_used)]

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use serde_json::Value;

struct Kill(std::process::Child);
impl Drop for Kill {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[tokio::test]
async fn prints_connection_json_and_serves_seeded_data() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_sim-target"))
        .args([
            "--dialect",
            "aws",
            "--port",
            "0",
            "--token",
            "cli-token",
            "--seed-users",
            "50",
            "--seed-groups",
            "5",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn sim-target");
    let stdout = child.stdout.take().unwrap();
    let child = Kill(child);
    let mut line = String::new();
    BufReader::new(stdout).read_line(&mut line).unwrap();
    let info: Value = serde_json::from_str(&line).expect("first line is JSON");
    assert_eq!(info["token"], "cli-token");
    assert_eq!(info["dialect"], "aws");
    assert_eq!(info["users"], 50);
    assert_eq!(info["groups"], 5);
    let base = info["base_url"].as_str().unwrap();
    assert!(
        base.starts_with("http://127.0.0.1:") && base.ends_with("/scim/v2"),
        "{base}"
    );

    let list: Value = reqwest::Client::new()
        .get(format!("{base}/Users?count=10"))
        .bearer_auth("cli-token")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(list["totalResults"], 50);
    assert_eq!(list["itemsPerPage"], 10);
    drop(child);
}

#[test]
fn rejects_unknown_options() {
    let out = Command::new(env!("CARGO_BIN_EXE_sim-target"))
        .args(["--dialect", "nope"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown dialect"));
}
