//! Who can reach the app's commands: not a remote origin in the main window, not a frame, and
//! no second window or webview (see the module documentation of `security`).

use super::*;
use scim_companion_tests::ids;

/// A plain HTTP page on loopback, for a remote origin in the main window.
fn serve_remote_page() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind loopback");
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for mut stream in listener.incoming().flatten() {
            let mut request = [0u8; 4096];
            let _ = stream.read(&mut request);
            let body = "<!doctype html><title>remote</title><p id=remote>a remote page</p>";
            let _ = write!(
                stream,
                "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    format!("http://127.0.0.1:{port}/")
}

/// The app on Home, where its own page reaches its commands: the control for every denial below.
async fn app_reaching_its_commands() -> AppSession {
    let app = AppSession::start().await;
    app.by_test_id(ids::PAGE_HOME).await;
    let info = invoke(&app, "app_info", json!({})).await;
    assert!(info.is_ok(), "the main window's own page: {info:?}");
    app
}

#[tokio::test]
async fn app_commands_are_denied_to_a_remote_origin_in_the_main_window() {
    let commands = app_commands();
    let app = app_reaching_its_commands().await;

    let url = serve_remote_page();
    app.client.goto(&url).await.expect("navigate to the page");
    let bridge: Value = app
        .client
        .execute(
            "return [location.href, typeof window.__TAURI_INTERNALS__];",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(
        bridge,
        json!([url, "object"]),
        "the remote page should get Tauri's IPC bridge, so that the ACL is what refuses"
    );

    let mut tried = 0;
    for command in commands
        .iter()
        .map(String::as_str)
        .chain(PLUGIN_COMMANDS.iter().copied())
    {
        let args = if command == "history_retention_set" {
            witness_args()
        } else {
            json!({})
        };
        match invoke(&app, command, args).await {
            Ok(value) => panic!("{command} ran for {url}: {value}"),
            Err(error) => {
                assert_acl_denial(command, &error, &url);
                if tried == 0 {
                    println!("{command}: {error}");
                }
            }
        }
        tried += 1;
    }
    println!("{tried} commands refused for {url}");

    app.client.goto("tauri://localhost/").await.unwrap();
    app.by_test_id(ids::PAGE_HOME).await;
    assert_witness_untouched(&app, "remote origin").await;
    assert_witness_sees_a_real_call(&app).await;
    app.close().await;
}

/// Adds the frames, each with attacker markup that tries to reach the IPC, and reports which
/// CSP violations and messages the main document saw within two seconds.
const ADD_FRAMES: &str = r#"
const [witness, done] = arguments;
const seen = { violations: [], messages: [] };
document.addEventListener('securitypolicyviolation',
  (e) => seen.violations.push(e.effectiveDirective + ' ' + e.blockedURI));
window.addEventListener('message', (e) => seen.messages.push(String(e.data)));
const attack = (name) =>
  `<p>${name}</p><script>parent.postMessage('script ran in ${name}', '*');` +
  `parent.__TAURI_INTERNALS__.invoke('history_retention_set', ${JSON.stringify(witness)});` +
  `window.__TAURI_INTERNALS__.invoke('history_retention_set', ${JSON.stringify(witness)});<\/script>` +
  `<img src=x onerror="parent.postMessage('onerror ran in ${name}', '*')">`;
const add = (name, attrs) => {
  const frame = document.createElement('iframe');
  frame.dataset.security = name;
  for (const [k, v] of Object.entries(attrs)) frame.setAttribute(k, v);
  document.body.appendChild(frame);
};
add('srcdoc', { srcdoc: attack('srcdoc') });
add('sandboxed-srcdoc', { srcdoc: attack('sandboxed-srcdoc'), sandbox: 'allow-scripts' });
add('data-url', { src: 'data:text/html,' + encodeURIComponent(attack('data-url')) });
add('blob-url', { src: URL.createObjectURL(new Blob([attack('blob-url')], { type: 'text/html' })) });
add('app-page', { src: '/index.html' });
setTimeout(() => done({
  violations: seen.violations,
  messages: seen.messages,
  frames: Array.from(document.querySelectorAll('iframe')).map((f) => f.dataset.security || ''),
}), 2000);
"#;

/// Runs inside one frame: the IPC bridge, the parent's bridge, and every command through the
/// raw IPC channels (custom protocol without and with a guessed key, and the WebKit message
/// handler with a guessed key). With `guessAll` false only the witness command goes through the
/// guessed-key channels: Tauri checks the key before it looks at the command, and prints one
/// stderr line per refused message, so the other frames send just one to keep the log readable.
const ATTACK_FROM_FRAME: &str = r#"
const [commands, witness, guessAll, done] = arguments;
(async () => {
  const out = { origin: String(self.origin), href: location.href, bridge: typeof window.__TAURI_INTERNALS__ };
  try {
    out.parentBridge = typeof parent.__TAURI_INTERNALS__;
  } catch (e) {
    out.parentBridge = 'blocked: ' + e.name;
  }
  const viaFetch = async (cmd, key) => {
    const headers = { 'Content-Type': 'application/json', 'Tauri-Callback': '1', 'Tauri-Error': '2' };
    if (key !== null) headers['Tauri-Invoke-Key'] = key;
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), 2500);
    const body = JSON.stringify(cmd === 'history_retention_set' ? witness : {});
    try {
      const r = await fetch('ipc://localhost/' + encodeURIComponent(cmd),
        { method: 'POST', body, headers, signal: abort.signal });
      return { status: r.status, tauriResponse: r.headers.get('Tauri-Response'), body: (await r.text()).slice(0, 120) };
    } catch (e) {
      return { failed: e.name };
    } finally {
      clearTimeout(timer);
    }
  };
  const handler = window.webkit && window.webkit.messageHandlers && window.webkit.messageHandlers.ipc;
  out.results = await Promise.all(commands.map(async (cmd) => {
    const guess = guessAll || cmd === 'history_retention_set';
    let postMessage = guess ? 'no message handler' : 'not tried';
    if (handler && guess) {
      handler.postMessage(JSON.stringify({
        cmd, callback: 1, error: 2, payload: cmd === 'history_retention_set' ? witness : {},
        __TAURI_INVOKE_KEY__: 'guessed-key',
      }));
      postMessage = 'sent';
    }
    const [noKey, guessedKey] = await Promise.all([
      viaFetch(cmd, null), guess ? viaFetch(cmd, 'guessed-key') : { failed: 'not tried' }]);
    return { cmd, noKey, guessedKey, postMessage };
  }));
  return out;
})().then(done, (e) => done({ error: String(e) }));
"#;

#[tokio::test]
async fn iframes_cannot_reach_app_commands() {
    let commands = app_commands();
    let app = app_reaching_its_commands().await;

    // 1. Attacker markup in frames never runs.
    let seen = app
        .client
        .execute_async(ADD_FRAMES, vec![witness_args()])
        .await
        .expect("add the frames");
    let messages = seen["messages"].as_array().unwrap();
    assert!(
        messages.is_empty(),
        "script ran inside a frame: {messages:?}"
    );
    let violations: Vec<&str> = strings(&seen["violations"]).collect();
    for blocked in ["frame-src data", "frame-src blob"] {
        assert!(
            violations.contains(&blocked),
            "the CSP did not refuse the frame ({blocked}); violations: {violations:?}"
        );
    }
    let frames: Vec<String> = serde_json::from_value(seen["frames"].clone()).unwrap();
    assert_eq!(frames.len(), 5, "{frames:?}");
    assert_witness_untouched(&app, "attacker markup in frames").await;

    // 2. Script running inside each frame anyway finds no way to the commands.
    for (index, name) in frames.iter().enumerate() {
        app.client
            .enter_frame(index as u16)
            .await
            .unwrap_or_else(|e| panic!("enter frame {name}: {e}"));
        let out = app
            .client
            .execute_async(
                ATTACK_FROM_FRAME,
                vec![
                    json!(commands),
                    witness_args(),
                    json!(name.ends_with("srcdoc")),
                ],
            )
            .await
            .unwrap_or_else(|e| panic!("script in frame {name}: {e}"));
        app.client.enter_parent_frame().await.unwrap();
        assert!(out.get("error").is_none(), "frame {name}: {out}");
        assert_eq!(
            out["bridge"], "undefined",
            "frame {name} ({}) got Tauri's IPC bridge",
            out["href"]
        );
        if name == "sandboxed-srcdoc" {
            assert_eq!(out["origin"], "null", "{out}");
            assert_eq!(
                out["parentBridge"], "blocked: SecurityError",
                "the opaque-origin frame reached its parent: {out}"
            );
        }
        let results = out["results"].as_array().unwrap();
        assert_eq!(results.len(), commands.len());
        for result in results {
            let command = result["cmd"].as_str().unwrap();
            for channel in ["noKey", "guessedKey"] {
                let answer = &result[channel];
                assert!(
                    answer["tauriResponse"].is_null(),
                    "{command} answered a frame ({name}, fetch {channel}): {answer}"
                );
                assert!(
                    answer.get("failed").is_some() || answer["status"] == json!(500),
                    "{command} from frame {name} (fetch {channel}): unexpected answer {answer}"
                );
            }
        }
        // The refusal reasons, for the record.
        let sample = results
            .iter()
            .find(|r| r["cmd"] == "history_retention_set")
            .expect("the witness command is an app command");
        println!(
            "frame {name} (origin {}): own bridge {}, parent's bridge {}; fetch without key: {}, \
             with a guessed key: {}; message handler: {}",
            out["origin"],
            out["bridge"],
            out["parentBridge"],
            sample["noKey"],
            sample["guessedKey"],
            sample["postMessage"]
        );
    }
    // Give refused messages time to have run, had they not been refused.
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_witness_untouched(&app, "raw IPC from frames").await;
    assert_witness_sees_a_real_call(&app).await;
    app.close().await;
}

#[tokio::test]
async fn no_second_window_or_webview_can_be_opened() {
    let app = AppSession::start().await;
    app.by_test_id(ids::PAGE_HOME).await;
    let attempts = [
        (
            "plugin:webview|create_webview_window",
            json!({ "options": { "label": "intruder", "url": "index.html" } }),
        ),
        (
            "plugin:window|create",
            json!({ "options": { "label": "intruder-window", "url": "index.html" } }),
        ),
        (
            "plugin:webview|create_webview",
            json!({ "windowLabel": "main", "options": {
                "label": "intruder-webview", "url": "index.html",
                "x": 0, "y": 0, "width": 200, "height": 200 } }),
        ),
    ];
    for (command, args) in attempts {
        match invoke(&app, command, args).await {
            Ok(value) => panic!("{command} created something: {value}"),
            Err(error) => assert!(
                error.contains("not allowed"),
                "{command} was not refused by the ACL: {error}"
            ),
        }
    }
    let opened: Value = app
        .client
        .execute(
            "return [String(window.open('index.html', '_blank')), \
                     String(window.open('http://127.0.0.1:9/', 'x'))];",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(opened, json!(["null", "null"]));
    tokio::time::sleep(Duration::from_secs(1)).await;
    let windows = app.client.windows().await.unwrap();
    assert_eq!(windows.len(), 1, "a second window appeared");
    app.close().await;
}
