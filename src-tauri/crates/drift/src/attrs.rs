//! Small readers shared by the user and group passes.

use crate::record::Node;

/// A string attribute, trimmed, `None` when absent or blank.
pub(crate) fn str_attr<'a>(v: Node<'a>, key: &str) -> Option<&'a str> {
    v.get(key)
        .and_then(Node::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

/// The label shown for a target resource that has no JumpCloud counterpart.
pub(crate) fn actual_label<'a>(v: Node<'a>, id: &'a str, name_keys: &[&str]) -> &'a str {
    name_keys.iter().find_map(|k| str_attr(v, k)).unwrap_or(id)
}
