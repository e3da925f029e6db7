//! How AWS IAM Identity Center's SCIM endpoint shapes its error bodies and its
//! ServiceProviderConfig, so clients meet the real replies (sources in docs/conformance.md).
//!
//! - Error bodies name the Error schema under both `schema` and `schemas`, give `status` as a
//!   string and add `exceptionRequestId` (a UUID) and `timeStamp` (`2022-03-18 10:57:08.014`,
//!   UTC, no `T`, no zone). They carry no `scimType`. A duplicate user or group is reported
//!   as "Refused to create a new, duplicate resource." (AWS re:Post, iam-identity-center-
//!   provision). The exception name is not in the body; the simulator also sends it in the
//!   `x-amzn-ErrorType` header (AWS's usual header, not documented for SCIM) so tests can
//!   tell the exceptions apart.
//! - ServiceProviderConfig announces `filter.maxResults` 50, no sort, no ETags, no bulk, and
//!   one bearer-token scheme with the RFC 6750 `specUri`.

use rand::Rng as _;
use serde_json::{json, Value};

use super::error::{ApiError, ERROR_URN};

/// `filter.maxResults` in AWS's ServiceProviderConfig.
pub const SPC_MAX_RESULTS: u64 = 50;
const DUPLICATE_DETAIL: &str = "Refused to create a new, duplicate resource.";

pub fn error_body(e: &ApiError) -> Value {
    let detail = if e.status == 409 {
        DUPLICATE_DETAIL
    } else {
        e.detail.as_str()
    };
    json!({
        "schema": [ERROR_URN],
        "schemas": [ERROR_URN],
        "detail": detail,
        "status": e.status.to_string(),
        "exceptionRequestId": request_id(),
        "timeStamp": chrono::Utc::now().format("%Y-%m-%d %H:%M:%S%.3f").to_string(),
    })
}

/// A random version-4 UUID, as AWS request ids are.
fn request_id() -> String {
    let mut b: [u8; 16] = rand::thread_rng().gen();
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    )
}

pub fn service_provider_config(base_url: &str) -> Value {
    json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"],
        "documentationUri": "https://docs.aws.amazon.com/singlesignon/latest/developerguide/what-is-scim.html",
        "authenticationSchemes": [{
            "type": "oauthbearertoken",
            "name": "OAuth Bearer Token",
            "description": "Authentication scheme using the OAuth Bearer Token Standard",
            "specUri": "https://www.rfc-editor.org/info/rfc6750",
            "documentationUri": "https://docs.aws.amazon.com/singlesignon/latest/userguide/provision-automatically.html",
            "primary": true
        }],
        "patch": {"supported": true},
        "bulk": {"supported": false, "maxOperations": 0, "maxPayloadSize": 0},
        "filter": {"supported": true, "maxResults": SPC_MAX_RESULTS},
        "changePassword": {"supported": false},
        "sort": {"supported": false},
        "etag": {"supported": false},
        "meta": {"resourceType": "ServiceProviderConfig", "location": format!("{base_url}/ServiceProviderConfig")}
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_bodies_carry_both_schema_spellings_and_request_metadata() {
        let b = error_body(&ApiError::conflict("userName taken"));
        assert_eq!(b["schema"], json!([ERROR_URN]));
        assert_eq!(b["schemas"], json!([ERROR_URN]));
        assert_eq!(b["status"], "409");
        assert_eq!(b["detail"], DUPLICATE_DETAIL);
        assert!(b.get("scimType").is_none());
        let id = b["exceptionRequestId"].as_str().unwrap();
        assert_eq!(id.len(), 36);
        assert_eq!(&id[14..15], "4");
        let ts = b["timeStamp"].as_str().unwrap();
        assert!(chrono::NaiveDateTime::parse_from_str(ts, "%Y-%m-%d %H:%M:%S%.3f").is_ok());
        assert_eq!(ts.len(), "2022-03-18 10:57:08.014".len());
    }

    #[test]
    fn spc_announces_fifty_results() {
        let spc = service_provider_config("http://h/t/scim/v2");
        assert_eq!(spc["filter"]["maxResults"], 50);
        assert_eq!(spc["sort"]["supported"], false);
        assert_eq!(spc["etag"]["supported"], false);
    }
}
