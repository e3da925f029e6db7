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

/// A data folder set up as the app would leave it: JumpCloud (a simulator) and one Generic
/// target `local` (a simulator), its token in the OS keychain under a service of this test's
/// own. Needs a Secret Service (`scripts/test-all.sh` runs the tests under dbus-run-session with
/// an unlocked gnome-keyring); without one it fails rather than skips, so CI cannot pass it unseen.
pub struct Configured {
    pub dir: tempfile::TempDir,
    /// `SCIM_COMPANION_KEYCHAIN_SERVICE` for the CLI.
    pub service: String,
    /// The JumpCloud simulator's API key.
    pub key: String,
    pub directory: jumpcloud::Directory,
    pub app_id: String,
    pub jumpcloud: sim::jumpcloud::SimThread,
    pub scim: sim::target::SimHandle,
    vault: secrets::Vault,
}

pub fn configured(tag: &str, token: &str) -> Configured {
    configured_with(
        tag,
        token,
        sim::target::SimConfig::new(sim::target::Dialect::Generic),
    )
}

/// [`configured`] with the target simulator set up by `target` (its token is replaced by `token`).
pub fn configured_with(tag: &str, token: &str, target: sim::target::SimConfig) -> Configured {
    assert_eq!(
        secrets::Vault::status(),
        secrets::Status::Available,
        "no OS keychain here: run under `dbus-run-session` with an unlocked gnome-keyring"
    );
    let service = format!("dev.scimcompanion.cli-test.{tag}.{}", std::process::id());
    let vault = secrets::Vault::new(&service);
    vault
        .set(&target_account(), token)
        .unwrap_or_else(|e| panic!("the keychain refused a write: {e}"));
    let folder = data_folder(token, target);
    Configured {
        dir: folder.dir,
        service,
        key: folder.key,
        directory: folder.directory,
        app_id: folder.app_id,
        jumpcloud: folder.jumpcloud,
        scim: folder.scim,
        vault,
    }
}

/// A data folder with JumpCloud (a simulator) and one Generic target `local` (a simulator
/// set up by `target`, answering to `token`), whose secrets are in no keychain: the caller puts
/// them where the run reads them (the keychain in [`configured_with`], the environment or a
/// secrets folder for `watch`).
pub struct DataFolder {
    pub dir: tempfile::TempDir,
    /// The JumpCloud simulator's API key.
    pub key: String,
    pub directory: jumpcloud::Directory,
    pub app_id: String,
    pub jumpcloud: sim::jumpcloud::SimThread,
    pub scim: sim::target::SimHandle,
}

pub fn data_folder(token: &str, target: sim::target::SimConfig) -> DataFolder {
    use engine::config::{JumpCloudSettings, TargetAuth, TargetSettings, WorkspaceConfig};
    use sim::target::SimTarget;

    let directory = sim::jumpcloud::demo_directory();
    let app_id = directory
        .applications
        .iter()
        .find(|a| {
            a.display_label.as_deref() == Some("Generic SCIM app")
                || a.display_name.as_deref() == Some("Generic SCIM app")
        })
        .map(|a| a.id.clone())
        .expect("the demo has a generic SCIM app");
    let jc = sim::jumpcloud::SimConfig::default();
    let key = jc.api_key.clone();
    let jumpcloud = sim::jumpcloud::SimThread::start(directory.clone(), jc).unwrap();
    let scim = SimTarget::spawn_in_thread(target.with_token(token)).unwrap();

    let dir = tempfile::tempdir().unwrap();
    let config = WorkspaceConfig {
        jumpcloud: Some(JumpCloudSettings {
            region: jumpcloud::Region::Us,
            org_id: None,
            base_url: Some(jumpcloud.base_url()),
            key_saved_at: None,
        }),
        targets: vec![TargetSettings {
            id: "local".into(),
            kind: targets::Kind::Generic,
            name: "Local SCIM".into(),
            base_url: scim.base_url().to_owned(),
            local_endpoint: true,
            auth: TargetAuth::Bearer,
            jumpcloud_app_id: Some(app_id.clone()),
            manage_groups: true,
            validated_domains: Vec::new(),
            created_at: chrono::Utc::now(),
            token_saved_at: None,
            token_created_on: None,
        }],
        ..WorkspaceConfig::default()
    };
    engine::config::save(dir.path(), &config).unwrap();
    DataFolder {
        dir,
        key,
        directory,
        app_id,
        jumpcloud,
        scim,
    }
}

fn target_account() -> secrets::Account {
    secrets::Account::TargetToken {
        target_id: "local".into(),
    }
}

impl Drop for Configured {
    fn drop(&mut self) {
        let _ = self.vault.delete(&target_account());
    }
}
