//! Desktop notifications: the OS's own (freedesktop notifications over D-Bus on Linux, the
//! Notification Center on macOS, toasts on Windows, all through `notify-rust`), used by the
//! CLI's `watch --notify` (which the app's background jobs run) and by the app's scheduler.
//!
//! With `SCIM_COMPANION_NOTIFICATION_SINK=<file>` every notice is appended to that file as one
//! JSON line instead: end-to-end tests read it, since a test machine has no one to see a
//! notification. Nothing else changes between the two paths.

#![cfg_attr(test, allow(clippy::unwrap_used))]

use std::io::Write;
use std::path::PathBuf;

use serde::Serialize;

/// The environment variable that sends notices to a file instead of the desktop.
pub const SINK_ENV: &str = "SCIM_COMPANION_NOTIFICATION_SINK";
/// With the file sink: a notice of this kind counts as clicked as soon as it is recorded (tests
/// of what a click does).
pub const CLICK_ENV: &str = "SCIM_COMPANION_NOTIFICATION_CLICK";

/// One notification.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Notice {
    /// What kind of event (e.g. `drift_appeared`): the file sink records it for tests.
    pub kind: String,
    /// The target it is about; empty when it is about the whole check.
    pub target_id: String,
    pub title: String,
    pub body: String,
}

impl Notice {
    pub fn new(kind: &str, target_id: &str, title: &str, body: &str) -> Notice {
        Notice {
            kind: kind.to_owned(),
            target_id: target_id.to_owned(),
            title: title.to_owned(),
            body: body.to_owned(),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(
        "no desktop notification could be shown ({0}); is a notification service running in \
         this session? On a server use the webhook instead"
    )]
    Desktop(String),
    #[error("could not record the notification in {path}: {source}")]
    Sink {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

/// What to do when the admin clicks a notification.
pub type OnClick = Box<dyn FnOnce() + Send + 'static>;

/// Where notices go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Sink {
    Desktop,
    /// One JSON line per notice (tests).
    File(PathBuf),
}

impl Sink {
    /// The file named by [`SINK_ENV`], else the desktop.
    pub fn from_env() -> Sink {
        match std::env::var_os(SINK_ENV) {
            Some(path) if !path.is_empty() => Sink::File(PathBuf::from(path)),
            _ => Sink::Desktop,
        }
    }

    /// Shows (or records) one notice. Blocking: on Linux it is a D-Bus call.
    pub fn send(&self, notice: &Notice) -> Result<(), Error> {
        self.send_then(notice, None).map(drop)
    }

    /// Like [`Sink::send`], and runs `on_click` on a thread of its own when the admin clicks
    /// the notification. Only freedesktop desktops report clicks to the sender; elsewhere the
    /// click brings the app forward through the OS and `on_click` never runs. The returned
    /// thread ends when the notification is clicked or closed.
    pub fn send_then(
        &self,
        notice: &Notice,
        on_click: Option<OnClick>,
    ) -> Result<Option<std::thread::JoinHandle<()>>, Error> {
        match self {
            Sink::Desktop => show(notice, on_click),
            Sink::File(path) => {
                let mut line = serde_json::to_vec(notice).expect("a notice serialises");
                line.push(b'\n');
                std::fs::OpenOptions::new()
                    .create(true)
                    .append(true)
                    .open(path)
                    .and_then(|mut f| f.write_all(&line))
                    .map_err(|source| Error::Sink {
                        path: path.clone(),
                        source,
                    })?;
                if let Some(on_click) = on_click {
                    if std::env::var(CLICK_ENV).is_ok_and(|kind| kind == notice.kind) {
                        on_click();
                    }
                }
                Ok(None)
            }
        }
    }
}

fn show(
    notice: &Notice,
    on_click: Option<OnClick>,
) -> Result<Option<std::thread::JoinHandle<()>>, Error> {
    let mut n = notify_rust::Notification::new();
    n.appname("SCIM Companion")
        .summary(&notice.title)
        .body(&notice.body);
    #[cfg(all(unix, not(target_os = "macos")))]
    {
        // The .desktop entry the package installs: the shell shows the app's name and icon.
        n.hint(notify_rust::Hint::DesktopEntry("scim-companion".to_owned()))
            .icon("scim-companion");
        if let Some(on_click) = on_click {
            n.action("default", "Open");
            let handle = n.show().map_err(|e| Error::Desktop(e.to_string()))?;
            // Waits on a thread of its own until the notification is clicked or closed.
            let waiting = std::thread::spawn(move || {
                handle.wait_for_action(|action| {
                    if action == "default" {
                        on_click();
                    }
                });
            });
            return Ok(Some(waiting));
        }
    }
    #[cfg(not(all(unix, not(target_os = "macos"))))]
    drop(on_click);
    n.show()
        .map(|_| None)
        .map_err(|e| Error::Desktop(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_file_sink_appends_one_json_line_per_notice() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("notices.jsonl");
        let sink = Sink::File(path.clone());
        let notice = |kind: &str| Notice {
            kind: kind.into(),
            target_id: "aws".into(),
            title: "AWS: drift".into(),
            body: "2 missing".into(),
        };
        sink.send(&notice("drift_appeared")).unwrap();
        sink.send(&notice("drift_grew")).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        let lines: Vec<serde_json::Value> = text
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[1]["kind"], "drift_grew");
        assert_eq!(lines[0]["title"], "AWS: drift");
    }

    #[test]
    fn a_sink_that_cannot_be_written_is_an_error_naming_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("missing-folder").join("n.jsonl");
        let e = Sink::File(path.clone())
            .send(&Notice {
                kind: "x".into(),
                target_id: String::new(),
                title: "t".into(),
                body: "b".into(),
            })
            .unwrap_err();
        assert!(e.to_string().contains("missing-folder"), "{e}");
    }
}
