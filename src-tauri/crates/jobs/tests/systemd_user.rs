//! A real systemd user manager: install a job, run it, read its status, remove it.
//!
//! This container's PID 1 is not systemd, and `systemd --user` refuses to start unless
//! `/run/systemd/system` exists, so the test starts it in a private mount namespace (`unshare
//! -m`, root only) with a tmpfs over `/run`; `systemctl --user` reaches it through
//! `$XDG_RUNTIME_DIR/systemd/private`. Where that cannot run (not Linux, no systemd, no
//! permission for `unshare`), the test says so and returns.

#![allow(clippy::unwrap_used)]

mod support;

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use jobs::{
    names, CommandOutput, CommandRunner, JobSpec, JobStatus, Jobs, Layout, Outcome, Platform,
};
use support::{unix_spec, ODD_ID};

const SYSTEMD: &str = "/usr/lib/systemd/systemd";

/// `systemctl` with the test's user manager in its environment, the way the app's process has
/// its own session's.
struct SessionRunner {
    runtime: PathBuf,
    config: PathBuf,
}

impl CommandRunner for SessionRunner {
    fn run(&self, program: &str, args: &[String]) -> std::io::Result<CommandOutput> {
        let output = Command::new(program)
            .args(args)
            .env("XDG_RUNTIME_DIR", &self.runtime)
            .env("XDG_CONFIG_HOME", &self.config)
            .env_remove("DBUS_SESSION_BUS_ADDRESS")
            .stdin(Stdio::null())
            .output()?;
        Ok(CommandOutput {
            status: output.status.code(),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        })
    }
}

/// Stops the user manager when the test ends, however it ends.
struct Manager(Child);

impl Drop for Manager {
    fn drop(&mut self) {
        let _ = Command::new("kill").arg(self.0.id().to_string()).status();
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.0.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn why_not() -> Option<String> {
    if !cfg!(target_os = "linux") {
        return Some("not Linux".into());
    }
    if !Path::new(SYSTEMD).exists() {
        return Some(format!("{SYSTEMD} is not installed"));
    }
    let unshare = Command::new("unshare")
        .args(["-m", "--propagation", "private", "true"])
        .stderr(Stdio::null())
        .status();
    match unshare {
        Ok(status) if status.success() => None,
        _ => Some("`unshare -m` is not permitted (needs root)".into()),
    }
}

fn start_manager(runtime: &Path, config: &Path, log: &Path) -> Manager {
    let log = std::fs::File::create(log).unwrap();
    let child = Command::new("unshare")
        .args(["-m", "--propagation", "private", "sh", "-c"])
        .arg(format!(
            "mount -t tmpfs tmpfs /run && mkdir -p /run/systemd/system && exec {SYSTEMD} --user"
        ))
        .env("XDG_RUNTIME_DIR", runtime)
        .env("XDG_CONFIG_HOME", config)
        .env_remove("DBUS_SESSION_BUS_ADDRESS")
        .stdin(Stdio::null())
        .stdout(log.try_clone().unwrap())
        .stderr(log)
        .spawn()
        .unwrap();
    Manager(child)
}

fn wait_for<T>(what: &str, seconds: u64, mut probe: impl FnMut() -> Option<T>) -> T {
    let deadline = Instant::now() + Duration::from_secs(seconds);
    loop {
        if let Some(value) = probe() {
            return value;
        }
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn a_real_user_manager_runs_the_job() {
    if let Some(reason) = why_not() {
        eprintln!("skipped: {reason}");
        return;
    }
    let temp = tempfile::tempdir().unwrap();
    let runtime = temp.path().join("run");
    let config = temp.path().join("config");
    std::fs::create_dir(&runtime).unwrap();
    std::fs::create_dir(&config).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&runtime, std::fs::Permissions::from_mode(0o700)).unwrap();
    }
    let log = temp.path().join("systemd.log");
    let _manager = start_manager(&runtime, &config, &log);
    wait_for("the user manager's socket", 15, || {
        runtime.join("systemd/private").exists().then_some(())
    });

    // A stand-in CLI in a folder with a space, `%` and `$`: it writes its arguments and the
    // environment it got, then exits 2 like a check that found drift.
    let bin = temp.path().join("bin 100% ${HOME}");
    let data = temp.path().join("data 100% \"q\" ${HOME} ü");
    std::fs::create_dir_all(&bin).unwrap();
    std::fs::create_dir_all(&data).unwrap();
    let program = bin.join("fake cli");
    std::fs::write(
        &program,
        "#!/bin/sh\n\
         { printf '%s\\n' \"$@\"; printf 'env=%s\\n' \"$SCIM_COMPANION_DATA_DIR\" \"$SCIM_COMPANION_LOG\"; } \
         > \"$SCIM_COMPANION_DATA_DIR/ran.txt.tmp\"\n\
         mv \"$SCIM_COMPANION_DATA_DIR/ran.txt.tmp\" \"$SCIM_COMPANION_DATA_DIR/ran.txt\"\n\
         exit 2\n",
    )
    .unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&program, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let spec = JobSpec {
        program,
        data_dir: data.clone(),
        every: Duration::from_secs(600),
        ..unix_spec()
    };
    let runner = Arc::new(SessionRunner {
        runtime: runtime.clone(),
        config: config.clone(),
    });
    let jobs = Jobs::new(
        Platform::SystemdUser,
        Layout::under(&config),
        runner.clone(),
    );

    let installed = jobs.install(&spec).unwrap();
    let JobStatus::Installed {
        active,
        every_seconds,
        next_run,
        last_exit,
        ..
    } = installed
    else {
        panic!("installed: {installed:?}")
    };
    assert!(active, "timer active");
    assert_eq!(every_seconds, 600);
    assert_eq!(last_exit, None);
    // The first run is a minute out (give or take AccuracySec).
    let next: chrono::DateTime<chrono::Utc> = next_run.as_deref().unwrap().parse().unwrap();
    let lead = next - chrono::Utc::now();
    assert!(
        lead > chrono::TimeDelta::seconds(30) && lead < chrono::TimeDelta::seconds(150),
        "next run {next} is {lead} away"
    );
    assert_eq!(jobs.installed().unwrap(), [ODD_ID]);

    jobs.run_now(ODD_ID).unwrap();
    let ran = wait_for("the job to run", 30, || {
        std::fs::read_to_string(data.join("ran.txt")).ok()
    });
    let mut expected: Vec<String> = spec.arguments().unwrap();
    expected.push(format!("env={}", data.to_str().unwrap()));
    expected.push("env=info, it's \"100%\" $HOME ${HOME}\\n".into());
    assert_eq!(ran.lines().collect::<Vec<_>>(), expected);

    // Exit 2 counts as success for systemd and reads as drift.
    let status = wait_for("the exit code in the status", 15, || {
        let status = jobs.status(ODD_ID).unwrap();
        matches!(
            status,
            JobStatus::Installed {
                last_exit: Some(_),
                ..
            }
        )
        .then_some(status)
    });
    let JobStatus::Installed {
        last_exit,
        last_outcome,
        last_run,
        ..
    } = status
    else {
        unreachable!()
    };
    assert_eq!((last_exit, last_outcome), (Some(2), Some(Outcome::Drift)));
    let ran_at: chrono::DateTime<chrono::Utc> = last_run.as_deref().unwrap().parse().unwrap();
    assert!(
        (chrono::Utc::now() - ran_at).abs() < chrono::TimeDelta::seconds(60),
        "{ran_at}"
    );
    let service = format!(
        "scim-companion-watch-{}.service",
        names::encode(ODD_ID).unwrap()
    );
    let result = runner
        .run(
            "systemctl",
            &[
                "--user".into(),
                "show".into(),
                service.clone(),
                "-p".into(),
                "Result".into(),
            ],
        )
        .unwrap();
    assert_eq!(result.stdout.trim(), "Result=success");

    jobs.remove(ODD_ID).unwrap();
    assert_eq!(jobs.status(ODD_ID).unwrap(), JobStatus::NotInstalled);
    assert!(jobs.installed().unwrap().is_empty());
    let timer = service.replace(".service", ".timer");
    let gone = runner
        .run(
            "systemctl",
            &[
                "--user".into(),
                "show".into(),
                timer,
                "-p".into(),
                "LoadState".into(),
            ],
        )
        .unwrap();
    assert_eq!(gone.stdout.trim(), "LoadState=not-found");
}
