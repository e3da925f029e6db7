//! launchd agents: one property list per job in `~/Library/LaunchAgents`, loaded into the
//! user's GUI session (`gui/<uid>`), where the keychain is unlocked.

use std::path::{Path, PathBuf};

use quick_xml::escape::escape;

use crate::error::{Error, Result};
use crate::runner::{run, run_checked, CommandRunner};
use crate::{read_job_file, remove_file, Checked, FileEncoding, JobFile, JobStatus, Outcome};

const LABEL_PREFIX: &str = "dev.scimcompanion.watch.";
const HINT: &str = "launchd agents run in the desktop session: log in to the Mac's desktop and \
                    try again (`launchctl print gui/$(id -u)` shows that session)";

fn label(name: &str) -> String {
    format!("{LABEL_PREFIX}{name}")
}

pub(crate) fn plist_path(dir: &Path, name: &str) -> PathBuf {
    dir.join(format!("{}.plist", label(name)))
}

pub(crate) fn name_of(file_name: &str) -> Option<&str> {
    file_name.strip_prefix(LABEL_PREFIX)?.strip_suffix(".plist")
}

pub(crate) fn file(job: &Checked, dir: &Path) -> JobFile {
    let string = |text: &str| format!("<string>{}</string>", escape(text));
    let log = |suffix: &str| {
        Path::new(job.data_dir)
            .join(format!("watch-{}.{suffix}", job.name))
            .to_string_lossy()
            .into_owned()
    };
    let mut plist = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" \"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n\
         <!-- Written by SCIM Companion; change or remove it in the app's Settings. It holds no\n     \
         secret: the check reads tokens from the keychain of the logged-in user. -->\n\
         <plist version=\"1.0\">\n<dict>\n",
    );
    plist.push_str(&format!(
        "\t<key>Label</key>\n\t{}\n",
        string(&label(&job.name))
    ));
    plist.push_str("\t<key>ProgramArguments</key>\n\t<array>\n");
    for arg in std::iter::once(job.program).chain(job.args.iter().map(String::as_str)) {
        plist.push_str(&format!("\t\t{}\n", string(arg)));
    }
    plist.push_str("\t</array>\n\t<key>EnvironmentVariables</key>\n\t<dict>\n");
    for (key, value) in &job.env {
        plist.push_str(&format!(
            "\t\t<key>{}</key>\n\t\t{}\n",
            escape(*key),
            string(value)
        ));
    }
    plist.push_str(&format!(
        "\t</dict>\n\
         \t<key>StartInterval</key>\n\t<integer>{}</integer>\n\
         \t<key>RunAtLoad</key>\n\t<false/>\n\
         \t<key>ProcessType</key>\n\t<string>Background</string>\n\
         \t<key>StandardOutPath</key>\n\t{}\n\
         \t<key>StandardErrorPath</key>\n\t{}\n\
         </dict>\n</plist>\n",
        job.every_seconds,
        string(&log("out.log")),
        string(&log("err.log")),
    ));
    JobFile {
        path: plist_path(dir, &job.name),
        contents: plist,
        encoding: FileEncoding::Utf8,
    }
}

fn launchctl(runner: &dyn CommandRunner, args: &[String]) -> Result<String> {
    Ok(run_checked(runner, "launchctl", args, HINT)?.stdout)
}

/// The login session's domain, `gui/<uid>`.
fn domain(runner: &dyn CommandRunner) -> Result<String> {
    let args = ["-u".to_owned()];
    let output = run_checked(runner, "id", &args, HINT)?;
    let uid = output.stdout.trim();
    if uid.is_empty() || !uid.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Error::UnexpectedOutput {
            command: "id -u".into(),
            output: output.stdout,
            hint: "Run the app as a normal logged-in user",
        });
    }
    Ok(format!("gui/{uid}"))
}

pub(crate) fn register(runner: &dyn CommandRunner, dir: &Path, name: &str) -> Result<()> {
    let domain = domain(runner)?;
    // Unload an older version first; failing here only means nothing was loaded.
    run(
        runner,
        "launchctl",
        &["bootout".into(), format!("{domain}/{}", label(name))],
        HINT,
    )?;
    let plist = plist_path(dir, name).to_string_lossy().into_owned();
    launchctl(runner, &["bootstrap".into(), domain, plist])?;
    Ok(())
}

pub(crate) fn unregister(runner: &dyn CommandRunner, dir: &Path, name: &str) -> Result<()> {
    let path = plist_path(dir, name);
    if !path.exists() {
        return Ok(());
    }
    let domain = domain(runner)?;
    run(
        runner,
        "launchctl",
        &["bootout".into(), format!("{domain}/{}", label(name))],
        HINT,
    )?;
    remove_file(&path)
}

pub(crate) fn run_now(runner: &dyn CommandRunner, name: &str) -> Result<()> {
    let domain = domain(runner)?;
    launchctl(
        runner,
        &["kickstart".into(), format!("{domain}/{}", label(name))],
    )?;
    Ok(())
}

pub(crate) fn status(runner: &dyn CommandRunner, dir: &Path, name: &str) -> Result<JobStatus> {
    let path = plist_path(dir, name);
    let plist = read_job_file(&path)?;
    let every_seconds = start_interval(&plist).ok_or_else(|| Error::UnexpectedOutput {
        command: format!("reading {}", path.display()),
        output: plist.clone(),
        hint: "The agent was changed by hand; remove the schedule in Settings and add it again",
    })?;
    let domain = domain(runner)?;
    let print = run(
        runner,
        "launchctl",
        &["print".into(), format!("{domain}/{}", label(name))],
        HINT,
    )?;
    // A failing print means launchd does not know the label: the file is there but not loaded.
    let loaded = print.success();
    Ok(parse_status(
        loaded.then_some(print.stdout.as_str()),
        every_seconds,
    ))
}

/// The interval this crate wrote into the plist.
fn start_interval(plist: &str) -> Option<u64> {
    let after = plist.split_once("<key>StartInterval</key>")?.1.trim_start();
    let number = after.strip_prefix("<integer>")?.split_once("</integer>")?.0;
    number.trim().parse().ok()
}

/// Reads `launchctl print gui/<uid>/<label>`; `None` when the job is not loaded.
pub(crate) fn parse_status(print: Option<&str>, every_seconds: u64) -> JobStatus {
    let last_exit = print.and_then(|print| {
        print.lines().find_map(|line| {
            let value = line
                .trim()
                .strip_prefix("last exit code")?
                .trim_start()
                .strip_prefix('=')?;
            // "2", "78: EX_CONFIG" or "(never exited)"
            let digits: String = value
                .trim()
                .chars()
                .take_while(|c| c.is_ascii_digit() || *c == '-')
                .collect();
            digits.parse::<i32>().ok()
        })
    });
    JobStatus::Installed {
        active: print.is_some(),
        every_seconds,
        // launchd does not say when an interval job runs next, nor when it last ran.
        next_run: None,
        last_run: None,
        last_exit,
        last_outcome: last_exit.map(Outcome::from_exit),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Shaped like `launchctl print` on macOS 14 for an interval agent.
    const PRINT: &str = "gui/501/dev.scimcompanion.watch.aws-prod = {
	active count = 0
	path = /Users/admin/Library/LaunchAgents/dev.scimcompanion.watch.aws-prod.plist
	type = LaunchAgent
	state = not running

	program = /Applications/SCIM Companion.app/Contents/MacOS/scim-companion
	arguments = {
		/Applications/SCIM Companion.app/Contents/MacOS/scim-companion
		watch
	}

	stdout path = /Users/admin/Library/Application Support/dev.scimcompanion/watch-aws-prod.out.log
	default environment = {
		PATH => /usr/bin:/bin:/usr/sbin:/sbin
	}

	domain = gui/501 [100005]
	runs = 3
	last exit code = 2
	run interval = 14400 seconds

	properties = runatload | inferred program
}
";

    #[test]
    fn print_output_gives_the_last_exit_code() {
        assert_eq!(
            parse_status(Some(PRINT), 14_400),
            JobStatus::Installed {
                active: true,
                every_seconds: 14_400,
                next_run: None,
                last_run: None,
                last_exit: Some(2),
                last_outcome: Some(Outcome::Drift),
            }
        );
        let never = PRINT.replace("last exit code = 2", "last exit code = (never exited)");
        assert!(matches!(
            parse_status(Some(&never), 300),
            JobStatus::Installed {
                active: true,
                last_exit: None,
                last_outcome: None,
                ..
            }
        ));
        let config = PRINT.replace("last exit code = 2", "last exit code = 78: EX_CONFIG");
        assert!(matches!(
            parse_status(Some(&config), 300),
            JobStatus::Installed {
                last_exit: Some(78),
                last_outcome: Some(Outcome::Failed),
                ..
            }
        ));
        assert!(matches!(
            parse_status(None, 300),
            JobStatus::Installed { active: false, .. }
        ));
    }

    #[test]
    fn start_interval_reads_back() {
        assert_eq!(
            start_interval("<key>StartInterval</key>\n\t<integer>14400</integer>"),
            Some(14_400)
        );
        assert_eq!(
            start_interval("<key>StartInterval</key><string>x</string>"),
            None
        );
    }
}
