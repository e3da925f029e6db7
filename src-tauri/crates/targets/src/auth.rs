//! How each target authenticates, and turning what the admin pasted into the
//! one `Authorization` (or custom) header the target expects.

use std::fmt;

use base64::Engine as _;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use scim::Secret;

use crate::error::{BasicValueProblem, Error, Result};
use crate::field::FieldId;
use crate::kind::Kind;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export, export_to = "targets/", rename = "TargetAuthKind")]
pub enum AuthKind {
    /// `Authorization: Bearer <token>`.
    Bearer,
    /// `Authorization: Basic base64("<key id>:<secret key>")` (Unity service accounts).
    Basic,
    /// The credential goes verbatim in a header the admin names.
    Header,
}

impl AuthKind {
    /// The form fields the UI asks for with this kind of authentication.
    pub fn fields(self) -> &'static [FieldId] {
        match self {
            AuthKind::Bearer => &[FieldId::Token],
            AuthKind::Basic => &[FieldId::KeyId, FieldId::SecretKey],
            AuthKind::Header => &[FieldId::HeaderName, FieldId::Token],
        }
    }
}

impl fmt::Display for AuthKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            AuthKind::Bearer => "bearer token",
            AuthKind::Basic => "key id and secret key (Basic)",
            AuthKind::Header => "custom header",
        })
    }
}

/// Which kinds of authentication a target accepts, the first being the default.
pub fn auth_kinds(kind: Kind) -> &'static [AuthKind] {
    match kind {
        Kind::Aws | Kind::StrongDm | Kind::Axis => &[AuthKind::Bearer],
        // Unity's JumpCloud guide uses Basic; its newer Entra guide issues a long-lived bearer token.
        Kind::Unity => &[AuthKind::Basic, AuthKind::Bearer],
        Kind::Generic => &[AuthKind::Bearer, AuthKind::Header],
    }
}

/// What the admin entered. Deserialisable (from the setup form) but neither
/// `Serialize` nor `Debug`-printable with its secrets: it must not travel back out. The secret
/// parts are [`Secret`]s, zeroed when dropped.
#[derive(Clone, PartialEq, Eq, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[ts(export, export_to = "targets/", rename = "TargetCredentials")]
pub enum Credentials {
    Bearer {
        #[ts(type = "string")]
        token: Secret,
    },
    Basic {
        key_id: String,
        #[ts(type = "string")]
        secret_key: Secret,
    },
    /// Unity's "Authorization header value" as the admin copied it: `Basic <base64(key ID:secret
    /// key)>`, with or without the `Basic ` prefix. [`Credentials::validated`] turns it into
    /// [`Credentials::Basic`] after checking it decodes to `key ID:secret key`.
    BasicValue {
        #[ts(type = "string")]
        value: Secret,
    },
    Header {
        name: String,
        #[ts(type = "string")]
        value: Secret,
    },
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Credentials::Bearer { .. } => f.write_str("Bearer([REDACTED])"),
            Credentials::Basic { key_id, .. } => write!(f, "Basic({key_id}:[REDACTED])"),
            Credentials::BasicValue { .. } => f.write_str("BasicValue([REDACTED])"),
            Credentials::Header { name, .. } => write!(f, "Header({name}: [REDACTED])"),
        }
    }
}

impl Credentials {
    pub fn kind(&self) -> AuthKind {
        match self {
            Credentials::Bearer { .. } => AuthKind::Bearer,
            Credentials::Basic { .. } | Credentials::BasicValue { .. } => AuthKind::Basic,
            Credentials::Header { .. } => AuthKind::Header,
        }
    }

    /// Key ID and secret key of Basic credentials (a pasted value decoded); `None` for other
    /// kinds and for a value that does not decode.
    pub fn basic_parts(&self) -> Option<(String, String)> {
        match self {
            Credentials::Basic { key_id, secret_key } => {
                Some((key_id.clone(), secret_key.expose().to_owned()))
            }
            Credentials::BasicValue { value } => parse_basic_value(value.expose()).ok(),
            _ => None,
        }
    }

    /// Checks the credentials against the target's rules and trims what was
    /// pasted, including a `Bearer ` or `Basic ` prefix copied along with a token. A `Basic …`
    /// value pasted as a bearer token becomes Basic credentials where the target takes them
    /// (Unity) and is refused elsewhere: it must never go out as `Bearer Basic …`.
    pub fn validated(self, kind: Kind) -> Result<Credentials> {
        let pasted_basic = match &self {
            Credentials::Bearer { token } => has_scheme(token.expose(), "Basic"),
            _ => false,
        };
        let this = match self {
            Credentials::Bearer { token } if pasted_basic => {
                if !auth_kinds(kind).contains(&AuthKind::Basic) {
                    return Err(Error::BasicValueAsBearer { kind });
                }
                Credentials::BasicValue { value: token }
            }
            other => other,
        };
        this.checked(kind)
    }

    fn checked(self, kind: Kind) -> Result<Credentials> {
        if !auth_kinds(kind).contains(&self.kind()) {
            return Err(Error::AuthNotSupported {
                kind,
                auth: self.kind(),
            });
        }
        match self {
            Credentials::Bearer { token } => Ok(Credentials::Bearer {
                token: non_empty(strip_scheme(token.expose(), "Bearer"), FieldId::Token)?.into(),
            }),
            Credentials::Basic { key_id, secret_key } => {
                let key_id = non_empty(&key_id, FieldId::KeyId)?;
                if key_id.contains(':') {
                    return Err(Error::KeyIdContainsColon);
                }
                Ok(Credentials::Basic {
                    key_id,
                    secret_key: non_empty(secret_key.expose(), FieldId::SecretKey)?.into(),
                })
            }
            Credentials::BasicValue { value } => {
                if value.expose().trim().is_empty() {
                    return Err(Error::EmptyField {
                        field: FieldId::SecretKey,
                    });
                }
                let (key_id, secret_key) = parse_basic_value(value.expose())?;
                Credentials::Basic {
                    key_id,
                    secret_key: secret_key.into(),
                }
                .checked(kind)
            }
            Credentials::Header { name, value } => {
                let name = non_empty(&name, FieldId::HeaderName)?;
                if !is_header_name(&name) {
                    return Err(Error::InvalidHeaderName { name });
                }
                Ok(Credentials::Header {
                    name,
                    value: non_empty(value.expose(), FieldId::Token)?.into(),
                })
            }
        }
    }

    /// The header as it goes on the wire: `(name, value)`.
    pub fn header(&self) -> (String, String) {
        match self {
            Credentials::Bearer { token } => {
                ("Authorization".into(), format!("Bearer {}", token.expose()))
            }
            Credentials::Basic { key_id, secret_key } => (
                "Authorization".into(),
                basic_header_value(key_id, secret_key.expose()),
            ),
            // Unvalidated: sent as pasted, with exactly one `Basic ` prefix.
            Credentials::BasicValue { value } => (
                "Authorization".into(),
                format!(
                    "Basic {}",
                    strip_scheme(without_header_name(value.expose()), "Basic")
                ),
            ),
            Credentials::Header { name, value } => (name.clone(), value.expose().to_owned()),
        }
    }
}

/// `Basic base64("KEY_ID:SECRET_KEY")`, the value Unity's guide has the admin
/// paste into JumpCloud's "Authorization header value".
pub fn basic_header_value(key_id: &str, secret_key: &str) -> String {
    let raw = format!("{key_id}:{secret_key}");
    format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(raw)
    )
}

/// Key ID and secret key from a pasted Authorization header value, `Basic <base64(key
/// ID:secret key)>` or the base64 alone. Standard base64, padding optional.
pub fn parse_basic_value(value: &str) -> Result<(String, String)> {
    let invalid = |problem| Error::InvalidBasicValue { problem };
    let encoded = strip_scheme(without_header_name(value), "Basic");
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(encoded)
        .or_else(|_| base64::engine::general_purpose::STANDARD_NO_PAD.decode(encoded))
        .map_err(|_| invalid(BasicValueProblem::NotBase64))?;
    let text = String::from_utf8(bytes).map_err(|_| invalid(BasicValueProblem::NotText))?;
    let (key_id, secret_key) = text
        .split_once(':')
        .ok_or(invalid(BasicValueProblem::NoColon))?;
    if key_id.trim().is_empty() || secret_key.trim().is_empty() {
        return Err(invalid(BasicValueProblem::EmptyPart));
    }
    Ok((key_id.to_owned(), secret_key.to_owned()))
}

/// `Authorization: X` -> `X`: the whole header line copied instead of its value.
fn without_header_name(value: &str) -> &str {
    let v = value.trim();
    match v.split_once(':') {
        Some((name, rest)) if name.trim().eq_ignore_ascii_case("authorization") => rest.trim(),
        _ => v,
    }
}

fn has_scheme(value: &str, scheme: &str) -> bool {
    let v = without_header_name(value);
    v.split_once(char::is_whitespace)
        .is_some_and(|(first, _)| first.eq_ignore_ascii_case(scheme))
}

fn strip_scheme<'a>(value: &'a str, scheme: &str) -> &'a str {
    let v = value.trim();
    let (first, rest) = v.split_once(char::is_whitespace).unwrap_or((v, ""));
    if first.eq_ignore_ascii_case(scheme) {
        rest.trim()
    } else {
        v
    }
}

fn non_empty(value: &str, field: FieldId) -> Result<String> {
    let v = value.trim();
    if v.is_empty() {
        Err(Error::EmptyField { field })
    } else {
        Ok(v.to_string())
    }
}

/// RFC 9110 `token`: visible ASCII without separators.
fn is_header_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bearer(t: &str) -> Credentials {
        Credentials::Bearer { token: t.into() }
    }

    fn basic(k: &str, s: &str) -> Credentials {
        Credentials::Basic {
            key_id: k.into(),
            secret_key: s.into(),
        }
    }

    fn header(n: &str, v: &str) -> Credentials {
        Credentials::Header {
            name: n.into(),
            value: v.into(),
        }
    }

    #[test]
    fn every_target_takes_bearer_and_only_unity_and_generic_take_more() {
        for kind in Kind::ALL {
            assert!(auth_kinds(kind).contains(&AuthKind::Bearer), "{kind:?}");
            assert_eq!(
                auth_kinds(kind).contains(&AuthKind::Basic),
                kind == Kind::Unity,
                "{kind:?}"
            );
            assert_eq!(
                auth_kinds(kind).contains(&AuthKind::Header),
                kind == Kind::Generic,
                "{kind:?}"
            );
        }
        // Unity's JumpCloud guide uses the service-account key pair, so it is the default.
        assert_eq!(auth_kinds(Kind::Unity)[0], AuthKind::Basic);
    }

    #[test]
    fn unsupported_kinds_are_refused_with_both_sides_named() {
        assert_eq!(
            basic("k", "s").validated(Kind::Aws),
            Err(Error::AuthNotSupported {
                kind: Kind::Aws,
                auth: AuthKind::Basic
            })
        );
        assert_eq!(
            header("X-Api-Key", "v").validated(Kind::StrongDm),
            Err(Error::AuthNotSupported {
                kind: Kind::StrongDm,
                auth: AuthKind::Header
            })
        );
    }

    #[test]
    fn a_pasted_bearer_prefix_and_whitespace_are_removed() {
        for pasted in ["abc123", " abc123\n", "Bearer abc123", "bearer   abc123 "] {
            assert_eq!(
                bearer(pasted).validated(Kind::Aws),
                Ok(bearer("abc123")),
                "{pasted:?}"
            );
        }
        // A token that merely starts with the letters "Bearer" is left alone.
        assert_eq!(
            bearer("BearerXYZ").validated(Kind::Aws),
            Ok(bearer("BearerXYZ"))
        );
    }

    #[test]
    fn empty_fields_are_named() {
        assert_eq!(
            bearer("  ").validated(Kind::Axis),
            Err(Error::EmptyField {
                field: FieldId::Token
            })
        );
        assert_eq!(
            bearer("Bearer ").validated(Kind::Axis),
            Err(Error::EmptyField {
                field: FieldId::Token
            })
        );
        assert_eq!(
            basic("", "s").validated(Kind::Unity),
            Err(Error::EmptyField {
                field: FieldId::KeyId
            })
        );
        assert_eq!(
            basic("k", " ").validated(Kind::Unity),
            Err(Error::EmptyField {
                field: FieldId::SecretKey
            })
        );
        assert_eq!(
            header("", "v").validated(Kind::Generic),
            Err(Error::EmptyField {
                field: FieldId::HeaderName
            })
        );
        assert_eq!(
            header("X-Key", "").validated(Kind::Generic),
            Err(Error::EmptyField {
                field: FieldId::Token
            })
        );
    }

    #[test]
    fn key_id_with_colon_and_bad_header_names_are_refused() {
        assert_eq!(
            basic("a:b", "s").validated(Kind::Unity),
            Err(Error::KeyIdContainsColon)
        );
        for bad in ["X Key", "X-Key:", "Ключ", "a\tb"] {
            assert_eq!(
                header(bad, "v").validated(Kind::Generic),
                Err(Error::InvalidHeaderName { name: bad.into() }),
                "{bad:?}"
            );
        }
        assert!(header("X-Api-Key", "v").validated(Kind::Generic).is_ok());
    }

    #[test]
    fn basic_header_is_base64_of_key_colon_secret() {
        // RFC 7617 section 2 example.
        assert_eq!(
            basic_header_value("Aladdin", "open sesame"),
            "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ=="
        );
        let (name, value) = basic("Aladdin", "open sesame").header();
        assert_eq!(name, "Authorization");
        assert_eq!(value, "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==");
        assert_eq!(
            bearer("t0k").header(),
            ("Authorization".into(), "Bearer t0k".into())
        );
        assert_eq!(header("X-Key", "v").header(), ("X-Key".into(), "v".into()));
    }

    #[test]
    fn credentials_arrive_from_the_form_as_tagged_json() {
        let c: Credentials =
            serde_json::from_str(r#"{"kind":"basic","key_id":"k","secret_key":"s"}"#).unwrap();
        assert_eq!(c, basic("k", "s"));
        let c: Credentials = serde_json::from_str(r#"{"kind":"bearer","token":"t"}"#).unwrap();
        assert_eq!(c.kind(), AuthKind::Bearer);
        assert!(serde_json::from_str::<Credentials>(r#"{"kind":"oauth"}"#).is_err());
    }

    fn pasted(v: &str) -> Credentials {
        Credentials::BasicValue { value: v.into() }
    }

    /// What goes on the wire for credentials as the setup form would send them.
    fn wire(c: Credentials, kind: Kind) -> String {
        let (name, value) = c.validated(kind).unwrap().header();
        format!("{name}: {value}")
    }

    #[test]
    fn a_pasted_unity_header_value_goes_out_exactly_as_copied() {
        let value = basic_header_value("kid-1", "s3cret");
        let b64 = value.strip_prefix("Basic ").unwrap().to_owned();
        for form in [
            pasted(&value),
            pasted(&b64),
            pasted(&format!("  basic {b64}\n")),
            pasted(&format!("Authorization: {value}")),
            // Pasted where the bearer token goes: still Basic, never `Bearer Basic …`.
            bearer(&value),
            bearer(&format!("Authorization: {value}")),
        ] {
            let label = format!("{form:?}");
            assert_eq!(
                wire(form, Kind::Unity),
                format!("Authorization: {value}"),
                "{label}"
            );
        }
        assert_eq!(
            pasted(&value).validated(Kind::Unity),
            Ok(basic("kid-1", "s3cret")),
            "stored like key ID + secret key: the key ID in settings, the secret in the keychain"
        );
        // Unity's newer long-lived bearer token stays a bearer token.
        assert_eq!(
            wire(bearer("eyJhbGciOi.long-lived"), Kind::Unity),
            "Authorization: Bearer eyJhbGciOi.long-lived"
        );
    }

    #[test]
    fn a_basic_value_never_becomes_bearer_basic() {
        let value = basic_header_value("kid", "s");
        for kind in [Kind::Aws, Kind::StrongDm, Kind::Axis, Kind::Generic] {
            assert_eq!(
                bearer(&value).validated(kind),
                Err(Error::BasicValueAsBearer { kind }),
                "{kind:?}"
            );
        }
        // Even unvalidated, a pasted value carries exactly one `Basic ` prefix.
        assert_eq!(pasted(&value).header().1, value);
        assert!(!pasted(&value).header().1.contains("Basic Basic"));
    }

    #[test]
    fn pasted_values_that_are_not_key_id_colon_secret_are_refused() {
        use BasicValueProblem::*;
        let b64 = |raw: &[u8]| base64::engine::general_purpose::STANDARD.encode(raw);
        let cases = [
            ("Basic not*base64!".to_owned(), NotBase64),
            (format!("Basic {}", b64(b"no-colon-here")), NoColon),
            (format!("Basic {}", b64(&[0xff, 0xfe, b':', b'x'])), NotText),
            (format!("Basic {}", b64(b":secret")), EmptyPart),
            (format!("Basic {}", b64(b"kid:")), EmptyPart),
        ];
        for (value, problem) in cases {
            assert_eq!(
                pasted(&value).validated(Kind::Unity),
                Err(Error::InvalidBasicValue { problem }),
                "{value}"
            );
        }
        // Padding may be missing; the key ID still may not hold a colon (it cannot: split at the first).
        let unpadded = b64(b"k:s1").trim_end_matches('=').to_owned();
        assert_eq!(
            pasted(&unpadded).validated(Kind::Unity),
            Ok(basic("k", "s1"))
        );
        assert_eq!(
            pasted(" ").validated(Kind::Unity),
            Err(Error::EmptyField {
                field: FieldId::SecretKey
            })
        );
        // A message never repeats the pasted value.
        let err = pasted("Basic c2VjcmV0LW5vLWNvbG9u")
            .validated(Kind::Unity)
            .unwrap_err();
        assert!(!err.to_string().contains("c2VjcmV0"), "{err}");
    }

    #[test]
    fn debug_output_never_shows_secrets() {
        let all = [
            bearer("s3cret"),
            basic("kid", "s3cret"),
            header("X-Key", "s3cret"),
            pasted("Basic s3cret"),
        ];
        for c in all {
            assert!(!format!("{c:?}").contains("s3cret"));
        }
    }
}
