//! The packed encoding round-trips every JSON value and reads like `serde_json::Value`.

use super::encoding::{key_index, HEADER, INLINE_KEY, KEYS};
use super::*;
use serde_json::json;

const ENT: &str = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

fn user() -> Value {
    json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User", ENT],
        "id": "2819c223-7f76-453a-919d-413861904646",
        "userName": "bjensen@example.com",
        "name": {"givenName": "Barbara", "familyName": "Jensen", "x-custom": null},
        "emails": [
            {"value": "bjensen@example.com", "type": "work", "primary": true},
            {"value": "babs@jensen.org", "type": "home"}
        ],
        "active": false,
        "loginCount": 42,
        "balance": -7,
        "score": 0.5,
        "big": u64::MAX,
        "nested": [[], {}, [1, [2, {"a": "b"}]]],
        "unicode": "Jos\u{e9} \u{1F600}",
        "Odd Key \u{e9}": "kept",
        ENT: {"department": "R&D", "manager": {"value": "26118915-6090-4610-87e4-49d8ca9f808d"}}
    })
}

#[test]
fn round_trips_every_kind_of_value() {
    for v in [
        user(),
        json!(null),
        json!(true),
        json!(""),
        json!([]),
        json!({}),
        json!(-1.25e300),
        json!(i64::MIN),
        json!("x".repeat(300)),
        json!((0..200).collect::<Vec<_>>()),
    ] {
        let r = Record::from(&v);
        assert_eq!(r.to_value(), v);
        assert_eq!(r, v);
        assert_eq!(r.packed_len(), encoded_len(&v));
    }
}

#[test]
fn keeps_member_order() {
    let v = user();
    let back = Record::from(&v).to_value();
    let keys: Vec<&String> = back.as_object().unwrap().keys().collect();
    let original: Vec<&String> = v.as_object().unwrap().keys().collect();
    assert_eq!(keys, original);
    assert_eq!(
        serde_json::to_string(&Record::from(&v)).unwrap(),
        serde_json::to_string(&v).unwrap()
    );
}

#[test]
fn serde_reads_and_writes_plain_json() {
    let v = user();
    let r = Record::from(&v);
    let text = serde_json::to_string(&r).unwrap();
    assert_eq!(serde_json::from_str::<Value>(&text).unwrap(), v);
    let back: Record = serde_json::from_str(&text).unwrap();
    assert_eq!(back, r);
    assert_eq!(r.to_string(), text);
    assert_eq!(format!("{r:?}"), text);
}

#[test]
fn looks_members_up_exactly_first_then_without_case() {
    let r = Record::from(json!({"UserName": "folded", "userName": "exact", "TITLE": "t"}));
    assert_eq!(r.get_str("userName"), Some("exact"));
    assert_eq!(r.get_str("USERNAME"), Some("folded"));
    assert_eq!(r.get_str("title"), Some("t"));
    assert!(r.get("nope").is_none());
    let u = Record::from(user());
    assert_eq!(
        u.get(ENT).and_then(|e| e.get("Department")),
        Some(u.get(ENT).unwrap().get("department").unwrap())
    );
    assert_eq!(u.get(ENT).unwrap().get("department").unwrap(), json!("R&D"));
    assert_eq!(u.get("Odd key \u{e9}").and_then(Node::as_str), Some("kept"));
    assert_eq!(u.get("active").and_then(Node::as_bool), Some(false));
    assert!(u.get("name").unwrap().get("x-custom").unwrap().is_null());
    let emails: Vec<&str> = u
        .get("emails")
        .unwrap()
        .items()
        .unwrap()
        .filter_map(|e| e.get("value")?.as_str())
        .collect();
    assert_eq!(emails, ["bjensen@example.com", "babs@jensen.org"]);
    assert!(
        matches!(u.get("loginCount").unwrap().kind(), Kind::Number(n) if n.as_u64() == Some(42))
    );
    // Lookups on what is not an object find nothing.
    assert!(Record::from(json!(["a"])).get("a").is_none());
    assert!(u.get("userName").unwrap().get("x").is_none());
}

#[test]
fn well_known_keys_take_one_byte() {
    assert!(KEYS.len() < usize::from(INLINE_KEY));
    let known = Record::from(json!({ENT: "x"}));
    let unknown =
        Record::from(json!({"urn:example:params:scim:schemas:extension:acme:2.0:User": "x"}));
    assert_eq!(known.packed_len(), HEADER + 1 + 1 + 3);
    assert!(unknown.packed_len() > known.packed_len() + 50);
    // Every dictionary entry maps back to itself, and a key differing only in case is not
    // taken for it (it is stored inline, keeping its spelling).
    for (i, k) in KEYS.iter().enumerate() {
        assert_eq!(key_index(k), Some(i as u8));
    }
    let shouting = Record::from(json!({"USERNAME": 1}));
    assert_eq!(shouting.to_value(), json!({"USERNAME": 1}));
    assert_eq!(
        shouting.node().members().unwrap().next().unwrap().0,
        "USERNAME"
    );
}

#[test]
fn equality_ignores_member_order() {
    let a = Record::from(json!({"a": 1, "b": [1, 2], "c": {"x": 1, "y": 2}}));
    let b = Record::from(json!({"c": {"y": 2, "x": 1}, "b": [1, 2], "a": 1}));
    assert_eq!(a.node(), b.node());
    assert_eq!(a, b.to_value());
    let c = Record::from(json!({"c": {"y": 2, "x": 1}, "b": [2, 1], "a": 1}));
    assert_ne!(a.node(), c.node());
    assert_ne!(a, c.to_value());
    assert_ne!(
        Record::from(json!({"a": 1})).node(),
        Record::from(json!({"a": 1, "b": 1})).node()
    );
    assert_ne!(
        Record::from(json!(1)).node(),
        Record::from(json!("1")).node()
    );
}

#[test]
fn edit_goes_through_json() {
    let mut r = Record::from(user());
    r.edit(|v| v["title"] = json!("Boss"));
    assert_eq!(r.get_str("title"), Some("Boss"));
    assert_eq!(r.get_str("userName"), Some("bjensen@example.com"));
    assert!(Record::default().is_null());
}

/// Any JSON: objects with dictionary keys, case variants of them and other names.
fn any_json() -> impl proptest::strategy::Strategy<Value = Value> {
    use proptest::prelude::*;
    let key = prop_oneof![
        proptest::sample::select(KEYS).prop_map(str::to_owned),
        Just("USERNAME".to_owned()),
        Just("Emails".to_owned()),
        "[a-zA-Z$é]{0,12}",
    ];
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        ".{0,200}".prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 64, 10, move |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..10).prop_map(Value::Array),
            proptest::collection::vec((key.clone(), inner), 0..10)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// The lookup rule on plain JSON: exact name, else the first without ASCII case.
fn reference_get<'a>(v: &'a Value, key: &str) -> Option<&'a Value> {
    let map = v.as_object()?;
    map.get(key).or_else(|| {
        map.iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| v)
    })
}

proptest::proptest! {
    #[test]
    fn any_json_round_trips_and_looks_up_like_json(v in any_json()) {
        let r = Record::from(&v);
        proptest::prop_assert_eq!(r.to_value(), v.clone());
        proptest::prop_assert_eq!(serde_json::to_string(&r).unwrap(), serde_json::to_string(&v).unwrap());
        proptest::prop_assert_eq!(r.packed_len(), encoded_len(&v));
        if let Some(map) = v.as_object() {
            for k in map.keys().map(String::as_str).chain(["userName", "USERNAME", "emails", "x"]) {
                let got = r.get(k).map(Node::to_value);
                proptest::prop_assert_eq!(got.as_ref(), reference_get(&v, k), "key {}", k);
            }
        }
    }
}

#[test]
fn is_much_smaller_than_the_value() {
    let r = Record::from(user());
    assert!(r.packed_len() < serde_json::to_string(&user()).unwrap().len());
}
