//! Base URL rules per target: what the vendor console hands out, checked before
//! any request so a typo gets a precise fix instead of a 404 or 401 later.

use url::Url;

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

/// The "local test endpoint" rule, which the admin opts into explicitly (a simulator or a test
/// server on this computer): any target kind, `http` or `https`, but only to loopback, so a
/// token can never leave the machine in clear text. The vendor's host and path rules are not
/// applied; [`normalize_base_url`] stays exactly as strict as before.
pub fn normalize_local_endpoint(kind: Kind, input: &str) -> Result<Url> {
    let raw = input.trim();
    let fail = |problem| Error::InvalidBaseUrl {
        kind,
        input: raw.to_string(),
        problem,
    };
    let mut url = Url::parse(raw).map_err(|_| fail(UrlProblem::Unparsable))?;
    if !url.username().is_empty() || url.password().is_some() {
        return Err(Error::InvalidBaseUrl {
            kind,
            input: "<redacted>".to_string(),
            problem: UrlProblem::EmbeddedCredentials,
        });
    }
    match url.scheme() {
        "http" | "https" => {}
        other => {
            return Err(fail(UrlProblem::UnsupportedScheme {
                scheme: other.to_string(),
            }))
        }
    }
    if !http_safety::is_loopback(&url) {
        return Err(fail(UrlProblem::NotLoopback));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(fail(UrlProblem::QueryOrFragment));
    }
    let trimmed = url.path().trim_end_matches('/').to_string();
    url.set_path(&trimmed);
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
        "http" if kind == Kind::Generic && http_safety::is_loopback(&url) => {}
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

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(kind: Kind, input: &str) -> String {
        match normalize_base_url(kind, input) {
            Ok(u) => u.to_string(),
            Err(e) => panic!("{input:?} should pass for {kind:?}: {e}"),
        }
    }

    fn problem(kind: Kind, input: &str) -> UrlProblem {
        match normalize_base_url(kind, input) {
            Err(Error::InvalidBaseUrl {
                kind: k, problem, ..
            }) => {
                assert_eq!(k, kind);
                problem
            }
            Err(other) => panic!("unexpected error {other:?}"),
            Ok(u) => panic!("{input:?} should fail for {kind:?}, got {u}"),
        }
    }

    #[test]
    fn local_endpoint_accepts_only_loopback_for_any_kind() {
        for kind in Kind::ALL {
            assert_eq!(
                normalize_local_endpoint(kind, " http://127.0.0.1:8080/scim/v2/ ")
                    .unwrap()
                    .as_str(),
                "http://127.0.0.1:8080/scim/v2"
            );
            normalize_local_endpoint(kind, "https://localhost:9443/t/scim/v2").unwrap();
            normalize_local_endpoint(kind, "http://[::1]:80/").unwrap();
            for remote in [
                "http://10.0.0.5/scim/v2",
                "https://scim.us-east-1.amazonaws.com/t/scim/v2",
                "http://localhost.example.com/scim",
            ] {
                assert!(
                    matches!(
                        normalize_local_endpoint(kind, remote),
                        Err(Error::InvalidBaseUrl {
                            problem: UrlProblem::NotLoopback,
                            ..
                        })
                    ),
                    "{kind:?} {remote}"
                );
            }
        }
    }

    #[test]
    fn local_endpoint_refuses_credentials_queries_and_other_schemes() {
        assert!(matches!(
            normalize_local_endpoint(Kind::Aws, "http://u:p@127.0.0.1/scim"),
            Err(Error::InvalidBaseUrl { input, problem: UrlProblem::EmbeddedCredentials, .. }) if input == "<redacted>"
        ));
        assert!(matches!(
            normalize_local_endpoint(Kind::Aws, "http://127.0.0.1/scim?x=1"),
            Err(Error::InvalidBaseUrl {
                problem: UrlProblem::QueryOrFragment,
                ..
            })
        ));
        assert!(matches!(
            normalize_local_endpoint(Kind::Aws, "ftp://127.0.0.1/scim"),
            Err(Error::InvalidBaseUrl {
                problem: UrlProblem::UnsupportedScheme { .. },
                ..
            })
        ));
        assert!(matches!(
            normalize_local_endpoint(Kind::Aws, "not a url"),
            Err(Error::InvalidBaseUrl {
                problem: UrlProblem::Unparsable,
                ..
            })
        ));
        // The vendor rule itself is untouched: AWS still refuses loopback.
        assert!(normalize_base_url(Kind::Aws, "http://127.0.0.1:8080/t/scim/v2").is_err());
    }

    const AWS: &str = "https://scim.us-east-1.amazonaws.com/a1b2c3d4-5678/scim/v2";

    #[test]
    fn aws_accepts_the_console_endpoint_and_drops_the_trailing_slash() {
        assert_eq!(ok(Kind::Aws, AWS), AWS);
        assert_eq!(ok(Kind::Aws, &format!("  {AWS}/ ")), AWS);
        assert_eq!(ok(Kind::Aws, &format!("{AWS}//")), AWS);
        assert_eq!(
            ok(
                Kind::Aws,
                "https://SCIM.EU-CENTRAL-1.AMAZONAWS.COM/t/scim/v2"
            ),
            "https://scim.eu-central-1.amazonaws.com/t/scim/v2"
        );
        ok(
            Kind::Aws,
            "https://scim.us-gov-west-1.amazonaws.com/t/scim/v2",
        );
        ok(
            Kind::Aws,
            "https://scim.ap-southeast-4.amazonaws.com/t/scim/v2",
        );
    }

    #[test]
    fn aws_rejects_other_hosts_and_bad_regions() {
        assert_eq!(
            problem(Kind::Aws, "https://example.com/t/scim/v2"),
            UrlProblem::WrongHost {
                expected: "scim.<region>.amazonaws.com",
                found: "example.com".into()
            }
        );
        assert!(matches!(
            problem(Kind::Aws, "https://scim.amazonaws.com/t/scim/v2"),
            UrlProblem::WrongHost { .. }
        ));
        for region in [
            "useast1",
            "us-east",
            "us-east-one",
            "usa-east-1",
            "us-east-1-x",
            "US_EAST-1",
        ] {
            let url = format!("https://scim.{region}.amazonaws.com/t/scim/v2");
            assert!(
                matches!(
                    problem(Kind::Aws, &url),
                    UrlProblem::AwsRegionInvalid { .. }
                ),
                "{region}"
            );
        }
        assert_eq!(
            problem(Kind::Aws, "https://scim.useast1.amazonaws.com/t/scim/v2"),
            UrlProblem::AwsRegionInvalid {
                region: "useast1".into()
            }
        );
    }

    #[test]
    fn aws_needs_tenant_and_scim_v2_and_nothing_after() {
        let host = "https://scim.us-east-1.amazonaws.com";
        assert_eq!(
            problem(Kind::Aws, &format!("{host}/scim/v2")),
            UrlProblem::AwsTenantMissing
        );
        assert_eq!(
            problem(Kind::Aws, &format!("{host}/scim/v2/")),
            UrlProblem::AwsTenantMissing
        );
        assert_eq!(
            problem(Kind::Aws, &format!("{host}/t")),
            UrlProblem::AwsScimPathMissing
        );
        assert_eq!(
            problem(Kind::Aws, &format!("{host}/t/scim")),
            UrlProblem::AwsScimPathMissing
        );
        assert_eq!(
            problem(Kind::Aws, &format!("{host}/t/scim/v1")),
            UrlProblem::AwsScimPathMissing
        );
        assert_eq!(problem(Kind::Aws, host), UrlProblem::AwsScimPathMissing);
        assert_eq!(
            problem(Kind::Aws, &format!("{AWS}/Users")),
            UrlProblem::UnexpectedPathSuffix {
                suffix: "/Users".into()
            }
        );
    }

    #[test]
    fn every_target_refuses_plain_http_credentials_queries_and_garbage() {
        for kind in Kind::ALL {
            assert_eq!(
                problem(kind, "not a url"),
                UrlProblem::Unparsable,
                "{kind:?}"
            );
            assert_eq!(problem(kind, ""), UrlProblem::Unparsable, "{kind:?}");
            assert_eq!(
                problem(kind, "ftp://scim.us-east-1.amazonaws.com/t/scim/v2"),
                UrlProblem::UnsupportedScheme {
                    scheme: "ftp".into()
                }
            );
            assert_eq!(
                problem(kind, "http://scim.us-east-1.amazonaws.com/t/scim/v2"),
                UrlProblem::NotHttps
            );
            assert_eq!(
                problem(kind, &format!("{AWS}?x=1")),
                UrlProblem::QueryOrFragment
            );
            assert_eq!(
                problem(kind, &format!("{AWS}#top")),
                UrlProblem::QueryOrFragment
            );
        }
    }

    #[test]
    fn embedded_credentials_are_refused_without_echoing_them() {
        for kind in Kind::ALL {
            let err = normalize_base_url(
                kind,
                "https://admin:hunter2@scim.us-east-1.amazonaws.com/t/scim/v2",
            )
            .unwrap_err();
            assert!(matches!(
                &err,
                Error::InvalidBaseUrl {
                    problem: UrlProblem::EmbeddedCredentials,
                    ..
                }
            ));
            assert!(!format!("{err} {err:?}").contains("hunter2"));
        }
    }

    #[test]
    fn unity_accepts_the_tenant_url() {
        let url = "https://services.api.unity.com/scim/v2/tenants/1234567890";
        assert_eq!(ok(Kind::Unity, url), url);
        assert_eq!(ok(Kind::Unity, &format!("{url}/")), url);
    }

    #[test]
    fn unity_rejects_other_hosts_paths_and_missing_org() {
        assert_eq!(
            problem(Kind::Unity, "https://services.unity.com/scim/v2/tenants/1"),
            UrlProblem::WrongHost {
                expected: "services.api.unity.com",
                found: "services.unity.com".into()
            }
        );
        assert_eq!(
            problem(
                Kind::Unity,
                "https://services.api.unity.com/scim/v2/tenants/"
            ),
            UrlProblem::UnityOrgIdMissing
        );
        assert_eq!(
            problem(Kind::Unity, "https://services.api.unity.com/scim/v2"),
            UrlProblem::UnityPathInvalid
        );
        assert_eq!(
            problem(Kind::Unity, "https://services.api.unity.com/v2/tenants/1"),
            UrlProblem::UnityPathInvalid
        );
        assert_eq!(
            problem(
                Kind::Unity,
                "https://services.api.unity.com/scim/v2/tenants/1/Users"
            ),
            UrlProblem::UnexpectedPathSuffix {
                suffix: "/Users".into()
            }
        );
    }

    #[test]
    fn strongdm_accepts_generic_okta_and_azure_paths() {
        assert_eq!(ok(Kind::StrongDm, STRONGDM_URL), STRONGDM_URL);
        assert_eq!(
            ok(Kind::StrongDm, &format!("{STRONGDM_URL}/")),
            STRONGDM_URL
        );
        for p in ["okta", "azure"] {
            let url = format!("https://app.strongdm.com/provisioning/{p}/v2");
            assert_eq!(ok(Kind::StrongDm, &url), url);
        }
    }

    #[test]
    fn strongdm_rejects_other_hosts_and_paths() {
        assert_eq!(
            problem(
                Kind::StrongDm,
                "https://strongdm.com/provisioning/generic/v2"
            ),
            UrlProblem::WrongHost {
                expected: "app.strongdm.com",
                found: "strongdm.com".into()
            }
        );
        for path in [
            "/provisioning/onelogin/v2",
            "/provisioning/generic",
            "/provisioning/generic/v1",
            "",
        ] {
            assert_eq!(
                problem(Kind::StrongDm, &format!("https://app.strongdm.com{path}")),
                UrlProblem::StrongDmPathInvalid,
                "{path}"
            );
        }
        assert_eq!(
            problem(Kind::StrongDm, &format!("{STRONGDM_URL}/Groups")),
            UrlProblem::UnexpectedPathSuffix {
                suffix: "/Groups".into()
            }
        );
    }

    #[test]
    fn axis_takes_any_https_endpoint_but_not_http_even_locally() {
        assert_eq!(
            ok(
                Kind::Axis,
                "https://scim.axissecurity.example/api/v1/scim/tenant-7/"
            ),
            "https://scim.axissecurity.example/api/v1/scim/tenant-7"
        );
        assert_eq!(ok(Kind::Axis, "https://any.host"), "https://any.host/");
        assert_eq!(
            problem(Kind::Axis, "http://localhost:8080/scim"),
            UrlProblem::NotHttps
        );
    }

    #[test]
    fn generic_allows_http_only_to_loopback() {
        assert_eq!(
            ok(Kind::Generic, "https://scim.example.org/v2/"),
            "https://scim.example.org/v2"
        );
        for local in [
            "http://localhost:8080/scim/v2",
            "http://127.0.0.1:9/v2",
            "http://[::1]:9/v2",
        ] {
            assert_eq!(ok(Kind::Generic, local), local);
        }
        for remote in [
            "http://example.org/scim",
            "http://10.0.0.1/scim",
            "http://localhost.evil.com/scim",
        ] {
            assert_eq!(
                problem(Kind::Generic, remote),
                UrlProblem::NotHttps,
                "{remote}"
            );
        }
        for vendor in [Kind::Aws, Kind::Unity, Kind::StrongDm] {
            assert_eq!(
                problem(vendor, "http://localhost:8080/scim/v2"),
                UrlProblem::NotHttps
            );
        }
    }

    #[test]
    fn errors_say_what_to_fix() {
        let err = normalize_base_url(Kind::Aws, "https://scim.us-east-1.amazonaws.com/scim/v2")
            .unwrap_err();
        let text = err.to_string();
        assert!(text.contains("tenant id"), "{text}");
        assert!(text.contains("AWS IAM Identity Center"), "{text}");
    }
}
