//! Setup wizards in the real window: the Generic wizard against a real scim2-server, the AWS
//! wizard against the AWS-dialect simulator (through the explicit local-endpoint choice), the
//! 401 hint for a wrong token, the saved target surviving a restart, and the token staying out
//! of settings.json (it lives in the keychain of the test's private D-Bus session).

use std::time::Duration;

use scim_companion_tests::app_driver::AppSession;
use scim_companion_tests::ids;
use sim::target::{Dialect, DiscoveryEndpoints, SimConfig, SimTarget};
use test_support::scim2_server::Scim2Server;

async fn open_wizard(app: &AppSession, kind: &str) {
    app.by_test_id(ids::PAGE_HOME).await;
    app.click(&ids::nav("setup")).await;
    app.by_test_id(ids::PAGE_SETUP).await;
    app.click(&ids::setup_kind(kind)).await;
    app.by_test_id(ids::WIZARD).await;
}

fn settings_json(app: &AppSession) -> String {
    std::fs::read_to_string(app.data_dir().join("settings.json")).expect("settings.json written")
}

/// Scrolls the element into view (`block`: "start" or "center"), for screenshots people look at.
async fn scroll_to(app: &AppSession, id: &str, block: &str) {
    let el = app.by_test_id(id).await;
    app.client
        .execute(
            &format!("arguments[0].scrollIntoView({{block: '{block}'}});"),
            vec![serde_json::to_value(&el).unwrap()],
        )
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
}

#[tokio::test]
async fn generic_wizard_against_scim2_server_saves_and_survives_a_restart() {
    const TOKEN: &str = "e2e-generic-token-8c41d";
    let server = Scim2Server::start(TOKEN);
    let app = AppSession::start().await;
    open_wizard(&app, "generic").await;

    app.fill(ids::WIZARD_NAME, "Lab SCIM server").await;
    app.fill(ids::WIZARD_URL, &server.base_url).await;
    let normalized = server.base_url.trim_end_matches('/').to_owned();
    app.text_when(ids::WIZARD_URL_OK, |t| t.contains(&normalized))
        .await;
    app.fill(ids::WIZARD_TOKEN, TOKEN).await;

    app.click(ids::WIZARD_TEST).await;
    let headline = app
        .text_when(ids::PROBE_HEADLINE, |t| t.starts_with("Connected"))
        .await;
    assert!(headline.contains(&normalized), "{headline}");
    app.text_when(&ids::probe("users"), |t| t.contains("user"))
        .await;
    app.text_when(&ids::probe("schemas"), |t| t.contains("core User"))
        .await;
    app.text_when(&ids::probe("paging"), |t| t.starts_with("startIndex/count"))
        .await;
    scroll_to(&app, ids::PROBE_RESULT, "center").await;
    app.screenshot("setup-generic").await;

    // The optional write test runs only after the explicit confirmation, and cleans up.
    app.click(ids::WIZARD_WRITE_TOGGLE).await;
    assert!(!app.is_enabled(ids::WIZARD_WRITE_RUN).await);
    app.click(ids::WIZARD_WRITE_CONFIRM).await;
    app.click(ids::WIZARD_WRITE_RUN).await;
    let result = app
        .text_when(ids::WIZARD_WRITE_RESULT, |t| {
            t.contains("Created and deleted")
        })
        .await;
    assert!(result.contains("scim-companion-write-test-"), "{result}");
    app.click(ids::WIZARD_TEST).await;
    app.text_when(&ids::probe("users"), |t| t == "0 users")
        .await;

    app.click(ids::WIZARD_SAVE).await;
    app.text_when(ids::WIZARD_SAVED, |t| t.contains("Saved as"))
        .await;
    let text = settings_json(&app);
    assert!(text.contains("Lab SCIM server"), "{text}");
    assert!(
        !text.contains(TOKEN),
        "the token must not be in settings.json"
    );

    // Home now shows the configured target (not the demo), checked over SCIM.
    app.click(&ids::nav("home")).await;
    app.text_when(ids::TARGET_NAME, |t| t == "Lab SCIM server")
        .await;
    app.text_when(ids::TARGET_STATUS, |t| t == "OK").await;

    // Quit and start again on the same data folder: the target and its keychain token are back.
    let app = app.restart().await;
    app.by_test_id(ids::PAGE_HOME).await;
    app.text_when(ids::TARGET_NAME, |t| t == "Lab SCIM server")
        .await;
    app.text_when(ids::TARGET_STATUS, |t| t == "OK").await;
    app.click(&ids::nav("setup")).await;
    app.text_when(ids::SAVED_TARGET, |t| t.contains("Lab SCIM server"))
        .await;
    assert!(!settings_json(&app).contains(TOKEN));
    app.close().await;
}

/// A target without SCIM discovery (a gateway's HTML 404 on /ServiceProviderConfig): Test
/// Connection still succeeds, says discovery is unavailable, and shows the users the read probe
/// found.
#[tokio::test]
async fn test_connection_without_discovery_says_so_and_shows_the_users() {
    const TOKEN: &str = "e2e-no-discovery-token-4e1";
    let sim = SimTarget::spawn_in_thread(
        SimConfig::new(Dialect::Generic)
            .with_token(TOKEN)
            .with_discovery(DiscoveryEndpoints::HtmlNotFound),
    )
    .unwrap();
    sim.seed_demo(9, 1, 4).unwrap();
    let app = AppSession::start().await;
    open_wizard(&app, "generic").await;
    app.fill(ids::WIZARD_NAME, "No discovery").await;
    app.fill(ids::WIZARD_URL, sim.base_url()).await;
    app.text_when(ids::WIZARD_URL_OK, |t| t.contains("127.0.0.1"))
        .await;
    app.fill(ids::WIZARD_TOKEN, TOKEN).await;
    app.click(ids::WIZARD_TEST).await;
    app.text_when(ids::PROBE_HEADLINE, |t| t.starts_with("Connected"))
        .await;
    let notice = app
        .text_when(ids::PROBE_DISCOVERY_UNAVAILABLE, |t| !t.is_empty())
        .await;
    assert!(notice.contains("answered HTTP 404"), "{notice}");
    app.text_when(&ids::probe("discovery"), |t| {
        t.contains("discovery unavailable")
    })
    .await;
    app.text_when(&ids::probe("users"), |t| t == "9 users")
        .await;
    app.text_when(&ids::probe("patch"), |t| t == "unknown")
        .await;
    scroll_to(&app, ids::PROBE_RESULT, "center").await;
    app.screenshot("setup-no-discovery").await;
    app.close().await;
}

#[tokio::test]
async fn aws_wizard_against_the_simulator_shows_the_401_hint_then_saves() {
    const TOKEN: &str = "e2e-aws-token-19fe2";
    let sim = SimTarget::spawn_in_thread(SimConfig::new(Dialect::Aws).with_token(TOKEN)).unwrap();
    sim.seed_demo(40, 5, 2).unwrap();
    let app = AppSession::start().await;
    open_wizard(&app, "aws").await;

    // The AWS rule refuses a loopback URL and says what it expects.
    let rule = app.text_when(ids::WIZARD_URL_RULE, |t| !t.is_empty()).await;
    assert!(
        rule.contains("https://scim.<region>.amazonaws.com"),
        "{rule}"
    );
    app.fill(ids::WIZARD_NAME, "AWS sandbox").await;
    app.fill(ids::WIZARD_URL, sim.base_url()).await;
    app.text_when(ids::WIZARD_URL_ERROR, |t| t.contains("https://"))
        .await;
    assert!(!app.is_enabled(ids::WIZARD_TEST).await);

    // Only the explicit local-endpoint choice accepts the simulator on this computer.
    app.click(ids::WIZARD_LOCAL_ENDPOINT).await;
    app.text_when(ids::WIZARD_URL_OK, |t| t.contains("127.0.0.1"))
        .await;

    // A wrong token: the target's 401 and the hint what to do.
    app.fill(ids::WIZARD_TOKEN, "not-the-right-token").await;
    app.click(ids::WIZARD_TEST).await;
    app.text_when(ids::ERROR_HINT, |t| t.contains("Token expired, revoked"))
        .await;
    let message = app.text_when(ids::ERROR_MESSAGE, |t| !t.is_empty()).await;
    assert!(message.contains("401"), "{message}");
    assert!(!message.contains("not-the-right-token"));
    app.screenshot("setup-aws-401").await;

    app.fill(ids::WIZARD_TOKEN, TOKEN).await;
    app.click(ids::WIZARD_TEST).await;
    app.text_when(ids::PROBE_HEADLINE, |t| t.starts_with("Connected"))
        .await;
    app.text_when(&ids::probe("paging"), |t| t.starts_with("cursor"))
        .await;
    app.text_when(&ids::probe("users"), |t| t.contains("user"))
        .await;
    scroll_to(&app, ids::PROBE_RESULT, "center").await;
    app.screenshot("setup-aws").await;

    app.click(ids::WIZARD_SAVE).await;
    app.text_when(ids::WIZARD_SAVED, |t| t.contains("Saved as"))
        .await;
    let text = settings_json(&app);
    assert!(text.contains("\"local_endpoint\": true"), "{text}");
    assert!(!text.contains(TOKEN));

    app.click(&ids::nav("home")).await;
    app.text_when(ids::TARGET_NAME, |t| t == "AWS sandbox")
        .await;
    app.text_when(ids::TARGET_STATUS, |t| t == "OK").await;
    app.close().await;
}

/// Screenshots of the other wizards with their vendor steps, URL rule and token facts.
#[tokio::test]
async fn every_wizard_shows_its_vendor_steps_rule_and_token_facts() {
    let app = AppSession::start().await;
    let cases = [
        (
            "unity",
            "https://services.api.unity.com/scim/v2/tenants/",
            "organization id",
            "Service accounts",
        ),
        ("strong_dm", "", "", "Activate SCIM"),
        (
            "axis",
            "http://axis.example.net/scim",
            "https://",
            "Generate new token",
        ),
    ];
    for (kind, url, problem, vendor_step) in cases {
        app.client
            .execute(&format!("window.location.hash = '#/setup/{kind}'"), vec![])
            .await
            .unwrap();
        app.by_test_id(ids::PAGE_SETUP).await;
        let wizard = app.by_test_id(ids::WIZARD).await;
        assert_eq!(
            wizard.attr("data-kind").await.unwrap().as_deref(),
            Some(kind)
        );
        app.text_when(ids::VENDOR_STEPS, |t| t.contains(vendor_step))
            .await;
        app.text_when(ids::JUMPCLOUD_STEPS, |t| t.contains("User Groups"))
            .await;
        app.text_when(ids::TOKEN_FACTS, |t| t.contains("Created in"))
            .await;
        if url.is_empty() {
            // StrongDM's URL is fixed and prefilled.
            app.text_when(ids::WIZARD_URL_OK, |t| {
                t.contains("https://app.strongdm.com/provisioning/generic/v2")
            })
            .await;
        } else {
            app.fill(ids::WIZARD_URL, url).await;
            app.text_when(ids::WIZARD_URL_ERROR, |t| t.contains(problem))
                .await;
        }
        scroll_to(&app, ids::WIZARD, "start").await;
        app.screenshot(&format!("setup-{kind}")).await;
        if kind == "axis" {
            // Seed 004: the test email is not provisioned; verify counts and tabs in Axis.
            let steps = app
                .text_when(ids::JUMPCLOUD_STEPS, |t| t.contains("Verify in Axis"))
                .await;
            assert!(steps.contains("not provisioned"), "{steps}");
            assert!(!steps.contains("creates a test user"), "{steps}");
            scroll_to(&app, ids::JUMPCLOUD_STEPS, "center").await;
            app.screenshot("setup-axis-jumpcloud").await;
        }
        app.click(ids::WIZARD_CANCEL).await;
        app.by_test_id(ids::KIND_CHOOSER).await;
    }
    app.close().await;
}

/// A damaged settings.json (e.g. edited by hand, or a disk problem) is reported, never replaced:
/// the app starts on the demo, Setup says what happened, and the file stays byte for byte.
#[tokio::test]
async fn a_damaged_settings_file_is_reported_and_left_untouched() {
    let app = AppSession::start().await;
    app.by_test_id(ids::PAGE_HOME).await;
    let damaged = "{\"workspace\": {\"version\": 1, \"targets\": [{\"id\": \"aws-";
    let path = app.data_dir().join("settings.json");
    std::fs::write(&path, damaged).unwrap();

    let app = app.restart().await;
    app.by_test_id(ids::PAGE_HOME).await;
    app.text_when(ids::TARGET_STATUS, |t| t == "OK").await;
    app.click(&ids::nav("setup")).await;
    let message = app
        .text_when(ids::ERROR_MESSAGE, |t| t.contains("damaged"))
        .await;
    assert!(message.contains("left untouched"), "{message}");
    app.text_when(ids::ERROR_HINT, |t| t.contains("move it aside"))
        .await;
    assert_eq!(std::fs::read_to_string(&path).unwrap(), damaged);
    app.close().await;
}
