//! The read-before-diff rule on a configured workspace, against the JumpCloud simulator and a
//! Generic SCIM target simulator: a diff runs only after a successful JumpCloud read, and a
//! failed read never produces a report (so nothing can look like an extra account).

#![allow(clippy::unwrap_used)]

use chrono::Utc;
use engine::config::{JumpCloudSettings, TargetAuth, TargetSettings, WorkspaceConfig};
use engine::diff::{CancellationToken, DriftRowKind, DriftRowState};
use engine::directory_read;
use engine::setup::{self, MemorySecrets, SecretStore};
use engine::{Error, TargetWork, Workspace};
use sim::jumpcloud::{demo_directory, Fault, FaultRule, SimConfig as JcConfig, SimServer};
use sim::target::{Dialect, SimConfig as TargetConfig, SimHandle, SimTarget};

const TOKEN: &str = "target-token-dr-1";

struct Setup {
    jumpcloud: SimServer,
    target: SimHandle,
    config: WorkspaceConfig,
    secrets: MemorySecrets,
    app_id: String,
}

fn generic_app(directory: &jumpcloud::Directory) -> String {
    directory
        .applications
        .iter()
        .find(|a| {
            a.display_label.as_deref() == Some("Generic SCIM app")
                || a.display_name.as_deref() == Some("Generic SCIM app")
        })
        .map(|a| a.id.clone())
        .expect("the demo has a generic SCIM app")
}

fn target_settings(id: &str, base_url: &str, app_id: Option<String>) -> TargetSettings {
    TargetSettings {
        id: id.to_owned(),
        kind: targets::Kind::Generic,
        name: format!("Target {id}"),
        base_url: base_url.to_owned(),
        local_endpoint: true,
        auth: TargetAuth::Bearer,
        jumpcloud_app_id: app_id,
        manage_groups: true,
        validated_domains: Vec::new(),
        created_at: Utc::now(),
        token_saved_at: None,
        token_created_on: None,
    }
}

async fn start() -> Setup {
    let directory = demo_directory();
    let app_id = generic_app(&directory);
    let jc = JcConfig::default();
    let key = jc.api_key.clone();
    let jumpcloud = SimServer::start(directory, jc).await.unwrap();
    let target =
        SimTarget::spawn_in_thread(TargetConfig::new(Dialect::Generic).with_token(TOKEN)).unwrap();
    let secrets = MemorySecrets::new();
    secrets.set(&setup::target_account("local"), TOKEN).unwrap();
    secrets.set(&setup::jumpcloud_account(), &key).unwrap();
    let config = WorkspaceConfig {
        jumpcloud: Some(JumpCloudSettings {
            region: jumpcloud::Region::Us,
            org_id: None,
            base_url: Some(jumpcloud.base_url()),
            key_saved_at: None,
        }),
        targets: vec![target_settings(
            "local",
            target.base_url(),
            Some(app_id.clone()),
        )],
        ..WorkspaceConfig::default()
    };
    Setup {
        jumpcloud,
        target,
        config,
        secrets,
        app_id,
    }
}

fn count(report: &engine::DiffReport, state: DriftRowState, kind: DriftRowKind) -> usize {
    report
        .rows
        .iter()
        .filter(|r| r.state == state && r.kind == kind)
        .count()
}

async fn diff(ws: &Workspace) -> engine::Result<std::sync::Arc<engine::DiffReport>> {
    TargetWork::new(ws, "local")?
        .diff(|_| {}, &CancellationToken::new())
        .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_diff_before_any_read_is_refused_and_leaves_no_report() {
    let s = start().await;
    let ws = Workspace::configured(s.config.clone(), &s.secrets);
    assert!(ws.directory_status().needs_read);
    assert!(ws.directory_summary().source.contains("not read yet"));

    let err = diff(&ws).await.unwrap_err();
    assert!(matches!(err, Error::DirectoryNotRead), "{err:?}");
    assert!(err.hint().unwrap().starts_with("Read JumpCloud first"));
    assert!(matches!(ws.last_diff("local"), Err(Error::NoDiff(_))));
    // Nothing was asked of JumpCloud.
    assert_eq!(s.jumpcloud.requests(), 0);

    // A refusal is not a run: the history stays empty.
    let history = history::History::open_in_memory().await.unwrap();
    let err = TargetWork::new(&ws, "local")
        .unwrap()
        .diff_recorded(|_| {}, &CancellationToken::new(), Some(&history))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::DirectoryNotRead), "{err:?}");
    let runs = history
        .list_runs(&history::RunFilter::default(), history::RunPage::first(10))
        .await
        .unwrap();
    assert!(runs.is_empty(), "{runs:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn read_then_diff_gives_the_expected_drift() {
    let s = start().await;
    // One account on the target that JumpCloud does not push: a real extra.
    s.target
        .seed_users(vec![serde_json::json!({
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
            "userName": "ghost.account@example.org",
            "externalId": "not-in-jumpcloud",
            "active": true
        })])
        .unwrap();
    let ws = Workspace::configured(s.config.clone(), &s.secrets);

    let phases = std::sync::Mutex::new(Vec::new());
    let ws = directory_read::read(
        &ws,
        &s.secrets,
        |p| phases.lock().unwrap().push(p.phase),
        &CancellationToken::new(),
    )
    .await
    .unwrap();
    let status = ws.directory_status();
    assert!(!status.needs_read);
    let read_at = status.read_at.expect("a read time");
    assert!(read_at <= Utc::now());
    let phases = phases.into_inner().unwrap();
    assert_eq!(
        phases.first(),
        Some(&engine::directory_read::SnapshotPhase::Collections)
    );
    assert_eq!(
        phases.last(),
        Some(&engine::directory_read::SnapshotPhase::Done)
    );

    let directory = demo_directory();
    let summary = ws.directory_summary();
    assert_eq!(summary.users as usize, directory.users.len());
    assert!(summary.source.contains("read "), "{}", summary.source);

    let report = diff(&ws).await.unwrap();
    let scope = directory.app_scope(&s.app_id).unwrap();
    let missing = count(&report, DriftRowState::Missing, DriftRowKind::User);
    let ineligible = count(&report, DriftRowState::Ineligible, DriftRowKind::User);
    // Suspended users are never created by JumpCloud: left as is, not missing.
    let inactive = count(&report, DriftRowState::LeftAsIs, DriftRowKind::User);
    assert!(missing > 0 && inactive > 0);
    assert_eq!(missing + ineligible + inactive, scope.users.len());
    // Only the seeded account is in the target, and it is not JumpCloud's: nothing on the
    // target looks like a deletion.
    assert_eq!(
        count(&report, DriftRowState::Unmanaged, DriftRowKind::User),
        1
    );
    assert_eq!(count(&report, DriftRowState::Extra, DriftRowKind::User), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_503_read_fails_without_a_report_and_keeps_the_previous_directory() {
    let s = start().await;
    let mut ws = Workspace::configured(s.config.clone(), &s.secrets);

    // First a read that fails: still nothing to diff.
    s.jumpcloud
        .inject(FaultRule::always(Fault::Unavailable).on_path("/api/systemusers"));
    let err = directory_read::read(&ws, &s.secrets, |_| {}, &CancellationToken::new())
        .await
        .err()
        .unwrap();
    assert!(matches!(err, Error::JumpCloud(_)), "{err:?}");
    assert!(ws.directory_status().needs_read);
    assert_eq!(ws.directory_summary().users, 0);
    assert!(matches!(diff(&ws).await, Err(Error::DirectoryNotRead)));
    assert!(matches!(ws.last_diff("local"), Err(Error::NoDiff(_))));

    // Then a good read and a diff, then a failing read: the good directory and diff stay.
    s.jumpcloud.clear_faults();
    ws = directory_read::read(&ws, &s.secrets, |_| {}, &CancellationToken::new())
        .await
        .unwrap();
    let before = ws.directory_status();
    let users = ws.directory_summary().users;
    let report = diff(&ws).await.unwrap();
    s.jumpcloud
        .inject(FaultRule::always(Fault::Unavailable).on_path("/members"));
    assert!(
        directory_read::read(&ws, &s.secrets, |_| {}, &CancellationToken::new())
            .await
            .is_err()
    );
    assert_eq!(ws.directory_status(), before);
    assert_eq!(ws.directory_summary().users, users);
    assert_eq!(ws.last_diff("local").unwrap().rows.len(), report.rows.len());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_401_read_fails_with_a_hint_and_no_report() {
    let s = start().await;
    s.secrets
        .set(&setup::jumpcloud_account(), "not-the-key")
        .unwrap();
    let ws = Workspace::configured(s.config.clone(), &s.secrets);
    let err = directory_read::read(&ws, &s.secrets, |_| {}, &CancellationToken::new())
        .await
        .err()
        .unwrap();
    match &err {
        Error::JumpCloud(e) => assert!(
            matches!(**e, jumpcloud::Error::Status { status: 401, .. }),
            "{e:?}"
        ),
        other => panic!("expected a JumpCloud error, got {other:?}"),
    }
    assert!(err.hint().is_some());
    assert!(!err.to_string().contains("not-the-key"));
    assert!(ws.directory_status().needs_read);
    assert!(matches!(diff(&ws).await, Err(Error::DirectoryNotRead)));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_target_without_its_jumpcloud_app_is_refused_with_a_hint() {
    let mut s = start().await;
    s.config.targets[0].jumpcloud_app_id = None;
    let mut ws = Workspace::configured(s.config.clone(), &s.secrets);
    // With no application chosen the read covers every application.
    ws = directory_read::read(&ws, &s.secrets, |_| {}, &CancellationToken::new())
        .await
        .unwrap();
    let err = diff(&ws).await.unwrap_err();
    assert!(
        matches!(&err, Error::NoJumpCloudApp(id) if id == "local"),
        "{err:?}"
    );
    assert!(err.hint().unwrap().contains("Setup"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_app_swaps_in_a_copy_and_keeps_the_read_across_a_settings_reload() {
    let s = start().await;
    let ws = Workspace::configured(s.config.clone(), &s.secrets);
    let read = engine::directory_read::read_saved(
        ws.config().unwrap(),
        &s.secrets,
        |_| {},
        &CancellationToken::new(),
    )
    .await
    .unwrap();
    assert_eq!(read.apps, vec![s.app_id.clone()]);
    let read_ws = directory_read::with_read(&ws, read).unwrap();
    assert!(
        ws.directory_status().needs_read,
        "the original is untouched"
    );
    assert!(!read_ws.directory_status().needs_read);
    diff(&read_ws).await.unwrap();

    // Reopened with the same connection and apps: the read carries over.
    let mut reopened = Workspace::configured(s.config.clone(), &s.secrets);
    assert!(directory_read::keep_directory_of(&mut reopened, &read_ws));
    assert_eq!(reopened.directory_status(), read_ws.directory_status());

    // A target on another application was not read: the directory does not carry over.
    let mut more = s.config.clone();
    more.targets.push(target_settings(
        "other",
        s.target.base_url(),
        Some("another-app".into()),
    ));
    let mut reopened = Workspace::configured(more, &s.secrets);
    assert!(!directory_read::keep_directory_of(&mut reopened, &read_ws));
    assert!(reopened.directory_status().needs_read);

    // A different JumpCloud connection: neither.
    let mut other = s.config.clone();
    other.jumpcloud.as_mut().unwrap().org_id = Some("another-org".into());
    let mut reopened = Workspace::configured(other, &s.secrets);
    assert!(!directory_read::keep_directory_of(&mut reopened, &read_ws));
}
