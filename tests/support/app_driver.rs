use fantoccini::{Client, ClientBuilder, Locator};

use crate::ids;
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const SESSION_TIMEOUT: Duration = Duration::from_secs(60);
const ELEMENT_TIMEOUT: Duration = Duration::from_secs(30);

/// A running tauri-driver. Dropping it sends SIGTERM so tauri-driver also stops its
/// WebKitWebDriver child; a SIGKILL would orphan that child and the next run would hang on the
/// port it still holds.
struct Driver {
    child: Child,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = Command::new("kill")
            .arg("-TERM")
            .arg(self.child.id().to_string())
            .status();
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One app window under WebDriver, with the driver process it belongs to.
pub struct AppSession {
    pub client: Client,
    _driver: Driver,
    _data_dir: TempDir,
    /// The extra environment the app was started with, kept for [`AppSession::restart`].
    env: Vec<(String, String)>,
}

/// A data folder of its own for each session, so runs never see each other's settings.
struct TempDir(PathBuf);

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ has a parent")
        .to_path_buf()
}

/// The debug app binary: `$SCIM_COMPANION_APP`, else `$CARGO_TARGET_DIR/debug`, else `<root>/target/debug`.
pub fn app_binary() -> PathBuf {
    if let Some(path) = std::env::var_os("SCIM_COMPANION_APP") {
        return PathBuf::from(path);
    }
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join("target"));
    let target = if target.is_absolute() {
        target
    } else {
        workspace_root().join(target)
    };
    target.join("debug").join("scim-companion-app")
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free loopback port")
}

fn wait_for_port(port: u16, within: Duration) {
    let deadline = Instant::now() + within;
    while Instant::now() < deadline {
        if TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("tauri-driver did not listen on port {port} within {within:?}");
}

impl AppSession {
    /// Starts tauri-driver and opens the app window on a fresh data folder.
    pub async fn start() -> AppSession {
        Self::start_with_env(&[]).await
    }

    /// Like [`AppSession::start`], with extra environment variables for the app.
    pub async fn start_with_env(env: &[(&str, &str)]) -> AppSession {
        let data_dir = std::env::temp_dir().join(format!(
            "scim-companion-e2e-{}-{}",
            std::process::id(),
            free_port()
        ));
        std::fs::create_dir_all(&data_dir).expect("create E2E data folder");
        let env = env
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Self::launch(TempDir(data_dir), env).await
    }

    /// The process id of this session's tauri-driver: the app and its WebKit processes are among
    /// its descendants (for measuring their memory).
    pub fn driver_pid(&self) -> u32 {
        self._driver.child.id()
    }

    /// The app's data folder (`SCIM_COMPANION_DATA_DIR`), e.g. to read `settings.json`.
    pub fn data_dir(&self) -> &Path {
        &self._data_dir.0
    }

    /// Quits the app and starts it again on the same data folder and environment, as a user
    /// reopening the app would.
    pub async fn restart(self) -> AppSession {
        let AppSession {
            client,
            _driver,
            _data_dir,
            env,
        } = self;
        client.close().await.expect("close WebDriver session");
        drop(_driver);
        Self::launch(_data_dir, env).await
    }

    async fn launch(data_dir: TempDir, env: Vec<(String, String)>) -> AppSession {
        assert!(
            std::env::var_os("DISPLAY").is_some(),
            "E2E tests need a display: run them under `xvfb-run -a` (package xvfb)"
        );
        let app = app_binary();
        assert!(
            app.is_file(),
            "app binary {} not found: build it first with `cargo build -p scim-companion-app`",
            app.display()
        );
        let port = free_port();
        let native_port = free_port();
        let mut command =
            Command::new(std::env::var("TAURI_DRIVER").unwrap_or_else(|_| "tauri-driver".into()));
        command
            .args([
                "--port",
                &port.to_string(),
                "--native-port",
                &native_port.to_string(),
            ])
            .env("SCIM_COMPANION_DATA_DIR", &data_dir.0)
            .stdout(Stdio::null())
            .stderr(Stdio::inherit());
        for (key, value) in &env {
            command.env(key, value);
        }
        let child = command.spawn().unwrap_or_else(|e| {
            panic!("cannot start tauri-driver ({e}): install it with `cargo install tauri-driver --version 2.1.0 --locked`")
        });
        let driver = Driver { child };
        wait_for_port(port, Duration::from_secs(20));

        // Both rustls backends are in the dependency graph, so pick one explicitly; a second
        // session in the same process finds it already installed.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let capabilities = serde_json::json!({
            "browserName": "wry",
            "tauri:options": { "application": app.to_string_lossy() }
        });
        let mut attempt = 0;
        let client = loop {
            attempt += 1;
            let session = tokio::time::timeout(
                SESSION_TIMEOUT,
                ClientBuilder::rustls()
                    .expect("rustls client")
                    .capabilities(capabilities.as_object().expect("object").clone())
                    .connect(&format!("http://127.0.0.1:{port}")),
            )
            .await
            .expect("WebDriver session was not created within 60 s");
            match session {
                Ok(client) => break client,
                // Seen once on a loaded machine: the connection dropped while the driver was
                // still starting WebKitWebDriver. A new session request then succeeds.
                Err(e) if attempt < 3 => {
                    eprintln!("WebDriver session attempt {attempt} failed ({e}); retrying");
                    tokio::time::sleep(Duration::from_secs(1)).await;
                }
                Err(e) => panic!("WebDriver session: {e}"),
            }
        };
        AppSession {
            client,
            _driver: driver,
            _data_dir: data_dir,
            env,
        }
    }

    /// Waits for the element with `data-testid=<id>` and returns it.
    pub async fn by_test_id(&self, id: &str) -> fantoccini::elements::Element {
        let selector = test_id_selector(id);
        self.client
            .wait()
            .at_most(ELEMENT_TIMEOUT)
            .for_element(Locator::Css(&selector))
            .await
            .unwrap_or_else(|e| panic!("element [data-testid={id}] did not appear: {e}"))
    }

    /// Waits until the element is enabled (checks and saves run asynchronously) and returns it.
    pub async fn wait_enabled(&self, id: &str) -> fantoccini::elements::Element {
        let element = self.by_test_id(id).await;
        let deadline = Instant::now() + Duration::from_secs(15);
        while !element.is_enabled().await.unwrap_or(false) {
            assert!(
                Instant::now() < deadline,
                "[data-testid={id}] stayed disabled"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        element
    }

    /// Whether the element is enabled now (no waiting).
    pub async fn is_enabled(&self, id: &str) -> bool {
        self.by_test_id(id)
            .await
            .is_enabled()
            .await
            .unwrap_or_else(|e| panic!("[data-testid={id}] enabled: {e}"))
    }

    /// Clicks the element once it is enabled.
    pub async fn click(&self, id: &str) {
        let element = self.wait_enabled(id).await;
        element
            .click()
            .await
            .unwrap_or_else(|e| panic!("click [data-testid={id}]: {e}"));
    }

    /// Replaces the input's text with `text` and returns the input.
    pub async fn fill(&self, id: &str, text: &str) -> fantoccini::elements::Element {
        let input = self.by_test_id(id).await;
        input
            .clear()
            .await
            .unwrap_or_else(|e| panic!("clear [data-testid={id}]: {e}"));
        if !text.is_empty() {
            input
                .send_keys(text)
                .await
                .unwrap_or_else(|e| panic!("type into [data-testid={id}]: {e}"));
        }
        input
    }

    /// The element's attribute `name` ("" when it has none).
    pub async fn attr(&self, id: &str, name: &str) -> String {
        let element = self.by_test_id(id).await;
        Self::text_or_empty(id, name, element.attr(name).await)
    }

    /// The element's DOM property `name` as text ("" when unset), e.g. a select's current value.
    pub async fn prop(&self, id: &str, name: &str) -> String {
        let element = self.by_test_id(id).await;
        Self::text_or_empty(id, name, element.prop(name).await)
    }

    fn text_or_empty(
        id: &str,
        name: &str,
        read: Result<Option<String>, fantoccini::error::CmdError>,
    ) -> String {
        read.unwrap_or_else(|e| panic!("[data-testid={id}] {name}: {e}"))
            .unwrap_or_default()
    }

    /// From Home, opens the Diff page and chooses `target` (a diff is not started).
    pub async fn open_diff_for(&self, target: &str) {
        self.by_test_id(ids::PAGE_HOME).await;
        self.click(&ids::nav("diff")).await;
        self.by_test_id(ids::PAGE_DIFF).await;
        self.by_test_id(ids::DIFF_TARGET)
            .await
            .select_by_value(target)
            .await
            .unwrap_or_else(|e| panic!("choose the target {target} on the Diff page: {e}"));
    }

    /// Runs `window.__TAURI_INTERNALS__.invoke(cmd, args)` in the current frame, as the page
    /// would: `Err` holds what the command rejected with.
    pub async fn invoke(
        &self,
        cmd: &str,
        args: serde_json::Value,
    ) -> Result<serde_json::Value, serde_json::Value> {
        let out = self
            .client
            .execute_async(
                r#"
                const [cmd, args, done] = arguments;
                window.__TAURI_INTERNALS__.invoke(cmd, args).then(
                  (value) => done({ ok: value === undefined ? null : value }),
                  (e) => done({ err: e }));
                "#,
                vec![serde_json::Value::from(cmd), args],
            )
            .await
            .unwrap_or_else(|e| panic!("invoke({cmd}) script failed: {e}"));
        match out.get("ok") {
            Some(value) => Ok(value.clone()),
            None => Err(out["err"].clone()),
        }
    }

    /// Waits until the element's trimmed text content satisfies `accept`, and returns it.
    pub async fn text_when(&self, id: &str, accept: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + ELEMENT_TIMEOUT;
        let mut last = String::new();
        while Instant::now() < deadline {
            // textContent, not WebDriver's rendered text: WebKitWebDriver returns "" for
            // elements styled with `text-overflow: ellipsis`.
            if let Ok(Some(text)) = self.by_test_id(id).await.prop("textContent").await {
                let text = text.trim().to_owned();
                if accept(&text) {
                    return text;
                }
                last = text;
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        let shot = self.screenshot(&format!("failure-{id}")).await;
        panic!(
            "[data-testid={id}] never showed the expected text; last text: {last:?} (screenshot: {})",
            shot.display()
        );
    }

    /// Saves a screenshot of the window under the target dir, for people to look at.
    pub async fn screenshot(&self, name: &str) -> PathBuf {
        let png = self.client.screenshot().await.expect("screenshot");
        let dir = app_binary()
            .parent()
            .map(|p| p.join("e2e-screenshots"))
            .expect("target dir");
        std::fs::create_dir_all(&dir).expect("screenshot dir");
        let path = dir.join(format!("{name}.png"));
        std::fs::write(&path, png).expect("write screenshot");
        path
    }

    pub async fn close(self) {
        let AppSession { client, .. } = self;
        client.close().await.expect("close WebDriver session");
    }
}

/// The CSS selector for the elements with `data-testid=<id>`.
pub fn test_id_selector(id: &str) -> String {
    format!("[data-testid=\"{id}\"]")
}

/// Every element with `data-testid=<id>` now on the page (none is not an error).
pub async fn all_by_test_id(app: &AppSession, id: &str) -> Vec<fantoccini::elements::Element> {
    app.client
        .find_all(Locator::Css(&test_id_selector(id)))
        .await
        .unwrap_or_default()
}

/// The element's trimmed text content (see [`AppSession::text_when`] for why not its text).
pub async fn text_of(element: &fantoccini::elements::Element) -> String {
    element
        .prop("textContent")
        .await
        .ok()
        .flatten()
        .unwrap_or_default()
        .trim()
        .to_owned()
}

/// Polls until `check` returns Some, then returns it; screenshots and panics after 30 s.
pub async fn eventually<T, F, Fut>(app: &AppSession, what: &str, mut check: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if let Some(found) = check().await {
            return found;
        }
        if Instant::now() > deadline {
            let shot = app.screenshot(&format!("failure-{what}")).await;
            panic!("{what} never happened (screenshot: {})", shot.display());
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}
