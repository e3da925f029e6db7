//! A real `scim2-server` (PyPI, the interop target) on a free loopback port, killed on Drop.
//! Like the E2E helpers it never skips: a missing server is a failure that says how to install it.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// `SCIM2_SERVER_BIN`, else `scim2-server` on PATH, else the CI venv under `$HOME`.
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
    let home = std::env::var_os("HOME")
        .map(PathBuf::from)
        .unwrap_or_default();
    let venv = home.join(".cache/scim-companion-ci/venv/bin/scim2-server");
    assert!(
        venv.is_file(),
        "scim2-server not found: set SCIM2_SERVER_BIN, put it on PATH, or run `bash scripts/test-all.sh` \
         once (it installs scim2-server==0.8.3 into ~/.cache/scim-companion-ci/venv)"
    );
    venv
}

pub struct Scim2Server {
    child: Child,
    /// `http://127.0.0.1:PORT/v2/`, as the server prints it.
    pub base_url: String,
    pub token: String,
}

impl Scim2Server {
    /// Starts a server that requires `token` as bearer token.
    pub fn start(token: &str) -> Self {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
            .expect("a free loopback port");
        let child = Command::new(server_bin())
            .args([
                "--hostname",
                "127.0.0.1",
                "--port",
                &port.to_string(),
                "--bearer-token",
                token,
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn scim2-server");
        let server = Self {
            child,
            base_url: format!("http://127.0.0.1:{port}/v2/"),
            token: token.to_owned(),
        };
        let deadline = Instant::now() + Duration::from_secs(60);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                Instant::now() < deadline,
                "scim2-server did not listen on port {port} within 60 s"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        server
    }
}

impl Drop for Scim2Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
