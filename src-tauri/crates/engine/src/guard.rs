//! The deletion guard as the engine enforces it.
//!
//! The limits come from `settings.json` (Settings page; the CLI may only make them stricter for
//! one run), never from whoever asks for a plan or an apply: [`crate::TargetWork::plan`] and
//! [`crate::TargetWork::apply`] take the stricter of the saved limits and the requested ones, so a
//! caller can tighten the guard but never loosen it. A plan over the limits is applied only
//! with an explicit override that names its exact number of deactivations and deletions
//! ([`crate::ApplyRequest::override_guard`]), separate from the destructive-count confirmation.

use std::path::Path;

pub use drift::plan::DeletionGuard;

use crate::error::{Error, Result};
use crate::workspace::Workspace;

/// Requested limits that leave the saved ones as they are (a run that does not tighten them).
pub const SAVED_LIMITS_ONLY: DeletionGuard = DeletionGuard {
    max_count: u32::MAX,
    max_percent: 100.0,
};

/// Refuses a share outside `0 < p <= 100` (and NaN): at 0 every single deactivation would trip
/// it, above 100 it could never trip.
pub fn validate(guard: &DeletionGuard) -> Result<()> {
    let p = guard.max_percent;
    if p.is_finite() && p > 0.0 && p <= 100.0 {
        Ok(())
    } else {
        Err(Error::InvalidGuard(format!(
            "the deletion guard's share must be more than 0 and at most 100 percent, got {p}"
        )))
    }
}

/// The stricter of two limits, each limit on its own.
pub fn stricter(saved: &DeletionGuard, requested: &DeletionGuard) -> DeletionGuard {
    DeletionGuard {
        max_count: saved.max_count.min(requested.max_count),
        max_percent: saved.max_percent.min(requested.max_percent),
    }
}

/// The saved limits (defaults when none were saved). A saved share out of range is an error,
/// not silently replaced.
pub fn load(data_dir: &Path) -> Result<DeletionGuard> {
    let guard = crate::config::load_deletion_guard(data_dir)?.unwrap_or_default();
    // A damaged file (not a bad request): the app then says so on start, like any other.
    validate(&guard).map_err(|e| {
        Error::from(crate::config::Error::Corrupt {
            path: crate::config::settings_path(data_dir),
            detail: e.to_string(),
            backup: crate::config::backup_path(data_dir).exists(),
        })
    })?;
    Ok(guard)
}

/// The workspace's guard accessors, kept beside what they load and save: in `workspace.rs` they
/// would close an import circle through this module's tests, which build the demo workspace.
impl Workspace {
    /// The limits this workspace enforces (saved in settings, or the defaults).
    pub fn deletion_guard(&self) -> DeletionGuard {
        self.deletion_guard
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// This workspace with the limits saved in `data_dir` (the demo started on its own has the
    /// defaults).
    pub fn with_saved_guard(self, data_dir: &Path) -> Result<Self> {
        let guard = load(data_dir)?;
        *self
            .deletion_guard
            .write()
            .unwrap_or_else(|e| e.into_inner()) = guard;
        Ok(self)
    }

    /// Checks and saves new limits to `data_dir`'s settings, then enforces them from the next
    /// plan or apply on.
    pub fn save_deletion_guard(&self, data_dir: &Path, guard: DeletionGuard) -> Result<()> {
        validate(&guard)?;
        crate::config::save_deletion_guard(data_dir, &guard)?;
        *self
            .deletion_guard
            .write()
            .unwrap_or_else(|e| e.into_inner()) = guard;
        Ok(())
    }
}

/// `policy` with the guard a workspace enforces: the stricter of its `saved` limits and the
/// requested ones. A requested share out of range is refused.
pub(crate) fn enforced(
    saved: &DeletionGuard,
    policy: &drift::plan::Policy,
) -> Result<drift::plan::Policy> {
    validate(&policy.deletion_guard)?;
    Ok(drift::plan::Policy {
        deletion_guard: stricter(saved, &policy.deletion_guard),
        ..policy.clone()
    })
}

/// Refuses a tripped plan unless `override_guard` names its exact deactivations + deletions.
pub(crate) fn check(plan: &drift::plan::Plan, override_guard: Option<u32>) -> Result<()> {
    let g = &plan.guard;
    if !g.tripped || override_guard == Some(g.deprovisions) {
        return Ok(());
    }
    Err(Error::GuardTripped {
        deprovisions: g.deprovisions,
        target_objects: g.target_objects,
        max_count: g.max_count,
        max_percent: g.max_percent,
        offered: override_guard,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_share_must_be_above_zero_and_at_most_a_hundred() {
        let with = |p: f64| DeletionGuard {
            max_count: 10,
            max_percent: p,
        };
        for bad in [0.0, -1.0, 100.5, f64::NAN, f64::INFINITY] {
            assert!(
                matches!(validate(&with(bad)), Err(Error::InvalidGuard(_))),
                "{bad}"
            );
        }
        for good in [0.1, 5.0, 100.0] {
            assert!(validate(&with(good)).is_ok(), "{good}");
        }
    }

    #[test]
    fn stricter_takes_the_lower_of_each_limit() {
        let saved = DeletionGuard {
            max_count: 10,
            max_percent: 5.0,
        };
        let looser = DeletionGuard {
            max_count: 500,
            max_percent: 90.0,
        };
        assert_eq!(stricter(&saved, &looser), saved);
        let tighter = DeletionGuard {
            max_count: 2,
            max_percent: 1.0,
        };
        assert_eq!(stricter(&saved, &tighter), tighter);
    }

    #[test]
    fn saved_limits_round_trip_and_a_bad_share_is_not_saved() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(load(dir.path()).unwrap(), DeletionGuard::default());
        let ws = crate::demo::workspace().unwrap();
        let guard = DeletionGuard {
            max_count: 3,
            max_percent: 20.0,
        };
        ws.save_deletion_guard(dir.path(), guard.clone()).unwrap();
        assert_eq!(ws.deletion_guard(), guard);
        assert_eq!(load(dir.path()).unwrap(), guard);
        let bad = DeletionGuard {
            max_count: 3,
            max_percent: 0.0,
        };
        assert!(ws.save_deletion_guard(dir.path(), bad).is_err());
        assert_eq!(
            load(dir.path()).unwrap(),
            guard,
            "the file kept the good limits"
        );
        assert_eq!(ws.deletion_guard(), guard);
    }
}
