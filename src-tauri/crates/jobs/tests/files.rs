//! The generated job files, per platform, from specs with awkward text: what they say, and that
//! each platform's own parser or validator accepts them.

#![allow(clippy::unwrap_used)]

mod support;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use jobs::{job_files, names, FileEncoding, JobSpec, Layout, Platform};
use quick_xml::events::Event;
use support::{unix_spec, windows_spec, ODD_ID};

fn root() -> PathBuf {
    PathBuf::from("/home/zoë/.config")
}

#[test]
fn systemd_units_escape_quotes_percent_and_dollar() {
    let files = job_files(Platform::SystemdUser, &unix_spec(), &Layout::under(&root())).unwrap();
    let name = names::encode(ODD_ID).unwrap();
    assert_eq!(files.len(), 2);
    let dir = root().join("systemd/user");
    assert_eq!(
        files[0].path,
        dir.join(format!("scim-companion-watch-{name}.service"))
    );
    assert_eq!(
        files[1].path,
        dir.join(format!("scim-companion-watch-{name}.timer"))
    );
    assert!(files.iter().all(|file| file.encoding == FileEncoding::Utf8));
    let expected_service = r#"# Written by SCIM Companion; change or remove it in the app's Settings. It holds no
# secret: the check reads tokens from the keychain of the logged-in user.
[Unit]
Description=SCIM Companion drift check of target Prod "EU" 100%% café/ü ${HOME} <&>

[Service]
Type=oneshot
ExecStart="/opt/SCIM Companion 100%%/bin/scim-companion" watch --once "--target=Prod \"EU\" 100%% café/ü $${HOME} <&>" --notify "--data-dir=/home/zoë/.local/share/SCIM Companion \"x\" $${HOME}"
# 2: the check ran and found drift, so the job did its work.
SuccessExitStatus=2
Environment="SCIM_COMPANION_DATA_DIR=/home/zoë/.local/share/SCIM Companion \"x\" ${HOME}"
Environment="SCIM_COMPANION_LOG=info, it's \"100%%\" $HOME ${HOME}\\n"
"#;
    assert_eq!(files[0].contents, expected_service);
    let expected_timer = r#"# Written by SCIM Companion; change or remove it in the app's Settings.
[Unit]
Description=SCIM Companion drift check of target Prod "EU" 100%% café/ü ${HOME} <&>, every 4 h

[Timer]
OnActiveSec=1min
OnUnitActiveSec=14400s
AccuracySec=1min

[Install]
WantedBy=timers.target
"#;
    assert_eq!(files[1].contents, expected_timer);
}

/// `systemd-analyze verify` loads the units the way the manager does and prints a line for any
/// unknown key, bad quoting, unresolvable specifier or missing program (warnings exit 0, so the
/// output must be empty). It needs the program to exist, so the job points at a copy of
/// `true` in a folder whose name has a space and a `%`. `--user` runs here once
/// XDG_RUNTIME_DIR points at a private folder.
#[test]
fn systemd_units_pass_systemd_analyze_verify() {
    let analyze = Path::new("/usr/bin/systemd-analyze");
    if !analyze.exists() {
        eprintln!("skipped: {} is not installed", analyze.display());
        return;
    }
    let temp = tempfile::tempdir().unwrap();
    let bin = temp.path().join("My App 100% ${HOME}");
    std::fs::create_dir_all(&bin).unwrap();
    let program = bin.join("scim-companion");
    std::fs::copy("/bin/true", &program).unwrap();
    let runtime = temp.path().join("runtime");
    std::fs::create_dir(&runtime).unwrap();
    let spec = JobSpec {
        program,
        data_dir: temp.path().join("data \"dir\" 100%"),
        ..unix_spec()
    };
    let files = job_files(Platform::SystemdUser, &spec, &Layout::under(temp.path())).unwrap();
    std::fs::create_dir_all(files[0].path.parent().unwrap()).unwrap();
    for file in &files {
        std::fs::write(&file.path, file.bytes()).unwrap();
    }
    let output = Command::new(analyze)
        .arg("--user")
        .arg("verify")
        .args(files.iter().map(|file| &file.path))
        .env("XDG_RUNTIME_DIR", &runtime)
        .output()
        .unwrap();
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        output.status.success() && said.is_empty(),
        "{:?}: {said}",
        output.status
    );

    // The same check notices a unit it should not accept.
    let broken = files[0]
        .contents
        .replace("Type=oneshot", "Type=oneshot\nOnSuccessExitStatus=2");
    std::fs::write(&files[0].path, broken).unwrap();
    let output = Command::new(analyze)
        .args(["--user", "verify"])
        .arg(&files[0].path)
        .env("XDG_RUNTIME_DIR", &runtime)
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&output.stderr).contains("Unknown key"));
}

#[test]
fn launchd_plist_parses_and_has_the_keys() {
    let spec = unix_spec();
    let layout = Layout::under(Path::new("/Users/zoë"));
    let files = job_files(Platform::Launchd, &spec, &layout).unwrap();
    assert_eq!(files.len(), 1);
    let file = &files[0];
    let name = names::encode(ODD_ID).unwrap();
    let label = format!("dev.scimcompanion.watch.{name}");
    assert_eq!(
        file.path,
        Path::new("/Users/zoë/LaunchAgents").join(format!("{label}.plist"))
    );
    assert_eq!(file.encoding, FileEncoding::Utf8);

    let value = plist::Value::from_reader_xml(file.contents.as_bytes()).unwrap();
    let dict = value.as_dictionary().unwrap();
    let text = |key: &str| {
        dict.get(key)
            .and_then(plist::Value::as_string)
            .unwrap()
            .to_owned()
    };
    assert_eq!(text("Label"), label);
    let arguments: Vec<&str> = dict
        .get("ProgramArguments")
        .and_then(plist::Value::as_array)
        .unwrap()
        .iter()
        .map(|arg| arg.as_string().unwrap())
        .collect();
    let mut expected = vec![spec.program.to_str().unwrap().to_owned()];
    expected.extend(spec.arguments().unwrap());
    assert_eq!(arguments, expected);
    assert_eq!(arguments[3], "--target=Prod \"EU\" 100% café/ü ${HOME} <&>");
    let env: BTreeMap<&str, &str> = dict
        .get("EnvironmentVariables")
        .and_then(plist::Value::as_dictionary)
        .unwrap()
        .iter()
        .map(|(key, value)| (key.as_str(), value.as_string().unwrap()))
        .collect();
    assert_eq!(
        env,
        BTreeMap::from([
            (
                "SCIM_COMPANION_DATA_DIR",
                "/home/zoë/.local/share/SCIM Companion \"x\" ${HOME}"
            ),
            ("SCIM_COMPANION_LOG", "info, it's \"100%\" $HOME ${HOME}\\n"),
        ])
    );
    assert_eq!(
        dict.get("StartInterval")
            .and_then(plist::Value::as_unsigned_integer),
        Some(14_400)
    );
    assert_eq!(
        dict.get("RunAtLoad").and_then(plist::Value::as_boolean),
        Some(false)
    );
    for key in ["StandardOutPath", "StandardErrorPath"] {
        let path = text(key);
        assert!(
            path.starts_with("/home/zoë/.local/share/SCIM Companion \"x\" ${HOME}/watch-"),
            "{path}"
        );
    }
    assert_ne!(text("StandardOutPath"), text("StandardErrorPath"));
}

/// Element paths (`Task/Settings/Enabled`) and their text, from quick-xml.
fn xml_texts(xml: &str) -> BTreeMap<String, String> {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut path: Vec<String> = Vec::new();
    let mut texts = BTreeMap::new();
    loop {
        match reader.read_event().unwrap() {
            Event::Start(start) => {
                path.push(String::from_utf8(start.local_name().as_ref().to_vec()).unwrap());
            }
            Event::End(_) => {
                path.pop();
            }
            Event::Text(text) => {
                let text = text.unescape().unwrap();
                if !text.trim().is_empty() {
                    texts.insert(path.join("/"), text.into_owned());
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    texts
}

/// Splits a command line the way the Windows C runtime does (for checking, not for use).
fn windows_split(line: &str) -> Vec<String> {
    let mut args = Vec::new();
    let mut chars = line.chars().peekable();
    loop {
        while chars.peek() == Some(&' ') {
            chars.next();
        }
        if chars.peek().is_none() {
            return args;
        }
        let mut arg = String::new();
        let mut quoted = false;
        while let Some(&c) = chars.peek() {
            if c == ' ' && !quoted {
                break;
            }
            chars.next();
            match c {
                '\\' => {
                    let mut count = 1;
                    while chars.peek() == Some(&'\\') {
                        chars.next();
                        count += 1;
                    }
                    if chars.peek() == Some(&'"') {
                        arg.push_str(&"\\".repeat(count / 2));
                        if count % 2 == 1 {
                            arg.push('"');
                            chars.next();
                        }
                    } else {
                        arg.push_str(&"\\".repeat(count));
                    }
                }
                '"' => quoted = !quoted,
                _ => arg.push(c),
            }
        }
        args.push(arg);
    }
}

#[test]
fn task_xml_parses_and_has_the_elements() {
    let spec = windows_spec();
    let layout = Layout::under(Path::new(r"C:\Users\Zoë\AppData\Local\SCIM Companion"));
    let files = job_files(Platform::TaskScheduler, &spec, &layout).unwrap();
    assert_eq!(files.len(), 1);
    let file = &files[0];
    let name = names::encode(&spec.target_id).unwrap();
    assert!(
        file.path.ends_with(format!("watch-{name}.xml")),
        "{:?}",
        file.path
    );
    assert_eq!(file.encoding, FileEncoding::Utf16Le);
    assert!(file
        .contents
        .starts_with("<?xml version=\"1.0\" encoding=\"UTF-16\"?>"));

    let texts = xml_texts(&file.contents);
    let get = |path: &str| {
        texts
            .get(path)
            .map(String::as_str)
            .unwrap_or_else(|| panic!("{path} in {texts:#?}"))
    };
    assert!(get("Task/RegistrationInfo/Description")
        .contains("Prod \"EU\" 100% café/ü <&>, every 1 h 30 min"));
    assert_eq!(
        get("Task/RegistrationInfo/URI"),
        format!("\\SCIM Companion\\Watch {name}")
    );
    assert_eq!(
        get("Task/Triggers/TimeTrigger/Repetition/Interval"),
        "PT1H30M"
    );
    let start = chrono::NaiveDateTime::parse_from_str(
        get("Task/Triggers/TimeTrigger/StartBoundary"),
        "%Y-%m-%dT%H:%M:%S",
    )
    .unwrap();
    let lead = start - chrono::Local::now().naive_local();
    assert!(
        lead > chrono::TimeDelta::zero() && lead <= chrono::TimeDelta::minutes(1),
        "{lead}"
    );
    assert_eq!(
        get("Task/Principals/Principal/LogonType"),
        "InteractiveToken"
    );
    assert_eq!(get("Task/Settings/MultipleInstancesPolicy"), "IgnoreNew");
    assert_eq!(get("Task/Settings/DisallowStartIfOnBatteries"), "false");
    assert_eq!(get("Task/Settings/StopIfGoingOnBatteries"), "false");
    assert_eq!(get("Task/Settings/ExecutionTimeLimit"), "PT2H");
    assert_eq!(get("Task/Settings/Enabled"), "true");
    assert_eq!(
        get("Task/Actions/Exec/Command"),
        r#""C:\Program Files\SCIM Companion\scim-companion.exe""#
    );
    let arguments = get("Task/Actions/Exec/Arguments");
    assert_eq!(
        arguments,
        r#"watch --once "--target=Prod \"EU\" 100% café/ü <&>" --notify "--data-dir=C:\Users\Zoë O'Brien\AppData\Roaming\SCIM Companion 100%\\""#
    );
    assert_eq!(windows_split(arguments), spec.arguments().unwrap());
}

/// Validates the task XML, as written to disk (UTF-16), against Microsoft's published Task
/// Scheduler schema (tests/fixtures/task-scheduler.xsd) with xmllint.
#[test]
fn task_xml_is_valid_against_the_task_scheduler_schema() {
    if Command::new("xmllint").arg("--version").output().is_err() {
        eprintln!("skipped: xmllint is not installed (Debian: libxml2-utils)");
        return;
    }
    let schema = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/task-scheduler.xsd");
    let temp = tempfile::tempdir().unwrap();
    let files = job_files(
        Platform::TaskScheduler,
        &windows_spec(),
        &Layout::under(temp.path()),
    )
    .unwrap();
    let xml = temp.path().join("task.xml");
    std::fs::write(&xml, files[0].bytes()).unwrap();
    let validate = |path: &Path| {
        Command::new("xmllint")
            .arg("--noout")
            .arg("--schema")
            .arg(&schema)
            .arg(path)
            .output()
            .unwrap()
    };
    let output = validate(&xml);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );

    // The schema is strict enough to notice a trigger's children out of order.
    let swapped = files[0].contents.replacen(
        "<Enabled>true</Enabled>\n      <StartBoundary>",
        "<StartBoundary>",
        1,
    );
    let swapped = swapped.replacen(
        "</StartBoundary>",
        "</StartBoundary>\n      <Enabled>true</Enabled>",
        1,
    );
    let bad = jobs::JobFile {
        path: temp.path().join("bad.xml"),
        contents: swapped,
        encoding: FileEncoding::Utf16Le,
    };
    std::fs::write(&bad.path, bad.bytes()).unwrap();
    assert!(!validate(&bad.path).status.success());
}

#[test]
fn windows_refuses_environment_and_variable_like_percent_pairs() {
    let layout = Layout::under(Path::new(r"C:\x"));
    let with_env = JobSpec {
        extra_env: vec![("SCIM_COMPANION_LOG".into(), "debug".into())],
        ..windows_spec()
    };
    let error = job_files(Platform::TaskScheduler, &with_env, &layout).unwrap_err();
    assert!(error.to_string().contains("SCIM_COMPANION_LOG"), "{error}");
    let expanding = JobSpec {
        target_id: "eu%USERPROFILE%".into(),
        ..windows_spec()
    };
    let error = job_files(Platform::TaskScheduler, &expanding, &layout).unwrap_err();
    assert!(error.to_string().contains("%USERPROFILE%"), "{error}");
    // The same spec is fine where nothing expands it.
    let unix = JobSpec {
        target_id: "eu%USERPROFILE%".into(),
        ..unix_spec()
    };
    assert!(job_files(Platform::SystemdUser, &unix, &layout).is_ok());
}
