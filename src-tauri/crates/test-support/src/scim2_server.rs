//! The real `scim2-server` (PyPI, the project's interop target) on a free loopback port, killed on
//! Drop.

use std::fmt;
use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The version the project's scripts install and the tests are written against.
pub const PINNED: &str = "scim2-server==0.8.3";

/// How long a cold Python start may take on a busy 2-core machine.
const READY_TIMEOUT: Duration = Duration::from_secs(60);

/// Why a server could not be started.
#[derive(Debug)]
pub enum StartError {
    /// Neither `SCIM2_SERVER_BIN` nor `PATH` names an executable `scim2-server`.
    NotFound,
    /// `SCIM2_SERVER_BIN` is set to something that is not a file.
    BadEnv(PathBuf),
    Io(&'static str, std::io::Error),
    /// The process ended before it listened (bad flags, port taken, broken venv).
    Exited(std::process::ExitStatus),
    NotReady(u16),
}

impl fmt::Display for StartError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NotFound => write!(
                f,
                "scim2-server not found: `pip install {PINNED}` (in a venv), then put its bin \
                 folder on PATH or set SCIM2_SERVER_BIN to the executable"
            ),
            Self::BadEnv(p) => write!(
                f,
                "SCIM2_SERVER_BIN={} is not a file: `pip install {PINNED}` and point it at the \
                 installed `scim2-server`",
                p.display()
            ),
            Self::Io(what, e) => write!(f, "scim2-server: {what}: {e}"),
            Self::Exited(status) => write!(f, "scim2-server exited before listening ({status})"),
            Self::NotReady(port) => write!(
                f,
                "scim2-server did not listen on 127.0.0.1:{port} within {} s",
                READY_TIMEOUT.as_secs()
            ),
        }
    }
}

impl std::error::Error for StartError {}

/// `SCIM2_SERVER_BIN`, else the first `scim2-server` on `PATH`. No fallback to a home folder:
/// where the venv lives is the caller's business (the scripts export `SCIM2_SERVER_BIN`).
pub fn server_bin() -> Result<PathBuf, StartError> {
    if let Some(p) = std::env::var_os("SCIM2_SERVER_BIN") {
        let p = PathBuf::from(p);
        return if p.is_file() {
            Ok(p)
        } else {
            Err(StartError::BadEnv(p))
        };
    }
    std::env::var_os("PATH")
        .and_then(|paths| {
            std::env::split_paths(&paths)
                .map(|dir| dir.join("scim2-server"))
                .find(|candidate| candidate.is_file())
        })
        .ok_or(StartError::NotFound)
}

/// A port the OS just handed out on loopback. Another process could take it before the server
/// binds it; the readiness check then sees the server exit and says so.
pub fn free_port() -> std::io::Result<u16> {
    TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
}

/// A running `scim2-server` that requires `token` as bearer token.
pub struct Scim2Server {
    child: Child,
    pub port: u16,
    /// `http://127.0.0.1:PORT/v2/`, as the server prints it.
    pub base_url: String,
    pub token: String,
}

impl Scim2Server {
    /// Starts a server and waits until it accepts connections. Panics with [`StartError`]'s
    /// message (which says how to install the server) when it cannot.
    #[track_caller] // the failure points at the test that needed the server
    pub fn start(token: &str) -> Self {
        match Self::try_start(token) {
            Ok(server) => server,
            Err(e) => panic!("{e}"),
        }
    }

    pub fn try_start(token: &str) -> Result<Self, StartError> {
        let bin = server_bin()?;
        let port = free_port().map_err(|e| StartError::Io("no free loopback port", e))?;
        let child = Command::new(bin)
            .args(["--hostname", "127.0.0.1", "--port", &port.to_string()])
            .args(["--bearer-token", token])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| StartError::Io("spawn", e))?;
        // Built before the wait so an early return still kills the child (Drop).
        let mut server = Self {
            child,
            port,
            base_url: format!("http://127.0.0.1:{port}/v2/"),
            token: token.to_owned(),
        };
        server.wait_ready()?;
        Ok(server)
    }

    fn wait_ready(&mut self) -> Result<(), StartError> {
        let deadline = Instant::now() + READY_TIMEOUT;
        loop {
            if TcpStream::connect((Ipv4Addr::LOCALHOST, self.port)).is_ok() {
                return Ok(());
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                return Err(StartError::Exited(status));
            }
            if Instant::now() > deadline {
                return Err(StartError::NotReady(self.port));
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Scim2Server {
    fn drop(&mut self) {
        // The server has no children of its own, so SIGKILL leaves nothing behind.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_server_message_says_how_to_install_it() {
        for e in [StartError::NotFound, StartError::BadEnv("/nope".into())] {
            let text = e.to_string();
            assert!(text.contains("pip install scim2-server"), "{text}");
        }
    }

    #[test]
    fn free_port_is_nonzero() {
        assert_ne!(free_port().unwrap(), 0);
    }
}
