//! DNS-rebinding defence. A web page the admin visits can point a name it controls at 127.0.0.1
//! and then talk to a loopback simulator from the browser; such requests carry that name in
//! `Host`. The simulators answer only requests addressed to a loopback name.

use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};

/// Whether `host` (a `Host` header value) names loopback: `127.0.0.1`, `[::1]` or `localhost`,
/// with or without a port.
pub fn is_loopback_host(host: &str) -> bool {
    let name = match host.strip_prefix('[') {
        // [::1]:port
        Some(rest) => match rest.split_once(']') {
            Some((inner, port))
                if port.is_empty() || port.strip_prefix(':').is_some_and(valid_port) =>
            {
                return inner == "::1";
            }
            _ => return false,
        },
        None => match host.rsplit_once(':') {
            Some((name, port)) if valid_port(port) => name,
            Some(_) => return false,
            None => host,
        },
    };
    name == "127.0.0.1" || name.eq_ignore_ascii_case("localhost")
}

fn valid_port(port: &str) -> bool {
    port.parse::<u16>().is_ok()
}

/// `421 Misdirected Request` unless the request's `Host` is a loopback name.
pub(crate) fn refuse_foreign_host(headers: &HeaderMap) -> Option<Response> {
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
    match host {
        Some(h) if is_loopback_host(h) => None,
        _ => Some(
            (
                StatusCode::MISDIRECTED_REQUEST,
                "this simulator answers only requests addressed to 127.0.0.1, [::1] or localhost",
            )
                .into_response(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_names_with_or_without_a_port_pass() {
        for ok in [
            "127.0.0.1",
            "127.0.0.1:8080",
            "localhost",
            "LOCALHOST:3000",
            "[::1]",
            "[::1]:443",
        ] {
            assert!(is_loopback_host(ok), "{ok}");
        }
    }

    #[test]
    fn other_names_fail() {
        for bad in [
            "attacker.example",
            "attacker.example:8080",
            "localhost.attacker.example",
            "127.0.0.1.nip.io",
            "127.0.0.2",
            "[::2]:80",
            "[::1]x",
            "[::1]443",
            "localhost:notaport",
            "",
        ] {
            assert!(!is_loopback_host(bad), "{bad}");
        }
    }
}
