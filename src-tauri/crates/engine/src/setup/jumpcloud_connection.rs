//! The JumpCloud connection: save it (API key to the keychain), test it, and read back the
//! saved settings and key.

use std::path::Path;

use chrono::Utc;
use secrets::{Secret, SecretStore};

use super::{check_jumpcloud_key, jumpcloud_account};
use crate::config::{self, JumpCloudSettings};
use crate::error::{Error, Result};

/// Saves the JumpCloud connection; `api_key` (when given) goes to the keychain first.
pub fn save_jumpcloud(
    data_dir: &Path,
    secrets: &dyn SecretStore,
    region: jumpcloud::Region,
    org_id: Option<&str>,
    base_url: Option<&str>,
    api_key: Option<&str>,
) -> Result<JumpCloudSettings> {
    let mut workspace = config::load_or_default(data_dir)?;
    let previous = workspace.jumpcloud.clone();
    let api_key = api_key.map(str::trim).filter(|k| !k.is_empty());
    if api_key.is_none() && previous.as_ref().and_then(|p| p.key_saved_at).is_none() {
        return Err(Error::InvalidSetting(
            "enter the JumpCloud API key (Settings > API key in the JumpCloud admin portal)".into(),
        ));
    }
    let base_url = base_url.map(str::trim).filter(|u| !u.is_empty());
    if let Some(url) = base_url {
        jumpcloud::parse_base_url(url)?;
    }
    let settings = JumpCloudSettings {
        region,
        org_id: org_id
            .map(str::trim)
            .filter(|o| !o.is_empty())
            .map(str::to_owned),
        base_url: base_url.map(str::to_owned),
        key_saved_at: match api_key {
            Some(_) => Some(Utc::now()),
            None => previous.as_ref().and_then(|p| p.key_saved_at),
        },
    };
    if let (None, Some(previous)) = (api_key, &previous) {
        // Keeping the stored key is allowed only at the address it was saved for.
        check_jumpcloud_key(previous, &settings)?;
    }
    if let Some(key) = api_key {
        secrets.set(&jumpcloud_account(), key)?;
    }
    workspace.jumpcloud = Some(settings.clone());
    config::save(data_dir, &workspace)?;
    Ok(settings)
}

/// A JumpCloud SSO application, for the app picker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppSummary {
    pub id: String,
    /// What the console shows: the label, else the display name, else the catalog name.
    pub label: String,
    /// Catalog name of the template (e.g. `aws-identity-center`).
    pub catalog_name: String,
    pub active: bool,
}

/// A client for the given JumpCloud settings and key.
pub fn jumpcloud_client(settings: &JumpCloudSettings, api_key: &str) -> Result<jumpcloud::Client> {
    let mut config = match &settings.base_url {
        Some(url) => jumpcloud::ClientConfig::with_base_url(api_key, url)?,
        None => jumpcloud::ClientConfig::new(settings.region, api_key),
    };
    if let Some(org) = &settings.org_id {
        config = config.org_id(org.clone());
    }
    Ok(jumpcloud::Client::new(config)?)
}

/// Test for the JumpCloud connection: lists the SSO applications (read-only).
pub async fn test_jumpcloud(
    settings: &JumpCloudSettings,
    api_key: &str,
) -> Result<Vec<AppSummary>> {
    let client = jumpcloud_client(settings, api_key)?;
    let mut apps: Vec<AppSummary> = client
        .applications()
        .await?
        .into_iter()
        .map(|a| AppSummary {
            label: a
                .display_label
                .clone()
                .or_else(|| a.display_name.clone())
                .unwrap_or_else(|| a.name.clone()),
            catalog_name: a.name,
            id: a.id,
            active: a.active,
        })
        .collect();
    apps.sort_by_key(|a| a.label.to_lowercase());
    Ok(apps)
}

/// The API key for a JumpCloud test with `wanted` settings: the one entered, else the stored
/// one, and that only while `wanted` keeps the address it was saved for.
pub fn jumpcloud_key_for(
    data_dir: &Path,
    secrets: &dyn SecretStore,
    wanted: &JumpCloudSettings,
    entered: Option<&str>,
) -> Result<Secret> {
    if let Some(key) = entered.map(str::trim).filter(|k| !k.is_empty()) {
        return Ok(Secret::new(key));
    }
    let saved = config::load_or_default(data_dir)?
        .jumpcloud
        .ok_or(Error::JumpCloudNotConfigured)?;
    check_jumpcloud_key(&saved, wanted)?;
    secrets
        .get(&jumpcloud_account())?
        .ok_or(Error::JumpCloudNotConfigured)
}

/// The saved JumpCloud settings and key, or why they cannot be used.
pub fn saved_jumpcloud(
    data_dir: &Path,
    secrets: &dyn SecretStore,
) -> Result<(JumpCloudSettings, Secret)> {
    let settings = config::load_or_default(data_dir)?
        .jumpcloud
        .ok_or(Error::JumpCloudNotConfigured)?;
    let key = secrets
        .get(&jumpcloud_account())?
        .ok_or(Error::JumpCloudNotConfigured)?;
    Ok((settings, key))
}

/// The applications of the saved JumpCloud connection (the wizard's app picker).
pub async fn jumpcloud_apps(data_dir: &Path, secrets: &dyn SecretStore) -> Result<Vec<AppSummary>> {
    let (settings, key) = saved_jumpcloud(data_dir, secrets)?;
    test_jumpcloud(&settings, key.expose()).await
}
