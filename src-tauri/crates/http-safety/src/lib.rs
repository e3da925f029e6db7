//! The transport safety rules the SCIM and the JumpCloud clients share, in one place:
//!
//! - [`is_loopback`]: the only hosts where plain `http` is allowed (a token travels in a header
//!   and must never cross a network in clear text);
//! - [`pinned_loopback`] / [`pin_loopback`]: `localhost` goes to 127.0.0.1 or ::1, never where a
//!   hosts file, a DNS search domain or a rebinding attack would send it;
//! - [`location_host`]: the origin a redirect points to, for an error that names it without
//!   following it (clients never follow redirects: they would forward the credential header);
//! - [`SystemResolver`]: the test seam standing in for the system's name resolver, which the
//!   pinning above must overrule.

#![cfg_attr(test, allow(clippy::unwrap_used))]

use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::Arc;

use reqwest::header::{HeaderMap, LOCATION};
use url::{Host, Url};

/// A name resolver replacing the system's, for tests (a poisoned one shows that `localhost`
/// never reaches it).
#[doc(hidden)]
#[derive(Clone)]
pub struct SystemResolver(pub Arc<dyn reqwest::dns::Resolve>);

impl reqwest::dns::Resolve for SystemResolver {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        self.0.resolve(name)
    }
}

impl std::fmt::Debug for SystemResolver {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SystemResolver")
    }
}

/// Whether `url`'s host is `localhost` (any case) or a loopback address (127.0.0.0/8, ::1).
pub fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(Host::Ipv4(ip)) => ip.is_loopback(),
        Some(Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

/// Where `localhost` may go: 127.0.0.1 and ::1, never what a resolver says. `None` for any
/// other host. The port is taken from the URL; reqwest ignores the one given here.
pub fn pinned_loopback(url: &Url) -> Option<(String, [SocketAddr; 2])> {
    match url.host() {
        Some(Host::Domain(d)) if d.eq_ignore_ascii_case("localhost") => Some((
            d.to_owned(),
            [
                SocketAddr::from((Ipv4Addr::LOCALHOST, 0)),
                SocketAddr::from((Ipv6Addr::LOCALHOST, 0)),
            ],
        )),
        _ => None,
    }
}

/// `builder` with [`pinned_loopback`] applied when `url` names `localhost`; unchanged otherwise.
pub fn pin_loopback(builder: reqwest::ClientBuilder, url: &Url) -> reqwest::ClientBuilder {
    match pinned_loopback(url) {
        Some((name, addrs)) => builder.resolve_to_addrs(&name, &addrs),
        None => builder,
    }
}

/// `scheme://host[:port]` of the `Location` a reply redirects to (resolved against `from`), so
/// an error can say where the server wanted to send the request; `None` without a usable one.
/// The port shows only when it is not the scheme's default. Path and query are left out: they
/// may carry a signed token or personal data.
pub fn location_host(from: &Url, headers: &HeaderMap) -> Option<String> {
    let raw = headers.get(LOCATION)?.to_str().ok()?;
    let to = from.join(raw).ok()?;
    let host = to.host_str()?;
    Some(match to.port() {
        Some(port) => format!("{}://{host}:{port}", to.scheme()),
        None => format!("{}://{host}", to.scheme()),
    })
}

#[cfg(test)]
mod tests {
    use reqwest::header::HeaderValue;

    use super::*;

    fn url(raw: &str) -> Url {
        Url::parse(raw).unwrap()
    }

    #[test]
    fn loopback_is_localhost_127_slash_8_and_ipv6_one() {
        for ok in [
            "http://localhost:3000/",
            "http://LocalHost/",
            "http://127.0.0.1:8080",
            "http://127.8.9.1",
            "http://[::1]:3000/",
        ] {
            assert!(is_loopback(&url(ok)), "{ok}");
        }
        for bad in [
            "http://example.com",
            "http://localhost.example.com",
            "http://128.0.0.1",
            "http://10.0.0.1",
            "http://[::2]/",
            "http://0.0.0.0",
        ] {
            assert!(!is_loopback(&url(bad)), "{bad}");
        }
    }

    #[test]
    fn only_the_name_localhost_is_pinned() {
        let (name, addrs) = pinned_loopback(&url("http://LOCALHOST:9000/scim")).unwrap();
        assert_eq!(name, "localhost");
        assert!(addrs.iter().all(|a| a.ip().is_loopback()));
        assert!(addrs.iter().any(SocketAddr::is_ipv4) && addrs.iter().any(SocketAddr::is_ipv6));
        // Addresses need no pinning; other names are not loopback at all.
        assert!(pinned_loopback(&url("http://127.0.0.1:9000")).is_none());
        assert!(pinned_loopback(&url("http://[::1]:9000")).is_none());
        assert!(pinned_loopback(&url("https://localhost.evil.example")).is_none());
    }

    fn location(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(LOCATION, HeaderValue::from_str(value).unwrap());
        headers
    }

    #[test]
    fn location_host_names_the_origin_of_absolute_and_relative_redirects() {
        let from = url("https://scim.example.org/v2/Users");
        assert_eq!(
            location_host(&from, &location("https://evil.example:8443/steal?x=1")).as_deref(),
            Some("https://evil.example:8443")
        );
        assert_eq!(
            location_host(&from, &location("http://other.example/")).as_deref(),
            Some("http://other.example")
        );
        assert_eq!(
            location_host(&from, &location("/login")).as_deref(),
            Some("https://scim.example.org")
        );
        assert_eq!(location_host(&from, &HeaderMap::new()), None);
    }
}
