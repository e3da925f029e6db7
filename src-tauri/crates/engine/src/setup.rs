//! Setting up targets and the JumpCloud connection: test a configuration before it is saved,
//! save and remove targets (secret to the keychain, everything else to `settings.json`), and
//! open the configured workspace.
//!
//! ```no_run
//! # async fn run(data_dir: &std::path::Path) -> engine::Result<()> {
//! use engine::setup::{self, TargetDraft};
//! let vault = secrets::Vault::default();
//! let draft = TargetDraft::new(targets::Kind::Generic, "Test server", "https://scim.example.org/v2");
//! let creds = targets::Credentials::Bearer { token: "t0ken".into() };
//! let report = setup::test_target_config(&draft, &creds).await?; // read-only
//! println!("{} users", report.user_count.unwrap_or(0));
//! let saved = setup::save_target(data_dir, &vault, &draft, Some(creds))?;
//! let workspace = engine::Workspace::open(data_dir, &vault)?; // now lists `saved.id`
//! # Ok(()) }
//! ```

use std::collections::HashMap;
use std::path::Path;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use chrono::{NaiveDate, Utc};
use secrets::Account;

use crate::config::{self, JumpCloudSettings, TargetAuth, TargetSettings, JUMPCLOUD_PROFILE};
use crate::error::{Error, Result};

/// Where secrets are read and written: the OS keychain ([`secrets::Vault`]) in the app and the
/// CLI; [`MemorySecrets`] in tests (and for secrets the CLI takes from the environment).
pub trait SecretStore: Send + Sync {
    fn get(&self, account: &Account) -> secrets::Result<Option<String>>;
    fn set(&self, account: &Account, secret: &str) -> secrets::Result<()>;
    /// Whether there was something to delete.
    fn delete(&self, account: &Account) -> secrets::Result<bool>;
}

impl SecretStore for secrets::Vault {
    fn get(&self, account: &Account) -> secrets::Result<Option<String>> {
        Ok(secrets::Vault::get(self, account)?.map(|v| v.expose().to_owned()))
    }
    fn set(&self, account: &Account, secret: &str) -> secrets::Result<()> {
        secrets::Vault::set(self, account, secret)
    }
    fn delete(&self, account: &Account) -> secrets::Result<bool> {
        secrets::Vault::delete(self, account)
    }
}

/// Secrets held in memory only. [`MemorySecrets::unavailable`] behaves like a machine without a
/// keychain.
#[derive(Default)]
pub struct MemorySecrets {
    values: Mutex<HashMap<String, String>>,
    unavailable: bool,
}

impl MemorySecrets {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn unavailable() -> Self {
        Self {
            unavailable: true,
            ..Self::default()
        }
    }

    fn check(&self) -> secrets::Result<()> {
        if self.unavailable {
            Err(secrets::Error::Unavailable {
                reason: "no keychain in this test".into(),
            })
        } else {
            Ok(())
        }
    }
}

impl SecretStore for MemorySecrets {
    fn get(&self, account: &Account) -> secrets::Result<Option<String>> {
        self.check()?;
        Ok(self
            .values
            .lock()
            .unwrap()
            .get(&account.to_string())
            .cloned())
    }
    fn set(&self, account: &Account, secret: &str) -> secrets::Result<()> {
        self.check()?;
        self.values
            .lock()
            .unwrap()
            .insert(account.to_string(), secret.to_owned());
        Ok(())
    }
    fn delete(&self, account: &Account) -> secrets::Result<bool> {
        self.check()?;
        Ok(self
            .values
            .lock()
            .unwrap()
            .remove(&account.to_string())
            .is_some())
    }
}

pub fn target_account(target_id: &str) -> Account {
    Account::TargetToken {
        target_id: target_id.to_owned(),
    }
}

pub fn jumpcloud_account() -> Account {
    Account::JumpCloudApiKey {
        profile: JUMPCLOUD_PROFILE.to_owned(),
    }
}

/// A target as the wizard has it before (or while editing after) it is saved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TargetDraft {
    /// `None` for a new target; the id of the target being edited otherwise.
    pub id: Option<String>,
    pub kind: targets::Kind,
    pub name: String,
    pub base_url: String,
    /// The explicit "local test endpoint" choice: loopback only, vendor rule not applied.
    pub local_endpoint: bool,
    pub jumpcloud_app_id: Option<String>,
    pub manage_groups: bool,
    pub validated_domains: Vec<String>,
    /// The day the vendor created the token; `None` keeps the saved date, or for a newly
    /// entered token means today.
    pub token_created_on: Option<NaiveDate>,
}

impl TargetDraft {
    /// A new target with the group-management default of the vendor's guide.
    pub fn new(kind: targets::Kind, name: &str, base_url: &str) -> Self {
        Self {
            id: None,
            kind,
            name: name.to_owned(),
            base_url: base_url.to_owned(),
            local_endpoint: false,
            jumpcloud_app_id: None,
            manage_groups: targets::Settings::default_for(kind).manage_groups,
            validated_domains: Vec::new(),
            token_created_on: None,
        }
    }

    /// The base URL normalised by the rule that applies (vendor rule, or the loopback rule for
    /// a local test endpoint).
    pub fn normalized_url(&self) -> Result<String> {
        let url = if self.local_endpoint {
            targets::normalize_local_endpoint(self.kind, &self.base_url)?
        } else {
            targets::normalize_base_url(self.kind, &self.base_url)?
        };
        Ok(url.as_str().to_owned())
    }
}

/// The URL as the settings hold it, checked again by the rule it was saved under.
pub(crate) fn settings_url(t: &TargetSettings) -> Result<String> {
    let url = if t.local_endpoint {
        targets::normalize_local_endpoint(t.kind, &t.base_url)?
    } else {
        targets::normalize_base_url(t.kind, &t.base_url)?
    };
    Ok(url.as_str().to_owned())
}

pub(crate) fn client(
    kind: targets::Kind,
    url: &str,
    creds: &targets::Credentials,
) -> Result<scim::Client> {
    crate::clients::client_for(kind, url, targets::scim_auth(creds))
}

/// The credentials a test or write test of `draft` uses: those entered, else the ones stored
/// for the target being edited, and those only while the draft keeps the origin they were
/// saved for ([`check_target_secret`]). Nothing is read from the keychain otherwise.
pub fn draft_credentials(
    data_dir: &Path,
    secrets: &dyn SecretStore,
    draft: &TargetDraft,
    entered: Option<targets::Credentials>,
) -> Result<targets::Credentials> {
    if let Some(c) = entered {
        return Ok(c);
    }
    let Some(id) = &draft.id else {
        return Err(Error::Target(Box::new(targets::Error::EmptyField {
            field: targets::FieldId::Token,
        })));
    };
    let workspace = config::load_or_default(data_dir)?;
    let saved = workspace
        .target(id)
        .ok_or_else(|| Error::UnknownTarget(id.clone()))?;
    check_target_secret(saved, draft)?;
    let secret = secrets
        .get(&target_account(id))?
        .ok_or_else(|| Error::TargetUnavailable {
            id: id.clone(),
            problem: crate::TargetProblem::TokenMissing,
        })?;
    Ok(saved.auth.with_secret(&secret))
}

/// What Test Connection found. Read-only: discovery and one-item list pages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProbeReport {
    pub base_url: String,
    pub latency: Duration,
    pub requests: u64,
    /// Without discovery the capability flags below are all false: unknown, not absent.
    pub discovery: crate::connection::DiscoveryState,
    pub patch: bool,
    pub bulk: bool,
    pub filter: bool,
    pub filter_max_results: Option<u64>,
    pub sort: bool,
    pub etag: bool,
    /// Schema ids from `/Schemas`; `None` when the target does not serve it.
    pub schemas: Option<Vec<String>>,
    /// `(name, endpoint)` from `/ResourceTypes`; `None` when not served.
    pub resource_types: Option<Vec<(String, String)>>,
    pub user_count: Option<u64>,
    pub group_count: Option<u64>,
    /// How this app pages through the target's lists (from the target's profile).
    pub paging: targets::PagingStyle,
    pub page_size: u32,
}

/// Test Connection for a configuration that is not saved: validates URL and credentials by the
/// target's rules, then reads ServiceProviderConfig, Schemas and ResourceTypes and counts users
/// and groups with one-item pages. Nothing is written to the target. A wrong token fails with
/// the SCIM client's 401 error and its hint.
pub async fn test_target_config(
    draft: &TargetDraft,
    credentials: &targets::Credentials,
) -> Result<ProbeReport> {
    let url = draft.normalized_url()?;
    let creds = credentials.clone().validated(draft.kind)?;
    let client = client(draft.kind, &url, &creds)?;
    probe(draft.kind, &client).await
}

pub(crate) async fn probe(kind: targets::Kind, client: &scim::Client) -> Result<ProbeReport> {
    let started = Instant::now();
    let discovery = crate::connection::discover(client).await?;
    let spc = discovery.config().cloned().unwrap_or_default();
    // Schemas and ResourceTypes are optional for some vendors; a failure there is "not served",
    // except authentication problems, which the count below reports anyway.
    let schemas = client
        .schemas()
        .await
        .ok()
        .map(|s| s.into_iter().map(|s| s.id).collect());
    let resource_types = client
        .resource_types()
        .await
        .ok()
        .map(|r| r.into_iter().map(|r| (r.name, r.endpoint)).collect());
    let user_count = client.count::<scim::models::User>().await?;
    let group_count = match targets::capabilities(kind).groups.supported {
        true => client.count::<scim::models::Group>().await?,
        false => None,
    };
    let caps = targets::capabilities(kind);
    let page_size = match targets::scim_paging(kind) {
        scim::Paging::Cursor { page_size } | scim::Paging::Index { page_size } => page_size,
    };
    Ok(ProbeReport {
        base_url: client.base_url().to_owned(),
        latency: started.elapsed(),
        requests: client.stats().requests,
        discovery: discovery.state(),
        patch: spc.patch.as_ref().is_some_and(|c| c.supported),
        bulk: spc.bulk.as_ref().is_some_and(|c| c.supported),
        filter: spc.filter.as_ref().is_some_and(|c| c.supported),
        filter_max_results: spc.filter.as_ref().and_then(|f| f.max_results),
        sort: spc.sort.as_ref().is_some_and(|c| c.supported),
        etag: spc.etag.as_ref().is_some_and(|c| c.supported),
        schemas,
        resource_types,
        user_count,
        group_count,
        paging: caps.paging,
        page_size,
    })
}

/// Saves a target: the secret goes to the keychain first (so with no keychain nothing is saved
/// at all), then the settings file. `credentials` may be `None` when editing a saved target
/// whose authentication kind does not change; the stored secret is kept.
pub fn save_target(
    data_dir: &Path,
    secrets: &dyn SecretStore,
    draft: &TargetDraft,
    credentials: Option<targets::Credentials>,
) -> Result<TargetSettings> {
    let base_url = draft.normalized_url()?;
    let settings = targets::Settings {
        manage_groups: draft.manage_groups,
        validated_domains: draft.validated_domains.clone(),
    }
    .normalized()?;
    let name = draft.name.trim();
    if name.is_empty() {
        return Err(Error::InvalidSetting("the target needs a name".into()));
    }
    let mut workspace = config::load_or_default(data_dir)?;
    let existing = match &draft.id {
        Some(id) => Some(
            workspace
                .target(id)
                .cloned()
                .ok_or_else(|| Error::UnknownTarget(id.clone()))?,
        ),
        None => None,
    };
    if let Some(e) = &existing {
        if e.kind != draft.kind {
            return Err(Error::InvalidSetting(
                "a saved target cannot change its kind; add a new target instead".into(),
            ));
        }
    }
    let credentials = credentials.map(|c| c.validated(draft.kind)).transpose()?;
    let auth = match (&credentials, &existing) {
        (Some(c), _) => TargetAuth::of(c),
        (None, Some(e)) => {
            // Keeping the stored secret is allowed only at the address it was saved for.
            check_target_secret(e, draft)?;
            e.auth.clone()
        }
        (None, None) => {
            return Err(Error::Target(Box::new(targets::Error::EmptyField {
                field: targets::FieldId::Token,
            })))
        }
    };
    let id = existing
        .as_ref()
        .map(|e| e.id.clone())
        .unwrap_or_else(|| new_target_id(draft.kind, name, &workspace));
    let now = Utc::now();
    let token_created_on = match (&credentials, draft.token_created_on) {
        (_, Some(day)) => Some(checked_token_date(day, now)?),
        (Some(_), None) => Some(now.date_naive()),
        (None, None) => existing.as_ref().and_then(|e| e.token_created_on),
    };
    let target = TargetSettings {
        id: id.clone(),
        kind: draft.kind,
        name: name.to_owned(),
        base_url,
        local_endpoint: draft.local_endpoint,
        auth,
        jumpcloud_app_id: draft
            .jumpcloud_app_id
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned),
        manage_groups: settings.manage_groups,
        validated_domains: settings.validated_domains,
        created_at: existing.as_ref().map(|e| e.created_at).unwrap_or(now),
        token_saved_at: match &credentials {
            Some(_) => Some(now),
            None => existing.as_ref().and_then(|e| e.token_saved_at),
        },
        token_created_on,
    };
    let account = target_account(&id);
    if let Some(c) = &credentials {
        secrets.set(&account, &TargetAuth::secret_of(c))?;
    }
    workspace.upsert_target(target.clone());
    if let Err(e) = config::save(data_dir, &workspace) {
        if existing.is_none() && credentials.is_some() {
            // Do not leave a secret behind for a target that was never saved.
            let _ = secrets.delete(&account);
        }
        return Err(e.into());
    }
    Ok(target)
}

/// What removing a target did about its secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Removed {
    pub target: TargetSettings,
    /// Whether the keychain held a secret for it that is now deleted.
    pub secret_deleted: bool,
    /// Why the secret could not be deleted (the target is removed anyway).
    pub secret_problem: Option<String>,
}

pub fn remove_target(data_dir: &Path, secrets: &dyn SecretStore, id: &str) -> Result<Removed> {
    let mut workspace = config::load_or_default(data_dir)?;
    let target = workspace
        .remove_target(id)
        .ok_or_else(|| Error::UnknownTarget(id.to_owned()))?;
    config::save(data_dir, &workspace)?;
    let (secret_deleted, secret_problem) = match secrets.delete(&target_account(id)) {
        Ok(deleted) => (deleted, None),
        Err(e) => (false, Some(e.to_string())),
    };
    Ok(Removed {
        target,
        secret_deleted,
        secret_problem,
    })
}

/// `aws-prod-3f9a`: readable, stable, unique in the file.
fn new_target_id(kind: targets::Kind, name: &str, workspace: &config::WorkspaceConfig) -> String {
    let mut slug = String::new();
    for c in name.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            slug.push(c);
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
        if slug.len() >= 24 {
            break;
        }
    }
    let slug = slug.trim_end_matches('-');
    let base = if slug.is_empty() {
        kind.id().replace('_', "-")
    } else {
        slug.to_owned()
    };
    let mut n: u32 = Utc::now().timestamp_subsec_nanos() ^ std::process::id();
    loop {
        let id = format!("{base}-{:04x}", n & 0xffff);
        if workspace.target(&id).is_none() {
            return id;
        }
        n = n.wrapping_mul(2_654_435_761).wrapping_add(1);
    }
}

/// The userName prefix of write-test users, so an admin can find and recognise them.
pub const WRITE_TEST_PREFIX: &str = "scim-companion-write-test";

/// How the write test cleaned up its user.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WriteCleanup {
    Deleted,
    /// The target has no user DELETE: the user was deactivated and is left behind.
    Deactivated,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WriteTestReport {
    pub user_name: String,
    pub created_id: String,
    pub cleanup: WriteCleanup,
    /// What happened, one line per request group.
    pub steps: Vec<String>,
}

/// The optional write test, run only after the admin confirmed it: creates one clearly named,
/// inactive-looking test user (`scim-companion-write-test-…`), then deletes it (or deactivates
/// it where the target cannot delete users). Refuses to touch an existing user with that name.
/// `user_name` is the email to use (Unity needs one in a validated domain); `None` picks
/// `scim-companion-write-test-<random>@example.invalid`.
pub async fn write_test(
    draft: &TargetDraft,
    credentials: &targets::Credentials,
    user_name: Option<&str>,
) -> Result<WriteTestReport> {
    let url = draft.normalized_url()?;
    let creds = credentials.clone().validated(draft.kind)?;
    let client = client(draft.kind, &url, &creds)?;
    let tag = format!(
        "{:08x}",
        Utc::now().timestamp_subsec_nanos() ^ std::process::id().rotate_left(16)
    );
    let user_name = match user_name.map(str::trim).filter(|u| !u.is_empty()) {
        Some(u) if u.contains('@') && !u.contains(char::is_whitespace) => u.to_owned(),
        Some(u) => {
            return Err(Error::InvalidSetting(format!(
                "{u:?} is not an email address; the test user's userName must be one"
            )))
        }
        None => format!("{WRITE_TEST_PREFIX}-{tag}@example.invalid"),
    };
    let mut steps = Vec::new();
    if client.find_user_by_user_name(&user_name).await?.is_some() {
        return Err(Error::InvalidSetting(format!(
            "a user {user_name} already exists in the target; it was left alone (choose another test email)"
        )));
    }
    steps.push(format!("No user {user_name} existed."));

    let mut user = scim::models::User::new(user_name.clone());
    user.external_id = Some(format!("{WRITE_TEST_PREFIX}-{tag}"));
    user.name = Some(scim::models::Name {
        given_name: Some("SCIM Companion".into()),
        family_name: Some("Write Test".into()),
        ..Default::default()
    });
    user.display_name = Some("SCIM Companion write test (safe to delete)".into());
    user.active = Some(true);
    user.emails = vec![scim::models::MultiValuedAttr {
        value: Some(user_name.clone()),
        kind: Some("work".into()),
        primary: Some(true),
        ..Default::default()
    }];
    let created = client.create_user(&user).await?;
    if created.adopted {
        return Err(Error::InvalidSetting(format!(
            "the target reported a conflict for {user_name} although no such user was listed; nothing was deleted"
        )));
    }
    let id = created
        .resource
        .id
        .clone()
        .ok_or_else(|| Error::from(scim::Error::MissingId))?;
    steps.push(format!("Created test user {user_name} (id {id})."));

    let cleanup = if targets::capabilities(draft.kind).user_delete {
        client.delete_user(&id).await?;
        steps.push("Deleted it.".to_owned());
        if client.find_user_by_user_name(&user_name).await?.is_some() {
            return Err(Error::InvalidSetting(format!(
                "the target still lists {user_name} after DELETE; remove it in the target's console"
            )));
        }
        steps.push("Checked that it is gone.".to_owned());
        WriteCleanup::Deleted
    } else {
        client.deactivate_user(&id).await?;
        steps.push(
            "The target cannot delete users: deactivated it (it stays, inactive).".to_owned(),
        );
        WriteCleanup::Deactivated
    };
    Ok(WriteTestReport {
        user_name,
        created_id: id,
        cleanup,
        steps,
    })
}

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
fn checked_token_date(day: NaiveDate, now: chrono::DateTime<Utc>) -> Result<NaiveDate> {
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
) -> Result<String> {
    if let Some(key) = entered.map(str::trim).filter(|k| !k.is_empty()) {
        return Ok(key.to_owned());
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
) -> Result<(JumpCloudSettings, String)> {
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
    test_jumpcloud(&settings, &key).await
}

mod origin;
pub use origin::{
    check_jumpcloud_key, check_target_secret, OriginChange, SavedSecret, SecretOrigin,
};

#[cfg(test)]
mod secret_binding_tests;
#[cfg(test)]
mod tests;
