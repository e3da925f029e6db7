//! Runs the real `scim-companion` binary with a clean environment (no data folder, key or
//! keychain override inherited from the developer's shell).

#![allow(dead_code)]

use std::path::Path;
use std::process::{Command, Output};

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{}", self.stdout))
    }
}

impl std::fmt::Debug for Run {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "exit {}\n--- stdout\n{}\n--- stderr\n{}",
            self.code, self.stdout, self.stderr
        )
    }
}

pub fn command() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_scim-companion"));
    for var in [
        "SCIM_COMPANION_DATA_DIR",
        "JUMPCLOUD_API_KEY",
        "SCIM_COMPANION_KEYCHAIN_SERVICE",
        "SCIM_COMPANION_LOG",
        "COLUMNS",
    ] {
        cmd.env_remove(var);
    }
    cmd
}

pub fn finish(output: Output) -> Run {
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8(output.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(output.stderr).expect("stderr is UTF-8"),
    }
}

/// `scim-companion ARGS` with `data_dir` as the app's data folder.
pub fn run_in(data_dir: &Path, args: &[&str]) -> Run {
    let mut cmd = command();
    cmd.args(args).env("SCIM_COMPANION_DATA_DIR", data_dir);
    finish(cmd.output().expect("the binary runs"))
}

/// `scim-companion ARGS` with a throwaway data folder.
pub fn run(args: &[&str]) -> Run {
    let dir = tempfile::tempdir().unwrap();
    run_in(dir.path(), args)
}
