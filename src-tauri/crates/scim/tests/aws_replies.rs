//! Replies shaped like AWS IAM Identity Center's SCIM endpoint sends them (docs/conformance.md,
//! "AWS replies"). The bodies are written here from those facts: error bodies name the Error
//! schema under `schema` (older replies) or under both `schema` and `schemas`, add
//! `exceptionRequestId` and `timeStamp`, and carry no `scimType`; ServiceProviderConfig
//! announces `filter.maxResults` 50.

#![allow(clippy::unwrap_used)]

use scim::models::{ScimErrorBody, ServiceProviderConfig};
use scim::{decode_reply, Error};
use serde_json::{json, Value};

const ERROR_URN: &str = "urn:ietf:params:scim:api:messages:2.0:Error";

fn http_error(status: u16, headers: &[(&str, &str)], body: &Value) -> scim::HttpError {
    let bytes = serde_json::to_vec(body).unwrap();
    match decode_reply::<Value>(status, headers, &bytes) {
        Err(Error::Http(e)) => *e,
        other => panic!("expected an HTTP error, got {other:?}"),
    }
}

#[test]
fn a_conflict_with_both_schema_spellings_keeps_status_and_detail() {
    let body = json!({
        "schema": [ERROR_URN],
        "schemas": [ERROR_URN],
        "detail": "Refused to create a new, duplicate resource.",
        "status": "409",
        "exceptionRequestId": "0b6e8a52-5d1c-4f0e-9a43-2f7d1c9e8b10",
        "timeStamp": "2025-02-03 04:05:06.789",
    });
    let e = http_error(409, &[("content-type", "application/json")], &body);
    assert_eq!(e.status, 409);
    assert_eq!(
        e.detail.as_deref(),
        Some("Refused to create a new, duplicate resource.")
    );
    assert_eq!(e.scim_type, None);

    let decoded: ScimErrorBody = serde_json::from_value(body.clone()).unwrap();
    assert_eq!(decoded.schemas, vec![ERROR_URN.to_owned()]);
    assert_eq!(decoded.status, Some(409));
    assert_eq!(
        decoded.extra["exceptionRequestId"],
        "0b6e8a52-5d1c-4f0e-9a43-2f7d1c9e8b10"
    );
    assert_eq!(decoded.extra["timeStamp"], "2025-02-03 04:05:06.789");
    // Writing it back loses nothing the server sent.
    let again: ScimErrorBody =
        serde_json::from_value(serde_json::to_value(&decoded).unwrap()).unwrap();
    assert_eq!(again, decoded);
    assert_eq!(
        serde_json::to_value(&decoded).unwrap()["schema"],
        json!([ERROR_URN])
    );
}

#[test]
fn the_client_sees_a_conflict_and_the_exception_header() {
    let body = json!({
        "schema": [ERROR_URN], "schemas": [ERROR_URN], "status": "409",
        "detail": "Refused to create a new, duplicate resource.",
        "exceptionRequestId": "6f1c1c8e-7d2b-4c55-8c1e-3b1f0f0a9d22",
        "timeStamp": "2025-02-03 04:05:06.789",
    });
    let bytes = serde_json::to_vec(&body).unwrap();
    let err = decode_reply::<Value>(409, &[("x-amzn-ErrorType", "ConflictException")], &bytes)
        .unwrap_err();
    assert!(err.is_conflict());
    assert_eq!(err.vendor_error(), Some("ConflictException"));
}

#[test]
fn an_older_reply_with_only_schema_still_decodes() {
    let body = json!({
        "schema": [ERROR_URN],
        "detail": "Request is unparsable, syntactically incorrect, or violates schema.",
        "status": "400",
        "exceptionRequestId": "d2c4b7a0-1e9f-4a3b-8c6d-5e7f8a9b0c1d",
        "timeStamp": "2025-02-03 04:05:06.789",
    });
    let e = http_error(400, &[], &body);
    assert_eq!(e.status, 400);
    assert!(e
        .detail
        .as_deref()
        .unwrap()
        .starts_with("Request is unparsable"));
    let decoded: ScimErrorBody = serde_json::from_value(body).unwrap();
    assert_eq!(decoded.schemas, vec![ERROR_URN.to_owned()]);
}

#[test]
fn a_service_provider_config_announcing_fifty_results() {
    let body = json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"],
        "documentationUri": "https://docs.aws.amazon.com/singlesignon/latest/developerguide/what-is-scim.html",
        "authenticationSchemes": [{
            "type": "oauthbearertoken", "name": "OAuth Bearer Token",
            "description": "bearer token", "specUri": "https://www.rfc-editor.org/info/rfc6750",
            "primary": true
        }],
        "patch": {"supported": true},
        "bulk": {"supported": false, "maxOperations": 0, "maxPayloadSize": 0},
        "filter": {"supported": true, "maxResults": 50},
        "changePassword": {"supported": false},
        "sort": {"supported": false},
        "etag": {"supported": false}
    });
    let bytes = serde_json::to_vec(&body).unwrap();
    let spc: ServiceProviderConfig = decode_reply(200, &[], &bytes).unwrap();
    assert_eq!(spc.max_results(), Some(50));
    assert_eq!(spc.sort.as_ref().map(|s| s.supported), Some(false));
    assert_eq!(spc.etag.as_ref().map(|s| s.supported), Some(false));
    assert_eq!(spc.authentication_schemes.len(), 1);
}
