//! What is written where: nothing without a keychain, saves only where the dialog answered,
//! and UI preferences in a file of their own (see the module documentation of `security`).

use super::*;
use scim_companion_tests::ids;

/// A folder removed when the test ends.
struct Scratch(PathBuf);

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Every file under `root` whose bytes contain `needle`.
fn files_containing(root: &Path, needle: &str) -> Vec<PathBuf> {
    let mut hits = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if let Ok(bytes) = std::fs::read(&path) {
                if bytes.windows(needle.len()).any(|w| w == needle.as_bytes()) {
                    hits.push(path);
                }
            }
        }
    }
    hits
}

/// Waits until the element's text satisfies `accept` (no screenshot on failure: this module
/// also runs against the installed release binary, whose folder is not writable scratch).
async fn wait_text(app: &AppSession, id: &str, accept: impl Fn(&str) -> bool) -> String {
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut last = String::new();
    while Instant::now() < deadline {
        if let Ok(Some(text)) = app.by_test_id(id).await.prop("textContent").await {
            let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
            if accept(&text) {
                return text;
            }
            last = text;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    panic!("[data-testid={id}] never showed the expected text; last: {last:?}");
}

#[tokio::test]
async fn without_a_keychain_setup_says_so_and_saves_nothing() {
    const TOKEN: &str = "no-keychain-target-token-5be1c";
    const API_KEY: &str = "no-keychain-jumpcloud-key-77d0a";
    // The app's WebKit and XDG folders go to a scratch folder too, so "nowhere" is checkable.
    let scratch = Scratch(std::env::temp_dir().join(format!(
        "scim-companion-e2e-nokeychain-{}",
        std::process::id()
    )));
    let xdg = |name: &str| {
        let dir = scratch.0.join(name);
        std::fs::create_dir_all(&dir).unwrap();
        dir.to_string_lossy().into_owned()
    };
    let (data, config, cache, state) = (xdg("data"), xdg("config"), xdg("cache"), xdg("state"));
    let app = AppSession::start_with_env(&[
        // A session bus that does not exist: no Secret Service.
        (
            "DBUS_SESSION_BUS_ADDRESS",
            "unix:path=/nonexistent/scim-companion-no-keychain",
        ),
        ("XDG_DATA_HOME", &data),
        ("XDG_CONFIG_HOME", &config),
        ("XDG_CACHE_HOME", &cache),
        ("XDG_STATE_HOME", &state),
    ])
    .await;
    app.by_test_id(ids::PAGE_HOME).await;
    app.click(&ids::nav("setup")).await;
    app.by_test_id(ids::PAGE_SETUP).await;
    let message = wait_text(&app, ids::KEYCHAIN_UNAVAILABLE, |t| {
        t.contains("No system keychain is available")
    })
    .await;
    println!("Setup says: {message}");
    let status = invoke(&app, "keychain_status", json!({})).await.unwrap();
    assert_eq!(status["available"], json!(false), "{status}");

    // JumpCloud: a typed key can be tested but not saved.
    app.fill(ids::JUMPCLOUD_KEY, API_KEY).await;
    assert!(app.is_enabled(ids::JUMPCLOUD_TEST).await);
    assert!(
        !app.is_enabled(ids::JUMPCLOUD_SAVE).await,
        "JumpCloud Save is enabled without a keychain"
    );

    // A complete target: Test is enabled, Save is not, and the wizard says why.
    app.click(&ids::setup_kind("generic")).await;
    app.by_test_id(ids::WIZARD).await;
    app.fill(ids::WIZARD_NAME, "No keychain lab").await;
    app.fill(ids::WIZARD_URL, "https://scim.example.org/scim/v2")
        .await;
    wait_text(&app, ids::WIZARD_URL_OK, |t| t.contains("scim.example.org")).await;
    app.fill(ids::WIZARD_TOKEN, TOKEN).await;
    let deadline = Instant::now() + Duration::from_secs(15);
    while !app.is_enabled(ids::WIZARD_TEST).await {
        assert!(Instant::now() < deadline, "the wizard never became ready");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(
        !app.is_enabled(ids::WIZARD_SAVE).await,
        "target Save is enabled without a keychain"
    );
    wait_text(&app, ids::WIZARD_NO_KEYCHAIN, |t| {
        t.contains("No system keychain is available, so the token cannot be saved")
    })
    .await;

    // Straight to the IPC, past the disabled buttons: refused, nothing written.
    let draft = json!({
        "id": null, "kind": "generic", "name": "No keychain lab",
        "base_url": "https://scim.example.org/scim/v2", "local_endpoint": false,
        "jumpcloud_app_id": null, "manage_groups": true, "validated_domains": [],
    });
    let target = invoke(
        &app,
        "target_save",
        json!({ "draft": draft, "credentials": { "kind": "bearer", "token": TOKEN } }),
    )
    .await
    .expect_err("target_save must fail without a keychain");
    let target: Value = serde_json::from_str(&target).unwrap();
    assert_eq!(target["code"], "keychain_unavailable", "{target}");
    let jumpcloud = invoke(
        &app,
        "jumpcloud_save",
        json!({ "form": { "region": "us", "org_id": null, "base_url": null, "api_key": API_KEY } }),
    )
    .await
    .expect_err("jumpcloud_save must fail without a keychain");
    let jumpcloud: Value = serde_json::from_str(&jumpcloud).unwrap();
    assert_eq!(jumpcloud["code"], "keychain_unavailable", "{jumpcloud}");
    println!("target_save: {}", target["message"]);

    // The data folder goes with the session, so it is searched while the app still runs; the
    // WebKit/XDG folders are searched again after the app has quit and flushed them.
    for secret in [TOKEN, API_KEY] {
        for root in [app.data_dir(), scratch.0.as_path()] {
            let hits = files_containing(root, secret);
            assert!(hits.is_empty(), "{secret} written to {hits:?}");
        }
    }
    assert!(
        !settings_text(&app).contains("No keychain lab"),
        "a target was saved without its token"
    );
    let searched = file_count(app.data_dir()) + file_count(&scratch.0);
    app.close().await;
    for secret in [TOKEN, API_KEY] {
        let hits = files_containing(&scratch.0, secret);
        assert!(hits.is_empty(), "{secret} written to {hits:?}");
    }
    println!(
        "no secret in {searched} files (data folder and WebKit/XDG folders), {} after exit",
        file_count(&scratch.0)
    );
}

fn file_count(root: &Path) -> usize {
    let mut count = 0;
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            if entry.path().is_dir() {
                stack.push(entry.path());
            } else {
                count += 1;
            }
        }
    }
    count
}

/// Every file under `root`, relative to it.
fn files_under(root: &Path) -> BTreeSet<PathBuf> {
    let mut out = BTreeSet::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if let Ok(rel) = path.strip_prefix(root) {
                out.insert(rel.to_path_buf());
            }
        }
    }
    out
}

/// Whether the app under test is a debug build (`target/debug/...`), where the save dialog's
/// test seam exists; the installed release build must ignore it.
fn debug_app() -> bool {
    scim_companion_tests::app_driver::app_binary()
        .components()
        .any(|c| c.as_os_str() == "debug")
}

/// Issue 15 item 2: the window cannot name a path to write. The old `file_save` and
/// `snippet_save` are gone (refused), an extra `path` argument to `export_save` is ignored, and
/// the one save writes exactly one file where the "dialog" answered (the debug-only seam:
/// `<data>/test-saves/`), with contents computed in Rust. The release build ignores the seam.
#[tokio::test]
async fn saving_writes_only_where_the_dialog_answered() {
    let outside = Scratch(
        std::env::temp_dir().join(format!("scim-companion-e2e-outside-{}", std::process::id())),
    );
    std::fs::create_dir_all(&outside.0).unwrap();
    let victim = outside.0.join("bashrc");
    let victim_path = victim.to_string_lossy().into_owned();
    let app = AppSession::start_with_env(&[("SCIM_COMPANION_TEST_SAVE_DIALOG", "1")]).await;
    app.by_test_id(ids::PAGE_HOME).await;

    // The old commands, called as a script in the window would: refused, nothing written.
    for command in ["file_save", "snippet_save"] {
        let error = invoke(
            &app,
            command,
            json!({ "path": victim_path, "contents": "echo pwned" }),
        )
        .await
        .expect_err("the old save commands are gone");
        assert!(
            error.contains("not found") || error.contains("not allowed"),
            "{command}: {error}"
        );
        println!("{command}: {error}");
    }
    for command in ["plugin:dialog|save", "plugin:fs|write_text_file"] {
        let error = invoke(&app, command, json!({ "path": victim_path }))
            .await
            .expect_err("no dialog or fs permission in the window");
        assert!(
            error.contains("not allowed") || error.contains("not found"),
            "{command}: {error}"
        );
    }

    let before = files_under(app.data_dir());
    let request = json!({
        "request": {
            "kind": "saml_xml",
            "mappings": [{ "tagKey": "Email", "source": { "kind": "attribute", "value": "email" } }],
            "user_id": null,
            "options": { "standalone": true, "pretty": true, "nameFormat": false },
        },
        // Not a parameter of the command: ignored, never a destination.
        "path": victim_path,
        "contents": "echo pwned",
    });
    let saved_dir = app.data_dir().join("test-saves");
    if debug_app() {
        let saved = invoke(&app, "export_save", request)
            .await
            .expect("export_save saves");
        let expected = saved_dir.join("access-control-attributes.xml");
        assert_eq!(saved, json!(expected.to_string_lossy()), "{saved}");
        let text = std::fs::read_to_string(&expected).unwrap();
        assert!(text.contains("AccessControl:Email"), "{text}");
        assert!(!text.contains("pwned"), "{text}");
        let after = files_under(app.data_dir());
        let new: Vec<_> = after.difference(&before).collect();
        assert_eq!(
            new,
            vec![&PathBuf::from("test-saves/access-control-attributes.xml")],
            "exactly one new file, at the dialog's path"
        );
        println!("saved {} bytes to {}", text.len(), expected.display());
    } else {
        // Release: the seam does not exist, so a real dialog opens and nothing is written
        // until someone answers it. Fire the call without waiting for it.
        app.client
            .execute(
                "window.__TAURI_INTERNALS__.invoke('export_save', arguments[0]); return null;",
                vec![request],
            )
            .await
            .unwrap();
        tokio::time::sleep(Duration::from_secs(3)).await;
        assert!(
            !saved_dir.exists(),
            "the release build honoured the test seam"
        );
        println!("release build: the seam is ignored");
    }
    let outside_files = files_under(&outside.0);
    assert!(
        outside_files.is_empty(),
        "written outside the dialog's path: {outside_files:?}"
    );
    assert!(!victim.exists());
    app.close().await;
}

/// Issue 15 item 5: the window holds no store permission, so it cannot open settings.json (or
/// any file) through tauri-plugin-store; UI preferences go through the typed commands to a
/// file of their own and survive a restart.
#[tokio::test]
async fn preferences_round_trip_and_the_store_plugin_is_closed_to_the_window() {
    let app = AppSession::start().await;
    app.by_test_id(ids::PAGE_HOME).await;
    for (command, args) in [
        ("plugin:store|load", json!({ "path": "settings.json" })),
        (
            "plugin:store|load",
            json!({ "path": app.data_dir().join("settings.json").to_string_lossy() }),
        ),
        ("plugin:store|get_store", json!({ "path": "settings.json" })),
        (
            "plugin:store|set",
            json!({ "rid": 1, "key": "workspace", "value": null }),
        ),
    ] {
        let error = invoke(&app, command, args)
            .await
            .expect_err("the store plugin is closed to the window");
        assert!(error.contains("not allowed"), "{command}: {error}");
    }
    println!("plugin:store|load refused");

    let defaults = invoke(&app, "prefs_get", json!({})).await.unwrap();
    assert_eq!(defaults["last_target"], Value::Null, "{defaults}");
    let prefs = json!({
        "last_target": "demo-generic",
        "diff_show_in_sync": true,
        "diff_kind": "group",
        "column_widths": { "diff": { "label": 240 } },
    });
    invoke(&app, "prefs_set", json!({ "prefs": prefs }))
        .await
        .expect("prefs_set");
    let file = app.data_dir().join("ui-preferences.json");
    assert!(file.exists(), "preferences have a file of their own");
    assert!(
        !settings_text(&app).contains("demo-generic"),
        "preferences leaked into settings.json"
    );

    let app = app.restart().await;
    app.by_test_id(ids::PAGE_HOME).await;
    let back = invoke(&app, "prefs_get", json!({})).await.unwrap();
    assert_eq!(back, prefs, "preferences after a restart");
    // The Diff page opens on the remembered target and kind.
    app.click(&ids::nav("diff")).await;
    app.by_test_id(ids::PAGE_DIFF).await;
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let value = app.prop(ids::DIFF_TARGET, "value").await;
        if value == "demo-generic" {
            break;
        }
        assert!(Instant::now() < deadline, "diff target {value:?}");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    app.close().await;
}
