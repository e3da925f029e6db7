//! The CLI's first look at the data folder makes it private, like the app at start: a folder and
//! files other users could read (an old build, a copied backup, a loose umask) are tightened to
//! 0700/0600, and the CLI says so on stderr.

#![allow(clippy::unwrap_used)]
#![cfg(unix)]

mod common;

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use common::run_in;

fn mode(p: &Path) -> u32 {
    std::fs::metadata(p).unwrap().permissions().mode() & 0o777
}

#[test]
fn a_loose_data_folder_is_tightened_with_a_warning() {
    let root = tempfile::tempdir().unwrap();
    let data = root.path().join("data");
    std::fs::create_dir(&data).unwrap();
    let files = ["settings.json", "settings.json.bak", "ui-prefs.json"];
    for name in files {
        std::fs::write(data.join(name), b"{}").unwrap();
        std::fs::set_permissions(data.join(name), std::fs::Permissions::from_mode(0o644)).unwrap();
    }
    std::fs::set_permissions(&data, std::fs::Permissions::from_mode(0o755)).unwrap();

    let run = run_in(&data, &["history", "list"]);
    assert_eq!(mode(&data), 0o700, "{run:?}");
    for name in files {
        assert_eq!(mode(&data.join(name)), 0o600, "{name}: {run:?}");
    }
    assert!(
        run.stderr.contains("permissions tightened"),
        "the CLI says what it changed: {run:?}"
    );

    // Private now: the next run has nothing to say about it.
    let again = run_in(&data, &["history", "list"]);
    assert!(!again.stderr.contains("permissions tightened"), "{again:?}");
}
