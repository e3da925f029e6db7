//! Which targets are checked on a schedule, and how often: `settings.json`'s `watch_schedule`
//! entry, which the app's Settings page writes and the background jobs follow.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::state::WatchState;

/// The longest interval offered: a week.
pub const MAX_EVERY_HOURS: u32 = 168;

/// Scheduled checks per target; a target that is not listed is not checked on a schedule (the
/// default).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WatchSchedule {
    #[serde(default)]
    pub targets: BTreeMap<String, TargetSchedule>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[ts(export)]
pub struct TargetSchedule {
    /// Hours between checks, 1 to [`MAX_EVERY_HOURS`].
    pub every_hours: u32,
    /// After a check with drift, apply the plan's safe part: creates, updates and member
    /// additions only, never a deactivation, deletion or removal (see [`super::apply_safe`]).
    /// Off unless the admin turns it on.
    #[serde(default)]
    pub apply_safe: bool,
}

impl WatchSchedule {
    /// The saved schedule of the data folder; empty when none was saved. A damaged entry is
    /// [`crate::config::Error::Corrupt`], as every entry of `settings.json`.
    pub fn load(data_dir: &Path) -> crate::config::Result<WatchSchedule> {
        Ok(crate::config::load_entry(data_dir, crate::config::WATCH_KEY)?.unwrap_or_default())
    }

    /// Saves the schedule (an empty one removes the entry), keeping every other key of
    /// `settings.json`, with the same atomic write and refusals as [`crate::config::save`].
    pub fn save(&self, data_dir: &Path) -> crate::config::Result<()> {
        let value = (!self.targets.is_empty())
            .then(|| serde_json::to_value(self).expect("schedule serialises"));
        crate::config::update(data_dir, crate::config::WATCH_KEY, value)
    }

    pub fn every_hours(&self, target: &str) -> Option<u32> {
        self.targets.get(target).map(|t| t.every_hours)
    }

    /// Whether checks of `target` apply the safe changes they find.
    pub fn applies_safe(&self, target: &str) -> bool {
        self.targets.get(target).is_some_and(|t| t.apply_safe)
    }

    /// Turns the schedule of one target on (`Some(hours)`, keeping its apply choice) or off
    /// (`None`, which also turns automatic applies off).
    pub fn set(&mut self, target: &str, every_hours: Option<u32>) -> Result<(), String> {
        match every_hours {
            None => {
                self.targets.remove(target);
            }
            Some(h) if (1..=MAX_EVERY_HOURS).contains(&h) => {
                self.targets
                    .entry(target.to_owned())
                    .or_insert(TargetSchedule {
                        every_hours: h,
                        apply_safe: false,
                    })
                    .every_hours = h;
            }
            Some(h) => {
                return Err(format!(
                    "{h} hours is not an interval the schedule offers: choose 1 to {MAX_EVERY_HOURS} hours"
                ))
            }
        }
        Ok(())
    }

    /// Turns automatic applies of safe changes on or off; only for a scheduled target.
    pub fn set_apply_safe(&mut self, target: &str, on: bool) -> Result<(), String> {
        match self.targets.get_mut(target) {
            Some(t) => {
                t.apply_safe = on;
                Ok(())
            }
            None if !on => Ok(()),
            None => Err(
                "turn on scheduled checks first: safe changes are applied after a scheduled check"
                    .to_owned(),
            ),
        }
    }
}

/// The scheduled targets whose next check is due at `now`: never checked, or checked at least
/// their interval ago. `hour` is an hour, except in the app's test mode, which shortens it so
/// an end-to-end test can watch a schedule fire.
pub fn due_targets(
    schedule: &WatchSchedule,
    state: &WatchState,
    now: DateTime<Utc>,
    hour: Duration,
) -> Vec<String> {
    schedule
        .targets
        .iter()
        .filter(|(id, t)| {
            let every = hour.saturating_mul(t.every_hours);
            match state.last_checked(id) {
                None => true,
                Some(last) => (now - last).to_std().is_ok_and(|elapsed| elapsed >= every),
            }
        })
        .map(|(id, _)| id.clone())
        .collect()
}
