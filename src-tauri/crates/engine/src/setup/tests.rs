//! Setup against real files (temp dirs), in-memory secrets and the loopback simulators.

use std::fs;

use sim::target::{Dialect, SimConfig, SimTarget};

use super::*;
use crate::config::{settings_path, WorkspaceConfig};
use crate::demo;
use crate::{TargetProblem, Workspace, WorkspaceMode};

const TOKEN: &str = "sim-token-3b7e1f0c9a";

fn bearer(token: &str) -> targets::Credentials {
    targets::Credentials::Bearer {
        token: token.into(),
    }
}

fn aws_draft(base_url: &str) -> TargetDraft {
    let mut d = TargetDraft::new(targets::Kind::Aws, "AWS sandbox", base_url);
    d.local_endpoint = true;
    d
}

fn settings_text(dir: &Path) -> String {
    fs::read_to_string(settings_path(dir)).unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn test_connection_of_an_unsaved_aws_target_reports_what_it_found() {
    let sim = SimTarget::spawn_in_thread(SimConfig::new(Dialect::Aws).with_token(TOKEN)).unwrap();
    sim.seed_demo(30, 4, 2).unwrap();
    let report = test_target_config(&aws_draft(sim.base_url()), &bearer(TOKEN))
        .await
        .unwrap();
    assert_eq!(report.paging, targets::PagingStyle::Cursor);
    assert_eq!(report.page_size, 100);
    assert!(report.patch);
    assert!(report.user_count.is_some());
    assert!(report.requests >= 3, "discovery plus the list probes");
    assert_eq!(report.base_url, sim.base_url().trim_end_matches('/'));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_token_is_a_401_with_the_token_hint() {
    let sim = SimTarget::spawn_in_thread(SimConfig::new(Dialect::Aws).with_token(TOKEN)).unwrap();
    let err = test_target_config(&aws_draft(sim.base_url()), &bearer("wrong-token"))
        .await
        .unwrap_err();
    match &err {
        Error::Scim(e) => assert_eq!(e.status(), Some(401)),
        other => panic!("expected a SCIM 401, got {other:?}"),
    }
    let hint = err.hint().unwrap();
    assert!(hint.contains("Token expired, revoked"), "{hint}");
    assert!(!format!("{err} {err:?}").contains("wrong-token"));
}

#[tokio::test]
async fn the_aws_rule_still_refuses_loopback_without_the_explicit_local_choice() {
    let mut draft = aws_draft("http://127.0.0.1:9/t/scim/v2");
    draft.local_endpoint = false;
    let err = test_target_config(&draft, &bearer(TOKEN))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Target(e) if matches!(**e, targets::Error::InvalidBaseUrl { .. })),
        "{err:?}"
    );
    // And the local choice refuses anything off this computer.
    draft.local_endpoint = true;
    draft.base_url = "https://scim.us-east-1.amazonaws.com/t/scim/v2".into();
    let err = test_target_config(&draft, &bearer(TOKEN))
        .await
        .unwrap_err();
    assert!(err.to_string().contains("on this computer"), "{err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_saved_target_opens_with_its_token_from_the_keychain_and_the_token_stays_out_of_the_file()
{
    let dir = tempfile::tempdir().unwrap();
    let secrets = MemorySecrets::new();
    let sim = SimTarget::spawn_in_thread(SimConfig::new(Dialect::Aws).with_token(TOKEN)).unwrap();
    let mut draft = aws_draft(&format!("{}/", sim.base_url()));
    draft.jumpcloud_app_id = Some("app-1".into());
    let saved = save_target(dir.path(), &secrets, &draft, Some(bearer(TOKEN))).unwrap();
    assert!(saved.id.starts_with("aws-sandbox-"), "{}", saved.id);
    assert!(saved.token_saved_at.is_some());
    assert!(!saved.base_url.ends_with('/'));

    let text = settings_text(dir.path());
    assert!(!text.contains(TOKEN), "token leaked into settings.json");
    assert!(text.contains(&saved.id));
    assert_eq!(
        secrets
            .get(&target_account(&saved.id))
            .unwrap()
            .as_ref()
            .map(secrets::Secret::expose),
        Some(TOKEN)
    );

    let ws = Workspace::open(dir.path(), &secrets, demo::workspace).unwrap();
    assert_eq!(ws.mode(), WorkspaceMode::Configured);
    let listed = ws.targets();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].id, saved.id);
    assert_eq!(listed[0].name, "AWS sandbox");
    assert_eq!(ws.target_settings(&saved.id).unwrap(), &saved);
    let report = crate::TargetWork::new(&ws, &saved.id)
        .unwrap()
        .test_connection()
        .await
        .unwrap();
    assert!(report.user_count.is_some());
}

#[test]
fn editing_without_a_new_token_keeps_the_stored_one_and_the_created_date() {
    let dir = tempfile::tempdir().unwrap();
    let secrets = MemorySecrets::new();
    let draft = TargetDraft::new(targets::Kind::Generic, "Lab", "https://scim.example.org/v2");
    let first = save_target(dir.path(), &secrets, &draft, Some(bearer(TOKEN))).unwrap();
    let mut edit = draft.clone();
    edit.id = Some(first.id.clone());
    edit.name = "Lab (renamed)".into();
    let second = save_target(dir.path(), &secrets, &edit, None).unwrap();
    assert_eq!(second.id, first.id);
    assert_eq!(second.created_at, first.created_at);
    assert_eq!(second.token_saved_at, first.token_saved_at);
    assert_eq!(
        secrets
            .get(&target_account(&first.id))
            .unwrap()
            .as_ref()
            .map(secrets::Secret::expose),
        Some(TOKEN)
    );
    let config = crate::config::load(dir.path()).unwrap().unwrap();
    assert_eq!(config.targets.len(), 1);
    assert_eq!(config.targets[0].name, "Lab (renamed)");
    // A new target needs a token.
    assert!(matches!(
        save_target(dir.path(), &secrets, &draft, None),
        Err(Error::Target(_))
    ));
}

#[test]
fn basic_auth_keeps_the_key_id_in_settings_and_only_the_secret_key_in_the_keychain() {
    let dir = tempfile::tempdir().unwrap();
    let secrets = MemorySecrets::new();
    let draft = TargetDraft::new(
        targets::Kind::Unity,
        "Unity",
        "https://services.api.unity.com/scim/v2/tenants/1234",
    );
    let creds = targets::Credentials::Basic {
        key_id: "key-id-1".into(),
        secret_key: "secret-key-xyz".into(),
    };
    let saved = save_target(dir.path(), &secrets, &draft, Some(creds)).unwrap();
    assert!(!saved.manage_groups, "Unity's guide: group management off");
    let text = settings_text(dir.path());
    assert!(text.contains("key-id-1"));
    assert!(!text.contains("secret-key-xyz"));
    assert_eq!(
        secrets
            .get(&target_account(&saved.id))
            .unwrap()
            .as_ref()
            .map(secrets::Secret::expose),
        Some("secret-key-xyz")
    );
}

#[test]
fn with_no_keychain_nothing_is_saved_anywhere() {
    let dir = tempfile::tempdir().unwrap();
    let draft = TargetDraft::new(targets::Kind::Generic, "Lab", "https://scim.example.org/v2");
    let err = save_target(
        dir.path(),
        &MemorySecrets::unavailable(),
        &draft,
        Some(bearer(TOKEN)),
    )
    .unwrap_err();
    assert!(matches!(
        &err,
        Error::Secrets(e) if matches!(**e, secrets::Error::Unavailable { .. })
    ));
    assert!(err.to_string().contains("nothing was saved"));
    assert!(!settings_path(dir.path()).exists());
}

#[test]
fn invalid_drafts_are_refused_before_anything_is_stored() {
    let dir = tempfile::tempdir().unwrap();
    let secrets = MemorySecrets::new();
    let bad_url = TargetDraft::new(targets::Kind::Aws, "AWS", "https://example.com/scim/v2");
    assert!(matches!(
        save_target(dir.path(), &secrets, &bad_url, Some(bearer(TOKEN))),
        Err(Error::Target(_))
    ));
    let no_name = TargetDraft::new(targets::Kind::Generic, "  ", "https://scim.example.org");
    assert!(matches!(
        save_target(dir.path(), &secrets, &no_name, Some(bearer(TOKEN))),
        Err(Error::InvalidSetting(_))
    ));
    let wrong_auth = TargetDraft::new(
        targets::Kind::Aws,
        "AWS",
        "https://scim.us-east-1.amazonaws.com/t/scim/v2",
    );
    let basic = targets::Credentials::Basic {
        key_id: "k".into(),
        secret_key: "s".into(),
    };
    assert!(matches!(
        save_target(dir.path(), &secrets, &wrong_auth, Some(basic)),
        Err(Error::Target(_))
    ));
    assert!(!settings_path(dir.path()).exists());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_missing_token_or_keychain_is_a_per_target_problem_not_a_failed_workspace() {
    let dir = tempfile::tempdir().unwrap();
    let secrets = MemorySecrets::new();
    let a = save_target(
        dir.path(),
        &secrets,
        &TargetDraft::new(targets::Kind::Generic, "A", "https://a.example.org/scim"),
        Some(bearer(TOKEN)),
    )
    .unwrap();
    let b = save_target(
        dir.path(),
        &secrets,
        &TargetDraft::new(
            targets::Kind::StrongDm,
            "B",
            targets::base_url::STRONGDM_URL,
        ),
        Some(bearer(TOKEN)),
    )
    .unwrap();
    secrets.delete(&target_account(&a.id)).unwrap();

    let ws = Workspace::open(dir.path(), &secrets, demo::workspace).unwrap();
    let ids = ws.target_ids();
    assert_eq!(ids, [a.id.clone(), b.id.clone()], "settings order is kept");
    assert_eq!(ws.target_problem(&a.id), Some(&TargetProblem::TokenMissing));
    assert_eq!(ws.target_problem(&b.id), None);
    let err = crate::TargetWork::new(&ws, &a.id).err().unwrap();
    assert!(matches!(err, Error::TargetUnavailable { .. }));
    assert!(err.hint().unwrap().contains("enter its token again"));

    let ws = Workspace::open(dir.path(), &MemorySecrets::unavailable(), demo::workspace).unwrap();
    assert_eq!(ws.targets().len(), 2);
    assert!(matches!(
        ws.target_problem(&b.id),
        Some(TargetProblem::Keychain { .. })
    ));
}

#[test]
fn nothing_configured_opens_the_demo_and_a_damaged_file_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let ws = Workspace::open(dir.path(), &MemorySecrets::new(), demo::workspace).unwrap();
    assert_eq!(ws.mode(), WorkspaceMode::Demo);
    assert!(!ws.targets().is_empty());
    drop(ws);

    // JumpCloud alone, no target yet: still the demo.
    crate::config::save(
        dir.path(),
        &WorkspaceConfig {
            jumpcloud: Some(crate::config::JumpCloudSettings {
                region: jumpcloud::Region::Us,
                org_id: None,
                base_url: None,
                key_saved_at: None,
            }),
            ..WorkspaceConfig::default()
        },
    )
    .unwrap();
    let ws = Workspace::open(dir.path(), &MemorySecrets::new(), demo::workspace).unwrap();
    assert_eq!(ws.mode(), WorkspaceMode::Demo);
    drop(ws);

    fs::write(
        settings_path(dir.path()),
        "{\"workspace\": {\"version\": 1, \"tar",
    )
    .unwrap();
    let err = match Workspace::open(dir.path(), &MemorySecrets::new(), demo::workspace) {
        Err(e) => e,
        Ok(_) => panic!("a damaged settings file must not open"),
    };
    assert!(matches!(err, Error::Config(_)), "{err:?}");
    assert!(err.hint().is_some());
}

#[test]
fn removing_a_target_deletes_its_secret() {
    let dir = tempfile::tempdir().unwrap();
    let secrets = MemorySecrets::new();
    let t = save_target(
        dir.path(),
        &secrets,
        &TargetDraft::new(
            targets::Kind::Axis,
            "Axis",
            "https://axis.example.net/scim/v2",
        ),
        Some(bearer(TOKEN)),
    )
    .unwrap();
    let removed = remove_target(dir.path(), &secrets, &t.id).unwrap();
    assert!(removed.secret_deleted);
    assert_eq!(secrets.get(&target_account(&t.id)).unwrap(), None);
    assert!(crate::config::load(dir.path())
        .unwrap()
        .unwrap()
        .targets
        .is_empty());
    assert!(matches!(
        remove_target(dir.path(), &secrets, &t.id),
        Err(Error::UnknownTarget(_))
    ));
}

#[test]
fn ids_are_readable_and_unique() {
    let mut config = WorkspaceConfig::default();
    for _ in 0..50 {
        let id = new_target_id(targets::Kind::Aws, "AWS Prod (EU)!", &config);
        assert!(id.starts_with("aws-prod-eu-"), "{id}");
        assert!(config.target(&id).is_none());
        let mut t = crate::config::TargetSettings {
            id: id.clone(),
            kind: targets::Kind::Aws,
            name: "x".into(),
            base_url: "https://x".into(),
            local_endpoint: false,
            auth: TargetAuth::Bearer,
            jumpcloud_app_id: None,
            manage_groups: true,
            validated_domains: vec![],
            created_at: Utc::now(),
            token_saved_at: None,
            token_created_on: None,
        };
        t.id = id;
        config.upsert_target(t);
    }
    assert_eq!(config.targets.len(), 50);
    assert_eq!(
        &new_target_id(targets::Kind::StrongDm, "!!!", &config)[..10],
        "strong-dm-"
    );
}

/// The real OS keychain (run under `dbus-run-session` with an unlocked gnome-keyring, as CI does);
/// skipped where none exists, since that case is the "unavailable" path tested above.
#[test]
fn the_os_keychain_round_trip_keeps_the_token_out_of_the_file() {
    if secrets::Vault::status() != secrets::Status::Available {
        eprintln!("no OS keychain here; skipped");
        return;
    }
    let vault = secrets::Vault::new(format!("dev.scimcompanion.test.{}", std::process::id()));
    let dir = tempfile::tempdir().unwrap();
    let draft = TargetDraft::new(
        targets::Kind::Generic,
        "Keychain",
        "https://scim.example.org",
    );
    let saved = match save_target(dir.path(), &vault, &draft, Some(bearer(TOKEN))) {
        Ok(saved) => saved,
        Err(Error::Secrets(e)) => {
            eprintln!("keychain present but not usable ({e}); skipped");
            return;
        }
        Err(e) => panic!("{e}"),
    };
    assert!(!settings_text(dir.path()).contains(TOKEN));
    let ws = Workspace::open(dir.path(), &vault, demo::workspace).unwrap();
    assert_eq!(ws.target_problem(&saved.id), None);
    drop(ws);
    assert!(
        remove_target(dir.path(), &vault, &saved.id)
            .unwrap()
            .secret_deleted
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_write_test_creates_and_deletes_one_named_user_and_leaves_others_alone() {
    let sim = SimTarget::spawn_in_thread(SimConfig::new(Dialect::Aws).with_token(TOKEN)).unwrap();
    sim.seed_demo(10, 2, 1).unwrap();
    let draft = aws_draft(sim.base_url());
    let before = test_target_config(&draft, &bearer(TOKEN))
        .await
        .unwrap()
        .user_count;

    let report = write_test(&draft, &bearer(TOKEN), None).await.unwrap();
    assert!(
        report.user_name.starts_with(WRITE_TEST_PREFIX),
        "{}",
        report.user_name
    );
    assert_eq!(report.cleanup, WriteCleanup::Deleted);
    assert_eq!(report.steps.len(), 4, "{:?}", report.steps);
    let after = test_target_config(&draft, &bearer(TOKEN))
        .await
        .unwrap()
        .user_count;
    assert_eq!(before, after, "the test user is gone again");

    // An existing user is never touched.
    let existing = sim.seed_users(vec![serde_json::json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
        "userName": "taken@corp.example",
        "name": {"givenName": "T", "familyName": "Aken"},
        "displayName": "Taken",
        "emails": [{"value": "taken@corp.example", "type": "work", "primary": true}],
        "active": true
    })]);
    assert!(existing.is_ok());
    let err = write_test(&draft, &bearer(TOKEN), Some("taken@corp.example"))
        .await
        .unwrap_err();
    assert!(err.to_string().contains("already exists"), "{err}");
    assert!(matches!(
        write_test(&draft, &bearer(TOKEN), Some("not an email")).await,
        Err(Error::InvalidSetting(_))
    ));
}

// Tests by area, using the helpers above.
mod jumpcloud_connection;
mod token;
