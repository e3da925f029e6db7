//! RFC 7644 §3.5.2 PATCH: parsing a PatchOp body and applying its operations to a resource.

use serde_json::{Map, Value};

use super::error::{ApiError, ScimType};
use super::extensions::{sync_schemas, whole_extension_path};
use super::filter::{AttrPath, Filter, PatchPath};
use super::json::{get_ci, remove_ci, set_ci};

pub const PATCH_OP_URN: &str = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpKind {
    Add,
    Replace,
    Remove,
}

#[derive(Debug, Clone)]
pub struct PatchOperation {
    pub op: OpKind,
    /// Raw path text (dialects check its exact shape).
    pub raw_path: Option<String>,
    pub path: Option<PatchPath>,
    pub value: Option<Value>,
}

/// Parse a PatchOp request body. Op names are case-insensitive because common clients
/// (Entra ID) send `Add`/`Replace`.
pub fn parse_patch(body: &Value) -> Result<Vec<PatchOperation>, ApiError> {
    let schemas_ok = get_ci(body, "schemas")
        .and_then(Value::as_array)
        .is_some_and(|s| s.iter().any(|u| u.as_str() == Some(PATCH_OP_URN)));
    if !schemas_ok {
        return Err(ApiError::bad(
            ScimType::InvalidSyntax,
            format!("PATCH body must list schema {PATCH_OP_URN}"),
        ));
    }
    let ops = get_ci(body, "Operations")
        .and_then(Value::as_array)
        .ok_or_else(|| ApiError::bad(ScimType::InvalidSyntax, "PATCH body needs Operations"))?;
    ops.iter()
        .map(|op| {
            let kind = match get_ci(op, "op")
                .and_then(Value::as_str)
                .map(str::to_ascii_lowercase)
            {
                Some(k) if k == "add" => OpKind::Add,
                Some(k) if k == "replace" => OpKind::Replace,
                Some(k) if k == "remove" => OpKind::Remove,
                other => {
                    return Err(ApiError::bad(
                        ScimType::InvalidSyntax,
                        format!("unknown PATCH op {other:?}"),
                    ))
                }
            };
            let raw_path = get_ci(op, "path")
                .and_then(Value::as_str)
                .map(str::to_string);
            let path = match raw_path.as_deref() {
                None => None,
                Some(raw) => Some(match whole_extension_path(raw) {
                    Some(p) => p,
                    None => PatchPath::parse(raw)
                        .map_err(|e| ApiError::bad(ScimType::InvalidPath, e.0))?,
                }),
            };
            let value = get_ci(op, "value").cloned();
            if kind != OpKind::Remove && value.is_none() {
                return Err(ApiError::bad(
                    ScimType::InvalidValue,
                    "add/replace need a value",
                ));
            }
            if kind == OpKind::Remove && path.is_none() {
                return Err(ApiError::bad(ScimType::NoTarget, "remove needs a path"));
            }
            Ok(PatchOperation {
                op: kind,
                raw_path,
                path,
                value,
            })
        })
        .collect()
}

/// Apply operations in order. The caller restores server-owned fields (`id`, `meta`).
pub fn apply_patch(resource: &mut Value, ops: &[PatchOperation]) -> Result<(), ApiError> {
    for op in ops {
        match &op.path {
            Some(path) => apply_path(resource, op.op, path, op.value.as_ref())?,
            None => {
                // No path: the value is an object of attributes to add or replace.
                let Some(Value::Object(attrs)) = &op.value else {
                    return Err(ApiError::invalid_value(
                        "a PATCH without path needs an object value",
                    ));
                };
                for (key, v) in attrs {
                    if key.len() > 4 && key[..4].eq_ignore_ascii_case("urn:") && v.is_object() {
                        if key.eq_ignore_ascii_case("urn:ietf:params:scim:schemas:core:2.0:User")
                            || key
                                .eq_ignore_ascii_case("urn:ietf:params:scim:schemas:core:2.0:Group")
                        {
                            apply_patch_object(resource, op.op, None, v)?;
                        } else {
                            apply_patch_object(resource, op.op, Some(key), v)?;
                        }
                        continue;
                    }
                    let attr = AttrPath::parse(key)
                        .map_err(|e| ApiError::bad(ScimType::InvalidPath, e.0))?;
                    let path = PatchPath {
                        attr,
                        filter: None,
                        sub: None,
                    };
                    apply_path(resource, op.op, &path, Some(v))?;
                }
            }
        }
    }
    sync_schemas(resource);
    Ok(())
}

fn apply_patch_object(
    resource: &mut Value,
    op: OpKind,
    schema: Option<&str>,
    attrs: &Value,
) -> Result<(), ApiError> {
    for (key, v) in attrs.as_object().into_iter().flatten() {
        let mut attr =
            AttrPath::parse(key).map_err(|e| ApiError::bad(ScimType::InvalidPath, e.0))?;
        attr.schema = schema.map(str::to_string);
        let path = PatchPath {
            attr,
            filter: None,
            sub: None,
        };
        apply_path(resource, op, &path, Some(v))?;
    }
    Ok(())
}

/// The object holding the path's first attribute (the resource or an extension), created
/// on demand for add/replace.
fn container_mut<'a>(
    resource: &'a mut Value,
    path: &AttrPath,
    create: bool,
) -> Result<Option<&'a mut Map<String, Value>>, ApiError> {
    let root = resource
        .as_object_mut()
        .ok_or_else(|| ApiError::invalid_value("resource is not an object"))?;
    let Some(urn) = &path.schema else {
        return Ok(Some(root));
    };
    if get_ci(&Value::Object(root.clone()), urn).is_none() {
        if !create {
            return Ok(None);
        }
        set_ci(root, urn, Value::Object(Map::new()));
        // Record the extension in `schemas` so readers know it is present.
        if let Some(Value::Array(schemas)) = root.get_mut("schemas") {
            if !schemas.iter().any(|s| s.as_str() == Some(urn)) {
                schemas.push(Value::String(urn.clone()));
            }
        }
    }
    let key = super::json::key_ci(root, urn).unwrap_or_else(|| urn.clone());
    match root.get_mut(&key) {
        Some(Value::Object(ext)) => Ok(Some(ext)),
        _ => Err(ApiError::bad(
            ScimType::InvalidPath,
            format!("{urn} is not an object"),
        )),
    }
}

fn apply_path(
    resource: &mut Value,
    op: OpKind,
    path: &PatchPath,
    value: Option<&Value>,
) -> Result<(), ApiError> {
    let create = op != OpKind::Remove;
    let Some(obj) = container_mut(resource, &path.attr, create)? else {
        return Ok(()); // removing from an absent extension: nothing to do
    };
    let first = &path.attr.names[0];
    match (&path.filter, path.attr.names.get(1)) {
        (None, None) => apply_simple(obj, op, first, value),
        (None, Some(sub)) => apply_sub(obj, op, first, sub, value),
        (Some(filter), _) => apply_filtered(obj, op, first, filter, path.sub.as_deref(), value),
    }
}

/// `attr` without filter or sub-attribute.
fn apply_simple(
    obj: &mut Map<String, Value>,
    op: OpKind,
    name: &str,
    value: Option<&Value>,
) -> Result<(), ApiError> {
    let existing = get_ci_mut_map(obj, name);
    match op {
        OpKind::Remove => {
            match (existing, value) {
                // Non-RFC but common (AWS/Entra): remove listed members by value.
                (Some(Value::Array(items)), Some(Value::Array(victims))) => {
                    let drop: Vec<Value> = victims.iter().map(element_identity).collect();
                    items.retain(|i| !drop.contains(&element_identity(i)));
                    if items.is_empty() {
                        remove_ci(obj, name);
                    }
                }
                _ => {
                    remove_ci(obj, name);
                }
            }
            Ok(())
        }
        OpKind::Add => {
            let value = value.cloned().unwrap_or(Value::Null);
            match (existing, value) {
                (Some(Value::Array(items)), Value::Array(new)) => {
                    for v in new {
                        push_unique(items, v);
                    }
                }
                (Some(Value::Array(items)), v @ Value::Object(_)) => push_unique(items, v),
                (Some(Value::Object(current)), Value::Object(new)) => {
                    for (k, v) in new {
                        set_ci(current, &k, v);
                    }
                }
                (_, v) => set_ci(obj, name, v),
            }
            Ok(())
        }
        OpKind::Replace => {
            let value = value.cloned().unwrap_or(Value::Null);
            match (existing, value) {
                // Replacing a complex single-valued attribute keeps unspecified sub-attributes.
                (Some(Value::Object(current)), Value::Object(new)) => {
                    for (k, v) in new {
                        set_ci(current, &k, v);
                    }
                }
                (_, v) => set_ci(obj, name, v),
            }
            Ok(())
        }
    }
}

/// `attr.sub` without filter: on a complex attribute, or on every element of a multi-valued one.
fn apply_sub(
    obj: &mut Map<String, Value>,
    op: OpKind,
    name: &str,
    sub: &str,
    value: Option<&Value>,
) -> Result<(), ApiError> {
    if get_ci_mut_map(obj, name).is_none() {
        if op == OpKind::Remove {
            return Ok(());
        }
        set_ci(obj, name, Value::Object(Map::new()));
    }
    let Some(target) = get_ci_mut_map(obj, name) else {
        return Ok(());
    };
    let apply_one = |o: &mut Map<String, Value>| match op {
        OpKind::Remove => {
            remove_ci(o, sub);
        }
        _ => set_ci(o, sub, value.cloned().unwrap_or(Value::Null)),
    };
    match target {
        Value::Object(o) => apply_one(o),
        Value::Array(items) => items
            .iter_mut()
            .filter_map(Value::as_object_mut)
            .for_each(apply_one),
        _ => {
            return Err(ApiError::bad(
                ScimType::InvalidPath,
                format!("{name} has no sub-attribute {sub}"),
            ))
        }
    }
    Ok(())
}

/// `attr[filter]` or `attr[filter].sub` on a multi-valued attribute.
fn apply_filtered(
    obj: &mut Map<String, Value>,
    op: OpKind,
    name: &str,
    filter: &Filter,
    sub: Option<&str>,
    value: Option<&Value>,
) -> Result<(), ApiError> {
    let mut matched = 0usize;
    if let Some(Value::Array(items)) = get_ci_mut_map(obj, name) {
        let mut keep = Vec::with_capacity(items.len());
        for mut item in items.drain(..) {
            if !filter.matches(&item)? {
                keep.push(item);
                continue;
            }
            matched += 1;
            match (op, sub) {
                (OpKind::Remove, None) => continue,
                (OpKind::Remove, Some(s)) => {
                    if let Some(o) = item.as_object_mut() {
                        remove_ci(o, s);
                    }
                }
                (_, Some(s)) => {
                    if let Some(o) = item.as_object_mut() {
                        set_ci(o, s, value.cloned().unwrap_or(Value::Null));
                    }
                }
                (_, None) => merge_into(&mut item, value)?,
            }
            keep.push(item);
        }
        *items = keep;
        if items.is_empty() {
            remove_ci(obj, name);
        }
    }
    if matched > 0 {
        return Ok(());
    }
    match op {
        OpKind::Remove => Ok(()),
        OpKind::Replace => Err(ApiError::bad(
            ScimType::NoTarget,
            format!("no value of {name} matches the filter"),
        )),
        OpKind::Add => {
            // Create the element the filter describes (e.g. add emails[type eq "work"].value).
            let mut element = element_from_filter(filter).ok_or_else(|| {
                ApiError::bad(
                    ScimType::NoTarget,
                    format!("no value of {name} matches the filter"),
                )
            })?;
            match sub {
                Some(s) => set_ci(&mut element, s, value.cloned().unwrap_or(Value::Null)),
                None => {
                    let mut v = Value::Object(element);
                    merge_into(&mut v, value)?;
                    element = v.as_object().cloned().unwrap_or_default();
                }
            }
            match get_ci_mut_map(obj, name) {
                Some(Value::Array(items)) => items.push(Value::Object(element)),
                _ => set_ci(obj, name, Value::Array(vec![Value::Object(element)])),
            }
            Ok(())
        }
    }
}

fn merge_into(item: &mut Value, value: Option<&Value>) -> Result<(), ApiError> {
    match (item.as_object_mut(), value) {
        (Some(o), Some(Value::Object(new))) => {
            for (k, v) in new {
                set_ci(o, k, v.clone());
            }
            Ok(())
        }
        _ => Err(ApiError::invalid_value(
            "a filtered path without sub-attribute needs an object value",
        )),
    }
}

/// `type eq "work" [and primary eq true]` -> `{"type":"work","primary":true}`.
fn element_from_filter(filter: &Filter) -> Option<Map<String, Value>> {
    let mut out = Map::new();
    for term in filter.and_terms() {
        match term {
            Filter::Compare {
                path,
                op: super::filter::CompareOp::Eq,
                value,
            } if path.names.len() == 1 && path.schema.is_none() => {
                out.insert(path.names[0].clone(), value.clone());
            }
            _ => return None,
        }
    }
    Some(out)
}

fn get_ci_mut_map<'a>(obj: &'a mut Map<String, Value>, name: &str) -> Option<&'a mut Value> {
    let key = super::json::key_ci(obj, name)?;
    obj.get_mut(&key)
}

/// Multi-valued elements are the same when their `value` is (members, emails), else equal JSON.
fn element_identity(v: &Value) -> Value {
    match get_ci(v, "value") {
        Some(inner) => inner.clone(),
        None => v.clone(),
    }
}

fn push_unique(items: &mut Vec<Value>, v: Value) {
    let id = element_identity(&v);
    if !items.iter().any(|i| element_identity(i) == id) {
        items.push(v);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn patch(resource: &mut Value, ops: Value) -> Result<(), ApiError> {
        let body = json!({"schemas": [PATCH_OP_URN], "Operations": ops});
        apply_patch(resource, &parse_patch(&body)?)
    }

    #[test]
    fn add_replace_remove_on_simple_and_complex_attributes() {
        let mut u = json!({"userName": "a", "name": {"givenName": "A", "familyName": "B"}});
        patch(
            &mut u,
            json!([
                {"op": "Add", "path": "title", "value": "Eng"},
                {"op": "replace", "path": "name.givenName", "value": "Ada"},
                {"op": "replace", "value": {"active": false, "name": {"familyName": "L"}}},
            ]),
        )
        .unwrap();
        assert_eq!(u["title"], "Eng");
        assert_eq!(u["active"], false);
        assert_eq!(u["name"], json!({"givenName": "Ada", "familyName": "L"}));
        patch(&mut u, json!([{"op": "remove", "path": "title"}])).unwrap();
        assert!(u.get("title").is_none());
    }

    #[test]
    fn value_paths_select_elements() {
        let mut u =
            json!({"emails": [{"type": "work", "value": "a@x"}, {"type": "home", "value": "a@h"}]});
        patch(
            &mut u,
            json!([{"op": "replace", "path": "emails[type eq \"work\"].value", "value": "b@x"}]),
        )
        .unwrap();
        assert_eq!(u["emails"][0]["value"], "b@x");
        assert_eq!(u["emails"][1]["value"], "a@h");
        patch(
            &mut u,
            json!([{"op": "remove", "path": "emails[type eq \"home\"]"}]),
        )
        .unwrap();
        assert_eq!(u["emails"].as_array().unwrap().len(), 1);
        // replace with a filter that matches nothing is noTarget (RFC 7644 §3.5.2.3)
        let err = patch(
            &mut u,
            json!([{"op": "replace", "path": "emails[type eq \"other\"].value", "value": "z"}]),
        )
        .unwrap_err();
        assert_eq!(err.scim_type, Some(ScimType::NoTarget));
        // add through a filter that matches nothing creates the element
        patch(
            &mut u,
            json!([{"op": "add", "path": "emails[type eq \"other\"].value", "value": "z@o"}]),
        )
        .unwrap();
        assert_eq!(u["emails"][1], json!({"type": "other", "value": "z@o"}));
    }

    #[test]
    fn members_add_dedupes_and_remove_by_filter_or_value_list() {
        let mut g = json!({"displayName": "g", "members": [{"value": "u1"}]});
        patch(
            &mut g,
            json!([{"op": "add", "path": "members", "value": [{"value": "u1"}, {"value": "u2"}, {"value": "u3"}]}]),
        )
        .unwrap();
        assert_eq!(g["members"].as_array().unwrap().len(), 3);
        patch(
            &mut g,
            json!([{"op": "remove", "path": "members[value eq \"u2\"]"}]),
        )
        .unwrap();
        patch(
            &mut g,
            json!([{"op": "remove", "path": "members", "value": [{"value": "u1"}]}]),
        )
        .unwrap();
        assert_eq!(g["members"], json!([{"value": "u3"}]));
        patch(&mut g, json!([{"op": "remove", "path": "members"}])).unwrap();
        assert!(g.get("members").is_none());
    }

    #[test]
    fn extension_attributes_by_urn_path_and_by_value_object() {
        let urn = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
        let mut u = json!({"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"]});
        patch(
            &mut u,
            json!([{"op": "add", "path": format!("{urn}:department"), "value": "R&D"},
                   {"op": "replace", "value": {urn: {"costCenter": "42"}}}]),
        )
        .unwrap();
        assert_eq!(u[urn], json!({"department": "R&D", "costCenter": "42"}));
        assert!(u["schemas"].as_array().unwrap().iter().any(|s| s == urn));
    }

    #[test]
    fn rejects_malformed_bodies() {
        assert!(parse_patch(&json!({"Operations": []})).is_err());
        let no_path = json!({"schemas": [PATCH_OP_URN], "Operations": [{"op": "remove"}]});
        assert_eq!(
            parse_patch(&no_path).unwrap_err().scim_type,
            Some(ScimType::NoTarget)
        );
        let bad_op = json!({"schemas": [PATCH_OP_URN], "Operations": [{"op": "move", "value": 1}]});
        assert!(parse_patch(&bad_op).is_err());
        let no_value =
            json!({"schemas": [PATCH_OP_URN], "Operations": [{"op": "add", "path": "title"}]});
        assert!(parse_patch(&no_value).is_err());
    }
}
