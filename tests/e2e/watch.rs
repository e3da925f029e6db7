//! Scheduled checks in the real window: a short schedule on the demo fires on its own, records
//! a diff in History and raises a notification (the test sink records it); a user edited by hand
//! on the simulated target makes the next check announce that the drift grew, a check with
//! nothing new stays silent, and "apply safe changes" puts the target back in sync as one
//! journalled apply.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use scim::models::{PatchOp, PatchOperation, User};
use scim_companion_tests::app_driver::{all_by_test_id, AppSession};
use scim_companion_tests::ids;

const TARGET: &str = "demo-generic";

/// The notices the app recorded (one JSON object per line).
fn notices(sink: &Path) -> Vec<serde_json::Value> {
    std::fs::read_to_string(sink)
        .unwrap_or_default()
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect()
}

async fn wait_for_notice(
    app: &AppSession,
    sink: &Path,
    kind: &str,
    timeout: Duration,
) -> serde_json::Value {
    let deadline = Instant::now() + timeout;
    loop {
        if let Some(n) = notices(sink)
            .into_iter()
            .find(|n| n["kind"] == kind && n["target_id"] == TARGET)
        {
            return n;
        }
        if Instant::now() > deadline {
            let shot = app.screenshot(&format!("failure-watch-{kind}")).await;
            panic!(
                "no {kind} notification for {TARGET}; recorded: {:?} (screenshot: {})",
                notices(sink),
                shot.display()
            );
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}

/// Edits users on the app's simulated target over SCIM, as an admin would in the vendor's
/// console: their display names no longer match JumpCloud's.
async fn edit_users_by_hand(access: &Path, how_many: usize) {
    let doc: serde_json::Value =
        serde_json::from_slice(&std::fs::read(access).expect("the demo wrote its access file"))
            .expect("access file is JSON");
    let base_url = doc[TARGET]["base_url"].as_str().expect("base_url");
    let token = doc[TARGET]["token"].as_str().expect("token");
    let client = engine::clients::client_for(
        targets::Kind::Generic,
        base_url,
        scim::Auth::Bearer(scim::Secret::new(token.to_owned())),
    )
    .expect("a client for the simulated target");
    let users: Vec<User> = client.list_all_users(None).await.expect("list users");
    assert!(users.len() >= how_many, "the demo target has users");
    for user in users.iter().take(how_many) {
        let id = user.id.as_deref().expect("a stored user has an id");
        let op = PatchOp::new(vec![PatchOperation::replace(
            Some("displayName"),
            serde_json::json!(format!("Edited By Hand {id}")),
        )]);
        client
            .patch_user(id, &op)
            .await
            .expect("patch a user by hand");
    }
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("scim-companion-e2e-watch-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("scratch folder");
    let path = dir.join(name);
    let _ = std::fs::remove_file(&path);
    path
}

#[tokio::test]
async fn a_short_schedule_checks_on_its_own_notifies_and_fills_history() {
    let sink = scratch("notices.jsonl");
    let access = scratch("demo-access.json");
    let app = AppSession::start_with_env(&[
        ("SCIM_COMPANION_WATCH_RUNNER", "app"),
        // An "hour" of the schedule lasts 3 seconds in this test.
        ("SCIM_COMPANION_WATCH_HOUR_SECS", "3"),
        ("SCIM_COMPANION_NOTIFICATION_SINK", sink.to_str().unwrap()),
        ("SCIM_COMPANION_TEST_DEMO_ACCESS", access.to_str().unwrap()),
    ])
    .await;
    app.by_test_id(ids::PAGE_HOME).await;

    app.click(&ids::nav("settings")).await;
    app.by_test_id(ids::WATCH_SETTINGS).await;
    let note = app
        .text_when(ids::WATCH_RUNNER_NOTE, |t| !t.is_empty())
        .await;
    assert!(note.contains("while the app is open"), "{note}");
    assert_eq!(
        app.text_when(&ids::watch_runs(TARGET), |t| !t.is_empty())
            .await,
        "Not checked on a schedule"
    );
    assert!(
        notices(&sink).is_empty(),
        "nothing is checked before a schedule is on"
    );

    // Every hour (3 s here): the first check finds the demo's deliberate drift.
    app.by_test_id(&ids::watch_every(TARGET))
        .await
        .select_by_value("1")
        .await
        .expect("choose every hour");
    app.text_when(ids::WATCH_NOTICE, |t| t.contains("checked every hour"))
        .await;
    let runs = app
        .text_when(&ids::watch_runs(TARGET), |t| t.starts_with("While"))
        .await;
    assert!(runs.starts_with("While the app is open; next"), "{runs}");
    let first = wait_for_notice(&app, &sink, "drift_appeared", Duration::from_secs(60)).await;
    assert!(
        first["title"]
            .as_str()
            .unwrap()
            .contains("drift from JumpCloud"),
        "{first}"
    );
    assert!(
        first["body"].as_str().unwrap().contains("row(s) differ"),
        "{first}"
    );
    app.text_when(&ids::watch_last(TARGET), |t| t.contains("Drift:"))
        .await;
    app.client
        .execute(
            "document.querySelector(arguments[0]).scrollIntoView(false)",
            vec![serde_json::json!(format!(
                "[data-testid=\"{}\"]",
                ids::WATCH_SETTINGS
            ))],
        )
        .await
        .expect("scroll the panel into view");
    tokio::time::sleep(Duration::from_millis(300)).await;
    app.screenshot("watch-settings-schedule").await;

    // The same drift at the next checks is not news.
    tokio::time::sleep(Duration::from_secs(8)).await;
    let repeated = notices(&sink)
        .iter()
        .filter(|n| n["target_id"] == TARGET)
        .count();
    assert_eq!(
        repeated,
        1,
        "no notification while the drift stays: {:?}",
        notices(&sink)
    );

    // A user edited by hand in the target: the next check says the drift grew.
    edit_users_by_hand(&access, 3).await;
    let grew = wait_for_notice(&app, &sink, "drift_grew", Duration::from_secs(60)).await;
    assert!(grew["body"].as_str().unwrap().contains("before"), "{grew}");

    // Apply safe changes automatically: the next check writes the creates and updates (the
    // edits by hand are put back), journalled as an apply.
    app.click(&ids::watch_apply_safe(TARGET)).await;
    app.text_when(ids::WATCH_NOTICE, |t| {
        t.contains("applies the safe changes")
    })
    .await;
    let applied =
        wait_for_notice(&app, &sink, "safe_changes_applied", Duration::from_secs(60)).await;
    assert!(
        applied["body"]
            .as_str()
            .unwrap()
            .contains("0 deactivated or deleted"),
        "{applied}"
    );
    app.text_when(&ids::watch_last(TARGET), |t| t.contains("In sync"))
        .await;

    // Off again: no more checks of it.
    app.by_test_id(&ids::watch_every(TARGET))
        .await
        .select_by_value("")
        .await
        .expect("turn the schedule off");
    app.text_when(ids::WATCH_NOTICE, |t| {
        t.contains("scheduled checks are off")
    })
    .await;

    // History holds the scheduled checks as diff runs of the target.
    app.click(&ids::nav("history")).await;
    app.by_test_id(ids::PAGE_HISTORY).await;
    let deadline = Instant::now() + Duration::from_secs(30);
    let diffs = loop {
        let mut diffs = 0;
        for run in all_by_test_id(&app, ids::HISTORY_RUN).await {
            if run.attr("data-kind").await.ok().flatten().as_deref() == Some("diff") {
                diffs += 1;
            }
        }
        if diffs >= 3 || Instant::now() > deadline {
            break diffs;
        }
        tokio::time::sleep(Duration::from_millis(300)).await;
    };
    assert!(
        diffs >= 3,
        "at least three scheduled diffs in History, found {diffs}"
    );
    app.screenshot("watch-history").await;
    app.close().await;
}

/// A click on a notification of a background check, while the app runs, reaches the app as
/// `open-request.json` in its data folder (what `watch --notify` writes): the window comes
/// forward on that target's Diff page.
#[tokio::test]
async fn an_open_request_brings_the_window_to_the_target_s_diff() {
    let app = AppSession::start().await;
    app.by_test_id(ids::PAGE_HOME).await;
    assert!(
        engine::watch::launch::app_is_running(app.data_dir()),
        "the app holds its data folder's lock"
    );
    engine::watch::launch::request_open(app.data_dir(), "demo-aws").unwrap();
    app.by_test_id(ids::PAGE_DIFF).await;
    let chosen = app.prop(ids::DIFF_TARGET, "value").await;
    assert_eq!(chosen, "demo-aws");
    assert!(
        !app.data_dir()
            .join(engine::watch::launch::OPEN_REQUEST)
            .exists(),
        "the request is taken once"
    );
    app.close().await;
}
