//! A saved secret never reaches an address it was not saved for: a saved target (or JumpCloud
//! connection) is edited to point at a recording listener on another loopback port, and Test,
//! Write test and Save are pressed the way the app's commands press them. The listener must
//! receive nothing until the secret is entered again.

use sim::recorder::Recorder;
use sim::target::{Dialect, SimConfig, SimTarget};

use super::*;
use crate::config::JumpCloudSettings;
use crate::demo;
use crate::Workspace;

const TOKEN: &str = "saved-token-5d1c9e";

fn bearer(token: &str) -> targets::Credentials {
    targets::Credentials::Bearer {
        token: token.into(),
    }
}

fn is_rebind_refusal(e: &Error) -> bool {
    matches!(
        e,
        Error::SecretNotForThisAddress {
            secret: SavedSecret::TargetToken,
            ..
        }
    )
}

/// Test Connection as `target_test_config` runs it.
async fn press_test(
    dir: &Path,
    secrets: &dyn SecretStore,
    draft: &TargetDraft,
    entered: Option<targets::Credentials>,
) -> Result<ProbeReport> {
    let creds = draft_credentials(dir, secrets, draft, entered)?;
    test_target_config(draft, &creds).await
}

/// The write test as `target_write_test` runs it.
async fn press_write_test(
    dir: &Path,
    secrets: &dyn SecretStore,
    draft: &TargetDraft,
) -> Result<WriteTestReport> {
    let creds = draft_credentials(dir, secrets, draft, None)?;
    write_test(draft, &creds, None).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_edited_address_gets_no_request_with_the_saved_token() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let secrets = MemorySecrets::new();
    let sim =
        SimTarget::spawn_in_thread(SimConfig::new(Dialect::Generic).with_token(TOKEN)).unwrap();
    let mut draft = TargetDraft::new(targets::Kind::Generic, "Lab", sim.base_url());
    draft.local_endpoint = true;
    let saved = save_target(dir, &secrets, &draft, Some(bearer(TOKEN))).unwrap();
    draft.id = Some(saved.id.clone());
    // The saved address itself still works without entering the token.
    press_test(dir, &secrets, &draft, None).await.unwrap();

    let look_alike = Recorder::start("/scim/v2").unwrap();
    let mut edited = draft.clone();
    edited.base_url = look_alike.base_url().to_owned();

    let err = press_test(dir, &secrets, &edited, None).await.unwrap_err();
    assert!(is_rebind_refusal(&err), "{err:?}");
    assert!(
        err.to_string()
            .contains("re-enter the token for the new address"),
        "{err}"
    );
    assert!(!err.to_string().contains(TOKEN));
    let err = press_write_test(dir, &secrets, &edited).await.unwrap_err();
    assert!(is_rebind_refusal(&err), "{err:?}");
    let err = save_target(dir, &secrets, &edited, None).unwrap_err();
    assert!(is_rebind_refusal(&err), "{err:?}");

    // Nothing was saved, so Home's check still goes to the saved address only.
    let ws = Workspace::open(dir, &secrets, demo::workspace).unwrap();
    assert_eq!(
        ws.target_settings(&saved.id).unwrap().base_url,
        saved.base_url
    );
    crate::TargetWork::new(&ws, &saved.id)
        .unwrap()
        .test_connection()
        .await
        .unwrap();
    assert_eq!(
        look_alike.requests(),
        vec![],
        "the look-alike address was sent requests before the token was entered again"
    );

    // With the token entered again, the new address is used (and the listener does record).
    let _ = press_test(dir, &secrets, &edited, Some(bearer("typed-again-77"))).await;
    assert!(!look_alike.requests().is_empty());
    assert!(look_alike.carrying(TOKEN).is_empty());
    assert!(!look_alike.carrying("typed-again-77").is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_origin_field_edit_is_refused_before_any_request() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let secrets = MemorySecrets::new();
    let look_alike = Recorder::start("/scim/v2").unwrap();
    let mut draft = TargetDraft::new(targets::Kind::Generic, "Lab", look_alike.base_url());
    draft.local_endpoint = true;
    let saved = save_target(dir, &secrets, &draft, Some(bearer(TOKEN))).unwrap();
    draft.id = Some(saved.id.clone());
    let port = look_alike
        .base_url()
        .split(':')
        .nth(2)
        .unwrap()
        .split('/')
        .next()
        .unwrap()
        .to_owned();

    let mut edits: Vec<(&str, TargetDraft)> = Vec::new();
    let mut d = draft.clone();
    d.kind = targets::Kind::Axis;
    edits.push(("kind", d));
    let mut d = draft.clone();
    d.local_endpoint = false;
    edits.push(("local endpoint flag", d));
    let mut d = draft.clone();
    d.base_url = format!("http://localhost:{port}/scim/v2");
    edits.push(("host", d));
    let mut d = draft.clone();
    d.base_url = format!("https://127.0.0.1:{port}/scim/v2");
    edits.push(("scheme", d));
    let mut d = draft.clone();
    d.base_url = format!("http://127.0.0.1:{port}/other/v2");
    edits.push(("path", d));
    for (what, edited) in &edits {
        let err = press_test(dir, &secrets, edited, None).await.unwrap_err();
        assert!(is_rebind_refusal(&err), "{what}: {err:?}");
        let err = save_target(dir, &secrets, edited, None).unwrap_err();
        assert!(
            is_rebind_refusal(&err) || matches!(err, Error::InvalidSetting(_)),
            "{what}: {err:?}"
        );
    }
    // The saved origin is the listener itself: only the unchanged draft may reach it.
    assert_eq!(look_alike.requests(), vec![]);
    let _ = press_test(dir, &secrets, &draft, None).await;
    assert!(
        !look_alike.carrying(TOKEN).is_empty(),
        "the control reaches the listener"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_jumpcloud_key_reaches_no_edited_address() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let secrets = MemorySecrets::new();
    let sim = sim::jumpcloud::SimThread::start(
        sim::jumpcloud::demo_directory(),
        sim::jumpcloud::SimConfig::default(),
    )
    .unwrap();
    let key = sim.api_key().to_owned();
    let base = sim.base_url();
    save_jumpcloud(
        dir,
        &secrets,
        jumpcloud::Region::Us,
        None,
        Some(&base),
        Some(&key),
    )
    .unwrap();

    let look_alike = Recorder::start("").unwrap();
    let wanted = JumpCloudSettings {
        region: jumpcloud::Region::Us,
        org_id: None,
        base_url: Some(look_alike.base_url().to_owned()),
        key_saved_at: None,
    };
    // Test, as `jumpcloud_test` runs it without a key in the form.
    let test = async {
        let key = jumpcloud_key_for(dir, &secrets, &wanted, None)?;
        test_jumpcloud(&wanted, key.expose()).await
    };
    let err = test.await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::SecretNotForThisAddress {
                secret: SavedSecret::JumpCloudKey,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(
        err.to_string().contains("re-enter the JumpCloud API key"),
        "{err}"
    );
    // Save with the new address and no key.
    let err = save_jumpcloud(
        dir,
        &secrets,
        jumpcloud::Region::Us,
        None,
        wanted.base_url.as_deref(),
        None,
    )
    .unwrap_err();
    assert!(
        matches!(err, Error::SecretNotForThisAddress { .. }),
        "{err:?}"
    );
    // Another region, no explicit address: a different host as well.
    let eu = save_jumpcloud(dir, &secrets, jumpcloud::Region::Eu, None, None, None).unwrap_err();
    assert!(
        matches!(eu, Error::SecretNotForThisAddress { .. }),
        "{eu:?}"
    );
    // What the app reads from now on is still the saved address.
    jumpcloud_apps(dir, &secrets).await.unwrap();
    assert_eq!(look_alike.requests(), vec![]);

    // The saved address, with another organization, keeps the key.
    let same = JumpCloudSettings {
        org_id: Some("another-org".into()),
        base_url: Some(format!("{base}/")),
        ..wanted.clone()
    };
    assert_eq!(
        jumpcloud_key_for(dir, &secrets, &same, None)
            .unwrap()
            .expose(),
        key
    );
}
