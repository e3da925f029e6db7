//! Reply decoding fuzzing: any status, headers and body give a typed value or
//! a typed error, never a panic. A decoded value serializes to JSON that
//! decodes back to an equal value (nothing a server sent is lost on write-back).
#![no_main]

use std::fmt::Debug;

use libfuzzer_sys::fuzz_target;
use scim::models::{Group, ListResponse, ScimErrorBody, ServiceProviderConfig, User};
use scim::{decode_reply, decode_reply_opt, Error};
use serde::de::DeserializeOwned;
use serde::Serialize;

const STATUSES: [u16; 12] = [200, 201, 204, 400, 401, 403, 404, 409, 429, 500, 502, 503];
const CONTENT_TYPES: [&str; 6] = [
    "application/scim+json",
    "application/json; charset=utf-8",
    "text/html",
    "text/plain",
    "",
    "APPLICATION/SCIM+JSON",
];

fuzz_target!(|data: &[u8]| {
    let [model, flags, status_lo, status_hi, rest @ ..] = data else { return };
    let status = if flags & 0x80 != 0 {
        u16::from_le_bytes([*status_lo, *status_hi])
    } else {
        STATUSES[*status_lo as usize % STATUSES.len()]
    };
    // The body may start with header values separated from it by 0xFF
    // (never part of UTF-8): Retry-After and AWS's error type header.
    let mut parts = rest.splitn(3, |&b| b == 0xFF);
    let (retry_after, error_type, body) = match (parts.next(), parts.next(), parts.next()) {
        (Some(a), Some(b), Some(body)) if flags & 0x40 != 0 => {
            (String::from_utf8_lossy(a).into_owned(), String::from_utf8_lossy(b).into_owned(), body)
        }
        _ => (String::new(), String::new(), rest),
    };
    let mut headers = Vec::new();
    let ct = CONTENT_TYPES[(flags & 0x07) as usize % CONTENT_TYPES.len()];
    if !ct.is_empty() {
        headers.push(("content-type", ct));
    }
    if !retry_after.is_empty() {
        headers.push(("retry-after", retry_after.as_str()));
    }
    if !error_type.is_empty() {
        headers.push(("x-amzn-errortype", error_type.as_str()));
    }

    match model % 7 {
        0 => check::<ListResponse<User>>(status, &headers, body),
        1 => check::<ListResponse<Group>>(status, &headers, body),
        2 => check::<User>(status, &headers, body),
        3 => check::<Group>(status, &headers, body),
        4 => check::<ScimErrorBody>(status, &headers, body),
        5 => check::<ServiceProviderConfig>(status, &headers, body),
        _ => check_opt::<User>(status, &headers, body),
    }
});

fn check<T: DeserializeOwned + Serialize + PartialEq + Debug>(status: u16, headers: &[(&str, &str)], body: &[u8]) {
    match decode_reply::<T>(status, headers, body) {
        Ok(value) => {
            assert!((200..300).contains(&status), "decoded a value from HTTP {status}");
            roundtrip(&value);
        }
        Err(e) => check_error(status, &e),
    }
}

fn check_opt<T: DeserializeOwned + Serialize + PartialEq + Debug>(
    status: u16,
    headers: &[(&str, &str)],
    body: &[u8],
) {
    match decode_reply_opt::<T>(status, headers, body) {
        Ok(Some(value)) => roundtrip(&value),
        Ok(None) => assert!(body.iter().all(u8::is_ascii_whitespace)),
        Err(e) => check_error(status, &e),
    }
}

fn roundtrip<T: DeserializeOwned + Serialize + PartialEq + Debug>(value: &T) {
    let json = serde_json::to_vec(value).expect("a decoded value serializes");
    let again = decode_reply::<T>(200, &[("content-type", "application/scim+json")], &json)
        .unwrap_or_else(|e| panic!("own output does not decode: {e}\n{}", String::from_utf8_lossy(&json)));
    assert_eq!(&again, value, "{}", String::from_utf8_lossy(&json));
}

fn check_error(status: u16, e: &Error) {
    // Everything the UI shows about an error must be computable.
    let _ = e.to_string();
    let _ = e.hint();
    let _ = (e.scim_type(), e.vendor_error(), e.is_not_found(), e.is_conflict());
    let success = (200..300).contains(&status);
    match e {
        Error::Http(h) => {
            assert!(!success, "HTTP error for success status {status}");
            assert_eq!(Some(h.status), e.status());
            if (100..=999).contains(&status) {
                assert_eq!(h.status, status);
            }
        }
        Error::NotJson { status: s, .. } | Error::MalformedJson { status: s, .. } => {
            assert!(success, "body error for failure status {status}");
            assert_eq!(*s, status);
        }
        other => panic!("unexpected error kind: {other:?}"),
    }
}
