//! Token lifetimes: the expiry warning, the token's creation date, and replacing a saved
//! target's token.

use std::path::Path;

use chrono::{NaiveDate, Utc};
use secrets::SecretStore;

use super::target_account;
use crate::config::{self, TargetAuth, TargetSettings};
use crate::error::{Error, Result};

/// Days a token warning shows before the expected expiry.
pub const TOKEN_WARNING_DAYS: i64 = 30;

/// A warning for Home and the CLI when a target's token is near or past its expected expiry
/// (from the target's documented lifetime and the day the vendor created the token, else the
/// day it was saved); `None` otherwise, and when the lifetime is not documented.
pub fn token_warning(target: &TargetSettings, now: chrono::DateTime<Utc>) -> Option<String> {
    let lifetime = targets::token_facts(target.kind).lifetime?;
    let (start, how) = token_start(target)?;
    let left = i64::from(lifetime.days) - (now.date_naive() - start).num_days();
    let source = match lifetime.source {
        targets::Source::Vendor => "",
        targets::Source::Secondary => " (lifetime from third-party sources)",
    };
    let day = start.format("%Y-%m-%d");
    if left < 0 {
        Some(format!(
            "The token {how} on {day} has probably expired ({} days ago){source}; create a new one and update it in Setup.",
            -left
        ))
    } else if left <= TOKEN_WARNING_DAYS {
        Some(format!(
            "The token {how} on {day} expires in about {left} days{source}; create a new one and update it in Setup (and in JumpCloud)."
        ))
    } else {
        None
    }
}

/// The day a token's lifetime starts and how it is known ("created" or "saved").
pub fn token_start(target: &TargetSettings) -> Option<(NaiveDate, &'static str)> {
    match (target.token_created_on, target.token_saved_at) {
        (Some(day), _) => Some((day, "created")),
        (None, Some(saved)) => Some((saved.date_naive(), "saved")),
        (None, None) => None,
    }
}

/// A token creation date as the admin types it (`YYYY-MM-DD`).
pub fn parse_token_date(text: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").map_err(|_| {
        Error::InvalidSetting(format!(
            "{:?} is not a date like 2026-01-31 (the day the token was created)",
            text.trim()
        ))
    })
}

/// A creation date cannot lie in the future (one day of slack for time zones).
pub(super) fn checked_token_date(day: NaiveDate, now: chrono::DateTime<Utc>) -> Result<NaiveDate> {
    if day > now.date_naive() + chrono::Days::new(1) {
        return Err(Error::InvalidSetting(format!(
            "the token's creation date {day} is in the future"
        )));
    }
    Ok(day)
}

/// Stores a new secret for a saved target (the CLI's `targets set-token`), checked by the
/// target's credential rules, with the day the vendor created it (default today).
pub fn set_target_token(
    data_dir: &Path,
    secrets: &dyn SecretStore,
    id: &str,
    secret: &str,
    created_on: Option<NaiveDate>,
) -> Result<TargetSettings> {
    let mut workspace = config::load_or_default(data_dir)?;
    let mut target = workspace
        .target(id)
        .cloned()
        .ok_or_else(|| Error::UnknownTarget(id.to_owned()))?;
    let credentials = target.auth.with_secret(secret).validated(target.kind)?;
    let now = Utc::now();
    target.token_created_on = Some(match created_on {
        Some(day) => checked_token_date(day, now)?,
        None => now.date_naive(),
    });
    target.token_saved_at = Some(now);
    target.auth = TargetAuth::of(&credentials);
    secrets.set(&target_account(id), &TargetAuth::secret_of(&credentials))?;
    workspace.upsert_target(target.clone());
    config::save(data_dir, &workspace)?;
    Ok(target)
}
