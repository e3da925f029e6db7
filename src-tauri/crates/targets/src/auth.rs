//! How each target authenticates, and turning what the admin pasted into the
//! one `Authorization` (or custom) header the target expects.

use std::fmt;

use base64::Engine as _;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use scim::Secret;

use crate::error::{Error, Result};
use crate::kind::Kind;
use crate::wizard::FieldId;

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
            Credentials::Header { name, .. } => write!(f, "Header({name}: [REDACTED])"),
        }
    }
}

impl Credentials {
    pub fn kind(&self) -> AuthKind {
        match self {
            Credentials::Bearer { .. } => AuthKind::Bearer,
            Credentials::Basic { .. } => AuthKind::Basic,
            Credentials::Header { .. } => AuthKind::Header,
        }
    }

    /// Checks the credentials against the target's rules and trims what was
    /// pasted, including a `Bearer ` or `Basic ` prefix copied along with a token.
    pub fn validated(self, kind: Kind) -> Result<Credentials> {
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

    #[test]
    fn debug_output_never_shows_secrets() {
        let all = [
            bearer("s3cret"),
            basic("kid", "s3cret"),
            header("X-Key", "s3cret"),
        ];
        for c in all {
            assert!(!format!("{c:?}").contains("s3cret"));
        }
    }
}
