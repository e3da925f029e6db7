//! StrongDM dialect rules (TARGETS.md §3): narrow list filters, a user PATCH that only
//! toggles `active`, four accepted group PATCH forms, strict PUT bodies.

use serde_json::Value;

use super::error::{ApiError, ScimType};
use super::filter::{CompareOp, Filter};
use super::json::{get_ci, str_ci};
use super::patch::{OpKind, PatchOperation};
use super::store::Kind;

/// Users: only `userName eq "…"`; groups (roles): only `displayName eq "…"`.
pub fn check_filter(kind: Kind, filter: &Filter) -> Result<(), ApiError> {
    let want = match kind {
        Kind::User => "username",
        Kind::Group => "displayname",
    };
    match filter {
        Filter::Compare {
            path,
            op: CompareOp::Eq,
            value: Value::String(_),
        } if path.key() == want => Ok(()),
        _ => Err(ApiError::bad(
            ScimType::InvalidFilter,
            format!("only '{} eq' filters are supported", kind.name_attr()),
        )),
    }
}

/// The only user PATCH: `{"op":"replace","value":{"active":bool}}`. Returns the wanted state.
pub fn user_patch_active(ops: &[PatchOperation]) -> Result<bool, ApiError> {
    let mut wanted = None;
    for op in ops {
        let value = op.value.as_ref().and_then(Value::as_object);
        match (op.op, &op.raw_path, value) {
            (OpKind::Replace, None, Some(obj)) if obj.len() == 1 => {
                match get_ci(&Value::Object(obj.clone()), "active") {
                    Some(Value::Bool(b)) => wanted = Some(*b),
                    _ => return Err(unsupported_user_patch()),
                }
            }
            _ => return Err(unsupported_user_patch()),
        }
    }
    wanted.ok_or_else(unsupported_user_patch)
}

fn unsupported_user_patch() -> ApiError {
    ApiError::bad(
        ScimType::InvalidValue,
        "only {\"op\":\"replace\",\"value\":{\"active\":true|false}} is supported for users",
    )
}

/// PUT user requires `active`, `name.givenName`, `name.familyName`.
pub fn check_user_put(body: &Value) -> Result<(), ApiError> {
    if !get_ci(body, "active").is_some_and(Value::is_boolean) {
        return Err(ApiError::invalid_value("active is required"));
    }
    let name = get_ci(body, "name");
    for attr in ["givenName", "familyName"] {
        if name.and_then(|n| str_ci(n, attr)).is_none_or(str::is_empty) {
            return Err(ApiError::invalid_value(format!("name.{attr} is required")));
        }
    }
    Ok(())
}

/// PUT group (role) requires `displayName` and `members`.
pub fn check_group_put(body: &Value) -> Result<(), ApiError> {
    if str_ci(body, "displayName").is_none_or(str::is_empty) {
        return Err(ApiError::invalid_value("displayName is required"));
    }
    if !get_ci(body, "members").is_some_and(Value::is_array) {
        return Err(ApiError::invalid_value("members is required"));
    }
    Ok(())
}

/// Accepted: add path `members`; replace value `{displayName}`; replace path `members`;
/// remove path `members[value eq "a-…"]`. Anything else is 400.
pub fn check_group_patch(ops: &[PatchOperation]) -> Result<(), ApiError> {
    for op in ops {
        let path_is_members = op
            .raw_path
            .as_deref()
            .is_some_and(|p| p.eq_ignore_ascii_case("members"));
        let ok = match op.op {
            OpKind::Add | OpKind::Replace if path_is_members => {
                op.value.as_ref().is_some_and(Value::is_array)
            }
            OpKind::Replace if op.raw_path.is_none() => op
                .value
                .as_ref()
                .and_then(Value::as_object)
                .is_some_and(|o| {
                    o.len() == 1 && o.keys().all(|k| k.eq_ignore_ascii_case("displayName"))
                }),
            OpKind::Remove => op.path.as_ref().is_some_and(|p| {
                p.attr.names == ["members"]
                    && p.sub.is_none()
                    && is_member_value_eq(p.filter.as_ref())
            }),
            _ => false,
        };
        if !ok {
            let scim_type = if op.path.as_ref().is_some_and(|p| p.filter.is_some()) {
                ScimType::InvalidFilter
            } else {
                ScimType::InvalidValue
            };
            return Err(ApiError::bad(
                scim_type,
                format!(
                    "unsupported group PATCH operation {:?} {:?}",
                    op.op, op.raw_path
                ),
            ));
        }
    }
    Ok(())
}

fn is_member_value_eq(filter: Option<&Filter>) -> bool {
    matches!(filter, Some(Filter::Compare { path, op: CompareOp::Eq, value: Value::String(_) })
        if path.key() == "value")
}
