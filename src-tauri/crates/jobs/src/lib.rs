//! Scheduled drift checks that run without the app window.
//!
//! The app lets an admin schedule a drift check per target. This crate writes and registers a
//! per-user background job that runs the app's CLI,
//! `<cli> watch --once --target=<id> --notify --data-dir=<data dir>`, every so often:
//!
//! | platform | job | files |
//! |---|---|---|
//! | Linux | systemd user timer + oneshot service | `$XDG_CONFIG_HOME/systemd/user/scim-companion-watch-<name>.{service,timer}` |
//! | macOS | launchd agent | `~/Library/LaunchAgents/dev.scimcompanion.watch.<name>.plist` |
//! | Windows | Task Scheduler task `\SCIM Companion\Watch <name>` | `%LOCALAPPDATA%\SCIM Companion\jobs\watch-<name>.xml` (UTF-16) |
//!
//! `<name>` is the target id made safe for every scheduler, reversibly (see [`names`]), so
//! [`Jobs::installed`] can list the target ids back from the files. The CLI exits 0 when the
//! target is in sync, 2 when it found drift (the job did its work, so the schedulers count it a
//! success) and 1 when the check failed; [`JobStatus`] carries the last exit code and its
//! [`Outcome`].
//!
//! **No secret is ever written into a job file.** The files are plain text in the user's
//! configuration folders, readable by every program the user runs and often copied into
//! backups. The check runs in the user's own session, so the CLI reads target tokens and the
//! JumpCloud key from the same OS keychain the app saved them to; a job file only holds the
//! program, the target id, the data folder and the interval. [`JobSpec`]'s extra environment
//! refuses names that look like secrets, as a guard against a caller passing one by mistake.
//!
//! Registering goes through the platform's own tool (`systemctl --user`, `launchctl`,
//! `schtasks`) behind [`CommandRunner`], so tests record the exact commands.
//!
//! What was verified where: the generated systemd units pass `systemd-analyze verify`, and a
//! test starts a real `systemd --user` (in a private mount namespace, since this build
//! container's PID 1 is not systemd), installs a job, runs it, reads its status and removes it;
//! it skips itself where that cannot run. The plist is checked with the `plist` crate and the
//! Task XML against Microsoft's Task Scheduler schema with `xmllint`, but launchd and Task
//! Scheduler themselves only run on macOS and Windows: their commands are checked as recorded
//! calls, and their status parsing against sample output in the formats those tools print.

#![cfg_attr(test, allow(clippy::unwrap_used))]

mod error;
mod launchd;
pub mod names;
mod runner;
mod spec;
mod systemd;
mod task_scheduler;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::SystemTime;

use serde::Serialize;

pub use error::{Error, Result};
pub use runner::{CommandOutput, CommandRunner, SystemRunner};
pub use spec::{JobSpec, MAX_INTERVAL, MIN_INTERVAL};

use spec::Checked;

/// The per-user scheduler a job is registered with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Platform {
    SystemdUser,
    Launchd,
    TaskScheduler,
}

impl Platform {
    /// The scheduler of the operating system this was built for.
    pub fn current() -> Option<Platform> {
        if cfg!(target_os = "linux") {
            Some(Platform::SystemdUser)
        } else if cfg!(target_os = "macos") {
            Some(Platform::Launchd)
        } else if cfg!(windows) {
            Some(Platform::TaskScheduler)
        } else {
            None
        }
    }

    /// What the Settings page calls the job.
    pub fn label(self) -> &'static str {
        match self {
            Platform::SystemdUser => "systemd user timer",
            Platform::Launchd => "launchd agent",
            Platform::TaskScheduler => "Task Scheduler task",
        }
    }
}

/// Where job files go, per platform.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layout {
    systemd: Option<PathBuf>,
    launchd: Option<PathBuf>,
    task_scheduler: Option<PathBuf>,
}

impl Layout {
    /// The current user's folders: `$XDG_CONFIG_HOME/systemd/user` (or `~/.config/…`),
    /// `~/Library/LaunchAgents`, `%LOCALAPPDATA%\SCIM Companion\jobs`. Fails when the current
    /// platform's folder cannot be found.
    pub fn for_user() -> Result<Layout> {
        let home = std::env::var_os("HOME")
            .filter(|home| !home.is_empty())
            .map(PathBuf::from);
        // The XDG rule: a relative XDG_CONFIG_HOME is invalid and ignored.
        let config = std::env::var_os("XDG_CONFIG_HOME")
            .map(PathBuf::from)
            .filter(|dir| dir.is_absolute())
            .or_else(|| home.as_ref().map(|home| home.join(".config")));
        let layout = Layout {
            systemd: config.map(|dir| dir.join("systemd").join("user")),
            launchd: home.map(|home| home.join("Library").join("LaunchAgents")),
            task_scheduler: std::env::var_os("LOCALAPPDATA")
                .filter(|dir| !dir.is_empty())
                .map(|dir| PathBuf::from(dir).join("SCIM Companion").join("jobs")),
        };
        let platform = Platform::current().ok_or(Error::UnsupportedPlatform)?;
        layout.dir(platform)?;
        Ok(layout)
    }

    /// Everything below one folder (`systemd/user`, `LaunchAgents`, `jobs`), for tests. With
    /// `XDG_CONFIG_HOME=<root>` a systemd user manager finds the units there.
    pub fn under(root: &Path) -> Layout {
        Layout {
            systemd: Some(root.join("systemd").join("user")),
            launchd: Some(root.join("LaunchAgents")),
            task_scheduler: Some(root.join("jobs")),
        }
    }

    /// The folder `platform`'s job files go in.
    pub fn dir(&self, platform: Platform) -> Result<&Path> {
        let (dir, missing) = match platform {
            Platform::SystemdUser => (&self.systemd, "HOME (or XDG_CONFIG_HOME)"),
            Platform::Launchd => (&self.launchd, "HOME"),
            Platform::TaskScheduler => (&self.task_scheduler, "LOCALAPPDATA"),
        };
        dir.as_deref().ok_or(Error::NoJobFolder {
            platform: platform.label(),
            missing,
        })
    }
}

/// How a job file is stored on disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FileEncoding {
    Utf8,
    /// Little-endian with a byte-order mark: what `schtasks /Create /XML` reads.
    Utf16Le,
}

/// One generated file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobFile {
    pub path: PathBuf,
    pub contents: String,
    pub encoding: FileEncoding,
}

impl JobFile {
    /// The bytes to write.
    pub fn bytes(&self) -> Vec<u8> {
        match self.encoding {
            FileEncoding::Utf8 => self.contents.as_bytes().to_vec(),
            FileEncoding::Utf16Le => {
                let mut bytes = vec![0xFF, 0xFE];
                for unit in self.contents.encode_utf16() {
                    bytes.extend_from_slice(&unit.to_le_bytes());
                }
                bytes
            }
        }
    }
}

/// The files a job for `spec` consists of on `platform`, without writing them.
pub fn job_files(platform: Platform, spec: &JobSpec, layout: &Layout) -> Result<Vec<JobFile>> {
    files_for(platform, &Checked::new(spec)?, layout.dir(platform)?)
}

fn files_for(platform: Platform, job: &Checked, dir: &Path) -> Result<Vec<JobFile>> {
    match platform {
        Platform::SystemdUser => Ok(systemd::files(job, dir)),
        Platform::Launchd => Ok(vec![launchd::file(job, dir)]),
        Platform::TaskScheduler => {
            let start = chrono::Local::now().naive_local() + task_scheduler::FIRST_RUN_DELAY;
            Ok(vec![task_scheduler::file(job, dir, start)?])
        }
    }
}

/// Whether a scheduled check is there, and what it did last.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum JobStatus {
    NotInstalled,
    Installed {
        /// The scheduler will start it (timer active, agent loaded, task enabled). False when
        /// the files are there but the scheduler does not know the job (e.g. removed by hand).
        active: bool,
        /// The interval, read back from the job file.
        every_seconds: u64,
        /// ISO 8601: UTC (`…Z`) from systemd; on Windows the time as `schtasks` prints it in
        /// the user's locale; launchd does not say.
        next_run: Option<String>,
        /// When the last check finished, in the same format; `None` before the first run.
        last_run: Option<String>,
        /// The CLI's exit code the last time (0 in sync, 2 drift, other failed).
        last_exit: Option<i32>,
        /// `last_exit` read for people; `failed` also when the check
        /// was killed without an exit code.
        last_outcome: Option<Outcome>,
    },
}

/// What the last check found, from its exit code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    InSync,
    Drift,
    Failed,
}

impl Outcome {
    pub fn from_exit(code: i32) -> Outcome {
        match code {
            0 => Outcome::InSync,
            2 => Outcome::Drift,
            _ => Outcome::Failed,
        }
    }

    /// "in sync", "drift", "failed".
    pub fn label(self) -> &'static str {
        match self {
            Outcome::InSync => "in sync",
            Outcome::Drift => "drift",
            Outcome::Failed => "failed",
        }
    }
}

/// Installs, removes and reads the scheduled checks of one user on one platform.
pub struct Jobs {
    platform: Platform,
    layout: Layout,
    runner: Arc<dyn CommandRunner>,
}

impl Jobs {
    pub fn new(platform: Platform, layout: Layout, runner: Arc<dyn CommandRunner>) -> Jobs {
        Jobs {
            platform,
            layout,
            runner,
        }
    }

    pub fn platform(&self) -> Platform {
        self.platform
    }

    /// Writes the job files and registers, enables and starts the schedule. An existing job of
    /// the same target is replaced, its interval counting afresh from now. When the scheduler
    /// refuses a new job, its files are deleted again, so no half-installed job is listed.
    pub fn install(&self, spec: &JobSpec) -> Result<JobStatus> {
        let job = Checked::new(spec)?;
        let dir = self.dir()?;
        let files = files_for(self.platform, &job, dir)?;
        let replacing = self.has_files(&job.name)?;
        std::fs::create_dir_all(dir).map_err(|e| Error::io("create", dir, e))?;
        for file in &files {
            write_atomically(&file.path, &file.bytes())?;
        }
        let runner = self.runner.as_ref();
        let registered = match self.platform {
            Platform::SystemdUser => systemd::register(runner, &job.name, replacing),
            Platform::Launchd => launchd::register(runner, dir, &job.name),
            Platform::TaskScheduler => task_scheduler::register(runner, dir, &job.name),
        };
        if let Err(error) = registered {
            if !replacing {
                for file in &files {
                    // The registration error is the one to report.
                    let _ = remove_file(&file.path);
                }
            }
            return Err(error);
        }
        self.status(&spec.target_id)
    }

    /// Stops and unregisters the job and deletes its files. A job that is not there is fine.
    pub fn remove(&self, target_id: &str) -> Result<()> {
        let name = names::encode(target_id)?;
        let dir = self.dir()?;
        let runner = self.runner.as_ref();
        match self.platform {
            Platform::SystemdUser => systemd::unregister(runner, dir, &name),
            Platform::Launchd => launchd::unregister(runner, dir, &name),
            Platform::TaskScheduler => task_scheduler::unregister(runner, dir, &name),
        }
    }

    /// Whether the target has a job, and what the scheduler says about it.
    pub fn status(&self, target_id: &str) -> Result<JobStatus> {
        let name = names::encode(target_id)?;
        if !self.has_files(&name)? {
            return Ok(JobStatus::NotInstalled);
        }
        let dir = self.dir()?;
        let runner = self.runner.as_ref();
        match self.platform {
            Platform::SystemdUser => systemd::status(runner, dir, &name),
            Platform::Launchd => launchd::status(runner, dir, &name),
            Platform::TaskScheduler => task_scheduler::status(runner, dir, &name),
        }
    }

    /// Starts the check now, outside its schedule (the Settings page's "Run now"). It runs in
    /// the background; [`Jobs::status`] shows its exit code once it has finished.
    pub fn run_now(&self, target_id: &str) -> Result<()> {
        let name = names::encode(target_id)?;
        let runner = self.runner.as_ref();
        match self.platform {
            Platform::SystemdUser => systemd::run_now(runner, &name),
            Platform::Launchd => launchd::run_now(runner, &name),
            Platform::TaskScheduler => task_scheduler::run_now(runner, &name),
        }
    }

    /// The target ids that have job files, sorted. Files that this crate did not write are
    /// ignored.
    pub fn installed(&self) -> Result<Vec<String>> {
        let dir = self.dir()?;
        let entries = match std::fs::read_dir(dir) {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(Error::io("list", dir, e)),
        };
        let mut ids = Vec::new();
        for entry in entries {
            let entry = entry.map_err(|e| Error::io("list", dir, e))?;
            let file_name = entry.file_name();
            let Some(file_name) = file_name.to_str() else {
                continue;
            };
            let name = match self.platform {
                Platform::SystemdUser => systemd::name_of(file_name),
                Platform::Launchd => launchd::name_of(file_name),
                Platform::TaskScheduler => task_scheduler::name_of(file_name),
            };
            if let Some(id) = name.and_then(names::decode) {
                ids.push(id);
            }
        }
        ids.sort();
        ids.dedup();
        Ok(ids)
    }

    fn dir(&self) -> Result<&Path> {
        self.layout.dir(self.platform)
    }

    fn has_files(&self, name: &str) -> Result<bool> {
        let dir = self.dir()?;
        let marker = match self.platform {
            Platform::SystemdUser => systemd::timer_path(dir, name),
            Platform::Launchd => launchd::plist_path(dir, name),
            Platform::TaskScheduler => task_scheduler::xml_path(dir, name),
        };
        Ok(marker.is_file())
    }
}

/// Writes beside the target and renames, so a scheduler never reads half a file.
fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let mut temp = path.as_os_str().to_owned();
    temp.push(".tmp");
    let temp = PathBuf::from(temp);
    std::fs::write(&temp, bytes).map_err(|e| Error::io("write", &temp, e))?;
    std::fs::rename(&temp, path).map_err(|e| {
        let _ = std::fs::remove_file(&temp);
        Error::io("replace", path, e)
    })
}

/// Deletes a file; one that is already gone is fine.
pub(crate) fn remove_file(path: &Path) -> Result<()> {
    match std::fs::remove_file(path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(Error::io("delete", path, e)),
    }
}

/// A point in time as ISO 8601 UTC, to the second.
pub(crate) fn utc_text(time: SystemTime) -> String {
    chrono::DateTime::<chrono::Utc>::from(time).to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// Reads a job file this crate wrote (UTF-8, or UTF-16 LE with a byte-order mark).
pub(crate) fn read_job_file(path: &Path) -> Result<String> {
    let bytes = std::fs::read(path).map_err(|e| Error::io("read", path, e))?;
    if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        let units: Vec<u16> = rest
            .chunks_exact(2)
            .map(|pair| u16::from_le_bytes([pair[0], pair[1]]))
            .collect();
        Ok(String::from_utf16_lossy(&units))
    } else {
        Ok(String::from_utf8_lossy(&bytes).into_owned())
    }
}

/// "4 h", "90 min", "1 d 2 h": an interval for a description line.
pub(crate) fn human_interval(seconds: u64) -> String {
    let mut parts = Vec::new();
    let mut rest = seconds;
    for (unit, size) in [("d", 86_400), ("h", 3_600), ("min", 60), ("s", 1)] {
        if rest >= size {
            parts.push(format!("{} {unit}", rest / size));
            rest %= size;
        }
    }
    parts.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_serializes_for_the_settings_page() {
        let status = JobStatus::Installed {
            active: true,
            every_seconds: 14_400,
            next_run: Some("2026-12-07T20:00:00Z".into()),
            last_run: None,
            last_exit: Some(2),
            last_outcome: Some(Outcome::Drift),
        };
        assert_eq!(
            serde_json::to_value(&status).unwrap(),
            serde_json::json!({
                "state": "installed", "active": true, "every_seconds": 14400,
                "next_run": "2026-12-07T20:00:00Z", "last_run": null,
                "last_exit": 2, "last_outcome": "drift"
            })
        );
        assert_eq!(
            serde_json::to_value(JobStatus::NotInstalled).unwrap(),
            serde_json::json!({"state": "not_installed"})
        );
        assert_eq!(
            serde_json::to_value(Platform::SystemdUser).unwrap(),
            "systemd_user"
        );
    }

    #[test]
    fn utf16_files_have_a_bom_and_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let file = JobFile {
            path: dir.path().join("x.xml"),
            contents: "<a>é 東</a>".into(),
            encoding: FileEncoding::Utf16Le,
        };
        let bytes = file.bytes();
        assert_eq!(&bytes[..4], &[0xFF, 0xFE, b'<', 0]);
        write_atomically(&file.path, &bytes).unwrap();
        assert_eq!(read_job_file(&file.path).unwrap(), file.contents);
    }

    #[test]
    fn intervals_read_as_people_say_them() {
        assert_eq!(human_interval(14_400), "4 h");
        assert_eq!(human_interval(5_400), "1 h 30 min");
        assert_eq!(human_interval(90_000), "1 d 1 h");
    }

    #[test]
    fn the_current_platform_has_a_label() {
        if let Some(platform) = Platform::current() {
            assert!(!platform.label().is_empty());
        }
        assert_eq!(Platform::TaskScheduler.label(), "Task Scheduler task");
    }
}
