//! Windows Task Scheduler: one task per job, `\SCIM Companion\Watch <name>`, registered from
//! an XML definition (Task Scheduler schema 1.3) with `schtasks /Create /XML`.
//!
//! A task cannot set environment variables, so the data folder travels as `--data-dir` (which
//! every platform passes) and [`crate::JobSpec::extra_env`] is refused here.

use std::path::{Path, PathBuf};

use chrono::NaiveDateTime;
use quick_xml::escape::escape;

use crate::error::{Error, Result};
use crate::runner::{run, run_checked, CommandRunner};
use crate::{
    human_interval, read_job_file, remove_file, Checked, FileEncoding, JobFile, JobStatus, Outcome,
};

const HINT: &str = "Check that the Task Scheduler service is running and that your account may \
                    create tasks (a group policy can forbid it)";

/// Task Scheduler's limit for an action's command (the schema's `pathType`).
const MAX_COMMAND: usize = 260;

/// The first check runs this long after the task is registered.
pub(crate) const FIRST_RUN_DELAY: chrono::TimeDelta = chrono::TimeDelta::minutes(1);

/// `Last Result` codes that are states, not exit codes: SCHED_S_TASK_RUNNING and
/// SCHED_S_TASK_HAS_NOT_RUN.
const STILL_RUNNING: i64 = 0x41301;
const NEVER_RAN: i64 = 0x41303;

fn task_name(name: &str) -> String {
    format!("\\SCIM Companion\\Watch {name}")
}

pub(crate) fn xml_path(dir: &Path, name: &str) -> PathBuf {
    dir.join(format!("watch-{name}.xml"))
}

pub(crate) fn name_of(file_name: &str) -> Option<&str> {
    file_name.strip_prefix("watch-")?.strip_suffix(".xml")
}

/// The task definition; `start` (local time) is when the first check runs, the interval
/// counts from there.
pub(crate) fn file(job: &Checked, dir: &Path, start: NaiveDateTime) -> Result<JobFile> {
    if job.has_extra_env() {
        let names: Vec<&str> = job.env.iter().skip(1).map(|(key, _)| *key).collect();
        return Err(Error::EnvNotSupported {
            platform: crate::Platform::TaskScheduler.label(),
            names: names.join(", "),
        });
    }
    if job.program.chars().count() > MAX_COMMAND {
        return Err(Error::PathTooLong {
            what: "the program",
            path: job.program.into(),
            max: MAX_COMMAND,
        });
    }
    no_expansion("the program path", job.program)?;
    no_expansion("the target id", job.target_id)?;
    no_expansion("the data folder", job.data_dir)?;
    // Quoted when it has a space, as Task Scheduler's own dialog stores it.
    let command = if job.program.contains(' ') {
        format!("\"{}\"", job.program)
    } else {
        job.program.to_owned()
    };
    let arguments = job
        .args
        .iter()
        .map(|arg| quote_arg(arg))
        .collect::<Vec<_>>()
        .join(" ");
    let description = format!(
        "SCIM Companion drift check of target {}, every {}. Written by SCIM Companion; change or \
         remove it in the app's Settings. It holds no secret: the check reads tokens from the \
         Credential Manager of the logged-in user.",
        job.target_id,
        human_interval(job.every_seconds)
    );
    // Element order follows the schema: the trigger's children are a sequence.
    let xml = format!(
        r#"<?xml version="1.0" encoding="UTF-16"?>
<Task version="1.3" xmlns="http://schemas.microsoft.com/windows/2004/02/mit/task">
  <RegistrationInfo>
    <Author>SCIM Companion</Author>
    <Description>{description}</Description>
    <URI>{uri}</URI>
  </RegistrationInfo>
  <Triggers>
    <TimeTrigger>
      <Enabled>true</Enabled>
      <StartBoundary>{start}</StartBoundary>
      <Repetition>
        <Interval>{interval}</Interval>
        <StopAtDurationEnd>false</StopAtDurationEnd>
      </Repetition>
    </TimeTrigger>
  </Triggers>
  <Principals>
    <Principal id="Author">
      <LogonType>InteractiveToken</LogonType>
      <RunLevel>LeastPrivilege</RunLevel>
    </Principal>
  </Principals>
  <Settings>
    <MultipleInstancesPolicy>IgnoreNew</MultipleInstancesPolicy>
    <DisallowStartIfOnBatteries>false</DisallowStartIfOnBatteries>
    <StopIfGoingOnBatteries>false</StopIfGoingOnBatteries>
    <StartWhenAvailable>true</StartWhenAvailable>
    <AllowStartOnDemand>true</AllowStartOnDemand>
    <ExecutionTimeLimit>PT2H</ExecutionTimeLimit>
    <Enabled>true</Enabled>
    <Hidden>false</Hidden>
  </Settings>
  <Actions Context="Author">
    <Exec>
      <Command>{command}</Command>
      <Arguments>{arguments}</Arguments>
    </Exec>
  </Actions>
</Task>
"#,
        description = escape(&description),
        uri = escape(task_name(&job.name)),
        start = start.format("%Y-%m-%dT%H:%M:%S"),
        interval = iso_duration(job.every_seconds),
        command = escape(&command),
        arguments = escape(&arguments),
    );
    Ok(JobFile {
        path: xml_path(dir, &job.name),
        contents: xml,
        encoding: FileEncoding::Utf16Le,
    })
}

/// Task Scheduler expands `%NAME%` in an action's command and arguments, with no escape; a
/// value that holds such a pair would change meaning, so it is refused.
fn no_expansion(what: &'static str, value: &str) -> Result<()> {
    let mut pieces = value.split('%');
    pieces.next();
    // Every piece between two `%` (odd positions in the rest) could be a variable name.
    let rest: Vec<&str> = pieces.collect();
    for (index, piece) in rest.iter().enumerate() {
        let closed = index + 1 < rest.len();
        let name_like = !piece.is_empty()
            && piece
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '(' | ')'));
        if closed && name_like {
            return Err(Error::EnvExpansion {
                what,
                value: value.to_owned(),
                var: (*piece).to_owned(),
            });
        }
    }
    Ok(())
}

/// One argument quoted for the Windows C runtime's command-line parser (what Rust's
/// `std::env::args` reads too): quotes only when needed; backslashes double only before a
/// quote.
pub(crate) fn quote_arg(arg: &str) -> String {
    if !arg.is_empty() && !arg.contains([' ', '\t', '"']) {
        return arg.to_owned();
    }
    let mut quoted = String::from("\"");
    let mut backslashes = 0;
    for c in arg.chars() {
        match c {
            '\\' => backslashes += 1,
            '"' => {
                quoted.push_str(&"\\".repeat(backslashes * 2 + 1));
                quoted.push('"');
                backslashes = 0;
            }
            _ => {
                quoted.push_str(&"\\".repeat(backslashes));
                quoted.push(c);
                backslashes = 0;
            }
        }
    }
    quoted.push_str(&"\\".repeat(backslashes * 2));
    quoted.push('"');
    quoted
}

/// An ISO 8601 duration: `PT4H`, `PT1H30M`, `P1DT2H`, `PT5M`.
pub(crate) fn iso_duration(seconds: u64) -> String {
    let (days, rest) = (seconds / 86_400, seconds % 86_400);
    let (hours, minutes, secs) = (rest / 3_600, rest % 3_600 / 60, rest % 60);
    let mut text = String::from("P");
    if days > 0 {
        text.push_str(&format!("{days}D"));
    }
    if rest > 0 || days == 0 {
        text.push('T');
        for (value, unit) in [(hours, 'H'), (minutes, 'M'), (secs, 'S')] {
            if value > 0 {
                text.push_str(&format!("{value}{unit}"));
            }
        }
        if rest == 0 {
            text.push_str("0S");
        }
    }
    text
}

/// Reads back what [`iso_duration`] wrote (days, hours, minutes, seconds).
fn parse_iso_duration(text: &str) -> Option<u64> {
    let body = text.trim().strip_prefix('P')?;
    let (date, time) = body.split_once('T').unwrap_or((body, ""));
    let mut total = 0u64;
    let mut number = String::new();
    for (part, units) in [
        (date, [('D', 86_400)].as_slice()),
        (time, [('H', 3_600), ('M', 60), ('S', 1)].as_slice()),
    ] {
        for c in part.chars() {
            if c.is_ascii_digit() {
                number.push(c);
                continue;
            }
            let size = units.iter().find(|(unit, _)| *unit == c)?.1;
            total += number.parse::<u64>().ok()? * size;
            number.clear();
        }
        if !number.is_empty() {
            return None;
        }
    }
    Some(total)
}

fn schtasks(args: &[&str]) -> Vec<String> {
    args.iter().map(|arg| (*arg).to_owned()).collect()
}

pub(crate) fn register(runner: &dyn CommandRunner, dir: &Path, name: &str) -> Result<()> {
    let xml = xml_path(dir, name).to_string_lossy().into_owned();
    let task = task_name(name);
    let args = schtasks(&["/Create", "/F", "/TN", &task, "/XML", &xml]);
    run_checked(runner, "schtasks", &args, HINT)?;
    Ok(())
}

pub(crate) fn unregister(runner: &dyn CommandRunner, dir: &Path, name: &str) -> Result<()> {
    let task = task_name(name);
    let delete = schtasks(&["/Delete", "/F", "/TN", &task]);
    let deleted = run(runner, "schtasks", &delete, HINT)?;
    if !deleted.success() {
        // schtasks words "no such task" in the user's language; ask again to tell it apart
        // from a refusal.
        let query = schtasks(&["/Query", "/TN", &task]);
        if run(runner, "schtasks", &query, HINT)?.success() {
            return Err(crate::runner::failed("schtasks", &delete, &deleted, HINT));
        }
    }
    remove_file(&xml_path(dir, name))
}

pub(crate) fn run_now(runner: &dyn CommandRunner, name: &str) -> Result<()> {
    run_checked(
        runner,
        "schtasks",
        &schtasks(&["/Run", "/TN", &task_name(name)]),
        HINT,
    )?;
    Ok(())
}

pub(crate) fn status(runner: &dyn CommandRunner, dir: &Path, name: &str) -> Result<JobStatus> {
    let path = xml_path(dir, name);
    let definition = read_job_file(&path)?;
    let every_seconds = definition
        .split_once("<Interval>")
        .and_then(|(_, rest)| rest.split_once("</Interval>"))
        .and_then(|(interval, _)| parse_iso_duration(interval))
        .ok_or_else(|| Error::UnexpectedOutput {
            command: format!("reading {}", path.display()),
            output: definition.clone(),
            hint: "The task file was changed by hand; remove the schedule in Settings and add it again",
        })?;
    let task = task_name(name);
    let registered = run(
        runner,
        "schtasks",
        &schtasks(&["/Query", "/TN", &task, "/XML"]),
        HINT,
    )?;
    if !registered.success() {
        // The file is there but the task is not (deleted in Task Scheduler by hand).
        return Ok(parse_status(None, "", every_seconds));
    }
    let list = run_checked(
        runner,
        "schtasks",
        &schtasks(&["/Query", "/TN", &task, "/FO", "CSV", "/NH", "/V"]),
        HINT,
    )?;
    Ok(parse_status(
        Some(&registered.stdout),
        &list.stdout,
        every_seconds,
    ))
}

/// Reads `schtasks /Query /XML` (whether the task is enabled) and `/FO CSV /NH /V` (times and
/// last result). The CSV columns are read by position because their headings are translated;
/// the times stay in the user's locale as schtasks prints them.
pub(crate) fn parse_status(definition: Option<&str>, csv: &str, every_seconds: u64) -> JobStatus {
    let Some(definition) = definition else {
        return JobStatus::Installed {
            active: false,
            every_seconds,
            next_run: None,
            last_run: None,
            last_exit: None,
            last_outcome: None,
        };
    };
    let settings = definition
        .split_once("<Settings>")
        .and_then(|(_, rest)| rest.split_once("</Settings>"))
        .map_or("", |(settings, _)| settings);
    let active = !settings.contains("<Enabled>false</Enabled>");
    let row = csv
        .lines()
        .find(|line| !line.trim().is_empty())
        .map(csv_fields)
        .unwrap_or_default();
    let field = |index: usize| row.get(index).map(|text| text.trim()).unwrap_or("");
    // HostName, TaskName, Next Run Time, Status, Logon Mode, Last Run Time, Last Result, …
    let time = |text: &str| {
        // "N/A", "Disabled" and their translations have no digit; 1999-11-30 means never.
        (text.chars().any(|c| c.is_ascii_digit()) && !text.contains("1999"))
            .then(|| text.to_owned())
    };
    let next_run = time(field(2));
    let last_run = time(field(5));
    let last_exit = field(6)
        .parse::<i64>()
        .ok()
        .filter(|code| *code != NEVER_RAN && *code != STILL_RUNNING)
        // HRESULTs may be printed unsigned; keep their 32 bits.
        .map(|code| i32::try_from(code).unwrap_or(code as u32 as i32));
    JobStatus::Installed {
        active,
        every_seconds,
        next_run,
        last_run,
        last_exit,
        last_outcome: last_exit.map(Outcome::from_exit),
    }
}

/// One CSV line with `"`-quoted fields and `""` escapes.
fn csv_fields(line: &str) -> Vec<String> {
    let mut fields = Vec::new();
    let mut field = String::new();
    let mut in_quotes = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if in_quotes && chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            '"' => in_quotes = !in_quotes,
            ',' if !in_quotes => fields.push(std::mem::take(&mut field)),
            _ => field.push(c),
        }
    }
    fields.push(field);
    fields
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arguments_survive_the_windows_parser_rules() {
        assert_eq!(quote_arg("watch"), "watch");
        assert_eq!(
            quote_arg("--data-dir=C:\\Users\\Zoë\\AppData"),
            "--data-dir=C:\\Users\\Zoë\\AppData"
        );
        assert_eq!(quote_arg("a b"), "\"a b\"");
        assert_eq!(quote_arg(""), "\"\"");
        assert_eq!(quote_arg("say \"hi\""), "\"say \\\"hi\\\"\"");
        // Backslashes double only before a quote, including the closing one.
        assert_eq!(quote_arg("C:\\My Data\\"), "\"C:\\My Data\\\\\"");
        assert_eq!(quote_arg("a\\\"b c"), "\"a\\\\\\\"b c\"");
    }

    #[test]
    fn durations_in_iso_8601() {
        for (seconds, text) in [
            (14_400, "PT4H"),
            (300, "PT5M"),
            (5_400, "PT1H30M"),
            (86_400, "P1D"),
            (93_600, "P1DT2H"),
            (301, "PT5M1S"),
            (31 * 86_400, "P31D"),
        ] {
            assert_eq!(iso_duration(seconds), text);
            assert_eq!(parse_iso_duration(text), Some(seconds), "{text}");
        }
        assert_eq!(parse_iso_duration("PT4X"), None);
        assert_eq!(parse_iso_duration("4H"), None);
    }

    #[test]
    fn percent_pairs_that_look_like_variables_are_refused() {
        assert!(no_expansion("x", "100%").is_ok());
        assert!(no_expansion("x", "50% or 60%").is_ok());
        assert!(no_expansion("x", "%%").is_ok());
        let error = no_expansion("the target id", "a%USERNAME%b").unwrap_err();
        assert!(error.to_string().contains("%USERNAME%"), "{error}");
        assert!(no_expansion("x", "C:\\%ProgramFiles(x86)%\\x").is_err());
    }

    /// What `schtasks /Query /FO CSV /NH /V` prints on an English Windows 11 (one line, wrapped
    /// here), after a run that found drift.
    const CSV: &str = "\"DESKTOP-1\",\"\\SCIM Companion\\Watch aws-prod\",\"12/7/2026 8:00:00 PM\",\"Ready\",\
\"Interactive only\",\"12/7/2026 4:00:01 PM\",\"2\",\"SCIM Companion\",\
\"\"C:\\Program Files\\SCIM Companion\\scim-companion.exe\" watch --once\",\"N/A\",\"N/A\",\"Enabled\",\
\"Disabled\",\"Stop On Battery Mode\",\"admin\",\"Disabled\",\"02:00:00\",\"Scheduling data is not available in this format.\",\
\"One Time Only, Hourly \",\"4:00:00 PM\",\"12/7/2026\",\"N/A\",\"N/A\",\"N/A\",\"4 Hour(s), 0 Minute(s)\",\"None\",\"Disabled\",\"Disabled\"\r\n";

    const DEFINITION: &str =
        "<?xml version=\"1.0\" encoding=\"UTF-16\"?>\r\n<Task version=\"1.3\">\r\n  \
<Triggers><TimeTrigger><Enabled>true</Enabled></TimeTrigger></Triggers>\r\n  \
<Settings><Enabled>true</Enabled></Settings></Task>";

    #[test]
    fn csv_status_of_a_run_with_drift() {
        assert_eq!(
            parse_status(Some(DEFINITION), CSV, 14_400),
            JobStatus::Installed {
                active: true,
                every_seconds: 14_400,
                next_run: Some("12/7/2026 8:00:00 PM".into()),
                last_run: Some("12/7/2026 4:00:01 PM".into()),
                last_exit: Some(2),
                last_outcome: Some(Outcome::Drift),
            }
        );
    }

    #[test]
    fn csv_status_before_the_first_run_disabled_and_failed() {
        let never = CSV
            .replace(
                "\"12/7/2026 4:00:01 PM\",\"2\"",
                "\"11/30/1999 12:00:00 AM\",\"267011\"",
            )
            .replace("12/7/2026 8:00:00 PM", "N/A");
        let disabled = DEFINITION.replace("<Settings><Enabled>true", "<Settings><Enabled>false");
        assert_eq!(
            parse_status(Some(&disabled), &never, 300),
            JobStatus::Installed {
                active: false,
                every_seconds: 300,
                next_run: None,
                last_run: None,
                last_exit: None,
                last_outcome: None,
            }
        );
        let missing_file = CSV.replace("\"2\",\"SCIM", "\"2147942402\",\"SCIM");
        let JobStatus::Installed {
            last_exit,
            last_outcome,
            ..
        } = parse_status(Some(DEFINITION), &missing_file, 300)
        else {
            panic!("installed")
        };
        assert_eq!(last_exit, Some(-2_147_024_894));
        assert_eq!(last_outcome, Some(Outcome::Failed));
        assert!(matches!(
            parse_status(None, "", 300),
            JobStatus::Installed { active: false, .. }
        ));
        assert!(matches!(
            parse_status(Some(DEFINITION), "garbage", 300),
            JobStatus::Installed {
                active: true,
                last_exit: None,
                next_run: None,
                ..
            }
        ));
    }
}
