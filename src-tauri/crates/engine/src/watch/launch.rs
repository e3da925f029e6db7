//! Opening the app on a target's diff from outside it: a click on a notification of a
//! background check (the CLI's `watch --notify`) either asks the running app to open the diff,
//! or starts the app with `--open-diff <target>`.
//!
//! Both go through the data folder, so it works per folder and on every OS:
//! - the app holds an exclusive lock on `app.lock` while it runs ([`AppLock`]); the watcher
//!   sees whether an app of this folder runs by trying the same lock ([`app_is_running`]);
//! - a request is the file `open-request.json` ([`request_open`]), which the running app
//!   takes ([`take_open_request`]) and removes.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::Write;
use std::path::Path;

/// Held by the running app.
pub const APP_LOCK: &str = "app.lock";
/// A pending "open this target's diff" for the running app.
pub const OPEN_REQUEST: &str = "open-request.json";

/// The running app's claim on its data folder; released when dropped (or when the process ends,
/// however it ends).
#[derive(Debug)]
pub struct AppLock {
    _file: File,
}

impl AppLock {
    /// Takes the lock; `Ok(None)` when another app of this folder holds it.
    pub fn take(data_dir: &Path) -> std::io::Result<Option<AppLock>> {
        crate::private_dir::create(data_dir)?;
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(data_dir.join(APP_LOCK))?;
        match file.try_lock() {
            Ok(()) => Ok(Some(AppLock { _file: file })),
            Err(TryLockError::WouldBlock) => Ok(None),
            Err(TryLockError::Error(e)) => Err(e),
        }
    }
}

/// Whether an app holds the lock of `data_dir` now.
pub fn app_is_running(data_dir: &Path) -> bool {
    let Ok(file) = File::open(data_dir.join(APP_LOCK)) else {
        return false;
    };
    matches!(file.try_lock(), Err(TryLockError::WouldBlock))
}

/// Asks the running app to open `target`'s diff (written whole, then renamed into place).
pub fn request_open(data_dir: &Path, target: &str) -> std::io::Result<()> {
    let tmp = data_dir.join(format!("{OPEN_REQUEST}.tmp"));
    let body = serde_json::json!({ "open_diff": target });
    let mut file = File::create(&tmp)?;
    file.write_all(body.to_string().as_bytes())?;
    file.sync_all()?;
    std::fs::rename(&tmp, data_dir.join(OPEN_REQUEST))
}

/// The pending request's target, removing the request; `None` when there is none or it is not
/// one (a damaged request is removed too: it can only ever open a page).
pub fn take_open_request(data_dir: &Path) -> Option<String> {
    let path = data_dir.join(OPEN_REQUEST);
    let bytes = std::fs::read(&path).ok()?;
    let _ = std::fs::remove_file(&path);
    let value: serde_json::Value = serde_json::from_slice(&bytes).ok()?;
    value["open_diff"]
        .as_str()
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
}

/// The target of `--open-diff <target>` or `--open-diff=<target>` among a program's arguments.
pub fn open_diff_argument<S: AsRef<str>>(args: &[S]) -> Option<String> {
    let mut args = args.iter().map(AsRef::as_ref);
    while let Some(arg) = args.next() {
        if arg == "--open-diff" {
            return args.next().filter(|t| !t.is_empty()).map(str::to_owned);
        }
        if let Some(target) = arg.strip_prefix("--open-diff=") {
            return (!target.is_empty()).then(|| target.to_owned());
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_app_holds_the_lock_and_the_watcher_sees_it() {
        let dir = tempfile::tempdir().unwrap();
        assert!(!app_is_running(dir.path()), "no lock file yet");
        let lock = AppLock::take(dir.path())
            .unwrap()
            .expect("the first app takes it");
        assert!(app_is_running(dir.path()));
        assert!(
            AppLock::take(dir.path()).unwrap().is_none(),
            "a second app does not"
        );
        drop(lock);
        assert!(!app_is_running(dir.path()), "released with the app");
        assert!(AppLock::take(dir.path()).unwrap().is_some());
    }

    #[test]
    fn a_request_is_taken_once() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(take_open_request(dir.path()), None);
        request_open(dir.path(), "aws-prod").unwrap();
        assert_eq!(take_open_request(dir.path()).as_deref(), Some("aws-prod"));
        assert_eq!(take_open_request(dir.path()), None);
        std::fs::write(dir.path().join(OPEN_REQUEST), b"garbage").unwrap();
        assert_eq!(take_open_request(dir.path()), None);
        assert!(
            !dir.path().join(OPEN_REQUEST).exists(),
            "a damaged request is removed"
        );
    }

    #[test]
    fn the_open_diff_argument_is_read_in_both_spellings() {
        assert_eq!(
            open_diff_argument(&["app", "--open-diff", "a b"]).as_deref(),
            Some("a b")
        );
        assert_eq!(
            open_diff_argument(&["app", "--open-diff=x"]).as_deref(),
            Some("x")
        );
        assert_eq!(open_diff_argument(&["app", "--open-diff"]), None);
        assert_eq!(open_diff_argument(&["app", "--open-diff="]), None);
        assert_eq!(open_diff_argument(&["app"]), None);
    }
}
