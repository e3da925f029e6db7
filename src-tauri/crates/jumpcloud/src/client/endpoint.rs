//! Where the client talks to: a JumpCloud region, or an explicit URL (the simulator, a proxy).

use url::Url;

use crate::error::{Error, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, ts_rs::TS)]
#[serde(rename_all = "lowercase")]
#[ts(export_to = "jumpcloud/")]
pub enum Region {
    Us,
    Eu,
}

impl Region {
    pub fn base_url(self) -> &'static str {
        match self {
            Region::Us => "https://console.jumpcloud.com",
            Region::Eu => "https://console.eu.jumpcloud.com",
        }
    }
}

/// Parses an explicit base URL. Plain http is accepted only on loopback, because the API key
/// travels in a header and must never cross a network in clear text.
pub fn parse_base_url(raw: &str) -> Result<Url> {
    let invalid = |reason| Error::InvalidBaseUrl {
        url: raw.to_string(),
        reason,
    };
    let url = Url::parse(raw.trim()).map_err(|_| invalid("not a URL"))?;
    if !url.username().is_empty() || url.password().is_some() {
        return Err(invalid("credentials in the URL are not allowed"));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(invalid("query and fragment are not allowed"));
    }
    match url.scheme() {
        "https" => {}
        "http" if http_safety::is_loopback(&url) => {}
        "http" => return Err(invalid("http is only allowed for localhost / 127.0.0.0/8")),
        _ => return Err(invalid("scheme must be https")),
    }
    if url.host().is_none() {
        return Err(invalid("missing host"));
    }
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn https_anywhere_http_only_on_loopback() {
        assert!(parse_base_url("https://console.jumpcloud.com").is_ok());
        assert!(parse_base_url("http://127.0.0.1:8080").is_ok());
        assert!(parse_base_url("http://127.8.9.1").is_ok());
        assert!(parse_base_url("http://localhost:3000/").is_ok());
        assert!(parse_base_url("http://[::1]:3000/").is_ok());
        for bad in [
            "http://console.jumpcloud.com",
            "http://10.0.0.1",
            "http://localhost.evil.com",
            "ftp://127.0.0.1",
            "https://user:pw@console.jumpcloud.com",
            "not a url",
        ] {
            assert!(
                matches!(parse_base_url(bad), Err(Error::InvalidBaseUrl { .. })),
                "{bad} should be rejected"
            );
        }
    }

    #[test]
    fn regions_have_their_consoles() {
        assert_eq!(Region::Us.base_url(), "https://console.jumpcloud.com");
        assert_eq!(Region::Eu.base_url(), "https://console.eu.jumpcloud.com");
    }
}
