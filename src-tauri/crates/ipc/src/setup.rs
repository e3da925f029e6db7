//! Setup: the target wizards and the JumpCloud connection. No secret ever travels back to the UI:
//! secrets arrive in the commands' `credentials`/`api_key` arguments and go to the keychain.

use secrets::Secret;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::IpcError;

/// Whether the OS keychain can hold tokens on this machine.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct KeychainStatus {
    pub available: bool,
    /// Why not, in the platform's words.
    pub reason: Option<String>,
    /// What to install or unlock.
    pub hint: Option<String>,
}

/// What the wizard edits. `id` is set when editing a saved target.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct TargetDraft {
    pub id: Option<String>,
    pub kind: targets::Kind,
    pub name: String,
    pub base_url: String,
    /// "Advanced: local test endpoint": loopback only, the vendor's URL rule is not applied.
    pub local_endpoint: bool,
    pub jumpcloud_app_id: Option<String>,
    pub manage_groups: bool,
    pub validated_domains: Vec<String>,
    /// `YYYY-MM-DD`: the day the vendor created the token; `null` keeps the saved date (or, with
    /// a newly entered token, means today).
    #[serde(default)]
    pub token_created_on: Option<String>,
}

/// The live check of a base URL against its target's rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct UrlCheck {
    pub ok: bool,
    /// The URL as it will be saved (trailing slash removed, host lower-cased).
    pub normalized: Option<String>,
    /// What to fix, when not ok.
    pub problem: Option<String>,
    /// The rule, e.g. `https://scim.<region>.amazonaws.com/<tenant id>/scim/v2`.
    pub rule: String,
}

/// Whether Test Connection could read the target's SCIM discovery (`/ServiceProviderConfig`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(tag = "state", rename_all = "snake_case")]
#[ts(export)]
pub enum DiscoveryStatus {
    Available,
    /// The target has no discovery (it answered `status`: 404, 405 or 501). Not an error: the
    /// read probe still ran; the capability flags are unknown rather than "no".
    Unavailable {
        status: u16,
    },
}

/// What Test Connection found (read-only: discovery and one-item list pages).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct ProbeResult {
    pub base_url: String,
    #[ts(type = "number")]
    pub latency_ms: u64,
    #[ts(type = "number")]
    pub requests: u64,
    pub discovery: DiscoveryStatus,
    pub patch: bool,
    pub bulk: bool,
    pub filter: bool,
    #[ts(type = "number | null")]
    pub filter_max_results: Option<u64>,
    pub sort: bool,
    pub etag: bool,
    /// Schema ids from `/Schemas`; `null` when the target does not serve it.
    pub schemas: Option<Vec<String>>,
    /// `/ResourceTypes`; `null` when not served.
    pub resource_types: Option<Vec<ResourceTypeDto>>,
    #[ts(type = "number | null")]
    pub user_count: Option<u64>,
    #[ts(type = "number | null")]
    pub group_count: Option<u64>,
    /// How the app pages through this target's lists.
    pub paging: targets::PagingStyle,
    pub page_size: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ResourceTypeDto {
    pub name: String,
    pub endpoint: String,
}

/// How a saved target authenticates (the secret itself is in the keychain).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[ts(export)]
pub enum SavedAuth {
    Bearer,
    Basic { key_id: String },
    Header { name: String },
}

/// A configured target as the setup page lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SavedTarget {
    pub id: String,
    pub kind: targets::Kind,
    pub name: String,
    pub base_url: String,
    pub local_endpoint: bool,
    pub auth: SavedAuth,
    pub jumpcloud_app_id: Option<String>,
    pub manage_groups: bool,
    pub validated_domains: Vec<String>,
    /// RFC 3339.
    pub created_at: String,
    /// RFC 3339; when the token was stored in the keychain.
    pub token_saved_at: Option<String>,
    /// `YYYY-MM-DD`: the day the vendor created the token (its lifetime runs from here).
    pub token_created_on: Option<String>,
    /// Why the target cannot be used right now (token missing, keychain locked), if so.
    pub problem: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum JumpCloudRegion {
    Us,
    Eu,
}

/// The saved JumpCloud connection (the API key is in the keychain).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct JumpCloudConnection {
    pub region: JumpCloudRegion,
    pub org_id: Option<String>,
    /// An explicit API address (proxy, simulator); `null` for the region's.
    pub base_url: Option<String>,
    /// RFC 3339; when the API key was stored.
    pub key_saved_at: Option<String>,
}

/// The JumpCloud form. `api_key` is `null` to keep the stored key.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, TS)]
#[ts(export)]
pub struct JumpCloudForm {
    pub region: JumpCloudRegion,
    pub org_id: Option<String>,
    pub base_url: Option<String>,
    #[ts(type = "string | null")]
    pub api_key: Option<Secret>,
}

/// A JumpCloud SSO application, for the app picker.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct JumpCloudApp {
    pub id: String,
    pub label: String,
    pub catalog_name: String,
    pub active: bool,
}

/// Everything the setup page shows besides the static profiles.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SetupState {
    pub keychain: KeychainStatus,
    pub targets: Vec<SavedTarget>,
    pub jumpcloud: Option<JumpCloudConnection>,
    /// Where the settings live.
    pub settings_path: String,
    /// The settings file could not be read; it is left untouched and saving is refused.
    pub settings_error: Option<IpcError>,
}

/// What removing a target did about its token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RemoveResult {
    pub secret_deleted: bool,
    pub secret_problem: Option<String>,
}

/// What the optional write test did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct WriteTestResult {
    pub user_name: String,
    pub created_id: String,
    /// False when the target cannot delete users and the test user was deactivated instead.
    pub deleted: bool,
    pub steps: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "jc-form-key-5e2a9c";

    #[test]
    fn the_jumpcloud_form_takes_the_key_in_and_never_prints_it() {
        let form: JumpCloudForm = serde_json::from_str(&format!(
            r#"{{"region":"eu","org_id":"o1","base_url":null,"api_key":"{KEY}"}}"#
        ))
        .unwrap();
        assert_eq!(form.api_key.as_ref().map(Secret::expose), Some(KEY));
        assert!(!format!("{form:?} {form:#?}").contains(KEY));
        let kept: JumpCloudForm =
            serde_json::from_str(r#"{"region":"us","org_id":null,"base_url":null,"api_key":null}"#)
                .unwrap();
        assert!(kept.api_key.is_none());
    }

    #[test]
    fn target_credentials_from_the_wizard_never_print_their_secret() {
        for json in [
            format!(r#"{{"kind":"bearer","token":"{KEY}"}}"#),
            format!(r#"{{"kind":"basic","key_id":"kid","secret_key":"{KEY}"}}"#),
            format!(r#"{{"kind":"header","name":"X-Key","value":"{KEY}"}}"#),
        ] {
            let c: targets::Credentials = serde_json::from_str(&json).unwrap();
            assert!(!format!("{c:?} {c:#?}").contains(KEY), "{json}");
        }
    }
}
