//! JumpCloud reply fuzzing, through the functions the client reads every reply with:
//! `client::decode_body` into each wire shape it asks for (v1 envelopes of users, applications
//! and organizations; v2 arrays of groups, graph connections and graph paths), the wire-to-model
//! conversions, `client::error_text` for error bodies and `client::parse_retry_after`.
//! - Nothing panics; a body that does not decode is `Error::Decode` naming the endpoint.
//! - A user converts to the model or is refused for an unknown `state`, and only for that.
//! - The model never holds an empty or blank optional text ("empty strings are stored as None").
//! - What decodes goes back to the wire and decodes to an equal value (nothing read is lost).
//! - Error text: at most 300 characters, and no 8-character piece of the API key survives from
//!   an occurrence of the whole key (the byte 0xFE in the body stands for the key, so the fuzzer
//!   can put it anywhere, e.g. across the cut at character 300).
//! - `Retry-After`: delta-seconds are read as such, and the wait is capped by the policy.
#![no_main]

use std::time::Duration;

use jumpcloud::client::{decode_body, error_text, parse_retry_after};
use jumpcloud::wire::{
    GraphConnection, GraphObjectWithPaths, ListEnvelope, WireApplication, WireOrganization,
    WireSystemUser, WireUserGroup,
};
use jumpcloud::{Application, Error, Organization, RetryPolicy, SystemUser, UserGroup, UserState};
use libfuzzer_sys::fuzz_target;
use reqwest::header::{HeaderMap, HeaderValue, RETRY_AFTER};
use serde::de::DeserializeOwned;
use serde::Serialize;

const ENDPOINT: &str = "/api/fuzz";
const HEX: &[u8; 16] = b"0123456789abcdef";

fuzz_target!(|data: &[u8]| {
    let [selector, rest @ ..] = data else { return };
    match selector % 8 {
        0 => users(rest),
        1 => {
            for g in decoded::<Vec<WireUserGroup>>(rest).into_iter().flatten() {
                group(g)
            }
        }
        2 => {
            for a in decoded::<ListEnvelope<WireApplication>>(rest)
                .into_iter()
                .flat_map(|p| p.results)
            {
                application(a)
            }
        }
        3 => {
            for o in decoded::<ListEnvelope<WireOrganization>>(rest)
                .into_iter()
                .flat_map(|p| p.results)
            {
                organization(o)
            }
        }
        4 => {
            if let Some(edges) = decoded::<Vec<GraphConnection>>(rest) {
                same_json(&edges);
            }
        }
        5 => {
            if let Some(nodes) = decoded::<Vec<GraphObjectWithPaths>>(rest) {
                let again: Vec<GraphObjectWithPaths> = same_json(&nodes);
                let direct = |n: &[GraphObjectWithPaths]| {
                    n.iter().map(|n| n.is_direct()).collect::<Vec<_>>()
                };
                assert_eq!(direct(&nodes), direct(&again));
            }
        }
        6 => error_body(rest),
        _ => retry_after(rest),
    }
});

/// The body as `T`, or `None` after checking the error is the typed decode error.
fn decoded<T: DeserializeOwned>(body: &[u8]) -> Option<T> {
    match decode_body::<T>(ENDPOINT, body) {
        Ok(v) => Some(v),
        Err(e) => {
            match &e {
                Error::Decode { endpoint, message } => {
                    assert_eq!(endpoint, ENDPOINT);
                    assert!(!message.is_empty());
                }
                other => panic!("unexpected error kind: {other:?}"),
            }
            assert!(e.to_string().contains(ENDPOINT));
            assert_eq!(e.hint(), None);
            None
        }
    }
}

/// Serialises `v`, decodes it back through `decode_body`, and checks both give the same JSON.
fn same_json<T: Serialize + DeserializeOwned>(v: &T) -> T {
    let json = serde_json::to_vec(v).expect("a decoded value serialises");
    let again: T = decode_body(ENDPOINT, &json).unwrap_or_else(|e| {
        panic!(
            "own output does not decode: {e}\n{}",
            String::from_utf8_lossy(&json)
        )
    });
    assert_eq!(
        serde_json::to_value(v).unwrap(),
        serde_json::to_value(&again).unwrap()
    );
    again
}

fn users(body: &[u8]) {
    let Some(page) = decoded::<ListEnvelope<WireSystemUser>>(body) else {
        return;
    };
    for wire in page.results {
        let (id, state) = (wire.id.clone(), wire.state.clone());
        match wire.into_model() {
            Ok(user) => {
                check_blank_is_none(&user);
                if state.as_deref().is_none_or(str::is_empty) {
                    assert_eq!(user.state == UserState::Suspended, user.suspended);
                }
                let back = WireSystemUser::from(&user);
                let again: WireSystemUser = same_json(&back);
                assert_eq!(again.into_model().expect("own output converts"), user);
            }
            Err(message) => {
                let state = state.expect("only a state is refused");
                assert!(
                    !state.is_empty() && UserState::parse(&state).is_none(),
                    "{state:?} refused"
                );
                assert!(
                    message.contains(&id) && message.contains(&format!("{state:?}")),
                    "{message}"
                );
            }
        }
    }
}

fn blank(v: &Option<String>) -> bool {
    v.as_deref().is_some_and(|s| s.trim().is_empty())
}

fn check_blank_is_none(u: &SystemUser) {
    let texts = [
        &u.firstname,
        &u.middlename,
        &u.lastname,
        &u.displayname,
        &u.employee_identifier,
        &u.employee_type,
        &u.department,
        &u.company,
        &u.job_title,
        &u.cost_center,
        &u.location,
        &u.manager,
        &u.password_expiration_date,
        &u.created,
    ];
    assert!(!texts.iter().any(|t| blank(t)), "blank text kept: {u:?}");
    for a in &u.addresses {
        let parts = [
            &a.street_address,
            &a.extended_address,
            &a.po_box,
            &a.locality,
            &a.region,
            &a.postal_code,
            &a.country,
        ];
        assert!(
            !parts.iter().any(|t| blank(t)),
            "blank address part kept: {a:?}"
        );
    }
}

fn group(wire: WireUserGroup) {
    let g = UserGroup::from(wire);
    assert!(!blank(&g.description) && !blank(&g.email));
    let again: WireUserGroup = same_json(&WireUserGroup::from(&g));
    assert_eq!(UserGroup::from(again), g);
}

fn application(wire: WireApplication) {
    let a = Application::from(wire);
    assert!(![
        &a.display_name,
        &a.display_label,
        &a.sso_url,
        &a.description
    ]
    .iter()
    .any(|t| blank(t)));
    let again: WireApplication = same_json(&WireApplication::from(&a));
    assert_eq!(Application::from(again), a);
}

fn organization(wire: WireOrganization) {
    let o = Organization::from(wire);
    let back = WireOrganization {
        id: o.id.clone(),
        display_name: o.display_name.clone(),
    };
    assert_eq!(Organization::from(same_json(&back)), o);
}

/// `[key length, key bytes.., body..]`; the key is lowercase hex like JumpCloud's, and each 0xFE
/// in the body is replaced by it.
fn error_body(data: &[u8]) {
    let [len, rest @ ..] = data else { return };
    let len = (8 + *len as usize % 33).min(rest.len());
    let (key, body) = rest.split_at(len);
    if len < 8 {
        return;
    }
    let key: String = key.iter().map(|b| HEX[(b % 16) as usize] as char).collect();
    let body: Vec<u8> = body
        .split(|&b| b == 0xFE)
        .collect::<Vec<_>>()
        .join(key.as_bytes());
    let text = error_text(&body, &key);
    // The message the client picks: `message`, else `error`, when it is a string.
    let message = serde_json::from_slice::<serde_json::Value>(&body)
        .ok()
        .and_then(|v| {
            v.get("message")
                .or_else(|| v.get("error"))
                .and_then(|m| m.as_str())
                .map(str::to_owned)
        });
    assert_eq!(text.is_some(), message.is_some());
    let (Some(text), Some(message)) = (text, message) else {
        return;
    };
    assert!(
        text.chars().count() <= 300,
        "{} characters kept",
        text.chars().count()
    );
    // What is left of the message once every whole key is gone; a piece of the key in the kept
    // text must come from there (the redaction marker has no lowercase hex in it).
    let residue = message.replace(&key, "\u{0}");
    for piece in key.as_bytes().windows(8) {
        let piece = std::str::from_utf8(piece).unwrap();
        assert!(
            !text.contains(piece) || residue.contains(piece),
            "a piece {piece:?} of the key survived in {text:?}"
        );
    }
}

fn retry_after(value: &[u8]) {
    let Ok(header) = HeaderValue::from_bytes(value) else {
        return;
    };
    let mut headers = HeaderMap::new();
    headers.insert(RETRY_AFTER, header);
    let parsed = parse_retry_after(&headers);
    if let Some(secs) = std::str::from_utf8(value)
        .ok()
        .and_then(|s| s.trim().parse::<u64>().ok())
    {
        assert_eq!(parsed, Some(Duration::from_secs(secs)));
    }
    let policy = RetryPolicy::default();
    if parsed.is_some() {
        assert!(policy.delay(1, parsed) <= policy.max_retry_after);
    }
}
