//! systemd user units: a oneshot service that runs the check and a timer that starts it.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use crate::error::{Error, Result};
use crate::runner::{run_checked, CommandRunner};
use crate::{
    human_interval, read_job_file, remove_file, utc_text, Checked, FileEncoding, JobFile,
    JobStatus, Outcome,
};

const PREFIX: &str = "scim-companion-watch-";
const HINT: &str = "Is a user session manager running (systemctl --user status)? On a server \
                    without a desktop login, use the system unit in packaging/systemd instead";

/// The first check runs this long after the timer starts (on install, and at each login), so
/// the admin sees a result soon without slowing the login itself.
const FIRST_RUN_DELAY: &str = "1min";

pub(crate) fn service_name(name: &str) -> String {
    format!("{PREFIX}{name}.service")
}

pub(crate) fn timer_name(name: &str) -> String {
    format!("{PREFIX}{name}.timer")
}

pub(crate) fn timer_path(dir: &Path, name: &str) -> PathBuf {
    dir.join(timer_name(name))
}

fn service_path(dir: &Path, name: &str) -> PathBuf {
    dir.join(service_name(name))
}

/// The job name in a timer's file name (the timer marks an installed job).
pub(crate) fn name_of(file_name: &str) -> Option<&str> {
    file_name.strip_prefix(PREFIX)?.strip_suffix(".timer")
}

pub(crate) fn files(job: &Checked, dir: &Path) -> Vec<JobFile> {
    let description = specifiers(&format!(
        "SCIM Companion drift check of target {}",
        job.target_id
    ));
    // systemd expands `$VAR` in the arguments but takes the program path as written (checked
    // with systemd-analyze verify).
    let exec_start = std::iter::once(exec_word(job.program, false))
        .chain(job.args.iter().map(|arg| exec_word(arg, true)))
        .collect::<Vec<_>>()
        .join(" ");
    let mut service = format!(
        "# Written by SCIM Companion; change or remove it in the app's Settings. It holds no\n\
         # secret: the check reads tokens from the keychain of the logged-in user.\n\
         [Unit]\n\
         Description={description}\n\
         \n\
         [Service]\n\
         Type=oneshot\n\
         ExecStart={exec_start}\n\
         # 2: the check ran and found drift, so the job did its work.\n\
         SuccessExitStatus=2\n"
    );
    for (key, value) in &job.env {
        service.push_str(&format!("Environment={}\n", env_assignment(key, value)));
    }
    let timer = format!(
        "# Written by SCIM Companion; change or remove it in the app's Settings.\n\
         [Unit]\n\
         Description={description}, every {every}\n\
         \n\
         [Timer]\n\
         OnActiveSec={FIRST_RUN_DELAY}\n\
         OnUnitActiveSec={seconds}s\n\
         AccuracySec=1min\n\
         \n\
         [Install]\n\
         WantedBy=timers.target\n",
        every = human_interval(job.every_seconds),
        seconds = job.every_seconds,
    );
    vec![
        JobFile {
            path: service_path(dir, &job.name),
            contents: service,
            encoding: FileEncoding::Utf8,
        },
        JobFile {
            path: timer_path(dir, &job.name),
            contents: timer,
            encoding: FileEncoding::Utf8,
        },
    ]
}

/// `%` starts a specifier in almost every unit setting.
fn specifiers(text: &str) -> String {
    text.replace('%', "%%")
}

/// One word of `ExecStart=`: specifiers (and `$` variables in an argument) escaped, quoted
/// with C escapes unless it is plain (a lone `;` would even start a second command).
fn exec_word(word: &str, argument: bool) -> String {
    let escaped = specifiers(word);
    let escaped = if argument {
        escaped.replace('$', "$$")
    } else {
        escaped
    };
    let plain = !escaped.is_empty()
        && escaped
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"/._-=:+,@%$".contains(&b));
    if plain {
        escaped
    } else {
        quoted(&escaped)
    }
}

/// `Environment="KEY=value"`: no `$` expansion there, but specifiers and C escapes apply.
fn env_assignment(key: &str, value: &str) -> String {
    quoted(&specifiers(&format!("{key}={value}")))
}

fn quoted(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

fn systemctl(runner: &dyn CommandRunner, args: &[&str]) -> Result<String> {
    let args: Vec<String> = std::iter::once("--user")
        .chain(args.iter().copied())
        .map(str::to_owned)
        .collect();
    Ok(run_checked(runner, "systemctl", &args, HINT)?.stdout)
}

pub(crate) fn register(runner: &dyn CommandRunner, name: &str, replacing: bool) -> Result<()> {
    let timer = timer_name(name);
    systemctl(runner, &["daemon-reload"])?;
    systemctl(runner, &["enable", "--now", &timer])?;
    if replacing {
        // An already running timer keeps its old schedule until restarted.
        systemctl(runner, &["restart", &timer])?;
    }
    Ok(())
}

pub(crate) fn unregister(runner: &dyn CommandRunner, dir: &Path, name: &str) -> Result<()> {
    let timer = timer_path(dir, name);
    let service = service_path(dir, name);
    if !timer.exists() && !service.exists() {
        return Ok(());
    }
    if timer.exists() {
        systemctl(runner, &["disable", "--now", &timer_name(name)])?;
    }
    remove_file(&timer)?;
    remove_file(&service)?;
    systemctl(runner, &["daemon-reload"])?;
    Ok(())
}

pub(crate) fn run_now(runner: &dyn CommandRunner, name: &str) -> Result<()> {
    // --no-block: a oneshot's start waits for the whole check otherwise.
    systemctl(runner, &["start", "--no-block", &service_name(name)])?;
    Ok(())
}

pub(crate) fn status(runner: &dyn CommandRunner, dir: &Path, name: &str) -> Result<JobStatus> {
    let path = timer_path(dir, name);
    let timer_file = read_job_file(&path)?;
    let every_seconds = timer_file
        .lines()
        .find_map(|line| line.strip_prefix("OnUnitActiveSec="))
        .and_then(parse_timespan)
        .map(|interval| interval.as_secs())
        .ok_or_else(|| Error::UnexpectedOutput {
            command: format!("reading {}", path.display()),
            output: timer_file.clone(),
            hint: "The timer was changed by hand; remove the schedule in Settings and add it again",
        })?;
    let timer = systemctl(
        runner,
        &[
            "show",
            &timer_name(name),
            "-p",
            "ActiveState,NextElapseUSecRealtime,NextElapseUSecMonotonic",
        ],
    )?;
    let service = systemctl(
        runner,
        &[
            "show",
            &service_name(name),
            "-p",
            "ExecMainCode,ExecMainStatus,ExecMainExitTimestampMonotonic",
        ],
    )?;
    Ok(parse_status(&timer, &service, every_seconds, Clock::now()))
}

/// Now on the wall clock and on CLOCK_MONOTONIC, which systemd reports timer elapses and exit
/// times in.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Clock {
    pub realtime: SystemTime,
    pub monotonic: Option<Duration>,
}

impl Clock {
    fn now() -> Clock {
        Clock {
            realtime: SystemTime::now(),
            monotonic: monotonic_now(),
        }
    }

    fn to_realtime(self, monotonic: Duration) -> Option<SystemTime> {
        let now = self.monotonic?;
        if monotonic >= now {
            self.realtime.checked_add(monotonic - now)
        } else {
            self.realtime.checked_sub(now - monotonic)
        }
    }
}

#[cfg(target_os = "linux")]
fn monotonic_now() -> Option<Duration> {
    let mut now = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime writes one timespec through a pointer to a live local.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_MONOTONIC, &mut now) };
    if rc != 0 {
        return None;
    }
    Some(Duration::new(
        u64::try_from(now.tv_sec).ok()?,
        u32::try_from(now.tv_nsec).ok()?,
    ))
}

#[cfg(not(target_os = "linux"))]
fn monotonic_now() -> Option<Duration> {
    None
}

/// Reads `systemctl show` of the timer and of the service. Properties that are missing or
/// unreadable (other systemd versions) leave their field empty rather than failing the page.
pub(crate) fn parse_status(
    timer: &str,
    service: &str,
    every_seconds: u64,
    clock: Clock,
) -> JobStatus {
    let timer = properties(timer);
    let service = properties(service);
    let active = timer
        .get("ActiveState")
        .is_some_and(|state| *state == "active");
    let next_run = timer
        .get("NextElapseUSecRealtime")
        .and_then(|text| realtime_text(text))
        .or_else(|| {
            let next = parse_timespan(timer.get("NextElapseUSecMonotonic")?)?;
            (!next.is_zero()).then_some(())?;
            clock.to_realtime(next).map(utc_text)
        });
    let exited_at = service
        .get("ExecMainExitTimestampMonotonic")
        .and_then(|usec| usec.parse::<u64>().ok())
        .filter(|usec| *usec > 0)
        .map(Duration::from_micros);
    // ExecMainCode is a CLD_* code: 1 exited (ExecMainStatus is the exit code), 2 killed and
    // 3 dumped (ExecMainStatus is the signal), 0 never ran.
    let code = service
        .get("ExecMainCode")
        .and_then(|code| code.parse::<i32>().ok());
    let main_status = service
        .get("ExecMainStatus")
        .and_then(|status| status.parse::<i32>().ok());
    let (last_exit, last_outcome) = match code {
        Some(1) => (main_status, main_status.map(Outcome::from_exit)),
        Some(2 | 3) => (None, Some(Outcome::Failed)),
        _ => (None, None),
    };
    let last_run = exited_at.and_then(|at| clock.to_realtime(at)).map(utc_text);
    JobStatus::Installed {
        active,
        every_seconds,
        next_run,
        last_run,
        last_exit,
        last_outcome,
    }
}

fn properties(text: &str) -> HashMap<&str, &str> {
    text.lines()
        .filter_map(|line| line.split_once('='))
        .map(|(key, value)| (key.trim(), value.trim()))
        .collect()
}

/// `Mon 2026-12-07 19:50:00 UTC` as ISO 8601; another zone name is ambiguous, so that text is
/// passed on as systemd wrote it.
fn realtime_text(text: &str) -> Option<String> {
    if text.is_empty() || text == "n/a" || text == "0" {
        return None;
    }
    let mut parts = text.split_whitespace();
    let (_weekday, date, time, zone) = (parts.next()?, parts.next()?, parts.next()?, parts.next());
    if zone == Some("UTC") {
        if let Ok(at) =
            chrono::NaiveDateTime::parse_from_str(&format!("{date} {time}"), "%Y-%m-%d %H:%M:%S")
        {
            return Some(
                at.and_utc()
                    .to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            );
        }
    }
    Some(text.to_owned())
}

/// A systemd time span (`4h`, `14400s`, `3h 16min 20.996480s`, `1w 2d`, a bare number of
/// seconds); `None` for `infinity`, empty or unreadable text.
pub(crate) fn parse_timespan(text: &str) -> Option<Duration> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    let mut total = 0f64;
    let mut rest = text;
    while !rest.is_empty() {
        rest = rest.trim_start();
        let number_len = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        if number_len == 0 {
            return None;
        }
        let number: f64 = rest[..number_len].parse().ok()?;
        rest = rest[number_len..].trim_start();
        let unit_len = rest
            .find(|c: char| !c.is_ascii_alphabetic())
            .unwrap_or(rest.len());
        let seconds_per_unit = match &rest[..unit_len] {
            "" | "s" | "sec" | "second" | "seconds" => 1.0,
            "us" | "usec" | "µs" => 1e-6,
            "ms" | "msec" => 1e-3,
            "m" | "min" | "minute" | "minutes" => 60.0,
            "h" | "hr" | "hour" | "hours" => 3_600.0,
            "d" | "day" | "days" => 86_400.0,
            "w" | "week" | "weeks" => 604_800.0,
            "M" | "month" | "months" => 2_629_800.0,
            "y" | "year" | "years" => 31_557_600.0,
            _ => return None,
        };
        total += number * seconds_per_unit;
        rest = &rest[unit_len..];
    }
    total.is_finite().then(|| Duration::from_secs_f64(total))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exec_words_escape_what_systemd_would_expand_or_split() {
        assert_eq!(
            exec_word("/usr/bin/scim-companion", false),
            "/usr/bin/scim-companion"
        );
        assert_eq!(exec_word("--once", true), "--once");
        assert_eq!(exec_word("/opt/My App/cli", false), "\"/opt/My App/cli\"");
        assert_eq!(exec_word("100%", true), "100%%");
        assert_eq!(exec_word("$HOME", true), "$$HOME");
        assert_eq!(exec_word("/opt/$x/cli", false), "/opt/$x/cli");
        assert_eq!(exec_word("a\"b\\c", true), "\"a\\\"b\\\\c\"");
        assert_eq!(exec_word(";", true), "\";\"");
        assert_eq!(exec_word("", true), "\"\"");
        assert_eq!(exec_word("café", true), "\"café\"");
    }

    #[test]
    fn environment_lines_are_quoted() {
        assert_eq!(env_assignment("A", "x y"), "\"A=x y\"");
        assert_eq!(
            env_assignment("A", "50% \"q\" $B"),
            "\"A=50%% \\\"q\\\" $B\""
        );
    }

    #[test]
    fn timespans_in_systemd_forms() {
        assert_eq!(parse_timespan("14400s"), Some(Duration::from_secs(14_400)));
        assert_eq!(parse_timespan("14400"), Some(Duration::from_secs(14_400)));
        assert_eq!(parse_timespan("4h"), Some(Duration::from_secs(14_400)));
        assert_eq!(parse_timespan("1h 30min"), Some(Duration::from_secs(5_400)));
        assert_eq!(
            parse_timespan("1w 2d"),
            Some(Duration::from_secs(9 * 86_400))
        );
        assert_eq!(
            parse_timespan("3h 16min 20.996480s"),
            Some(Duration::from_micros(11_780_996_480))
        );
        assert_eq!(parse_timespan("500ms"), Some(Duration::from_millis(500)));
        for bad in ["", "infinity", "4 parsecs", "h", "1.2.3s"] {
            assert_eq!(parse_timespan(bad), None, "{bad:?}");
        }
    }

    fn clock() -> Clock {
        // 2026-12-07T16:00:00Z, 3 h after boot.
        Clock {
            realtime: SystemTime::UNIX_EPOCH + Duration::from_secs(1_796_659_200),
            monotonic: Some(Duration::from_secs(3 * 3_600)),
        }
    }

    #[test]
    fn status_of_a_timer_that_ran_with_drift() {
        // The shape systemd 252 prints (seen in this container), with chosen values.
        let timer =
            "ActiveState=active\nNextElapseUSecRealtime=\nNextElapseUSecMonotonic=3h 4min\n";
        let service =
            "ExecMainCode=1\nExecMainStatus=2\nExecMainExitTimestampMonotonic=10500000000\n";
        assert_eq!(
            parse_status(timer, service, 14_400, clock()),
            JobStatus::Installed {
                active: true,
                every_seconds: 14_400,
                next_run: Some("2026-12-07T16:04:00Z".into()),
                last_run: Some("2026-12-07T15:55:00Z".into()),
                last_exit: Some(2),
                last_outcome: Some(Outcome::Drift),
            }
        );
    }

    #[test]
    fn status_before_the_first_run_and_when_stopped() {
        let never = "ExecMainCode=0\nExecMainStatus=0\nExecMainExitTimestampMonotonic=0\n";
        let JobStatus::Installed {
            active,
            next_run,
            last_run,
            last_exit,
            last_outcome,
            ..
        } = parse_status(
            "ActiveState=inactive\nNextElapseUSecMonotonic=infinity\n",
            never,
            300,
            clock(),
        )
        else {
            panic!("installed")
        };
        assert!(!active);
        assert_eq!(
            (next_run, last_run, last_exit, last_outcome),
            (None, None, None, None)
        );
    }

    #[test]
    fn status_of_a_killed_check_and_of_odd_output() {
        let killed =
            "ExecMainCode=2\nExecMainStatus=15\nExecMainExitTimestampMonotonic=10500000000\n";
        let JobStatus::Installed {
            last_exit,
            last_outcome,
            next_run,
            ..
        } = parse_status(
            "ActiveState=active\nNextElapseUSecRealtime=Mon 2026-12-07 20:00:00 UTC\nGarbage\n",
            killed,
            300,
            clock(),
        )
        else {
            panic!("installed")
        };
        assert_eq!((last_exit, last_outcome), (None, Some(Outcome::Failed)));
        assert_eq!(next_run.as_deref(), Some("2026-12-07T20:00:00Z"));
        let JobStatus::Installed {
            next_run, active, ..
        } = parse_status(
            "ActiveState=active\nNextElapseUSecRealtime=Mon 2026-12-07 21:00:00 CET\n",
            "",
            300,
            clock(),
        )
        else {
            panic!("installed")
        };
        assert!(active);
        assert_eq!(next_run.as_deref(), Some("Mon 2026-12-07 21:00:00 CET"));
        assert!(matches!(
            parse_status("", "", 300, clock()),
            JobStatus::Installed { active: false, .. }
        ));
    }
}
