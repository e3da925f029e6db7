//! Test harness: a real `scim2-server` on a free loopback port, killed on Drop.
#![allow(dead_code)] // each test binary uses a different subset

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use scim::{Auth, Client, ClientConfig, Paging, Secret};

const VENV_BIN: &str = "/root/.cache/scim-companion-ci/venv/bin/scim2-server";
pub const TOKEN: &str = "itest-token-5f1e9c";

/// `SCIM2_SERVER_BIN`, else `scim2-server` on PATH, else the CI venv.
/// Panics with instructions when none exists: these tests must not skip.
pub fn server_bin() -> PathBuf {
    if let Some(p) = std::env::var_os("SCIM2_SERVER_BIN") {
        return PathBuf::from(p);
    }
    if let Some(paths) = std::env::var_os("PATH") {
        for dir in std::env::split_paths(&paths) {
            let candidate = dir.join("scim2-server");
            if candidate.is_file() {
                return candidate;
            }
        }
    }
    let venv = PathBuf::from(VENV_BIN);
    assert!(
        venv.is_file(),
        "scim2-server not found: set SCIM2_SERVER_BIN, put it on PATH, or install it with \
         `python3 -m venv /root/.cache/scim-companion-ci/venv && \
         /root/.cache/scim-companion-ci/venv/bin/pip install scim2-server==0.8.3`"
    );
    venv
}

pub struct ScimServer {
    child: Child,
    pub base_url: String,
}

impl ScimServer {
    /// Starts a server that requires [`TOKEN`] as bearer token.
    pub fn start() -> Self {
        let port = free_port();
        let child = Command::new(server_bin())
            .args([
                "--hostname",
                "127.0.0.1",
                "--port",
                &port.to_string(),
                "--bearer-token",
                TOKEN,
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn scim2-server");
        let server = Self {
            child,
            base_url: format!("http://127.0.0.1:{port}/v2/"),
        };
        server.wait_ready(port);
        server
    }

    fn wait_ready(&self, port: u16) {
        let deadline = Instant::now() + Duration::from_secs(60);
        while Instant::now() < deadline {
            if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("scim2-server did not listen on port {port} within 60 s");
    }

    pub fn config(&self) -> ClientConfig {
        let mut cfg = ClientConfig::new(self.base_url.clone(), Auth::Bearer(Secret::new(TOKEN)));
        cfg.retry = scim::fast_retry_policy(3);
        cfg
    }

    pub fn client(&self) -> Client {
        Client::new(self.config()).expect("client")
    }

    pub fn client_with_page_size(&self, page_size: u32) -> Client {
        let mut cfg = self.config();
        cfg.paging = Paging::Index { page_size };
        Client::new(cfg).expect("client")
    }
}

impl Drop for ScimServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("free port")
}

pub fn user(name: &str) -> scim::models::User {
    let mut u = scim::models::User::new(name);
    u.name = Some(scim::models::Name {
        given_name: Some("Given".into()),
        family_name: Some(name.into()),
        ..Default::default()
    });
    u.display_name = Some(format!("Display {name}"));
    u.active = Some(true);
    u
}
