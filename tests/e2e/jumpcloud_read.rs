//! A configured workspace in the real window: JumpCloud (the simulator on loopback, through the
//! setup page's API address) and a Generic target (the Generic SCIM simulator). Home says
//! JumpCloud was not read and shows 0 users; Read JumpCloud brings the counts; the diff then
//! finds what JumpCloud would push (non-zero missing users, no extra accounts).

use std::time::{Duration, Instant};

use fantoccini::Locator;
use scim_companion_tests::app_driver::{test_id_selector, AppSession};
use scim_companion_tests::ids;
use sim::jumpcloud::{demo_directory, SimConfig as JcConfig, SimThread};
use sim::target::{Dialect, SimConfig, SimTarget};

fn count(text: &str) -> u64 {
    text.chars()
        .filter(char::is_ascii_digit)
        .collect::<String>()
        .parse()
        .unwrap_or(0)
}

#[tokio::test]
async fn configured_workspace_reads_jumpcloud_then_diffs_with_real_counts() {
    const TOKEN: &str = "e2e-generic-jc-read-51a7";
    let directory = demo_directory();
    let jc = JcConfig::default();
    let key = jc.api_key.clone();
    let jumpcloud = SimThread::start(directory.clone(), jc).unwrap();
    let target =
        SimTarget::spawn_in_thread(SimConfig::new(Dialect::Generic).with_token(TOKEN)).unwrap();

    let app = AppSession::start().await;
    app.by_test_id(ids::PAGE_HOME).await;
    // The demo has its directory and no read button.
    app.text_when(ids::DIRECTORY_USERS, |t| count(t) > 0).await;

    // JumpCloud connection, pointed at the simulator.
    app.click(&ids::nav("setup")).await;
    app.by_test_id(ids::JUMPCLOUD_PANEL).await;
    app.fill(ids::JUMPCLOUD_KEY, &key).await;
    app.client
        .find(Locator::Css(&format!(
            "{} label.check input",
            test_id_selector(ids::JUMPCLOUD_PANEL)
        )))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    app.fill(ids::JUMPCLOUD_BASE_URL, &jumpcloud.base_url())
        .await;
    app.click(ids::JUMPCLOUD_SAVE).await;
    app.text_when(ids::JUMPCLOUD_CONNECTED, |t| t.contains("Connected"))
        .await;

    // A Generic target on the simulator, provisioned by the demo's Generic SCIM app.
    app.click(&ids::setup_kind("generic")).await;
    app.by_test_id(ids::WIZARD).await;
    app.fill(ids::WIZARD_NAME, "Lab generic").await;
    app.fill(ids::WIZARD_URL, target.base_url()).await;
    app.fill(ids::WIZARD_TOKEN, TOKEN).await;
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let picked = app
            .client
            .execute(
                "const s = document.querySelector(arguments[0]);
                 const o = s && [...s.options].find((o) => o.textContent.includes('Generic SCIM app'));
                 if (!o) return false;
                 s.value = o.value;
                 s.dispatchEvent(new Event('change', { bubbles: true }));
                 return true;",
                vec![test_id_selector(ids::WIZARD_APP).into()],
            )
            .await
            .unwrap();
        if picked == serde_json::Value::Bool(true) {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the Generic SCIM app never appeared in the picker"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    app.click(ids::WIZARD_TEST).await;
    app.text_when(ids::PROBE_HEADLINE, |t| t.starts_with("Connected"))
        .await;
    app.click(ids::WIZARD_SAVE).await;
    app.text_when(ids::WIZARD_SAVED, |t| t.contains("Saved as"))
        .await;

    // Home: configured, not read yet, 0 users; Read JumpCloud brings the directory.
    app.click(&ids::nav("home")).await;
    app.text_when(ids::TARGET_NAME, |t| t == "Lab generic")
        .await;
    app.text_when(ids::JUMPCLOUD_LAST_READ, |t| t.contains("Not read yet"))
        .await;
    app.text_when(ids::DIRECTORY_USERS, |t| t == "0").await;
    app.click(ids::JUMPCLOUD_READ_BUTTON).await;
    let users = app.text_when(ids::DIRECTORY_USERS, |t| count(t) > 0).await;
    assert_eq!(count(&users) as usize, directory.users.len(), "{users}");
    app.text_when(ids::JUMPCLOUD_LAST_READ, |t| t.starts_with("Last read"))
        .await;
    app.screenshot("home-jumpcloud-read").await;

    // Diff: the empty target lacks every user JumpCloud would push; nothing looks extra.
    app.click(&ids::nav("diff")).await;
    app.click(ids::DIFF_RUN).await;
    let missing = app
        .text_when(&ids::diff_count("missing"), |t| count(t) > 0)
        .await;
    assert!(count(&missing) > 0, "{missing}");
    let extra = app
        .text_when(&ids::diff_count("extra"), |t| !t.is_empty())
        .await;
    assert_eq!(count(&extra), 0, "{extra}");
    app.screenshot("diff-after-jumpcloud-read").await;
    app.close().await;
}
