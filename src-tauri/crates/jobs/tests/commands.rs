//! The exact scheduler commands install, remove, status and run-now send on each platform,
//! with a recording runner, and `installed()` reading target ids back from the files.

#![allow(clippy::unwrap_used)]

mod support;

use std::sync::Arc;

use jobs::{names, Error, JobSpec, JobStatus, Jobs, Layout, Outcome, Platform};
use support::{call, unix_spec, windows_spec, Recorder, ODD_ID};

fn jobs(platform: Platform) -> (tempfile::TempDir, Arc<Recorder>, Jobs) {
    let temp = tempfile::tempdir().unwrap();
    let recorder = Arc::new(Recorder::default());
    let jobs = Jobs::new(platform, Layout::under(temp.path()), recorder.clone());
    (temp, recorder, jobs)
}

#[test]
fn systemd_install_replace_status_run_and_remove() {
    let (temp, recorder, jobs) = jobs(Platform::SystemdUser);
    let name = names::encode(ODD_ID).unwrap();
    let timer = format!("scim-companion-watch-{name}.timer");
    let service = format!("scim-companion-watch-{name}.service");
    let timer_show = [
        "systemctl",
        "--user",
        "show",
        &timer,
        "-p",
        "ActiveState,NextElapseUSecRealtime,NextElapseUSecMonotonic",
    ];
    let service_show = [
        "systemctl",
        "--user",
        "show",
        &service,
        "-p",
        "ExecMainCode,ExecMainStatus,ExecMainExitTimestampMonotonic",
    ];

    recorder.answer(
        "systemctl --user show scim",
        0,
        "ActiveState=active\nNextElapseUSecRealtime=Mon 2026-12-07 20:00:00 UTC\n",
        "",
    );
    recorder.answer(
        "systemctl --user show scim",
        0,
        "ExecMainCode=0\nExecMainStatus=0\n",
        "",
    );
    let status = jobs.install(&unix_spec()).unwrap();
    assert_eq!(
        recorder.take(),
        [
            call(&["systemctl", "--user", "daemon-reload"]),
            call(&["systemctl", "--user", "enable", "--now", &timer]),
            call(&timer_show),
            call(&service_show),
        ]
    );
    assert_eq!(
        status,
        JobStatus::Installed {
            active: true,
            every_seconds: 14_400,
            next_run: Some("2026-12-07T20:00:00Z".into()),
            last_run: None,
            last_exit: None,
            last_outcome: None,
        }
    );
    let unit_dir = temp.path().join("systemd/user");
    assert!(unit_dir.join(&timer).is_file() && unit_dir.join(&service).is_file());

    // Installing again replaces the files and restarts the timer so the new interval counts.
    let faster = JobSpec {
        every: std::time::Duration::from_secs(3600),
        ..unix_spec()
    };
    let status = jobs.install(&faster).unwrap();
    assert_eq!(
        recorder.take()[..3],
        [
            call(&["systemctl", "--user", "daemon-reload"]),
            call(&["systemctl", "--user", "enable", "--now", &timer]),
            call(&["systemctl", "--user", "restart", &timer]),
        ]
    );
    assert!(matches!(
        status,
        JobStatus::Installed {
            every_seconds: 3600,
            ..
        }
    ));

    jobs.run_now(ODD_ID).unwrap();
    assert_eq!(
        recorder.take(),
        [call(&[
            "systemctl",
            "--user",
            "start",
            "--no-block",
            &service
        ])]
    );

    jobs.remove(ODD_ID).unwrap();
    assert_eq!(
        recorder.take(),
        [
            call(&["systemctl", "--user", "disable", "--now", &timer]),
            call(&["systemctl", "--user", "daemon-reload"]),
        ]
    );
    assert!(!unit_dir.join(&timer).exists() && !unit_dir.join(&service).exists());

    // Gone is gone: no command, no error.
    jobs.remove(ODD_ID).unwrap();
    assert_eq!(jobs.status(ODD_ID).unwrap(), JobStatus::NotInstalled);
    assert!(recorder.take().is_empty());
}

#[test]
fn systemd_failure_says_what_to_do() {
    let (_temp, recorder, jobs) = jobs(Platform::SystemdUser);
    recorder.answer(
        "systemctl --user daemon-reload",
        1,
        "",
        "Failed to connect to bus: No medium found\n",
    );
    let error = jobs.install(&unix_spec()).unwrap_err();
    assert!(matches!(error, Error::Command { .. }), "{error}");
    let message = error.to_string();
    assert!(
        message.starts_with(
            "systemctl --user daemon-reload failed (exit 1): Failed to connect to bus"
        ),
        "{message}"
    );
    assert!(
        message.contains("Is a user session manager running"),
        "{message}"
    );
    assert!(message.contains("packaging/systemd"), "{message}");
    // A job the scheduler refused leaves no files behind.
    assert!(jobs.installed().unwrap().is_empty());
    assert_eq!(jobs.status(ODD_ID).unwrap(), JobStatus::NotInstalled);
}

#[test]
fn launchd_install_status_run_and_remove() {
    let (temp, recorder, jobs) = jobs(Platform::Launchd);
    let name = names::encode(ODD_ID).unwrap();
    let label = format!("dev.scimcompanion.watch.{name}");
    let plist = temp
        .path()
        .join("LaunchAgents")
        .join(format!("{label}.plist"));
    let target = format!("gui/501/{label}");

    recorder.answer("id -u", 0, "501\n", "");
    // Nothing loaded yet: bootout fails, which install ignores.
    recorder.answer(
        "launchctl bootout",
        3,
        "",
        "Boot-out failed: 3: No such process\n",
    );
    recorder.answer("id -u", 0, "501\n", "");
    recorder.answer(
        "launchctl print",
        0,
        "\tstate = not running\n\truns = 0\n\tlast exit code = (never exited)\n",
        "",
    );
    let status = jobs.install(&unix_spec()).unwrap();
    assert_eq!(
        recorder.take(),
        [
            call(&["id", "-u"]),
            call(&["launchctl", "bootout", &target]),
            call(&["launchctl", "bootstrap", "gui/501", plist.to_str().unwrap()]),
            call(&["id", "-u"]),
            call(&["launchctl", "print", &target]),
        ]
    );
    assert!(plist.is_file());
    assert!(matches!(
        status,
        JobStatus::Installed {
            active: true,
            every_seconds: 14_400,
            last_exit: None,
            ..
        }
    ));

    recorder.answer("id -u", 0, "501\n", "");
    recorder.answer(
        "launchctl print",
        0,
        "\truns = 1\n\tlast exit code = 1\n",
        "",
    );
    assert!(matches!(
        jobs.status(ODD_ID).unwrap(),
        JobStatus::Installed {
            last_exit: Some(1),
            last_outcome: Some(Outcome::Failed),
            ..
        }
    ));
    recorder.take();

    recorder.answer("id -u", 0, "501\n", "");
    jobs.run_now(ODD_ID).unwrap();
    assert_eq!(
        recorder.take(),
        [
            call(&["id", "-u"]),
            call(&["launchctl", "kickstart", &target])
        ]
    );

    recorder.answer("id -u", 0, "501\n", "");
    jobs.remove(ODD_ID).unwrap();
    assert_eq!(
        recorder.take(),
        [
            call(&["id", "-u"]),
            call(&["launchctl", "bootout", &target])
        ]
    );
    assert!(!plist.exists());
    jobs.remove(ODD_ID).unwrap();
    assert!(recorder.take().is_empty());
}

#[test]
fn launchd_bootstrap_failure_is_an_error() {
    let (_temp, recorder, jobs) = jobs(Platform::Launchd);
    recorder.answer("id -u", 0, "501\n", "");
    recorder.answer(
        "launchctl bootstrap",
        5,
        "",
        "Bootstrap failed: 5: Input/output error\n",
    );
    let error = jobs.install(&unix_spec()).unwrap_err().to_string();
    assert!(error.contains("Bootstrap failed: 5"), "{error}");
    assert!(error.contains("log in to the Mac's desktop"), "{error}");
}

#[test]
fn task_scheduler_install_status_run_and_remove() {
    let (temp, recorder, jobs) = jobs(Platform::TaskScheduler);
    let spec = windows_spec();
    let name = names::encode(&spec.target_id).unwrap();
    let task = format!("\\SCIM Companion\\Watch {name}");
    let xml = temp.path().join("jobs").join(format!("watch-{name}.xml"));

    recorder.answer(
        "schtasks /Query",
        0,
        "<Task><Settings><Enabled>true</Enabled></Settings></Task>",
        "",
    );
    recorder.answer(
        "schtasks /Query",
        0,
        "\"PC\",\"\\SCIM Companion\\Watch x\",\"12/7/2026 5:31:00 PM\",\"Ready\",\"Interactive only\",\"11/30/1999 12:00:00 AM\",\"267011\",\"SCIM Companion\"\r\n",
        "",
    );
    let status = jobs.install(&spec).unwrap();
    assert_eq!(
        recorder.take(),
        [
            call(&[
                "schtasks",
                "/Create",
                "/F",
                "/TN",
                &task,
                "/XML",
                xml.to_str().unwrap()
            ]),
            call(&["schtasks", "/Query", "/TN", &task, "/XML"]),
            call(&["schtasks", "/Query", "/TN", &task, "/FO", "CSV", "/NH", "/V"]),
        ]
    );
    assert_eq!(
        status,
        JobStatus::Installed {
            active: true,
            every_seconds: 5_400,
            next_run: Some("12/7/2026 5:31:00 PM".into()),
            last_run: None,
            last_exit: None,
            last_outcome: None,
        }
    );
    // On disk in UTF-16 with a byte-order mark, for schtasks.
    assert_eq!(&std::fs::read(&xml).unwrap()[..2], &[0xFF, 0xFE]);

    jobs.run_now(&spec.target_id).unwrap();
    assert_eq!(recorder.take(), [call(&["schtasks", "/Run", "/TN", &task])]);

    jobs.remove(&spec.target_id).unwrap();
    assert_eq!(
        recorder.take(),
        [call(&["schtasks", "/Delete", "/F", "/TN", &task])]
    );
    assert!(!xml.exists());
}

#[test]
fn task_scheduler_remove_tells_missing_from_refused() {
    let (_temp, recorder, jobs) = jobs(Platform::TaskScheduler);
    let name = names::encode("gone").unwrap();
    let task = format!("\\SCIM Companion\\Watch {name}");
    // Not there: both delete and query fail, which is fine.
    recorder.answer(
        "schtasks /Delete",
        1,
        "",
        "ERROR: The system cannot find the file specified.\r\n",
    );
    recorder.answer(
        "schtasks /Query",
        1,
        "",
        "ERROR: The system cannot find the file specified.\r\n",
    );
    jobs.remove("gone").unwrap();
    assert_eq!(
        recorder.take(),
        [
            call(&["schtasks", "/Delete", "/F", "/TN", &task]),
            call(&["schtasks", "/Query", "/TN", &task]),
        ]
    );
    // There but refused: an error that says so.
    recorder.answer("schtasks /Delete", 1, "", "ERROR: Access is denied.\r\n");
    let error = jobs.remove("gone").unwrap_err().to_string();
    assert!(
        error.contains("Access is denied") && error.contains("Task Scheduler service"),
        "{error}"
    );
}

#[test]
fn status_of_files_without_a_registered_job() {
    let (_temp, recorder, jobs) = jobs(Platform::TaskScheduler);
    jobs.install(&windows_spec()).unwrap();
    recorder.take();
    recorder.answer(
        "schtasks /Query",
        1,
        "",
        "ERROR: The system cannot find the file specified.\r\n",
    );
    assert!(matches!(
        jobs.status(&windows_spec().target_id).unwrap(),
        JobStatus::Installed {
            active: false,
            every_seconds: 5_400,
            last_exit: None,
            ..
        }
    ));
}

#[test]
fn installed_reads_the_target_ids_back() {
    let ids = [
        "aws-prod",
        "AWS prod",
        "aws_prod",
        "Prod \"EU\" 100% café/ü",
        "東京",
    ];
    for platform in [
        Platform::SystemdUser,
        Platform::Launchd,
        Platform::TaskScheduler,
    ] {
        let (temp, recorder, jobs) = jobs(platform);
        assert!(
            jobs.installed().unwrap().is_empty(),
            "{platform:?}: no folder yet"
        );
        for id in ids {
            recorder.answer("id -u", 0, "501\n", "");
            recorder.answer("id -u", 0, "501\n", "");
            let spec = match platform {
                Platform::TaskScheduler => windows_spec(),
                _ => unix_spec(),
            };
            jobs.install(&JobSpec {
                target_id: id.into(),
                ..spec
            })
            .unwrap();
        }
        // Files this crate did not write are not jobs.
        let dir = Layout::under(temp.path()).dir(platform).unwrap().to_owned();
        for foreign in [
            "scim-companion-watch-AWS.timer",
            "scim-companion-watch-_61.timer",
            "dev.scimcompanion.watch.a.b.plist",
            "watch-.xml",
            "other.plist",
        ] {
            std::fs::write(dir.join(foreign), "").unwrap();
        }
        let mut expected: Vec<String> = ids.iter().map(|id| (*id).to_owned()).collect();
        expected.sort();
        assert_eq!(jobs.installed().unwrap(), expected, "{platform:?}");

        recorder.answer("id -u", 0, "501\n", "");
        jobs.remove("AWS prod").unwrap();
        expected.retain(|id| id != "AWS prod");
        assert_eq!(jobs.installed().unwrap(), expected, "{platform:?}");
    }
}
