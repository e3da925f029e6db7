//! Base URL rules per target: what the vendor console hands out, checked before
//! any request so a typo gets a precise fix instead of a 404 or 401 later.

use std::net::IpAddr;

use url::{Host, Url};

use crate::error::{Error, Result, UrlProblem};
use crate::kind::Kind;

pub const AWS_TEMPLATE: &str = "https://scim.<region>.amazonaws.com/<tenant id>/scim/v2";
pub const UNITY_TEMPLATE: &str = "https://services.api.unity.com/scim/v2/tenants/<organization id>";
pub const STRONGDM_URL: &str = "https://app.strongdm.com/provisioning/generic/v2";
pub const AXIS_TEMPLATE: &str = "https://<host>/<path copied from the Axis Management Console>";
pub const GENERIC_TEMPLATE: &str = "https://<host>/<path>";

const UNITY_HOST: &str = "services.api.unity.com";
const STRONGDM_HOST: &str = "app.strongdm.com";
/// StrongDM documents these three provider paths as sharing one implementation.
pub const STRONGDM_PROVIDERS: [&str; 3] = ["generic", "okta", "azure"];

/// Validates `input` for `kind` and returns it normalised: trimmed, lower-case
/// host, no trailing slash.
pub fn normalize_base_url(kind: Kind, input: &str) -> Result<Url> {
    let fail = |problem| Error::InvalidBaseUrl {
        kind,
        input: input.trim().to_string(),
        problem,
    };
    let mut url = parse_common(kind, input)?;
    let trimmed = url.path().trim_end_matches('/').to_string();
    url.set_path(&trimmed);
    let host = url.host_str().unwrap_or_default().to_string();
    let segments: Vec<String> = url
        .path_segments()
        .map(|s| s.filter(|p| !p.is_empty()).map(str::to_string).collect())
        .unwrap_or_default();
    let segs: Vec<&str> = segments.iter().map(String::as_str).collect();
    match kind {
        Kind::Aws => check_aws(&host, &segs).map_err(fail)?,
        Kind::Unity => check_unity(&host, &segs).map_err(fail)?,
        Kind::StrongDm => check_strongdm(&host, &segs).map_err(fail)?,
        // Axis does not document its endpoint pattern: any https URL is taken as copied.
        Kind::Axis | Kind::Generic => {}
    }
    Ok(url)
}

/// Scheme, credentials, query: the same for every target. Only Generic may use
/// plain http, and only to loopback (local test servers).
fn parse_common(kind: Kind, input: &str) -> Result<Url> {
    let raw = input.trim();
    let fail = |problem| Error::InvalidBaseUrl {
        kind,
        input: raw.to_string(),
        problem,
    };
    let url = Url::parse(raw).map_err(|_| fail(UrlProblem::Unparsable))?;
    if !url.username().is_empty() || url.password().is_some() {
        // Never echo a URL that carries a credential.
        return Err(Error::InvalidBaseUrl {
            kind,
            input: "<redacted>".to_string(),
            problem: UrlProblem::EmbeddedCredentials,
        });
    }
    match url.scheme() {
        "https" => {}
        "http" if kind == Kind::Generic && is_loopback(&url) => {}
        "http" => return Err(fail(UrlProblem::NotHttps)),
        other => {
            return Err(fail(UrlProblem::UnsupportedScheme {
                scheme: other.to_string(),
            }))
        }
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(fail(UrlProblem::Unparsable));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(fail(UrlProblem::QueryOrFragment));
    }
    Ok(url)
}

fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        None => false,
    }
}

fn check_aws(host: &str, segs: &[&str]) -> std::result::Result<(), UrlProblem> {
    let region = host
        .strip_prefix("scim.")
        .and_then(|h| h.strip_suffix(".amazonaws.com"))
        .ok_or_else(|| UrlProblem::WrongHost {
            expected: "scim.<region>.amazonaws.com",
            found: host.to_string(),
        })?;
    if !is_aws_region(region) {
        return Err(UrlProblem::AwsRegionInvalid {
            region: region.to_string(),
        });
    }
    match segs {
        [_tenant, "scim", "v2"] => Ok(()),
        [_tenant, "scim", "v2", rest @ ..] => Err(suffix(rest)),
        ["scim", "v2", ..] => Err(UrlProblem::AwsTenantMissing),
        _ => Err(UrlProblem::AwsScimPathMissing),
    }
}

/// `us-east-1`, `eu-central-2`, `ap-southeast-4`, `us-gov-west-1`, `il-central-1`:
/// a two-letter area, an optional `gov`, a direction word, a number.
fn is_aws_region(region: &str) -> bool {
    let parts: Vec<&str> = region.split('-').collect();
    let lower = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_lowercase());
    let number = |s: &str| !s.is_empty() && s.len() <= 2 && s.bytes().all(|b| b.is_ascii_digit());
    match parts.as_slice() {
        [area, dir, n] => area.len() == 2 && lower(area) && lower(dir) && number(n),
        [area, "gov", dir, n] => area.len() == 2 && lower(area) && lower(dir) && number(n),
        _ => false,
    }
}

fn check_unity(host: &str, segs: &[&str]) -> std::result::Result<(), UrlProblem> {
    if host != UNITY_HOST {
        return Err(UrlProblem::WrongHost {
            expected: UNITY_HOST,
            found: host.to_string(),
        });
    }
    match segs {
        ["scim", "v2", "tenants"] => Err(UrlProblem::UnityOrgIdMissing),
        ["scim", "v2", "tenants", _org] => Ok(()),
        ["scim", "v2", "tenants", _org, rest @ ..] => Err(suffix(rest)),
        _ => Err(UrlProblem::UnityPathInvalid),
    }
}

fn check_strongdm(host: &str, segs: &[&str]) -> std::result::Result<(), UrlProblem> {
    if host != STRONGDM_HOST {
        return Err(UrlProblem::WrongHost {
            expected: STRONGDM_HOST,
            found: host.to_string(),
        });
    }
    match segs {
        ["provisioning", provider, "v2", rest @ ..] if STRONGDM_PROVIDERS.contains(provider) => {
            if rest.is_empty() {
                Ok(())
            } else {
                Err(suffix(rest))
            }
        }
        _ => Err(UrlProblem::StrongDmPathInvalid),
    }
}

fn suffix(rest: &[&str]) -> UrlProblem {
    UrlProblem::UnexpectedPathSuffix {
        suffix: format!("/{}", rest.join("/")),
    }
}
