//! Progress on stderr: one line rewritten in place on a terminal, a line per step (at most a few
//! per second) otherwise, so logs of scripted runs stay short.

use std::io::{IsTerminal, Write};
use std::sync::Mutex;
use std::time::{Duration, Instant};

pub struct Progress {
    tty: bool,
    state: Mutex<State>,
}

struct State {
    last: Option<Instant>,
    last_text: String,
    dirty: bool,
}

const EVERY: Duration = Duration::from_millis(500);

impl Progress {
    pub fn new() -> Self {
        Progress {
            tty: std::io::stderr().is_terminal(),
            state: Mutex::new(State {
                last: None,
                last_text: String::new(),
                dirty: false,
            }),
        }
    }

    /// Shows `text` unless the same text was just shown or the last update is too recent.
    pub fn update(&self, text: &str) {
        let mut s = self.state.lock().unwrap_or_else(|e| e.into_inner());
        let now = Instant::now();
        if s.last_text == text || s.last.is_some_and(|t| now - t < EVERY) {
            return;
        }
        s.last = Some(now);
        s.last_text = text.to_owned();
        let mut err = std::io::stderr().lock();
        if self.tty {
            let _ = write!(err, "\r\x1b[2K{text}");
            s.dirty = true;
        } else {
            let _ = writeln!(err, "{text}");
        }
        let _ = err.flush();
    }

    /// Shows `text` now, whatever the rate (phase changes).
    pub fn force(&self, text: &str) {
        self.state.lock().unwrap_or_else(|e| e.into_inner()).last = None;
        self.update(text);
    }

    /// Ends the in-place line on a terminal.
    pub fn finish(&self) {
        let mut s = self.state.lock().unwrap_or_else(|e| e.into_inner());
        if s.dirty {
            let _ = write!(std::io::stderr(), "\r\x1b[2K");
            s.dirty = false;
        }
    }
}
