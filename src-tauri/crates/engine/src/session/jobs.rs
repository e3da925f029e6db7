//! The one cancel registry of a session: every long job (a JumpCloud read, a diff, an apply)
//! registers its switch here under its kind and target, so "cancel" reaches exactly the job
//! the admin sees running, in the app and the CLI alike.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};

use tokio_util::sync::CancellationToken;

/// What kind of work a job is; the cancel button of each page names one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum JobKind {
    /// Reading the JumpCloud directory (one at a time per session, not per target).
    DirectoryRead,
    /// A diff of one target.
    Diff,
    /// An apply or a provision of one target, including the read that precedes it.
    Apply,
}

/// The key a job is registered under; a directory read has no target.
type Key = (JobKind, String);

/// The last serial handed out, and each key's running job with its serial and switch.
type Running = (u64, HashMap<Key, (u64, CancellationToken)>);

/// Running jobs with a serial each, so a finishing job never removes the switch of a newer one
/// started for the same key. Every switch is a child of `root`, so [`Jobs::cancel_all`] (the
/// CLI's Ctrl-C) stops them all.
pub(crate) struct Jobs {
    root: CancellationToken,
    running: Mutex<Running>,
}

impl Default for Jobs {
    fn default() -> Self {
        Self {
            root: CancellationToken::new(),
            running: Mutex::new((0, HashMap::new())),
        }
    }
}

/// A registered job's ticket; dropping it unregisters the job's switch (however the job ended).
pub(crate) struct Ticket<'a> {
    jobs: &'a Jobs,
    key: Key,
    serial: u64,
    token: CancellationToken,
}

impl Ticket<'_> {
    pub fn token(&self) -> &CancellationToken {
        &self.token
    }
}

impl Drop for Ticket<'_> {
    fn drop(&mut self) {
        let mut running = self.jobs.lock();
        if running
            .1
            .get(&self.key)
            .is_some_and(|(s, _)| *s == self.serial)
        {
            running.1.remove(&self.key);
        }
    }
}

impl Jobs {
    /// Registers a job. A newer job of the same key takes over the key: cancel then stops the
    /// newest. With `replace`, the older job is also cancelled (one JumpCloud read at a time).
    pub fn start(&self, kind: JobKind, target: &str, replace: bool) -> Ticket<'_> {
        let token = self.root.child_token();
        let key = (kind, target.to_owned());
        let mut running = self.lock();
        running.0 += 1;
        let serial = running.0;
        if let Some((_, previous)) = running.1.insert(key.clone(), (serial, token.clone())) {
            if replace {
                previous.cancel();
            }
        }
        drop(running);
        Ticket {
            jobs: self,
            key,
            serial,
            token,
        }
    }

    /// Cancels the running job of that kind and target; false when none is running.
    pub fn cancel(&self, kind: JobKind, target: &str) -> bool {
        match self.lock().1.get(&(kind, target.to_owned())) {
            Some((_, token)) => {
                token.cancel();
                true
            }
            None => false,
        }
    }

    /// Cancels every running job, and every job started later.
    pub fn cancel_all(&self) {
        self.root.cancel();
    }

    /// Whether a job of that kind and target is running.
    pub fn is_running(&self, kind: JobKind, target: &str) -> bool {
        self.lock().1.contains_key(&(kind, target.to_owned()))
    }

    /// A poisoned lock only means another thread panicked mid-insert; the map stays usable.
    fn lock(&self) -> MutexGuard<'_, Running> {
        self.running.lock().unwrap_or_else(|e| e.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cancel_reaches_only_the_newest_job_of_that_kind_and_target() {
        let jobs = Jobs::default();
        assert!(!jobs.cancel(JobKind::Diff, "t"));
        let first = jobs.start(JobKind::Diff, "t", false);
        let second = jobs.start(JobKind::Diff, "t", false);
        let apply = jobs.start(JobKind::Apply, "t", false);
        // The first job ending does not unregister the second.
        drop(first);
        assert!(jobs.cancel(JobKind::Diff, "t"));
        assert!(second.token().is_cancelled());
        assert!(!apply.token().is_cancelled(), "another kind is untouched");
        drop(second);
        assert!(!jobs.cancel(JobKind::Diff, "t"));
        assert!(jobs.is_running(JobKind::Apply, "t"));
        drop(apply);
        assert!(!jobs.is_running(JobKind::Apply, "t"));
    }

    #[test]
    fn a_replacing_job_cancels_the_one_it_replaces() {
        let jobs = Jobs::default();
        let first = jobs.start(JobKind::DirectoryRead, "", true);
        let second = jobs.start(JobKind::DirectoryRead, "", true);
        assert!(first.token().is_cancelled());
        assert!(!second.token().is_cancelled());
    }

    #[test]
    fn cancel_all_stops_running_and_later_jobs() {
        let jobs = Jobs::default();
        let running = jobs.start(JobKind::Apply, "a", false);
        jobs.cancel_all();
        assert!(running.token().is_cancelled());
        assert!(jobs.start(JobKind::Diff, "b", false).token().is_cancelled());
    }
}
