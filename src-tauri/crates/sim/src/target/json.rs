//! Case-insensitive access to JSON object keys: SCIM attribute names are case-insensitive
//! (RFC 7643 §2.1), while clients keep whatever casing they sent.

use serde_json::{Map, Value};

/// The stored key matching `name` case-insensitively.
pub fn key_ci(obj: &Map<String, Value>, name: &str) -> Option<String> {
    if obj.contains_key(name) {
        return Some(name.to_string());
    }
    obj.keys().find(|k| k.eq_ignore_ascii_case(name)).cloned()
}

pub fn get_ci<'a>(v: &'a Value, name: &str) -> Option<&'a Value> {
    let obj = v.as_object()?;
    obj.get(name).or_else(|| {
        obj.iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v)
    })
}

pub fn get_ci_mut<'a>(v: &'a mut Value, name: &str) -> Option<&'a mut Value> {
    let obj = v.as_object_mut()?;
    let key = key_ci(obj, name)?;
    obj.get_mut(&key)
}

/// Set `name`, reusing the existing key's casing if there is one.
pub fn set_ci(obj: &mut Map<String, Value>, name: &str, value: Value) {
    let key = key_ci(obj, name).unwrap_or_else(|| name.to_string());
    obj.insert(key, value);
}

pub fn remove_ci(obj: &mut Map<String, Value>, name: &str) -> Option<Value> {
    let key = key_ci(obj, name)?;
    obj.remove(&key)
}

/// String helper: `v[name]` as &str.
pub fn str_ci<'a>(v: &'a Value, name: &str) -> Option<&'a str> {
    get_ci(v, name).and_then(Value::as_str)
}

/// Attributes declared `caseExact: true` in RFC 7643 that filters may target; every other
/// string attribute compares case-insensitively.
pub fn is_case_exact(attr: &str) -> bool {
    ["id", "externalId", "$ref", "version", "password"]
        .iter()
        .any(|a| a.eq_ignore_ascii_case(attr))
}
