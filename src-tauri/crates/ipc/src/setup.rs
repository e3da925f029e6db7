//! Setup: the target wizards and the JumpCloud connection. No secret ever travels back to the UI:
//! secrets arrive in the commands' `credentials`/`api_key` arguments and go to the keychain.

use secrets::Secret;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{capitalise, IpcError};

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

impl UrlCheck {
    /// Checks `base_url` for a target of `kind` as the wizard's URL field is typed: the URL
    /// as it would be saved, or what to fix, and the rule it is held to.
    pub fn of(kind: targets::Kind, base_url: &str, local_endpoint: bool) -> Self {
        let rule = if local_endpoint {
            "http(s)://localhost, 127.0.0.1 or [::1] on this computer".to_owned()
        } else {
            targets::Profile::new(kind).info().url_template.to_owned()
        };
        let mut draft = engine::setup::TargetDraft::new(kind, "", base_url);
        draft.local_endpoint = local_endpoint;
        let (normalized, problem) = match draft.normalized_url() {
            Ok(url) => (Some(url), None),
            Err(engine::Error::Target(e)) => match *e {
                targets::Error::InvalidBaseUrl { problem, .. } => {
                    (None, Some(crate::capitalise(&problem.to_string())))
                }
                other => (None, Some(other.to_string())),
            },
            Err(other) => (None, Some(other.to_string())),
        };
        UrlCheck {
            ok: normalized.is_some(),
            normalized,
            problem,
            rule,
        }
    }
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

impl SetupState {
    /// The setup page's view of the saved settings and the keychain.
    pub fn new(saved: &engine::session::SavedSetup, keychain: KeychainStatus) -> Self {
        SetupState {
            keychain,
            targets: saved
                .targets
                .iter()
                .map(|(t, problem)| SavedTarget::new(t, problem.as_ref()))
                .collect(),
            jumpcloud: saved.jumpcloud.as_ref().map(JumpCloudConnection::from),
            settings_path: saved.settings_path.display().to_string(),
            settings_error: saved.settings_error.as_deref().map(IpcError::from),
        }
    }
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

impl From<secrets::Status> for KeychainStatus {
    fn from(status: secrets::Status) -> Self {
        match status {
            secrets::Status::Available => KeychainStatus {
                available: true,
                reason: None,
                hint: None,
            },
            secrets::Status::Unavailable { reason } => {
                let e = secrets::Error::Unavailable { reason };
                KeychainStatus {
                    available: false,
                    reason: Some(e.to_string()),
                    hint: Some(e.hint().to_owned()),
                }
            }
        }
    }
}

/// The wizard's draft as the engine checks it; an empty id is a new target, an empty token
/// date keeps the saved one. Fails on a token date that is not `YYYY-MM-DD`.
impl TryFrom<&TargetDraft> for engine::setup::TargetDraft {
    type Error = engine::Error;

    fn try_from(d: &TargetDraft) -> engine::Result<Self> {
        let token_created_on = d
            .token_created_on
            .as_deref()
            .filter(|t| !t.trim().is_empty())
            .map(engine::setup::parse_token_date)
            .transpose()?;
        Ok(engine::setup::TargetDraft {
            id: d.id.clone().filter(|id| !id.is_empty()),
            kind: d.kind,
            name: d.name.clone(),
            base_url: d.base_url.clone(),
            local_endpoint: d.local_endpoint,
            jumpcloud_app_id: d.jumpcloud_app_id.clone(),
            manage_groups: d.manage_groups,
            validated_domains: d.validated_domains.clone(),
            token_created_on,
        })
    }
}

impl From<engine::setup::ProbeReport> for ProbeResult {
    fn from(report: engine::setup::ProbeReport) -> Self {
        ProbeResult {
            base_url: report.base_url,
            latency_ms: report.latency.as_millis() as u64,
            requests: report.requests,
            discovery: match report.discovery {
                engine::DiscoveryState::Available => DiscoveryStatus::Available,
                engine::DiscoveryState::Unavailable { status } => {
                    DiscoveryStatus::Unavailable { status }
                }
            },
            patch: report.patch,
            bulk: report.bulk,
            filter: report.filter,
            filter_max_results: report.filter_max_results,
            sort: report.sort,
            etag: report.etag,
            schemas: report.schemas,
            resource_types: report.resource_types.map(|r| {
                r.into_iter()
                    .map(|(name, endpoint)| ResourceTypeDto { name, endpoint })
                    .collect()
            }),
            user_count: report.user_count,
            group_count: report.group_count,
            paging: report.paging,
            page_size: report.page_size,
        }
    }
}

impl From<engine::setup::WriteTestReport> for WriteTestResult {
    fn from(report: engine::setup::WriteTestReport) -> Self {
        WriteTestResult {
            user_name: report.user_name,
            created_id: report.created_id,
            deleted: report.cleanup == engine::setup::WriteCleanup::Deleted,
            steps: report.steps,
        }
    }
}

impl From<engine::setup::Removed> for RemoveResult {
    fn from(removed: engine::setup::Removed) -> Self {
        RemoveResult {
            secret_deleted: removed.secret_deleted,
            secret_problem: removed.secret_problem,
        }
    }
}

impl From<&engine::config::TargetAuth> for SavedAuth {
    fn from(auth: &engine::config::TargetAuth) -> Self {
        use engine::config::TargetAuth;
        match auth {
            TargetAuth::Bearer => SavedAuth::Bearer,
            TargetAuth::Basic { key_id } => SavedAuth::Basic {
                key_id: key_id.clone(),
            },
            TargetAuth::Header { name } => SavedAuth::Header { name: name.clone() },
        }
    }
}

impl SavedTarget {
    /// A saved target with why it cannot be used right now, if so.
    pub fn new(
        t: &engine::config::TargetSettings,
        problem: Option<&engine::TargetProblem>,
    ) -> Self {
        SavedTarget {
            id: t.id.clone(),
            kind: t.kind,
            name: t.name.clone(),
            base_url: t.base_url.clone(),
            local_endpoint: t.local_endpoint,
            auth: (&t.auth).into(),
            jumpcloud_app_id: t.jumpcloud_app_id.clone(),
            manage_groups: t.manage_groups,
            validated_domains: t.validated_domains.clone(),
            created_at: t.created_at.to_rfc3339(),
            token_saved_at: t.token_saved_at.map(|d| d.to_rfc3339()),
            token_created_on: t.token_created_on.map(|d| d.format("%Y-%m-%d").to_string()),
            problem: problem.map(|p| format!("{}: {}", capitalise(&p.to_string()), p.hint())),
        }
    }
}

impl From<jumpcloud::Region> for JumpCloudRegion {
    fn from(r: jumpcloud::Region) -> Self {
        match r {
            jumpcloud::Region::Us => JumpCloudRegion::Us,
            jumpcloud::Region::Eu => JumpCloudRegion::Eu,
        }
    }
}

impl From<&JumpCloudRegion> for jumpcloud::Region {
    fn from(r: &JumpCloudRegion) -> Self {
        match r {
            JumpCloudRegion::Us => jumpcloud::Region::Us,
            JumpCloudRegion::Eu => jumpcloud::Region::Eu,
        }
    }
}

impl From<&engine::config::JumpCloudSettings> for JumpCloudConnection {
    fn from(j: &engine::config::JumpCloudSettings) -> Self {
        JumpCloudConnection {
            region: j.region.into(),
            org_id: j.org_id.clone(),
            base_url: j.base_url.clone(),
            key_saved_at: j.key_saved_at.map(|d| d.to_rfc3339()),
        }
    }
}

impl From<engine::setup::AppSummary> for JumpCloudApp {
    fn from(a: engine::setup::AppSummary) -> Self {
        JumpCloudApp {
            id: a.id,
            label: a.label,
            catalog_name: a.catalog_name,
            active: a.active,
        }
    }
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

    fn draft(token_created_on: Option<&str>) -> TargetDraft {
        TargetDraft {
            id: Some(String::new()),
            kind: targets::Kind::Generic,
            name: "Test".into(),
            base_url: "https://scim.example.org/v2".into(),
            local_endpoint: false,
            jumpcloud_app_id: None,
            manage_groups: true,
            validated_domains: vec![],
            token_created_on: token_created_on.map(str::to_owned),
        }
    }

    #[test]
    fn an_empty_id_is_a_new_target_and_an_empty_date_keeps_the_saved_one() {
        let core = engine::setup::TargetDraft::try_from(&draft(Some(" "))).unwrap();
        assert_eq!(core.id, None);
        assert_eq!(core.token_created_on, None);
        let dated = engine::setup::TargetDraft::try_from(&draft(Some("2026-03-01"))).unwrap();
        assert_eq!(
            dated.token_created_on.map(|d| d.to_string()).as_deref(),
            Some("2026-03-01")
        );
    }

    #[test]
    fn a_token_date_that_is_not_a_date_is_refused() {
        let e = engine::setup::TargetDraft::try_from(&draft(Some("yesterday"))).unwrap_err();
        assert_eq!(IpcError::from(&e).code, crate::ErrorCode::InvalidInput);
    }

    #[test]
    fn a_saved_target_shows_its_problem_as_a_sentence_with_the_fix() {
        let settings: engine::config::TargetSettings = serde_json::from_value(serde_json::json!({
            "id": "t1",
            "kind": "unity",
            "name": "Unity",
            "base_url": "https://services.api.unity.com/scim/v2",
            "auth": { "kind": "basic", "key_id": "kid" },
            "manage_groups": false,
            "created_at": "2026-01-02T03:04:05Z",
            "token_created_on": "2026-01-01"
        }))
        .unwrap();
        let saved = SavedTarget::new(&settings, Some(&engine::TargetProblem::TokenMissing));
        assert_eq!(
            saved.auth,
            SavedAuth::Basic {
                key_id: "kid".into()
            }
        );
        assert_eq!(saved.token_created_on.as_deref(), Some("2026-01-01"));
        assert_eq!(saved.created_at, "2026-01-02T03:04:05+00:00");
        let problem = saved.problem.unwrap();
        assert!(
            problem.starts_with("Its token is not in the keychain: "),
            "{problem}"
        );
    }

    #[test]
    fn regions_round_trip() {
        for r in [JumpCloudRegion::Us, JumpCloudRegion::Eu] {
            assert_eq!(JumpCloudRegion::from(jumpcloud::Region::from(&r)), r);
        }
    }

    #[test]
    fn an_unavailable_keychain_says_why_and_what_to_do() {
        let status = KeychainStatus::from(secrets::Status::Unavailable {
            reason: "no D-Bus".into(),
        });
        assert!(!status.available);
        assert!(status.reason.is_some() && status.hint.is_some());
        assert!(KeychainStatus::from(secrets::Status::Available).available);
    }

    #[test]
    fn a_url_check_normalizes_or_says_what_to_fix_and_names_the_rule() {
        let ok = UrlCheck::of(
            targets::Kind::Generic,
            "https://scim.example.com/scim/v2/",
            false,
        );
        assert!(ok.ok && ok.problem.is_none(), "{ok:?}");
        assert_eq!(
            ok.normalized.as_deref(),
            Some("https://scim.example.com/scim/v2")
        );

        let bad = UrlCheck::of(targets::Kind::Aws, "http://example.com/scim", false);
        assert!(!bad.ok && bad.normalized.is_none(), "{bad:?}");
        let problem = bad.problem.unwrap();
        assert!(problem.starts_with(char::is_uppercase), "{problem}");
        assert!(bad.rule.contains("amazonaws.com"), "{}", bad.rule);

        let local = UrlCheck::of(targets::Kind::Aws, "http://127.0.0.1:9/scim/v2", true);
        assert!(local.ok, "{local:?}");
        assert!(local.rule.contains("on this computer"));
    }
}
