//! Reading the JumpCloud directory for a configured workspace, for the app and the CLI alike.
//!
//! A configured workspace starts without the directory (reading JumpCloud is slow and needs the
//! network). The rule this module enforces: **a configured target is never diffed against a
//! directory that was not read successfully.** An empty directory would make every account on
//! the target look extra (a deletion candidate), so [`crate::TargetWork::diff`] refuses with
//! [`Error::DirectoryNotRead`] until a read succeeded, and a failed read (the JumpCloud snapshot
//! is all-or-nothing) leaves the previous directory, if any, in place.
//!
//! Reads do not change a workspace: [`read`], [`with_read`] and [`with_directory`] return a new
//! one (the session swaps it in under its lock), so work running on the old one is undisturbed.

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
pub use jumpcloud::{SnapshotPhase, SnapshotProgress};
use tokio_util::sync::CancellationToken;

use crate::config::{JumpCloudSettings, WorkspaceConfig};
use crate::error::{Error, Job, Result};
use crate::workspace::{Target, Workspace, WorkspaceMode};

mod info;

pub(crate) use info::{describe, ReadInfo};
pub use info::{Connection, DirectoryStatus};
use secrets::SecretStore;

/// A successful, complete read of the JumpCloud directory.
#[derive(Clone)]
pub struct DirectoryRead {
    pub directory: jumpcloud::Directory,
    /// When the read finished.
    pub read_at: DateTime<Utc>,
    pub duration: Duration,
    pub requests: u64,
    /// The applications whose bindings were read; empty when every application was read.
    pub apps: Vec<String>,
    /// The connection it was read with; `None` for a directory loaded from a file.
    pub connection: Option<Connection>,
}

/// The JumpCloud applications the configured targets use (sorted, without duplicates; targets
/// without an application chosen are left out).
pub fn apps_in_use(config: &WorkspaceConfig) -> Vec<String> {
    config
        .targets
        .iter()
        .filter_map(|t| t.jumpcloud_app_id.as_deref())
        .map(str::trim)
        .filter(|a| !a.is_empty())
        .map(str::to_owned)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect()
}

/// Reads the whole directory with `settings` and `api_key`, all or nothing. With one
/// application in `apps` only its bindings are read (and it must exist); with several or none,
/// every application's. `progress` is called from this task, never concurrently; `cancel`
/// stops the read with [`Error::Cancelled`].
pub async fn read_jumpcloud(
    settings: &JumpCloudSettings,
    api_key: &str,
    apps: &[String],
    progress: impl FnMut(SnapshotProgress),
    cancel: &CancellationToken,
) -> Result<DirectoryRead> {
    let client = crate::setup::jumpcloud_client(settings, api_key)?;
    let options = jumpcloud::SnapshotOptions {
        app_id: match apps {
            [one] => Some(one.clone()),
            _ => None,
        },
        ..jumpcloud::SnapshotOptions::default()
    };
    let started = Instant::now();
    let directory = client
        .snapshot(&options, progress, cancel)
        .await
        .map_err(|e| match e {
            jumpcloud::Error::Cancelled => Error::Cancelled(Job::DirectoryRead),
            other => Error::from(other),
        })?;
    if cancel.is_cancelled() {
        return Err(Error::Cancelled(Job::DirectoryRead));
    }
    Ok(DirectoryRead {
        directory,
        read_at: Utc::now(),
        duration: started.elapsed(),
        requests: client.request_count(),
        apps: if apps.len() == 1 {
            apps.to_vec()
        } else {
            Vec::new()
        },
        connection: Some(Connection::from(settings)),
    })
}

/// Reads the directory with the saved JumpCloud connection of `config` and the API key from
/// `secrets` (the OS keychain), for every application the configured targets use.
pub async fn read_saved(
    config: &WorkspaceConfig,
    secrets: &dyn SecretStore,
    progress: impl FnMut(SnapshotProgress),
    cancel: &CancellationToken,
) -> Result<DirectoryRead> {
    let settings = config
        .jumpcloud
        .as_ref()
        .ok_or(Error::JumpCloudNotConfigured)?;
    let key = secrets
        .get(&crate::setup::jumpcloud_account())?
        .ok_or(Error::JumpCloudNotConfigured)?;
    read_jumpcloud(
        settings,
        key.expose(),
        &apps_in_use(config),
        progress,
        cancel,
    )
    .await
}

/// Reads JumpCloud with the saved connection and key of `workspace`: the workspace with the
/// result as its directory. On any error (or a cancel) nothing changes; `workspace` keeps its
/// previous directory, if any.
pub async fn read(
    workspace: &Workspace,
    secrets: &dyn SecretStore,
    progress: impl FnMut(SnapshotProgress),
    cancel: &CancellationToken,
) -> Result<Workspace> {
    let config = workspace
        .config
        .clone()
        .ok_or(Error::JumpCloudNotConfigured)?;
    let read = read_saved(&config, secrets, progress, cancel).await?;
    let mut next = workspace.copy_without_directory();
    take(&mut next, read)?;
    Ok(next)
}

/// `workspace` (a configured one) with `read` as its directory; the session swaps it in. The
/// targets' clients are shared.
pub fn with_read(workspace: &Workspace, read: DirectoryRead) -> Result<Workspace> {
    if workspace.mode != WorkspaceMode::Configured {
        return Err(Error::DemoHasDirectory);
    }
    let mut next = workspace.copy_without_directory();
    take(&mut next, read)?;
    Ok(next)
}

/// `workspace` with `directory` loaded from a file (see [`Workspace::set_directory`]).
pub fn with_directory(
    workspace: &Workspace,
    directory: jumpcloud::Directory,
    source: impl Into<String>,
) -> Workspace {
    let mut next = workspace.copy_without_directory();
    next.set_directory(directory, source);
    next
}

/// Takes a successful read as `workspace`'s directory. Refused when the read came from a
/// different JumpCloud connection than the one configured now (the settings changed while it
/// ran). The last diffs are dropped: they were computed from the previous directory.
fn take(workspace: &mut Workspace, read: DirectoryRead) -> Result<()> {
    if workspace.mode == WorkspaceMode::Configured {
        let configured = workspace
            .config
            .as_ref()
            .and_then(|c| c.jumpcloud.as_ref())
            .map(Connection::from);
        // The CLI may read with an API key from the environment and no saved connection.
        let changed = matches!((&read.connection, &configured), (Some(r), Some(c)) if r != c);
        if changed {
            return Err(Error::JumpCloudSettingsChanged);
        }
    }
    let settings = workspace.config.as_ref().and_then(|c| c.jumpcloud.as_ref());
    let when = read.read_at.format("%Y-%m-%d %H:%M UTC");
    workspace.directory_source = describe(settings, &format!("read {when}"));
    workspace.directory = read.directory;
    workspace.directory_read = Some(ReadInfo {
        read_at: Some(read.read_at),
        apps: read.apps,
        connection: read.connection,
    });
    workspace.diffs = Default::default();
    Ok(())
}

/// After the settings were reopened (a target saved or removed), keeps in `next` the directory
/// read by `previous` when it still fits: same JumpCloud connection, and every application the
/// targets use now was read. Returns whether it was kept.
pub fn keep_directory_of(next: &mut Workspace, previous: &Workspace) -> bool {
    if next.mode != WorkspaceMode::Configured || previous.mode != WorkspaceMode::Configured {
        return false;
    }
    let Some(info) = &previous.directory_read else {
        return false;
    };
    let now = next
        .config
        .as_ref()
        .and_then(|c| c.jumpcloud.as_ref())
        .map(Connection::from);
    if info.connection.is_none() || info.connection != now {
        return false;
    }
    let apps = next.config.as_ref().map(apps_in_use).unwrap_or_default();
    if !apps.iter().all(|a| info.covers(a)) {
        return false;
    }
    next.directory = previous.directory.clone();
    next.directory_source = previous.directory_source.clone();
    next.directory_read = Some(info.clone());
    true
}

/// Whether JumpCloud must be read before `target_id` can be diffed: a configured target whose
/// application is chosen, in a workspace that has not read JumpCloud yet.
pub(crate) fn needs_read_for(workspace: &Workspace, target_id: &str) -> Result<bool> {
    let target = workspace.find(target_id)?;
    if workspace.mode != WorkspaceMode::Configured {
        return Ok(false);
    }
    if target.app_id.trim().is_empty() {
        return Err(Error::NoJumpCloudApp(target.info.id.clone()));
    }
    Ok(workspace.directory_read.is_none())
}

/// The read-before-diff rule for one target: a configured target needs its JumpCloud
/// application chosen and a directory read successfully.
pub(crate) fn ready_to_diff(workspace: &Workspace, target: &Target) -> Result<()> {
    if workspace.mode != WorkspaceMode::Configured {
        return Ok(());
    }
    if target.app_id.trim().is_empty() {
        return Err(Error::NoJumpCloudApp(target.info.id.clone()));
    }
    if workspace.directory_read.is_none() {
        return Err(Error::DirectoryNotRead);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{TargetAuth, TargetSettings};

    fn target(id: &str, app: Option<&str>) -> TargetSettings {
        TargetSettings {
            id: id.to_owned(),
            kind: targets::Kind::Generic,
            name: id.to_owned(),
            base_url: "http://127.0.0.1:9/scim/v2".to_owned(),
            local_endpoint: true,
            auth: TargetAuth::Bearer,
            jumpcloud_app_id: app.map(str::to_owned),
            manage_groups: true,
            validated_domains: Vec::new(),
            created_at: Utc::now(),
            token_saved_at: None,
            token_created_on: None,
        }
    }

    #[test]
    fn apps_in_use_are_the_targets_chosen_apps_once_each() {
        let config = WorkspaceConfig {
            targets: vec![
                target("a", Some("app2")),
                target("b", None),
                target("c", Some(" ")),
                target("d", Some("app1")),
                target("e", Some("app2")),
            ],
            ..WorkspaceConfig::default()
        };
        assert_eq!(apps_in_use(&config), vec!["app1", "app2"]);
    }

    #[test]
    fn read_info_of_all_apps_covers_any_app() {
        let all = ReadInfo::preloaded();
        assert!(all.covers("x"));
        let one = ReadInfo {
            apps: vec!["a1".into()],
            ..ReadInfo::preloaded()
        };
        assert!(one.covers("a1") && !one.covers("a2"));
    }
}
