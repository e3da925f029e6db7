//! Small readers shared by the user and group passes.

use serde_json::Value;

use crate::path::get_ci;

/// A string attribute, trimmed, `None` when absent or blank.
pub(crate) fn str_attr<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    get_ci(v, key)
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

/// The label shown for a target resource that has no JumpCloud counterpart.
pub(crate) fn actual_label<'a>(v: &'a Value, id: &'a str, name_keys: &[&str]) -> &'a str {
    name_keys.iter().find_map(|k| str_attr(v, k)).unwrap_or(id)
}
