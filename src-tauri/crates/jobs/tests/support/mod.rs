//! Shared by the integration tests: specs with awkward text, and a recording command runner.

#![allow(dead_code)]

use std::collections::VecDeque;
use std::sync::Mutex;
use std::time::Duration;

use jobs::{CommandOutput, CommandRunner, JobSpec};

/// Spaces, quotes, `%`, `$`, a `/`, non-ASCII: everything a unit file, a plist or a command line
/// could get wrong.
pub const ODD_ID: &str = "Prod \"EU\" 100% café/ü ${HOME} <&>";

pub fn unix_spec() -> JobSpec {
    JobSpec {
        target_id: ODD_ID.into(),
        every: Duration::from_secs(4 * 3600),
        program: "/opt/SCIM Companion 100%/bin/scim-companion".into(),
        data_dir: "/home/zoë/.local/share/SCIM Companion \"x\" ${HOME}".into(),
        extra_env: vec![(
            "SCIM_COMPANION_LOG".into(),
            "info, it's \"100%\" $HOME ${HOME}\\n".into(),
        )],
    }
}

/// Windows paths cannot hold `"`; tasks take no environment.
pub fn windows_spec() -> JobSpec {
    JobSpec {
        target_id: "Prod \"EU\" 100% café/ü <&>".into(),
        every: Duration::from_secs(90 * 60),
        program: r"C:\Program Files\SCIM Companion\scim-companion.exe".into(),
        data_dir: r"C:\Users\Zoë O'Brien\AppData\Roaming\SCIM Companion 100%\".into(),
        extra_env: vec![],
    }
}

/// Records every command and answers from a queue of canned outputs (success with no output
/// once the queue is empty).
#[derive(Default)]
pub struct Recorder {
    pub calls: Mutex<Vec<Vec<String>>>,
    answers: Mutex<VecDeque<(String, CommandOutput)>>,
}

impl Recorder {
    /// The next command whose text starts with `prefix` gets `output`.
    pub fn answer(&self, prefix: &str, status: i32, stdout: &str, stderr: &str) {
        self.answers.lock().unwrap().push_back((
            prefix.to_owned(),
            CommandOutput {
                status: Some(status),
                stdout: stdout.to_owned(),
                stderr: stderr.to_owned(),
            },
        ));
    }

    pub fn take(&self) -> Vec<Vec<String>> {
        std::mem::take(&mut *self.calls.lock().unwrap())
    }
}

impl CommandRunner for Recorder {
    fn run(&self, program: &str, args: &[String]) -> std::io::Result<CommandOutput> {
        let mut call = vec![program.to_owned()];
        call.extend(args.iter().cloned());
        let text = call.join(" ");
        self.calls.lock().unwrap().push(call);
        let mut answers = self.answers.lock().unwrap();
        let position = answers
            .iter()
            .position(|(prefix, _)| text.starts_with(prefix.as_str()));
        Ok(match position {
            Some(index) => answers.remove(index).unwrap().1,
            None => CommandOutput {
                status: Some(0),
                ..CommandOutput::default()
            },
        })
    }
}

/// `vec!["a", "b"]` as owned strings, for comparing with [`Recorder::take`].
pub fn call(parts: &[&str]) -> Vec<String> {
    parts.iter().map(|part| (*part).to_owned()).collect()
}
