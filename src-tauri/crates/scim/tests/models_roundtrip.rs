//! RFC 7643 §8 samples (typed in by hand) survive a parse/serialise round trip.

#![allow(clippy::unwrap_used)]

use scim::models::{
    Group, ListResponse, PatchOp, PatchOpKind, ScimErrorBody, ServiceProviderConfig, User,
};
use serde_json::{json, Value};

fn fixture(name: &str) -> Value {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(&path).expect(&path)).expect("fixture is JSON")
}

fn roundtrip<T: serde::de::DeserializeOwned + serde::Serialize>(v: &Value) -> (T, Value) {
    let typed: T = serde_json::from_value(v.clone()).expect("parses");
    let back = serde_json::to_value(&typed).expect("serialises");
    (typed, back)
}

#[test]
fn full_user_roundtrips_and_exposes_typed_fields() {
    let raw = fixture("rfc7643_8_2_full_user.json");
    let (user, back): (User, _) = roundtrip(&raw);
    assert_eq!(back, raw);
    assert_eq!(user.user_name, "bjensen@example.com");
    assert_eq!(
        user.name.as_ref().and_then(|n| n.given_name.as_deref()),
        Some("Barbara")
    );
    assert_eq!(user.primary_email(), Some("bjensen@example.com"));
    assert_eq!(user.addresses[0].postal_code.as_deref(), Some("91608"));
    assert_eq!(user.phone_numbers[1].kind.as_deref(), Some("mobile"));
    assert_eq!(user.groups.len(), 3);
    assert_eq!(
        user.meta.as_ref().and_then(|m| m.version.as_deref()),
        Some("W/\"a330bc54f0671c9\"")
    );
    // Unmodelled attributes are kept, not dropped.
    assert!(user.extra.contains_key("ims") && user.extra.contains_key("x509Certificates"));
    // The sample's password must not show in Debug output.
    assert!(!format!("{user:?}").contains("t1meMa$heen"));
}

#[test]
fn enterprise_user_roundtrips_with_extension_fields() {
    let raw = fixture("rfc7643_8_3_enterprise_user.json");
    let (user, back): (User, _) = roundtrip(&raw);
    assert_eq!(back, raw);
    let ent = user.enterprise.expect("extension parsed");
    assert_eq!(ent.cost_center.as_deref(), Some("4130"));
    assert_eq!(ent.division.as_deref(), Some("Theme Park"));
    let mgr = ent.manager.expect("manager");
    assert_eq!(mgr.display_name.as_deref(), Some("John Smith"));
    assert_eq!(
        mgr.reference.as_deref(),
        Some("../Users/26118915-6090-4610-87e4-49d8ca9f808d")
    );
    assert!(
        user.extra.is_empty(),
        "nothing unmodelled in this sample: {:?}",
        user.extra
    );
}

#[test]
fn group_roundtrips() {
    let raw = fixture("rfc7643_8_4_group.json");
    let (group, back): (Group, _) = roundtrip(&raw);
    assert_eq!(back, raw);
    assert_eq!(group.display_name, "Tour Guides");
    assert_eq!(
        group.members[1].display.as_deref(),
        Some("Mandy Pepperidge")
    );
}

#[test]
fn vendor_extension_and_unknown_subattributes_survive() {
    let raw = fixture("vendor_extension_user.json");
    let (user, back): (User, _) = roundtrip(&raw);
    assert_eq!(back, raw);
    assert_eq!(user.active, Some(false));
    assert_eq!(user.emails[0].extra.get("verified"), Some(&json!(true)));
    assert!(user
        .extra
        .contains_key("urn:example:params:scim:schemas:extension:acme:1.0:User"));
}

#[test]
fn list_response_reads_index_and_cursor_forms() {
    let index: ListResponse<User> = serde_json::from_value(json!({
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:ListResponse"],
        "totalResults": 2, "itemsPerPage": 1, "startIndex": 1,
        "Resources": [{"userName": "a", "id": "1"}]
    }))
    .unwrap();
    assert_eq!(
        (index.total_results, index.items_per_page, index.start_index),
        (Some(2), Some(1), Some(1))
    );
    assert_eq!(index.resources[0].user_name, "a");
    let cursor: ListResponse<Group> = serde_json::from_value(json!({
        "itemsPerPage": 1, "nextCursor": "abc", "Resources": [{"displayName": "g", "id": "9", "members": []}]
    }))
    .unwrap();
    assert_eq!(cursor.next_cursor.as_deref(), Some("abc"));
    assert_eq!(cursor.total_results, None);
    let empty: ListResponse<User> = serde_json::from_value(json!({"totalResults": 0})).unwrap();
    assert!(empty.resources.is_empty());
}

#[test]
fn patch_op_wire_shape() {
    let op = PatchOp::new(vec![
        scim::models::PatchOperation::replace(None, json!({"active": false})),
        scim::models::PatchOperation::remove(r#"members[value eq "a-1"]"#, None),
    ]);
    let v = serde_json::to_value(&op).unwrap();
    assert_eq!(
        v,
        json!({
            "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
            "Operations": [
                {"op": "replace", "value": {"active": false}},
                {"op": "remove", "path": "members[value eq \"a-1\"]"}
            ]
        })
    );
    let parsed: PatchOp = serde_json::from_value(v).unwrap();
    assert_eq!(parsed.operations[1].op, PatchOpKind::Remove);
}

#[test]
fn service_provider_config_keeps_vendor_fields() {
    let raw = json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"],
        "patch": {"supported": true},
        "bulk": {"supported": false, "maxOperations": 1, "maxPayloadSize": 1048576},
        "filter": {"supported": true, "maxResults": 100},
        "changePassword": {"supported": false},
        "sort": {"supported": false},
        "etag": {"supported": false},
        "authenticationSchemes": [{"type": "oauthbearertoken", "name": "OAuth Bearer Token", "primary": true}],
        "x-vendor": {"a": 1}
    });
    let (spc, back): (ServiceProviderConfig, _) = roundtrip(&raw);
    assert_eq!(back, raw);
    assert_eq!(spc.max_results(), Some(100));
    assert_eq!(
        spc.authentication_schemes[0].kind.as_deref(),
        Some("oauthbearertoken")
    );
}

/// Found by the `decode_reply` fuzz target at 8.3 million runs: a number too long for an f64 in
/// an attribute the client does not model came back one bit off when the client wrote it back
/// (serde_json's fast float parser). With `float_roundtrip` it survives decode, write, decode.
#[test]
fn a_long_number_in_an_unmodelled_attribute_survives_write_back() {
    let body = br#"{"plbaurUUUUseri{":55555555555552555555555555555555555255555554}"#;
    let json = [("content-type", "application/scim+json")];
    let first: ScimErrorBody = scim::decode_reply(200, &json, body).unwrap();
    let written = serde_json::to_vec(&first).unwrap();
    let again: ScimErrorBody = scim::decode_reply(200, &json, &written).unwrap();
    assert_eq!(again, first, "{}", String::from_utf8_lossy(&written));

    let user = br#"{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"a","x":1.0000000000000002220446049250313080847263336181640625e-300}"#;
    let first: User = scim::decode_reply(200, &json, user).unwrap();
    let again: User = scim::decode_reply(200, &json, &serde_json::to_vec(&first).unwrap()).unwrap();
    assert_eq!(again, first);
}
