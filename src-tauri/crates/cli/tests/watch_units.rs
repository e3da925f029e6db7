//! The systemd service and timer in `packaging/systemd` (docs/watch.md) pass
//! `systemd-analyze verify` without a single complaint, so a misspelt key (which systemd only
//! warns about, then ignores) fails here instead of weakening the service on a server.

#![allow(clippy::unwrap_used)]

use std::path::PathBuf;
use std::process::Command;

fn packaging() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../packaging/systemd")
}

#[test]
fn the_watch_service_and_timer_verify_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["scim-companion-watch.service", "scim-companion-watch.timer"] {
        let text = std::fs::read_to_string(packaging().join(name)).unwrap();
        // verify checks that ExecStart's program exists: point it at the binary just built.
        let text = text.replace(
            "/usr/bin/scim-companion",
            env!("CARGO_BIN_EXE_scim-companion"),
        );
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    let service =
        std::fs::read_to_string(packaging().join("scim-companion-watch.service")).unwrap();
    assert!(service.contains("ExecStart=/usr/bin/scim-companion watch --once --secrets dir"));
    assert!(service.contains("SuccessExitStatus=2"));
    let out = Command::new("systemd-analyze")
        .arg("verify")
        .arg(dir.path().join("scim-companion-watch.service"))
        .arg(dir.path().join("scim-companion-watch.timer"))
        .output()
        .expect("systemd-analyze is installed (Debian package systemd; scripts/test-all.sh installs it)");
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.status.success(), "{said}");
    assert!(
        said.trim().is_empty(),
        "systemd-analyze complained:\n{said}"
    );
}
