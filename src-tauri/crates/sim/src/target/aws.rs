//! AWS IAM Identity Center dialect rules (TARGETS.md §1): cursor paging, `eq`-only filters,
//! CreateUser/PutUser/PatchUser/PatchGroup constraints.

use base64::Engine as _;
use serde_json::Value;

use super::error::ApiError;
use super::filter::{CompareOp, Filter};
use super::json::{get_ci, str_ci};
use super::patch::{OpKind, PatchOperation};
use super::store::Kind;

pub const MAX_PAGE: usize = 100;
pub const MAX_MEMBER_CHANGES: usize = 100;

fn validation(detail: impl Into<String>) -> ApiError {
    ApiError::new(400, None, detail)
}

/// Query parameters ListUsers/ListGroups refuse even though RFC 7644 defines them.
pub fn reject_unsupported_params(params: &[(String, String)]) -> Result<(), ApiError> {
    for (k, _) in params {
        for bad in [
            "startIndex",
            "attributes",
            "excludedAttributes",
            "sortBy",
            "sortOrder",
        ] {
            if k.eq_ignore_ascii_case(bad) {
                return Err(validation(format!(
                    "{bad} is not supported; page with cursor"
                )));
            }
        }
    }
    Ok(())
}

/// `count` 1-100, default 100.
pub fn page_size(raw: Option<&str>) -> Result<usize, ApiError> {
    match raw {
        None => Ok(MAX_PAGE),
        Some(s) => match s.trim().parse::<i64>() {
            Ok(n) if (1..=MAX_PAGE as i64).contains(&n) => Ok(n as usize),
            _ => Err(validation(format!(
                "count must be between 1 and {MAX_PAGE}, got {s}"
            ))),
        },
    }
}

/// Opaque cursor: base64 of the last returned list key. Standard base64 on purpose: it can
/// hold `+`, `/` and `=`, so a client that forgets to URL-encode it breaks, as with AWS.
pub fn encode_cursor(last_key: u64) -> String {
    base64::engine::general_purpose::STANDARD.encode(format!("scimsim:{last_key:016}"))
}

/// `""` starts at the beginning.
pub fn decode_cursor(raw: &str) -> Result<u64, ApiError> {
    if raw.is_empty() {
        return Ok(0);
    }
    let bad = || validation("invalid cursor");
    if !raw
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "-+=/:_".contains(c))
    {
        return Err(bad());
    }
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(raw)
        .map_err(|_| bad())?;
    let text = String::from_utf8(bytes).map_err(|_| bad())?;
    text.strip_prefix("scimsim:")
        .and_then(|n| n.parse().ok())
        .ok_or_else(bad)
}

/// Only `eq` terms joined by `and`, on the attributes each list supports.
pub fn check_filter(kind: Kind, filter: &Filter) -> Result<(), ApiError> {
    let allowed: &[&str] = match kind {
        Kind::User => &[
            "username",
            "externalid",
            "id",
            "displayname",
            "groups.value",
            "manager",
            "manager.value",
        ],
        Kind::Group => &[
            "displayname",
            "externalid",
            "id",
            "members",
            "members.value",
        ],
    };
    for term in filter.and_terms() {
        match term {
            Filter::Compare {
                path,
                op: CompareOp::Eq,
                value: Value::String(_),
            } if allowed.contains(&path.key().as_str()) => {}
            _ => {
                return Err(validation(
                    "unsupported filter: only 'eq' on supported attributes, joined by 'and'",
                ))
            }
        }
    }
    // Membership reads are `members eq "<user>"`, alone or with `id eq "<group>"`.
    let keys: Vec<String> = filter
        .and_terms()
        .iter()
        .filter_map(|t| match t {
            Filter::Compare { path, .. } => Some(path.key()),
            _ => None,
        })
        .collect();
    let on_members = |k: &String| k == "members" || k == "members.value";
    if keys.iter().any(on_members) && !keys.iter().all(|k| on_members(k) || k == "id") {
        return Err(validation(
            "a members filter can only be combined with an id filter",
        ));
    }
    Ok(())
}

const UNSUPPORTED_USER_ATTRS: [&str; 6] = [
    "ims",
    "photos",
    "x509Certificates",
    "entitlements",
    "password",
    "groups",
];

/// CreateUser/PutUser body rules.
pub fn check_user(body: &Value) -> Result<(), ApiError> {
    for attr in ["userName", "displayName"] {
        if str_ci(body, attr).is_none_or(|s| s.trim().is_empty()) {
            return Err(validation(format!("{attr} is required")));
        }
    }
    let name = get_ci(body, "name");
    for attr in ["givenName", "familyName"] {
        if name
            .and_then(|n| str_ci(n, attr))
            .is_none_or(|s| s.trim().is_empty())
        {
            return Err(validation(format!("name.{attr} is required")));
        }
    }
    for attr in UNSUPPORTED_USER_ATTRS {
        if get_ci(body, attr).is_some() {
            return Err(validation(format!("{attr} is not supported")));
        }
    }
    check_single_values(body)
}

/// One value each in emails, addresses, phoneNumbers, roles; the email must be primary;
/// no `display` sub-attributes.
pub fn check_single_values(user: &Value) -> Result<(), ApiError> {
    for attr in ["emails", "addresses", "phoneNumbers", "roles"] {
        let Some(v) = get_ci(user, attr) else {
            continue;
        };
        let items = v
            .as_array()
            .ok_or_else(|| validation(format!("{attr} must be an array")))?;
        if items.len() > 1 {
            return Err(validation(format!(
                "at most one value is allowed in {attr}"
            )));
        }
        if items.iter().any(|i| get_ci(i, "display").is_some()) && attr != "roles" {
            return Err(validation(format!("{attr}.display is not supported")));
        }
        if attr == "emails"
            && items
                .iter()
                .any(|e| get_ci(e, "primary").and_then(Value::as_bool) != Some(true))
        {
            return Err(validation("the email must be primary"));
        }
    }
    if get_ci(
        user,
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User",
    )
    .and_then(|e| get_ci(e, "manager"))
    .and_then(|m| get_ci(m, "displayName"))
    .is_some()
    {
        return Err(validation("manager.displayName is not supported"));
    }
    Ok(())
}

const PATCHABLE_USER_ATTRS: [&str; 16] = [
    "userName",
    "active",
    "externalId",
    "displayName",
    "nickName",
    "profileUrl",
    "title",
    "userType",
    "preferredLanguage",
    "locale",
    "timezone",
    "name",
    "enterprise",
    "emails",
    "addresses",
    "phoneNumbers",
];

const ENTERPRISE_URN: &str = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

/// Top-level attributes an operation touches (path, or the keys of a path-less value).
fn touched(op: &PatchOperation) -> Vec<String> {
    match &op.path {
        Some(p)
            if p.attr.schema.is_some() || p.attr.names[0].eq_ignore_ascii_case(ENTERPRISE_URN) =>
        {
            vec!["enterprise".into()]
        }
        Some(p) => vec![p.attr.names[0].clone()],
        None => op
            .value
            .as_ref()
            .and_then(Value::as_object)
            .map(|o| {
                o.keys()
                    .map(|k| {
                        if k.eq_ignore_ascii_case(ENTERPRISE_URN) {
                            "enterprise".to_string()
                        } else {
                            k.split('.').next().unwrap_or(k).to_string()
                        }
                    })
                    .collect()
            })
            .unwrap_or_default(),
    }
}

fn path_filter_is_eq_only(op: &PatchOperation) -> bool {
    op.path
        .as_ref()
        .and_then(|p| p.filter.as_ref())
        .is_none_or(|f| {
            f.and_terms().iter().all(|t| {
                matches!(
                    t,
                    Filter::Compare {
                        op: CompareOp::Eq,
                        ..
                    }
                )
            })
        })
}

pub fn check_user_patch(ops: &[PatchOperation]) -> Result<(), ApiError> {
    let mut username_ops = 0;
    let mut active_ops = 0;
    for op in ops {
        if !path_filter_is_eq_only(op) {
            return Err(validation("only 'eq' is supported in path filters"));
        }
        for attr in touched(op) {
            if !PATCHABLE_USER_ATTRS
                .iter()
                .any(|a| a.eq_ignore_ascii_case(&attr))
            {
                return Err(validation(format!("{attr} cannot be modified")));
            }
            let is_username = attr.eq_ignore_ascii_case("userName");
            let is_active = attr.eq_ignore_ascii_case("active");
            if (is_username || is_active) && op.op == OpKind::Remove {
                return Err(validation(format!("remove is not supported for {attr}")));
            }
            username_ops += usize::from(is_username);
            active_ops += usize::from(is_active);
        }
    }
    if username_ops > 1 || active_ops > 1 {
        return Err(validation("multiple operations on userName or active"));
    }
    Ok(())
}

fn member_count(v: Option<&Value>) -> usize {
    match v {
        Some(Value::Array(items)) => items.len(),
        Some(Value::Null) | None => 0,
        Some(_) => 1,
    }
}

pub fn check_group_create(body: &Value) -> Result<(), ApiError> {
    if str_ci(body, "displayName").is_none_or(|s| s.trim().is_empty()) {
        return Err(validation("displayName is required"));
    }
    if member_count(get_ci(body, "members")) > MAX_MEMBER_CHANGES {
        return Err(validation(format!(
            "at most {MAX_MEMBER_CHANGES} members per request"
        )));
    }
    Ok(())
}

/// PatchGroup: displayName, members, externalId only; at most 100 membership changes;
/// never replace or remove *all* members.
pub fn check_group_patch(ops: &[PatchOperation]) -> Result<(), ApiError> {
    let mut changes = 0usize;
    for op in ops {
        if !path_filter_is_eq_only(op) {
            return Err(validation("only 'eq' is supported in path filters"));
        }
        for attr in touched(op) {
            if !["displayName", "members", "externalId"]
                .iter()
                .any(|a| a.eq_ignore_ascii_case(&attr))
            {
                return Err(validation(format!("{attr} cannot be modified on a group")));
            }
        }
        let on_members =
            |p: &super::filter::PatchPath| p.attr.names[0].eq_ignore_ascii_case("members");
        match (&op.path, op.op) {
            (Some(p), OpKind::Replace) if on_members(p) && p.filter.is_none() => {
                return Err(validation("replacing all group members is not supported"));
            }
            (Some(p), OpKind::Remove) if on_members(p) && p.filter.is_none() => {
                let n = member_count(op.value.as_ref());
                if n == 0 {
                    return Err(validation("removing all group members is not supported"));
                }
                changes += n;
            }
            (Some(p), _) if on_members(p) && p.filter.is_some() => changes += 1,
            (Some(p), OpKind::Add) if on_members(p) => changes += member_count(op.value.as_ref()),
            (None, OpKind::Replace)
                if op
                    .value
                    .as_ref()
                    .and_then(|v| get_ci(v, "members"))
                    .is_some() =>
            {
                return Err(validation("replacing all group members is not supported"));
            }
            (None, _) => {
                changes += member_count(op.value.as_ref().and_then(|v| get_ci(v, "members")))
            }
            _ => {}
        }
    }
    if changes > MAX_MEMBER_CHANGES {
        return Err(validation(format!(
            "at most {MAX_MEMBER_CHANGES} membership changes per request, got {changes}"
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursor_round_trips_and_rejects_garbage() {
        for key in [0u64, 1, 99, 123_456_789] {
            assert_eq!(decode_cursor(&encode_cursor(key)).unwrap(), key);
        }
        assert_eq!(decode_cursor("").unwrap(), 0);
        assert!(decode_cursor("not a cursor").is_err());
        assert!(decode_cursor("Zm9v").is_err()); // base64 of "foo"
    }

    #[test]
    fn page_size_is_one_to_one_hundred() {
        assert_eq!(page_size(None).unwrap(), 100);
        assert_eq!(page_size(Some("7")).unwrap(), 7);
        for bad in ["0", "101", "-1", "x"] {
            assert!(page_size(Some(bad)).is_err(), "{bad}");
        }
    }
}
