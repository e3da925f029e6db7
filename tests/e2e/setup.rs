//! Setup wizards in the real window: the Generic wizard against a real scim2-server, the AWS
//! wizard against the AWS-dialect simulator (through the explicit local-endpoint choice), the
//! 401 hint for a wrong token, the saved target surviving a restart, and the token staying out
//! of settings.json (it lives in the keychain of the test's private D-Bus session).

use std::time::{Duration, Instant};

use fantoccini::elements::Element;
use scim_companion_tests::app_driver::AppSession;
use sim::target::{Dialect, DiscoveryEndpoints, SimConfig, SimTarget};
use test_support::scim2_server::Scim2Server;

async fn open_wizard(app: &AppSession, kind: &str) {
    app.by_test_id("page-home").await;
    app.by_test_id("nav-setup").await.click().await.unwrap();
    app.by_test_id("page-setup").await;
    app.by_test_id(&format!("setup-kind-{kind}"))
        .await
        .click()
        .await
        .unwrap();
    app.by_test_id("wizard").await;
}

async fn fill(app: &AppSession, id: &str, text: &str) -> Element {
    let input = app.by_test_id(id).await;
    input.clear().await.unwrap();
    if !text.is_empty() {
        input.send_keys(text).await.unwrap();
    }
    input
}

async fn click(app: &AppSession, id: &str) {
    let button = app.by_test_id(id).await;
    // Wait for the button to become enabled (the URL check is asynchronous).
    let deadline = Instant::now() + Duration::from_secs(15);
    while !button.is_enabled().await.unwrap_or(false) {
        assert!(
            Instant::now() < deadline,
            "[data-testid={id}] stayed disabled"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    button.click().await.unwrap();
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

    fill(&app, "wizard-name", "Lab SCIM server").await;
    fill(&app, "wizard-url", &server.base_url).await;
    let normalized = server.base_url.trim_end_matches('/').to_owned();
    app.text_when("wizard-url-ok", |t| t.contains(&normalized))
        .await;
    fill(&app, "wizard-token", TOKEN).await;

    click(&app, "wizard-test").await;
    let headline = app
        .text_when("probe-headline", |t| t.starts_with("Connected"))
        .await;
    assert!(headline.contains(&normalized), "{headline}");
    app.text_when("probe-users", |t| t.contains("user")).await;
    app.text_when("probe-schemas", |t| t.contains("core User"))
        .await;
    app.text_when("probe-paging", |t| t.starts_with("startIndex/count"))
        .await;
    scroll_to(&app, "probe-result", "center").await;
    app.screenshot("setup-generic").await;

    // The optional write test runs only after the explicit confirmation, and cleans up.
    app.by_test_id("wizard-write-toggle")
        .await
        .click()
        .await
        .unwrap();
    assert!(!app
        .by_test_id("wizard-write-run")
        .await
        .is_enabled()
        .await
        .unwrap());
    app.by_test_id("wizard-write-confirm")
        .await
        .click()
        .await
        .unwrap();
    click(&app, "wizard-write-run").await;
    let result = app
        .text_when("wizard-write-result", |t| t.contains("Created and deleted"))
        .await;
    assert!(result.contains("scim-companion-write-test-"), "{result}");
    click(&app, "wizard-test").await;
    app.text_when("probe-users", |t| t == "0 users").await;

    click(&app, "wizard-save").await;
    app.text_when("wizard-saved", |t| t.contains("Saved as"))
        .await;
    let text = settings_json(&app);
    assert!(text.contains("Lab SCIM server"), "{text}");
    assert!(
        !text.contains(TOKEN),
        "the token must not be in settings.json"
    );

    // Home now shows the configured target (not the demo), checked over SCIM.
    app.by_test_id("nav-home").await.click().await.unwrap();
    app.text_when("target-name", |t| t == "Lab SCIM server")
        .await;
    app.text_when("target-status", |t| t == "OK").await;

    // Quit and start again on the same data folder: the target and its keychain token are back.
    let app = app.restart().await;
    app.by_test_id("page-home").await;
    app.text_when("target-name", |t| t == "Lab SCIM server")
        .await;
    app.text_when("target-status", |t| t == "OK").await;
    app.by_test_id("nav-setup").await.click().await.unwrap();
    app.text_when("saved-target", |t| t.contains("Lab SCIM server"))
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
    fill(&app, "wizard-name", "No discovery").await;
    fill(&app, "wizard-url", sim.base_url()).await;
    app.text_when("wizard-url-ok", |t| t.contains("127.0.0.1"))
        .await;
    fill(&app, "wizard-token", TOKEN).await;
    click(&app, "wizard-test").await;
    app.text_when("probe-headline", |t| t.starts_with("Connected"))
        .await;
    let notice = app
        .text_when("probe-discovery-unavailable", |t| !t.is_empty())
        .await;
    assert!(notice.contains("answered HTTP 404"), "{notice}");
    app.text_when("probe-discovery", |t| t.contains("discovery unavailable"))
        .await;
    app.text_when("probe-users", |t| t == "9 users").await;
    app.text_when("probe-patch", |t| t == "unknown").await;
    scroll_to(&app, "probe-result", "center").await;
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
    let rule = app.text_when("wizard-url-rule", |t| !t.is_empty()).await;
    assert!(
        rule.contains("https://scim.<region>.amazonaws.com"),
        "{rule}"
    );
    fill(&app, "wizard-name", "AWS sandbox").await;
    fill(&app, "wizard-url", sim.base_url()).await;
    app.text_when("wizard-url-error", |t| t.contains("https://"))
        .await;
    assert!(!app
        .by_test_id("wizard-test")
        .await
        .is_enabled()
        .await
        .unwrap());

    // Only the explicit local-endpoint choice accepts the simulator on this computer.
    app.by_test_id("wizard-local-endpoint")
        .await
        .click()
        .await
        .unwrap();
    app.text_when("wizard-url-ok", |t| t.contains("127.0.0.1"))
        .await;

    // A wrong token: the target's 401 and the hint what to do.
    fill(&app, "wizard-token", "not-the-right-token").await;
    click(&app, "wizard-test").await;
    app.text_when("error-hint", |t| t.contains("Token expired, revoked"))
        .await;
    let message = app.text_when("error-message", |t| !t.is_empty()).await;
    assert!(message.contains("401"), "{message}");
    assert!(!message.contains("not-the-right-token"));
    app.screenshot("setup-aws-401").await;

    fill(&app, "wizard-token", TOKEN).await;
    click(&app, "wizard-test").await;
    app.text_when("probe-headline", |t| t.starts_with("Connected"))
        .await;
    app.text_when("probe-paging", |t| t.starts_with("cursor"))
        .await;
    app.text_when("probe-users", |t| t.contains("user")).await;
    scroll_to(&app, "probe-result", "center").await;
    app.screenshot("setup-aws").await;

    click(&app, "wizard-save").await;
    app.text_when("wizard-saved", |t| t.contains("Saved as"))
        .await;
    let text = settings_json(&app);
    assert!(text.contains("\"local_endpoint\": true"), "{text}");
    assert!(!text.contains(TOKEN));

    app.by_test_id("nav-home").await.click().await.unwrap();
    app.text_when("target-name", |t| t == "AWS sandbox").await;
    app.text_when("target-status", |t| t == "OK").await;
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
        app.by_test_id("page-setup").await;
        let wizard = app.by_test_id("wizard").await;
        assert_eq!(
            wizard.attr("data-kind").await.unwrap().as_deref(),
            Some(kind)
        );
        app.text_when("vendor-steps", |t| t.contains(vendor_step))
            .await;
        app.text_when("jumpcloud-steps", |t| t.contains("User Groups"))
            .await;
        app.text_when("token-facts", |t| t.contains("Created in"))
            .await;
        if url.is_empty() {
            // StrongDM's URL is fixed and prefilled.
            app.text_when("wizard-url-ok", |t| {
                t.contains("https://app.strongdm.com/provisioning/generic/v2")
            })
            .await;
        } else {
            fill(&app, "wizard-url", url).await;
            app.text_when("wizard-url-error", |t| t.contains(problem))
                .await;
        }
        scroll_to(&app, "wizard", "start").await;
        app.screenshot(&format!("setup-{kind}")).await;
        if kind == "axis" {
            // Seed 004: the test email is not provisioned; verify counts and tabs in Axis.
            let steps = app
                .text_when("jumpcloud-steps", |t| t.contains("Verify in Axis"))
                .await;
            assert!(steps.contains("not provisioned"), "{steps}");
            assert!(!steps.contains("creates a test user"), "{steps}");
            scroll_to(&app, "jumpcloud-steps", "center").await;
            app.screenshot("setup-axis-jumpcloud").await;
        }
        app.by_test_id("wizard-cancel").await.click().await.unwrap();
        app.by_test_id("kind-chooser").await;
    }
    app.close().await;
}

/// A damaged settings.json (e.g. edited by hand, or a disk problem) is reported, never replaced:
/// the app starts on the demo, Setup says what happened, and the file stays byte for byte.
#[tokio::test]
async fn a_damaged_settings_file_is_reported_and_left_untouched() {
    let app = AppSession::start().await;
    app.by_test_id("page-home").await;
    let damaged = "{\"workspace\": {\"version\": 1, \"targets\": [{\"id\": \"aws-";
    let path = app.data_dir().join("settings.json");
    std::fs::write(&path, damaged).unwrap();

    let app = app.restart().await;
    app.by_test_id("page-home").await;
    app.text_when("target-status", |t| t == "OK").await;
    app.by_test_id("nav-setup").await.click().await.unwrap();
    let message = app
        .text_when("error-message", |t| t.contains("damaged"))
        .await;
    assert!(message.contains("left untouched"), "{message}");
    app.text_when("error-hint", |t| t.contains("move it aside"))
        .await;
    assert_eq!(std::fs::read_to_string(&path).unwrap(), damaged);
    app.close().await;
}
