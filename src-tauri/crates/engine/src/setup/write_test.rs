//! The optional write test: one clearly named test user created and removed again.

use chrono::Utc;

use super::{client, TargetDraft};
use crate::error::{Error, Result};

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
