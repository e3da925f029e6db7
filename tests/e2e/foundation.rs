use scim_companion_tests::app_driver::AppSession;
use scim_companion_tests::ids;

/// First launch with nothing configured: Home shows the embedded demo directory and its
/// simulated target answering over SCIM, and Settings shows the running version.
#[tokio::test]
async fn first_launch_shows_demo_workspace_and_settings() {
    let demo = sim::jumpcloud::seed::demo_directory();
    let app = AppSession::start().await;

    app.by_test_id(ids::PAGE_HOME).await;
    let users = app
        .text_when(ids::DIRECTORY_USERS, |t| !t.trim().is_empty())
        .await;
    assert_eq!(
        users.trim().replace(',', ""),
        demo.users.len().to_string(),
        "Home should count the demo directory's users"
    );
    let groups = app
        .text_when(ids::DIRECTORY_GROUPS, |t| !t.trim().is_empty())
        .await;
    assert_eq!(groups.trim(), demo.groups.len().to_string());

    // The demo target is a SCIM simulator on loopback; the overview checks it for real.
    let name = app
        .text_when(ids::TARGET_NAME, |t| !t.trim().is_empty())
        .await;
    assert!(
        name.contains("(demo)"),
        "a demo target card is shown (got {name:?})"
    );
    let status = app
        .text_when(ids::TARGET_STATUS, |t| t.trim() == "OK")
        .await;
    assert_eq!(status.trim(), "OK");
    app.screenshot("home").await;

    app.click(&ids::nav("settings")).await;
    app.by_test_id(ids::PAGE_SETTINGS).await;
    let version = app
        .text_when(ids::APP_VERSION, |t| !t.trim().is_empty())
        .await;
    assert!(
        version.contains(env!("CARGO_PKG_VERSION")),
        "Settings shows version {} (got {version:?})",
        env!("CARGO_PKG_VERSION")
    );
    let data_dir = app.text_when(ids::DATA_DIR, |t| !t.trim().is_empty()).await;
    assert!(
        data_dir.contains("scim-companion-e2e-"),
        "the app honours SCIM_COMPANION_DATA_DIR (got {data_dir:?})"
    );
    app.screenshot("settings").await;
    app.close().await;
}
