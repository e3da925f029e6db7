//! Running the platform's scheduler commands (`systemctl`, `launchctl`, `schtasks`), behind a
//! trait so tests can record the exact commands and answer with canned output.

use std::process::{Command, Stdio};

use crate::error::{Error, Result};

/// Runs one command to completion.
pub trait CommandRunner: Send + Sync {
    fn run(&self, program: &str, args: &[String]) -> std::io::Result<CommandOutput>;
}

/// What a finished command said. `status` is `None` when it was killed by a signal.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CommandOutput {
    pub status: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl CommandOutput {
    pub fn success(&self) -> bool {
        self.status == Some(0)
    }
}

/// The real thing: [`std::process::Command`], no shell, stdin closed.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemRunner;

impl CommandRunner for SystemRunner {
    fn run(&self, program: &str, args: &[String]) -> std::io::Result<CommandOutput> {
        let mut command = Command::new(program);
        command.args(args).stdin(Stdio::null());
        #[cfg(windows)]
        {
            use std::os::windows::process::CommandExt;
            // CREATE_NO_WINDOW: schtasks from a GUI app would otherwise flash a console.
            command.creation_flags(0x0800_0000);
        }
        let output = command.output()?;
        Ok(CommandOutput {
            status: output.status.code(),
            stdout: decode(&output.stdout),
            stderr: decode(&output.stderr),
        })
    }
}

/// Output as text. Some Windows tools write UTF-16 into a pipe (`schtasks /Query /XML` among
/// them), which would otherwise read as text with a NUL after every letter.
fn decode(bytes: &[u8]) -> String {
    let bom = bytes.starts_with(&[0xFF, 0xFE]);
    let looks_utf16 = bytes.len() >= 2
        && bytes.chunks_exact(2).remainder().is_empty()
        && bytes[0] != 0
        && bytes[1] == 0;
    if bom || looks_utf16 {
        let body = if bom { &bytes[2..] } else { bytes };
        let units: Vec<u16> = body
            .chunks_exact(2)
            .map(|pair| u16::from_le_bytes([pair[0], pair[1]]))
            .collect();
        String::from_utf16_lossy(&units)
    } else {
        String::from_utf8_lossy(bytes).into_owned()
    }
}

/// Runs a command whose failure is an error, and turns both ways of failing into one that says
/// what ran and what to do (`hint`).
pub(crate) fn run_checked(
    runner: &dyn CommandRunner,
    program: &str,
    args: &[String],
    hint: &'static str,
) -> Result<CommandOutput> {
    let output = run(runner, program, args, hint)?;
    if output.success() {
        Ok(output)
    } else {
        Err(failed(program, args, &output, hint))
    }
}

/// Runs a command whose non-zero exit the caller looks at; only failing to start it is an error.
pub(crate) fn run(
    runner: &dyn CommandRunner,
    program: &str,
    args: &[String],
    hint: &'static str,
) -> Result<CommandOutput> {
    runner.run(program, args).map_err(|source| Error::Spawn {
        program: program.to_owned(),
        source,
        hint,
    })
}

pub(crate) fn failed(
    program: &str,
    args: &[String],
    output: &CommandOutput,
    hint: &'static str,
) -> Error {
    let said = if output.stderr.trim().is_empty() {
        output.stdout.trim()
    } else {
        output.stderr.trim()
    };
    Error::Command {
        command: command_text(program, args),
        status: match output.status {
            Some(code) => format!("exit {code}"),
            None => "killed by a signal".to_owned(),
        },
        output: if said.is_empty() {
            "no output".to_owned()
        } else {
            shorten(said)
        },
        hint,
    }
}

/// `program args…` for a message; the arguments hold paths and job names, never secrets.
pub(crate) fn command_text(program: &str, args: &[String]) -> String {
    let mut text = program.to_owned();
    for arg in args {
        text.push(' ');
        text.push_str(arg);
    }
    text
}

/// Keeps an error message readable when a tool prints a page.
pub(crate) fn shorten(text: &str) -> String {
    const MAX: usize = 600;
    match text.char_indices().nth(MAX) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn system_runner_reports_status_and_output() {
        if !cfg!(unix) {
            return;
        }
        let out = SystemRunner
            .run(
                "sh",
                &["-c".into(), "echo out; echo err >&2; exit 3".into()],
            )
            .unwrap();
        assert_eq!(out.status, Some(3));
        assert_eq!(out.stdout, "out\n");
        assert_eq!(out.stderr, "err\n");
    }

    #[test]
    fn failures_name_the_command_and_prefer_stderr() {
        let output = CommandOutput {
            status: Some(1),
            stdout: "ignored".into(),
            stderr: "Failed to connect to bus\n".into(),
        };
        let error = failed(
            "systemctl",
            &["--user".into(), "daemon-reload".into()],
            &output,
            "Hint.",
        );
        assert_eq!(
            error.to_string(),
            "systemctl --user daemon-reload failed (exit 1): Failed to connect to bus. Hint."
        );
    }

    #[test]
    fn utf16_output_is_decoded() {
        let text = "<Settings><Enabled>false</Enabled></Settings>\r\n";
        let utf16: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
        assert_eq!(decode(&utf16), text);
        let with_bom: Vec<u8> = [0xFF, 0xFE].into_iter().chain(utf16).collect();
        assert_eq!(decode(&with_bom), text);
        assert_eq!(decode("plain é\n".as_bytes()), "plain é\n");
        assert_eq!(decode(b""), "");
    }

    #[test]
    fn long_output_is_cut() {
        let long = "é".repeat(1000);
        let short = shorten(&long);
        assert_eq!(short.chars().count(), 601);
        assert!(short.ends_with('…'));
    }
}
