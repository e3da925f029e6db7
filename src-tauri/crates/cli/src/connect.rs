//! The JumpCloud connection the CLI uses: region, organization and address from flags, else
//! from the app's saved settings; the API key from `JUMPCLOUD_API_KEY`, else the OS keychain.
//! The key is never printed, logged or put into an error message.

use std::path::Path;

use clap::{Args, ValueEnum};
use engine::config::JumpCloudSettings;

use crate::error::{CliError, CliResult};

/// Environment variable read for the API key before the keychain.
pub const KEY_ENV: &str = "JUMPCLOUD_API_KEY";

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum RegionArg {
    Us,
    Eu,
}

#[derive(Args, Clone, Debug, Default)]
pub struct ConnectArgs {
    /// JumpCloud region of the organization [default: the app's saved setting, else us].
    #[arg(long, value_enum, global = true)]
    pub region: Option<RegionArg>,

    /// Organization id (x-org-id), required for multi-tenant administrator keys
    /// [default: the app's saved setting].
    #[arg(long = "org", value_name = "ID", global = true)]
    pub org_id: Option<String>,

    /// Talk to this address instead of the region's API, e.g. the JumpCloud simulator on
    /// http://127.0.0.1:PORT (plain http is accepted only on loopback).
    #[arg(long, value_name = "URL", global = true)]
    pub base_url: Option<String>,
}

/// Hidden override of the keychain service name, so tests never touch the real app's entries.
const SERVICE_ENV: &str = "SCIM_COMPANION_KEYCHAIN_SERVICE";

/// The OS keychain under the app's service name (the one the desktop app writes).
pub fn vault() -> secrets::Vault {
    match std::env::var(SERVICE_ENV).ok().filter(|s| !s.is_empty()) {
        Some(service) => secrets::Vault::new(service),
        None => secrets::Vault::default(),
    }
}

/// Where the key came from, for the progress line (never the key itself).
pub enum KeySource {
    Env,
    Keychain,
}

/// The settings to connect with: flags over saved settings over defaults.
pub fn settings(args: &ConnectArgs, data_dir: Option<&Path>) -> JumpCloudSettings {
    // Defaults only: a settings file that does not load leaves the flags and the environment
    // to say where to connect (`api_key` reports the file if the keychain's key is wanted).
    let saved = saved_connection(data_dir).ok().flatten();
    let region = match args.region {
        Some(RegionArg::Us) => jumpcloud::Region::Us,
        Some(RegionArg::Eu) => jumpcloud::Region::Eu,
        None => saved.as_ref().map_or(jumpcloud::Region::Us, |s| s.region),
    };
    // An explicit region means "that region's API", not a saved custom address.
    let base_url = args.base_url.clone().or_else(|| {
        args.region
            .is_none()
            .then(|| saved.as_ref().and_then(|s| s.base_url.clone()))
            .flatten()
    });
    JumpCloudSettings {
        region,
        org_id: args
            .org_id
            .clone()
            .or_else(|| saved.as_ref().and_then(|s| s.org_id.clone())),
        base_url,
        key_saved_at: None,
    }
}

/// The API key from the environment, else the keychain entry the app saves. The keychain's key
/// is used only with the address the app saved it for (the flags may not move it elsewhere).
/// The API key from `JUMPCLOUD_API_KEY`, if set; used for this run, never stored.
pub fn env_key() -> Option<secrets::Secret> {
    std::env::var(KEY_ENV)
        .ok()
        .map(|k| k.trim().to_owned())
        .filter(|k| !k.is_empty())
        .map(secrets::Secret::new)
}

/// Says where a read of the saved connection goes and whose key it sends, before it starts.
pub fn announce_saved(settings: &JumpCloudSettings) {
    let base = settings
        .base_url
        .as_deref()
        .unwrap_or(settings.region.base_url());
    eprintln!(
        "JumpCloud: {}{} (API key from {})",
        base.trim_end_matches('/'),
        settings
            .org_id
            .as_deref()
            .map(|o| format!(", organization {o}"))
            .unwrap_or_default(),
        if env_key().is_some() {
            KEY_ENV
        } else {
            "the OS keychain"
        }
    );
}

pub fn api_key(
    settings: &JumpCloudSettings,
    data_dir: Option<&Path>,
) -> CliResult<(String, KeySource)> {
    if let Some(key) = std::env::var(KEY_ENV).ok().filter(|k| !k.trim().is_empty()) {
        return Ok((key.trim().to_owned(), KeySource::Env));
    }
    // The keychain's key may only go where the saved connection says, so a settings file that
    // does not load is reported as such, not as a missing connection.
    let saved = saved_connection(data_dir).map_err(engine::Error::from)?;
    match &saved {
        Some(saved) => engine::setup::check_jumpcloud_key(saved, settings).map_err(|e| {
            CliError::from(e).with_hint(format!(
                "Set {KEY_ENV} in the environment for another address; the key in the OS keychain \
                 is only sent to the address saved in the app (Setup > JumpCloud)."
            ))
        })?,
        None => {
            return Err(CliError::new(format!(
                "no JumpCloud API key: {KEY_ENV} is not set and the app has no saved JumpCloud \
                 connection that says where the keychain's key may be sent"
            ))
            .with_hint(format!(
                "Set {KEY_ENV} in the environment, or save the connection in the app (Setup > JumpCloud)."
            )))
        }
    }
    let vault = vault();
    let how = format!(
        "Set {KEY_ENV} in the environment, or save the key in the app (Setup > JumpCloud), which \
         keeps it in the OS keychain."
    );
    match vault.get(&engine::setup::jumpcloud_account()) {
        Ok(Some(key)) => Ok((key.expose().to_owned(), KeySource::Keychain)),
        Ok(None) => Err(CliError::new(format!(
            "no JumpCloud API key: {KEY_ENV} is not set and the OS keychain has none"
        ))
        .with_hint(how)),
        // No keychain at all: saving the key in the app cannot help either, so say what to
        // install, and that the environment works without one.
        Err(e @ secrets::Error::Unavailable { .. }) => {
            let secrets::Error::Unavailable { reason } = &e else {
                unreachable!("matched above")
            };
            Err(CliError::new(format!(
                "no JumpCloud API key: {KEY_ENV} is not set and there is no OS keychain to read \
                 the app's saved key from ({reason})"
            ))
            .with_hint(format!(
                "Set {KEY_ENV} in the environment (used for this run, never stored). {}",
                e.hint()
            )))
        }
        Err(e) => Err(CliError::new(format!(
            "no JumpCloud API key: {KEY_ENV} is not set and the keychain cannot be read ({e})"
        ))
        .with_hint(how)),
    }
}

/// The JumpCloud connection saved in the app, if any.
fn saved_connection(
    data_dir: Option<&Path>,
) -> Result<Option<JumpCloudSettings>, engine::config::Error> {
    match data_dir {
        Some(dir) => Ok(engine::config::load(dir)?.and_then(|c| c.jumpcloud)),
        None => Ok(None),
    }
}

/// A client for the settings and key, after saying on stderr where it connects to.
pub fn client(
    settings: &JumpCloudSettings,
    data_dir: Option<&Path>,
) -> CliResult<jumpcloud::Client> {
    let (key, source) = api_key(settings, data_dir)?;
    let client = engine::setup::jumpcloud_client(settings, &key)?;
    announce(&client, settings, &source);
    Ok(client)
}

/// Says on stderr where the CLI connects to and where the key came from (never the key).
fn announce(client: &jumpcloud::Client, settings: &JumpCloudSettings, source: &KeySource) {
    eprintln!(
        "JumpCloud: {}{} (API key from {})",
        client.base_url().as_str().trim_end_matches('/'),
        settings
            .org_id
            .as_deref()
            .map(|o| format!(", organization {o}"))
            .unwrap_or_default(),
        match source {
            KeySource::Env => KEY_ENV,
            KeySource::Keychain => "the OS keychain",
        }
    );
}

/// Reads the whole directory (all-or-nothing), optionally for one application only, with
/// progress on stderr.
pub async fn snapshot(
    client: &jumpcloud::Client,
    app_id: Option<&str>,
) -> CliResult<jumpcloud::Directory> {
    let options = jumpcloud::SnapshotOptions {
        app_id: app_id.map(str::to_owned),
        ..jumpcloud::SnapshotOptions::default()
    };
    let progress = crate::progress::Progress::new();
    let started = std::time::Instant::now();
    let directory = client
        .snapshot(
            &options,
            |p| progress.update(&progress_text(&p)),
            &crate::cancel::on_ctrl_c(),
        )
        .await;
    progress.finish();
    let directory = directory?;
    report_read(&directory, client.request_count(), started.elapsed());
    Ok(directory)
}

pub fn progress_text(p: &jumpcloud::SnapshotProgress) -> String {
    let phase = match p.phase {
        jumpcloud::SnapshotPhase::Collections => "users, groups, applications",
        jumpcloud::SnapshotPhase::Relations => "memberships and bindings",
        jumpcloud::SnapshotPhase::Done => "done",
    };
    format!(
        "reading JumpCloud: {phase} {}/{} ({} requests)",
        p.done, p.total, p.requests
    )
}

pub fn report_read(directory: &jumpcloud::Directory, requests: u64, took: std::time::Duration) {
    let stats = directory.stats();
    eprintln!(
        "read {} users, {} groups, {} applications with {} requests in {:.1} s",
        stats.users,
        stats.groups,
        stats.applications,
        requests,
        took.as_secs_f64()
    );
}
