//! A loopback listener that records every request it receives (method, path, headers, body) and
//! answers `200 {}`: the "look-alike host" in tests that prove a secret is never sent where it
//! was not saved. Plain std networking, so it works outside any async runtime.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

/// One recorded request, as text (head and body).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recorded {
    pub head: String,
    pub body: String,
}

impl Recorded {
    /// Whether `secret` appears anywhere in the request (pass the encoded header value for
    /// Basic credentials).
    pub fn carries(&self, secret: &str) -> bool {
        self.head.contains(secret) || self.body.contains(secret)
    }
}

pub struct Recorder {
    base_url: String,
    seen: Arc<Mutex<Vec<Recorded>>>,
}

impl Recorder {
    /// Starts listening on 127.0.0.1 at a free port; `path` is appended to the base URL.
    pub fn start(path: &str) -> std::io::Result<Recorder> {
        let listener = TcpListener::bind("127.0.0.1:0")?;
        let port = listener.local_addr()?.port();
        let seen = Arc::new(Mutex::new(Vec::new()));
        let sink = Arc::clone(&seen);
        thread::Builder::new()
            .name("recorder".into())
            .spawn(move || {
                for stream in listener.incoming().flatten() {
                    let sink = Arc::clone(&sink);
                    thread::spawn(move || serve(stream, &sink));
                }
            })?;
        Ok(Recorder {
            base_url: format!("http://127.0.0.1:{port}{path}"),
            seen,
        })
    }

    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// Every request received so far.
    pub fn requests(&self) -> Vec<Recorded> {
        self.seen.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// The requests that carried `secret` (see [`Recorded::carries`]).
    pub fn carrying(&self, secret: &str) -> Vec<Recorded> {
        self.requests()
            .into_iter()
            .filter(|r| r.carries(secret))
            .collect()
    }
}

fn serve(mut stream: TcpStream, sink: &Mutex<Vec<Recorded>>) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    loop {
        let Some(recorded) = read_request(&mut stream) else {
            return;
        };
        sink.lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(recorded);
        let reply =
            "HTTP/1.1 200 OK\r\nContent-Type: application/scim+json\r\nContent-Length: 2\r\n\r\n{}";
        if stream.write_all(reply.as_bytes()).is_err() {
            return;
        }
    }
}

fn read_request(stream: &mut TcpStream) -> Option<Recorded> {
    let mut data = Vec::new();
    let mut buf = [0u8; 4096];
    let head_end = loop {
        if let Some(at) = find(&data, b"\r\n\r\n") {
            break at + 4;
        }
        let n = stream.read(&mut buf).ok()?;
        if n == 0 {
            return None;
        }
        data.extend_from_slice(&buf[..n]);
    };
    let head = String::from_utf8_lossy(&data[..head_end]).into_owned();
    let length = head
        .lines()
        .filter_map(|l| l.split_once(':'))
        .find(|(name, _)| name.trim().eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.trim().parse::<usize>().ok())
        .unwrap_or(0);
    while data.len() < head_end + length {
        let n = stream.read(&mut buf).ok()?;
        if n == 0 {
            break;
        }
        data.extend_from_slice(&buf[..n]);
    }
    let body = String::from_utf8_lossy(&data[head_end..]).into_owned();
    Some(Recorded { head, body })
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}
