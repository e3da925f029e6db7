use std::time::{Duration, Instant};

use fantoccini::elements::Element;
use fantoccini::Locator;
use scim_companion_tests::app_driver::{all_by_test_id, text_of, AppSession};
use scim_companion_tests::ids;

/// Polls until `count` elements with the test id exist, then returns them.
async fn wait_for_count(
    app: &AppSession,
    id: &str,
    accept: impl Fn(usize) -> bool,
) -> Vec<Element> {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let found = all_by_test_id(app, id).await;
        if accept(found.len()) {
            return found;
        }
        if Instant::now() > deadline {
            let shot = app.screenshot(&format!("failure-{id}")).await;
            panic!(
                "[data-testid={id}] appeared {} times (screenshot: {})",
                found.len(),
                shot.display()
            );
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// Home checks every demo target at start-up; each check is recorded as a run with its SCIM
/// requests, and the history file never holds a target's token.
#[tokio::test]
async fn history_lists_test_connection_runs() {
    let app = AppSession::start().await;

    // Home: wait until the overview (and with it every recorded check) is done.
    app.by_test_id(ids::PAGE_HOME).await;
    app.text_when(ids::TARGET_STATUS, |t| t == "OK").await;
    let targets = all_by_test_id(&app, ids::TARGET_CARD).await.len();
    assert!(targets > 0, "the demo has targets");

    app.click(&ids::nav("history")).await;
    app.by_test_id(ids::PAGE_HISTORY).await;
    let runs = wait_for_count(&app, ids::HISTORY_RUN, |n| n >= targets).await;
    assert_eq!(
        runs.len(),
        targets,
        "one test-connection run per demo target"
    );
    for run in &runs {
        assert_eq!(
            run.attr("data-kind").await.unwrap().as_deref(),
            Some("test_connection")
        );
    }
    let kinds = all_by_test_id(&app, ids::HISTORY_RUN_KIND).await;
    let outcomes = all_by_test_id(&app, ids::HISTORY_RUN_OUTCOME).await;
    for (kind, outcome) in kinds.iter().zip(&outcomes) {
        assert_eq!(text_of(kind).await, "Test connection");
        assert_eq!(text_of(outcome).await, "Succeeded");
    }

    // One run: its SCIM requests (discovery and the user and group counts), all answered 200.
    // WebKitWebDriver cannot click a table row itself; its first cell stands for it.
    runs[0]
        .find(Locator::Css("td"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    app.by_test_id(ids::HISTORY_RUN_DETAIL).await;
    let operations = wait_for_count(&app, ids::HISTORY_OPERATION, |n| n >= 2).await;
    let statuses = all_by_test_id(&app, ids::HISTORY_OPERATION_STATUS).await;
    assert_eq!(statuses.len(), operations.len());
    for status in &statuses {
        assert_eq!(text_of(status).await, "200");
    }
    app.screenshot("history").await;

    // The database file is where the page says, and no demo token reached it (or its WAL).
    let path = app
        .text_when(ids::HISTORY_DB_PATH, |t| t.ends_with("history.sqlite"))
        .await;
    let mut stored = std::fs::read(&path).expect("the history database exists");
    if let Ok(wal) = std::fs::read(format!("{path}-wal")) {
        stored.extend(wal);
    }
    assert!(
        !stored.is_empty() && !stored.windows(11).any(|w| w == b"demo-token-"),
        "the history file holds no demo token"
    );
    assert!(
        stored.windows(21).any(|w| w == b"ServiceProviderConfig"),
        "the requests are in the file"
    );

    // Settings shows the same file.
    app.click(&ids::nav("settings")).await;
    app.by_test_id(ids::PAGE_SETTINGS).await;
    let settings_path = app.text_when(ids::HISTORY_DB_PATH, |t| !t.is_empty()).await;
    assert_eq!(settings_path, path);
    app.close().await;
}
