//! Setting up targets and the JumpCloud connection: test a configuration before it is saved,
//! save and remove targets (secret to the keychain, everything else to `settings.json`), and
//! open the configured workspace.
//!
//! ```no_run
//! # async fn run(data_dir: &std::path::Path, demo: engine::DemoBuilder) -> engine::Result<()> {
//! use engine::setup::{self, TargetDraft};
//! let vault = secrets::Vault::default();
//! let draft = TargetDraft::new(targets::Kind::Generic, "Test server", "https://scim.example.org/v2");
//! let creds = targets::Credentials::Bearer { token: "t0ken".into() };
//! let report = setup::test_target_config(&draft, &creds).await?; // read-only
//! println!("{} users", report.user_count.unwrap_or(0));
//! let saved = setup::save_target(data_dir, &vault, &draft, Some(creds))?;
//! // `demo` (the `demo` crate's `workspace`) would be used if nothing were configured.
//! let workspace = engine::Workspace::open(data_dir, &vault, demo)?; // now lists `saved.id`
//! # Ok(()) }
//! ```

use std::path::Path;

use chrono::{NaiveDate, Utc};
use secrets::Account;

use crate::config::{self, TargetAuth, TargetSettings, JUMPCLOUD_PROFILE};
use crate::error::{Error, Result};

mod jumpcloud_connection;
mod origin;
mod probe;
mod token;
mod write_test;

pub use crate::error::{OriginChange, SavedSecret};
pub use jumpcloud_connection::{
    jumpcloud_apps, jumpcloud_client, jumpcloud_key_for, save_jumpcloud, saved_jumpcloud,
    test_jumpcloud, AppSummary,
};
pub use origin::{check_jumpcloud_key, check_target_secret, SecretOrigin};
pub use probe::{test_target_config, ProbeReport};
/// The secret stores live in the `secrets` crate; these paths keep working.
pub use secrets::{MemorySecrets, SecretStore};
use token::checked_token_date;
pub use token::{
    parse_token_date, set_target_token, token_start, token_warning, TOKEN_WARNING_DAYS,
};
pub use write_test::{write_test, WriteCleanup, WriteTestReport, WRITE_TEST_PREFIX};

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
            problem: crate::error::TargetProblem::TokenMissing,
        })?;
    Ok(saved.auth.with_secret(secret.expose()))
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

#[cfg(test)]
mod secret_binding_tests;
#[cfg(test)]
mod tests;
