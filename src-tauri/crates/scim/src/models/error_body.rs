use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;

use super::Extra;

/// A SCIM error reply (RFC 7644 §3.12), read leniently: `status` may be a
/// string or a number, `schemas` may be spelled `schema` or sent under both
/// names (AWS IAM Identity Center does both, see docs/conformance.md), and
/// vendor fields (the exception name, AWS `exceptionRequestId`/`timeStamp`)
/// are kept in `extra`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", from = "RawErrorBody")]
pub struct ScimErrorBody {
    #[serde(default)]
    pub schemas: Vec<String>,
    #[serde(
        default,
        deserialize_with = "lenient_status",
        skip_serializing_if = "Option::is_none"
    )]
    pub status: Option<u16>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scim_type: Option<String>,
    #[serde(
        default,
        alias = "message",
        alias = "Message",
        skip_serializing_if = "Option::is_none"
    )]
    pub detail: Option<String>,
    #[serde(flatten)]
    pub extra: Extra,
}

/// The wire form: `schema` and `schemas` both optional, so a body carrying
/// both is not a duplicate-field error (a serde alias would make it one).
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawErrorBody {
    #[serde(default)]
    schemas: Option<Value>,
    #[serde(default)]
    schema: Option<Value>,
    #[serde(default, deserialize_with = "lenient_status")]
    status: Option<u16>,
    #[serde(default)]
    scim_type: Option<String>,
    #[serde(default, alias = "message", alias = "Message")]
    detail: Option<String>,
    #[serde(flatten)]
    extra: Extra,
}

impl From<RawErrorBody> for ScimErrorBody {
    fn from(raw: RawErrorBody) -> Self {
        let mut extra = raw.extra;
        let schemas = match (raw.schemas, raw.schema) {
            (Some(s), Some(alt)) => {
                // Keep the second spelling so a write-back loses nothing.
                extra.insert("schema".to_owned(), alt);
                uris(s)
            }
            (Some(s), None) | (None, Some(s)) => uris(s),
            (None, None) => Vec::new(),
        };
        ScimErrorBody {
            schemas,
            status: raw.status,
            scim_type: raw.scim_type,
            detail: raw.detail,
            extra,
        }
    }
}

/// A list of URIs, or a single one sent as a bare string.
fn uris(v: Value) -> Vec<String> {
    match v {
        Value::String(s) => vec![s],
        Value::Array(items) => items
            .into_iter()
            .filter_map(|i| i.as_str().map(str::to_owned))
            .collect(),
        _ => Vec::new(),
    }
}

/// Body fields vendors use for an exception name, in order of preference.
const VENDOR_NAME_FIELDS: &[&str] = &[
    "__type",
    "type",
    "errorType",
    "exception",
    "code",
    "errorCode",
];

impl ScimErrorBody {
    /// The vendor's exception name (e.g. AWS `ThrottlingException`), if the body names one.
    pub fn vendor_name(&self) -> Option<String> {
        VENDOR_NAME_FIELDS
            .iter()
            .find_map(|k| match self.extra.get(*k) {
                Some(Value::String(s)) if !s.is_empty() => Some(normalise_vendor_name(s)),
                _ => None,
            })
    }
}

/// AWS-style names can carry a namespace prefix (`com.amazon...#Name`) or a
/// suffix (`Name:http://...`); keep only the name.
pub(crate) fn normalise_vendor_name(raw: &str) -> String {
    let after_hash = raw.rsplit('#').next().unwrap_or(raw);
    after_hash
        .split(':')
        .next()
        .unwrap_or(after_hash)
        .trim()
        .to_owned()
}

fn lenient_status<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u16>, D::Error> {
    Ok(match Value::deserialize(d)? {
        Value::Number(n) => n.as_u64().and_then(|n| u16::try_from(n).ok()),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_as_string_or_number() {
        let a: ScimErrorBody =
            serde_json::from_str(r#"{"status":"409","scimType":"uniqueness"}"#).unwrap();
        let b: ScimErrorBody = serde_json::from_str(r#"{"status":404,"detail":"gone"}"#).unwrap();
        let c: ScimErrorBody = serde_json::from_str(r#"{"status":"bogus"}"#).unwrap();
        assert_eq!(a.status, Some(409));
        assert_eq!(a.scim_type.as_deref(), Some("uniqueness"));
        assert_eq!(b.status, Some(404));
        assert_eq!(b.detail.as_deref(), Some("gone"));
        assert_eq!(c.status, None);
    }

    #[test]
    fn vendor_name_from_aws_style_fields() {
        let a: ScimErrorBody = serde_json::from_str(
            r#"{"schema":["urn:ietf:params:scim:api:messages:2.0:Error"],"__type":"com.amazonaws.x#ThrottlingException","status":"429"}"#,
        )
        .unwrap();
        assert_eq!(a.vendor_name().as_deref(), Some("ThrottlingException"));
        assert_eq!(a.schemas.len(), 1);
        let b: ScimErrorBody =
            serde_json::from_str(r#"{"type":"ConflictException:http://x"}"#).unwrap();
        assert_eq!(b.vendor_name().as_deref(), Some("ConflictException"));
        let c: ScimErrorBody = serde_json::from_str(r#"{"detail":"x"}"#).unwrap();
        assert_eq!(c.vendor_name(), None);
    }
}
