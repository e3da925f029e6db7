//! Security checks (issue 9) in the real window, against the real IPC and the real CSP.
//!
//! The command list comes from `src-tauri/build.rs` (parsed at compile time), so a command
//! added there is covered here without editing this file.
//!
//! What these tests prove, and what they do not:
//!
//! * `app_commands_are_denied_to_a_remote_origin_in_the_main_window`: the capability
//!   (`src-tauri/capabilities/default.json`, window `main`, local origin only) is what stands
//!   between a page and the commands. The main window is navigated to a plain HTTP page on
//!   loopback. Tauri injects its IPC bridge, with the invoke key, into every top-level page of
//!   the window (the test checks that it is there), so the only thing left to refuse is the ACL:
//!   every app command, and every plugin command the capability grants, must be rejected with
//!   Tauri's "not allowed" error. In a debug build the error also names where the permission
//!   *is* granted (`windows: "main", URL: local`), which shows the command is granted to the
//!   app's own pages and refused here only because of the origin. A `remote` entry in any
//!   capability that covered loopback turns this test red.
//! * `iframes_cannot_reach_app_commands`: the Radically Open Security / GHSA-57fm-592m-34r7
//!   finding was that sub-frames could use the IPC of their window. Tauri 2 answered with two
//!   measures (both checked here from inside real frames): the IPC bridge
//!   (`__TAURI_INTERNALS__`) is injected into the main frame only, and every IPC message must
//!   carry the per-launch invoke key that only that bridge holds. Frames tried: a same-origin
//!   `srcdoc`, a sandboxed (opaque-origin) `srcdoc`, a `data:` URL, a `blob:` URL and the app's
//!   own `index.html`. First, attacker markup in each frame (an inline `<script>` and an
//!   `onerror` handler that call the parent's bridge) must never run: the `data:` and `blob:`
//!   frames are refused by the CSP (`frame-src` falls back to `default-src 'self'`), and the
//!   `srcdoc` frames inherit the CSP, which refuses inline script. Then, assuming script runs in
//!   the frame anyway (the advisory's precondition; WebDriver runs it there), every command is
//!   tried through the raw IPC channels reachable from a frame: `fetch("ipc://localhost/<cmd>")`
//!   without and with a guessed key, and `window.webkit.messageHandlers.ipc.postMessage` with a
//!   guessed key (the guessed-key channels for every command in the two `srcdoc` frames, and for
//!   the witness command in the others, since each refused message costs a line of stderr and
//!   the key is checked before the command). None may get an answer from a command handler (no
//!   `Tauri-Response` header), and a command with a visible side effect
//!   (`history_retention_set`, which writes settings.json) must not have run; a positive control
//!   then runs it from the main frame to show the witness would have seen it. (The refused
//!   `data:` and `blob:` frames are left as empty same-origin documents; they are tried too.) The sandboxed frame cannot touch the parent's bridge
//!   (SecurityError). Not claimed: a *same-origin* frame that runs script can call its
//!   parent's `__TAURI_INTERNALS__` like the window itself can (same origin, same webview;
//!   Tauri cannot tell them apart). What keeps that closed is the CSP, which refuses every
//!   inline script and foreign frame source, as the first part shows.
//! * `no_second_window_or_webview_can_be_opened`: a second window or webview (with another
//!   label) would fall outside the capability, but it cannot even be created: the window and
//!   webview creation commands are refused by the ACL and `window.open` returns `null` without
//!   a new window appearing to WebDriver.
//! * `csp_blocks_injected_inline_scripts`: the policy WebKit enforces on the app page (read
//!   from a `securitypolicyviolation` event's `originalPolicy`, with no CSP `<meta>` in the
//!   document, so it came from the response header Tauri sets) contains every directive of
//!   `app.security.csp` in tauri.conf.json and no `'unsafe-inline'`/`'unsafe-eval'`/wildcard in
//!   `script-src` (Tauri adds the `sha256-` hash of the app's own bundled script, which only
//!   admits that exact file); and injected script does not run: a `<script>` element with inline text, a
//!   `<script>` inserted with `innerHTML`, `<img src=x onerror=...>`, an `onclick` attribute,
//!   `eval`, `new Function`, a string `setTimeout` and a `javascript:` link. Each refusal is
//!   reported by the browser as an enforced CSP violation.
//!   Debug and release serve the same policy: Tauri 2 (`AppManager::csp` in tauri 2.12, and
//!   `tauri-codegen` for the hashes) uses `app.security.devCsp` in dev builds when it is set and
//!   `app.security.csp` otherwise; this project sets no `devCsp`, and the debug app embeds
//!   `ui/dist` like the release one (no `devUrl`). `scripts/test-installers.sh` also runs this
//!   module against the installed release build (`SCIM_COMPANION_APP=/usr/bin/...`).
//! * `without_a_keychain_setup_says_so_and_saves_nothing`: the app started with no Secret
//!   Service (its session bus points at nothing) shows the plain "no system keychain" message
//!   on Setup, keeps Save disabled in the target wizard and the JumpCloud panel, refuses a save
//!   sent straight to the IPC with `keychain_unavailable`, and leaves the token and key nowhere
//!   in its data folder or its WebKit/XDG folders.
//!
//! * `saving_writes_only_where_the_dialog_answered` (issue 15): the old path-taking save
//!   commands are refused, and `export_save` writes exactly one file at the save dialog's answer
//!   (the debug-only `SCIM_COMPANION_TEST_SAVE_DIALOG` seam: `<data>/test-saves/`), none outside;
//!   against a release build it checks that the seam is ignored.
//! * `preferences_round_trip_and_the_store_plugin_is_closed_to_the_window` (issue 15): the
//!   store plugin's commands are refused to the window; UI preferences go through the typed
//!   `prefs_get`/`prefs_set` to `ui-preferences.json` and survive a restart.
//!
//! Observed and accepted (not a hole): WebKit does not enforce `frame-ancestors 'none'` for the
//! app's own `tauri://` page, so the app page can be framed inside its own window. Such a frame
//! gets no IPC bridge and no invoke key (checked below), and only the app's own code runs in it.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use scim_companion_tests::app_driver::AppSession;
use serde_json::{json, Value};

const BUILD_RS: &str = include_str!("../../src-tauri/build.rs");
const DEFAULT_CAPABILITY: &str = include_str!("../../src-tauri/capabilities/default.json");
const TAURI_CONF: &str = include_str!("../../src-tauri/tauri.conf.json");

/// The retention this module uses as a witness: if any refused call had run, settings.json
/// would hold it.
const WITNESS_RUNS: u64 = 4242;

/// Every app command, from the `COMMANDS` list in `src-tauri/build.rs`.
/// The strings of a JSON array (panics when `v` is not an array).
fn strings(v: &Value) -> impl Iterator<Item = &str> {
    v.as_array()
        .unwrap_or_else(|| panic!("not an array: {v}"))
        .iter()
        .filter_map(Value::as_str)
}

fn app_commands() -> Vec<String> {
    let start = BUILD_RS
        .find("const COMMANDS")
        .expect("src-tauri/build.rs declares `const COMMANDS`");
    let list = &BUILD_RS[start..];
    let list = &list[list.find("= &[").expect("COMMANDS is `= &[...]`") + 4..];
    let list = &list[..list.find("];").expect("COMMANDS ends with `];`")];
    let commands: Vec<String> = list
        .split('"')
        .skip(1)
        .step_by(2)
        .map(str::to_owned)
        .collect();
    assert!(
        commands.len() >= 30,
        "parsed only {} commands from src-tauri/build.rs: {commands:?}",
        commands.len()
    );
    commands
}

/// The plugin commands the capability grants to the main window (a subset, one per plugin).
const PLUGIN_COMMANDS: &[&str] = &[
    "plugin:event|listen",
    "plugin:store|load",
    "plugin:dialog|save",
    "plugin:clipboard-manager|write_text",
];

#[test]
fn every_app_command_is_granted_to_the_main_window_only() {
    // Without this, a command missing from the capability would be "denied" everywhere and the
    // tests below would pass without proving anything about it.
    let capability: Value = serde_json::from_str(DEFAULT_CAPABILITY).unwrap();
    assert_eq!(capability["windows"], json!(["main"]), "{capability}");
    assert!(capability.get("webviews").is_none(), "{capability}");
    assert!(
        capability.get("remote").is_none(),
        "the default capability must stay local-only: {capability}"
    );
    let granted: BTreeSet<&str> = strings(&capability["permissions"]).collect();
    for command in app_commands() {
        let permission = format!("allow-{}", command.replace('_', "-"));
        assert!(
            granted.contains(permission.as_str()),
            "{command} is not granted to the main window ({permission} missing)"
        );
    }
}

/// Runs `window.__TAURI_INTERNALS__.invoke(cmd, args)` in the current frame.
async fn invoke(app: &AppSession, cmd: &str, args: Value) -> Result<Value, String> {
    app.invoke(cmd, args).await.map_err(|e| match e {
        Value::String(text) => text,
        other => other.to_string(),
    })
}

fn witness_args() -> Value {
    json!({ "retention": { "kind": "keep_runs", "value": WITNESS_RUNS } })
}

fn settings_text(app: &AppSession) -> String {
    std::fs::read_to_string(app.data_dir().join("settings.json")).unwrap_or_default()
}

/// Asserts from the main frame that no refused call changed the retention.
async fn assert_witness_untouched(app: &AppSession, after: &str) {
    let retention = invoke(app, "history_retention_get", json!({}))
        .await
        .expect("the main window reads the retention");
    assert_eq!(retention, Value::Null, "a refused call ran ({after})");
    assert!(
        !settings_text(app).contains(&WITNESS_RUNS.to_string()),
        "settings.json holds the witness retention ({after})"
    );
}

/// The positive control: the same call from the main frame does run and is seen.
async fn assert_witness_sees_a_real_call(app: &AppSession) {
    invoke(app, "history_retention_set", witness_args())
        .await
        .expect("the main window may set the retention");
    let retention = invoke(app, "history_retention_get", json!({}))
        .await
        .unwrap();
    assert_eq!(retention["value"], json!(WITNESS_RUNS), "{retention}");
    assert!(settings_text(app).contains(&WITNESS_RUNS.to_string()));
    invoke(app, "history_retention_set", json!({ "retention": null }))
        .await
        .unwrap();
}

fn assert_acl_denial(command: &str, error: &str, url: &str) {
    assert!(
        error.contains("not allowed"),
        "{command} from {url} was not refused by the ACL: {error}"
    );
    // Debug builds say where the permission is granted; release builds only
    // "Command X not allowed by ACL".
    if error.contains("allowed on:") {
        assert!(
            error.contains("windows: \"main\", URL: local"),
            "{command}: unexpected grant in {error}"
        );
    }
}

mod csp;
mod ipc_access;
mod storage;
