//! Saved secrets stay bound to where they were saved (issue 15 item 1), in the real window and
//! through the real IPC. A Generic target is saved against the simulator; a recording listener on
//! another loopback port plays the look-alike host. Editing the target to point at it and pressing
//! Test, Write test or Save must deliver zero requests to it (with or without the token), both
//! when the Setup page's own guard is bypassed (the buttons are force-enabled, as an injected
//! script could) and when the commands are invoked directly; the same for the JumpCloud key.

use std::time::Duration;

use scim_companion_tests::app_driver::AppSession;
use scim_companion_tests::ids;
use serde_json::{json, Value};
use sim::recorder::Recorder;
use sim::target::{Dialect, SimConfig, SimTarget};

const TOKEN: &str = "e2e-origin-token-4be91d";

/// Clicks a button even when the page disabled it: what an injected script or a UI bug could do.
async fn force_click(app: &AppSession, id: &str) {
    let el = app.by_test_id(id).await;
    app.client
        .execute(
            "arguments[0].disabled = false; arguments[0].click();",
            vec![serde_json::to_value(&el).unwrap()],
        )
        .await
        .unwrap();
}

fn settings_json(app: &AppSession) -> String {
    std::fs::read_to_string(app.data_dir().join("settings.json")).expect("settings.json written")
}

fn assert_refused(result: Result<Value, Value>, what: &str) {
    let err = result.expect_err(&format!("{what} must be refused"));
    assert_eq!(err["code"], "secret_not_for_this_address", "{what}: {err}");
    let message = err["message"].as_str().unwrap_or_default();
    assert!(message.contains("re-enter the"), "{what}: {err}");
    assert!(!err.to_string().contains(TOKEN), "{what}: {err}");
}

#[tokio::test]
async fn an_edited_address_receives_nothing_from_test_write_test_or_save() {
    let sim =
        SimTarget::spawn_in_thread(SimConfig::new(Dialect::Generic).with_token(TOKEN)).unwrap();
    let look_alike = Recorder::start("/scim/v2").unwrap();
    let saved_url = sim.base_url().trim_end_matches('/').to_owned();
    let app = AppSession::start().await;

    // Save a Generic target at the simulator, with its token, through the wizard.
    app.by_test_id(ids::PAGE_HOME).await;
    app.click(&ids::nav("setup")).await;
    app.click(&ids::setup_kind("generic")).await;
    app.fill(ids::WIZARD_NAME, "Lab").await;
    app.fill(ids::WIZARD_URL, &saved_url).await;
    app.text_when(ids::WIZARD_URL_OK, |t| t.contains(&saved_url))
        .await;
    app.fill(ids::WIZARD_TOKEN, TOKEN).await;
    app.wait_enabled(ids::WIZARD_SAVE).await;
    app.click(ids::WIZARD_SAVE).await;
    app.text_when(ids::WIZARD_SAVED, |t| t.contains("Saved as"))
        .await;
    let config: Value = serde_json::from_str(&settings_json(&app)).unwrap();
    let id = config["workspace"]["targets"][0]["id"]
        .as_str()
        .expect("the saved target's id")
        .to_owned();

    // Edit it, pointing at the look-alike: the token field is required again, with the reason.
    app.click(&ids::nav("home")).await;
    app.click(&ids::nav("setup")).await;
    app.click(ids::SAVED_TARGET_EDIT).await;
    app.by_test_id(ids::WIZARD).await;
    app.fill(ids::WIZARD_URL, look_alike.base_url()).await;
    app.text_when(ids::WIZARD_URL_OK, |t| t.contains(look_alike.base_url()))
        .await;
    let reenter = app
        .text_when(ids::WIZARD_REENTER, |t| {
            t.contains("Re-enter the token for the new address")
        })
        .await;
    assert!(reenter.contains(&saved_url), "{reenter}");
    app.text_when(ids::WIZARD_MISSING, |t| t.contains("token"))
        .await;
    for id in [ids::WIZARD_TEST, ids::WIZARD_SAVE] {
        assert!(!app.is_enabled(id).await, "{id} must wait for the token");
    }
    let placeholder = app.attr(ids::WIZARD_TOKEN, "placeholder").await;
    assert_eq!(placeholder, "Re-enter the token for the new address");
    app.screenshot("setup-reenter-token").await;

    // Press Test, Write test and Save anyway: the core refuses each, and says why.
    force_click(&app, ids::WIZARD_TEST).await;
    app.text_when(ids::ERROR_MESSAGE, |t| {
        t.contains("re-enter the token for the new address")
    })
    .await;
    app.click(ids::WIZARD_WRITE_TOGGLE).await;
    app.click(ids::WIZARD_WRITE_CONFIRM).await;
    force_click(&app, ids::WIZARD_WRITE_RUN).await;
    force_click(&app, ids::WIZARD_SAVE).await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    let banners = scim_companion_tests::app_driver::all_by_test_id(&app, ids::ERROR_MESSAGE).await;
    assert!(
        banners.len() >= 3,
        "Test, Write test and Save each show why"
    );
    for banner in &banners {
        let text = scim_companion_tests::app_driver::text_of(banner).await;
        assert!(text.contains("re-enter the token"), "{text}");
    }

    // The same commands invoked directly, without the page's logic.
    let draft = json!({
        "id": id, "kind": "generic", "name": "Lab", "base_url": look_alike.base_url(),
        "local_endpoint": false, "jumpcloud_app_id": null, "manage_groups": false,
        "validated_domains": [], "token_created_on": null,
    });
    let args = json!({ "draft": draft, "credentials": null });
    assert_refused(
        app.invoke("target_test_config", args.clone()).await,
        "target_test_config",
    );
    assert_refused(
        app.invoke(
            "target_write_test",
            json!({ "draft": draft, "credentials": null, "userName": null }),
        )
        .await,
        "target_write_test",
    );
    assert_refused(app.invoke("target_save", args).await, "target_save");
    // Local-endpoint flag and kind changes are refused the same way.
    let mut flagged = draft.clone();
    flagged["base_url"] = json!(saved_url);
    flagged["local_endpoint"] = json!(true);
    assert_refused(
        app.invoke(
            "target_test_config",
            json!({ "draft": flagged, "credentials": null }),
        )
        .await,
        "local endpoint flag",
    );

    // Nothing reached the look-alike, and the target still points at its saved address.
    assert_eq!(
        look_alike.requests(),
        vec![],
        "requests reached the edited address"
    );
    assert!(look_alike.carrying(TOKEN).is_empty());
    let config: Value = serde_json::from_str(&settings_json(&app)).unwrap();
    assert_eq!(
        config["workspace"]["targets"][0]["base_url"],
        json!(saved_url)
    );

    // Control: at the saved address the stored token is still used without typing it.
    let mut same = draft.clone();
    same["base_url"] = json!(saved_url);
    let probe = app
        .invoke(
            "target_test_config",
            json!({ "draft": same, "credentials": null }),
        )
        .await
        .expect("the saved address keeps its token");
    assert!(
        probe["base_url"].as_str().unwrap().starts_with(&saved_url),
        "{probe}"
    );
    app.close().await;
}

#[tokio::test]
async fn the_jumpcloud_key_is_not_sent_to_an_edited_address() {
    let jc = sim::jumpcloud::SimThread::start(
        sim::jumpcloud::demo_directory(),
        sim::jumpcloud::SimConfig::default(),
    )
    .unwrap();
    let key = jc.api_key().to_owned();
    let look_alike = Recorder::start("").unwrap();
    let app = AppSession::start().await;
    app.by_test_id(ids::PAGE_HOME).await;
    let form = |base: &str, key: Option<&str>| json!({ "form": { "region": "us", "org_id": null, "base_url": base, "api_key": key } });
    app.invoke("jumpcloud_save", form(&jc.base_url(), Some(&key)))
        .await
        .expect("saved with the key");
    app.invoke("jumpcloud_test", form(&jc.base_url(), None))
        .await
        .expect("the saved address keeps its key");

    for cmd in ["jumpcloud_test", "jumpcloud_save"] {
        let err = app
            .invoke(cmd, form(look_alike.base_url(), None))
            .await
            .expect_err(cmd);
        assert_eq!(err["code"], "secret_not_for_this_address", "{cmd}: {err}");
        assert!(
            err["message"]
                .as_str()
                .unwrap_or_default()
                .contains("re-enter the JumpCloud API key"),
            "{cmd}: {err}"
        );
        assert!(!err.to_string().contains(&key));
    }
    // The region's own address is another host too.
    let err = app.invoke("jumpcloud_test",
        json!({ "form": { "region": "eu", "org_id": null, "base_url": null, "api_key": null } }),
    )
    .await
    .expect_err("another region");
    assert_eq!(err["code"], "secret_not_for_this_address", "{err}");

    // The panel says so when the address is edited.
    app.click(&ids::nav("setup")).await;
    app.by_test_id(ids::JUMPCLOUD_PANEL).await;
    app.fill(ids::JUMPCLOUD_BASE_URL, look_alike.base_url())
        .await;
    app.text_when(ids::JUMPCLOUD_REENTER, |t| {
        t.contains("Re-enter the API key for the new address")
    })
    .await;
    assert!(!app.is_enabled(ids::JUMPCLOUD_TEST).await);
    assert_eq!(
        look_alike.requests(),
        vec![],
        "requests reached the edited address"
    );
    app.close().await;
}
