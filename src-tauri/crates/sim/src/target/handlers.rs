//! Resource and discovery endpoints. Generic RFC 7644 behaviour lives here; dialect rules
//! are checks in [`super::aws`] and [`super::strongdm`] called at the points those targets
//! differ.

use std::collections::{HashMap, HashSet};

use axum::http::{header, Method};
use serde_json::{json, Value};

use super::aws;
use super::config::Dialect;
use super::discovery;
use super::error::{ApiError, ScimType};
use super::filter::{AttrPath, CompareOp, Filter};
use super::json::{get_ci, str_ci};
use super::patch::{apply_patch, parse_patch};
use super::server::{lock, Reply, Req, Route, Shared};
use super::store::{not_found, Kind};
use super::strongdm;

pub(crate) fn handle(shared: &Shared, req: &Req) -> Result<Reply, ApiError> {
    let base = &shared.base_url;
    match (&req.method, &req.route) {
        (&Method::GET, Route::List(kind)) => match shared.dialect {
            Dialect::Aws => list_cursor(shared, req, *kind),
            _ => list_index(shared, req, *kind),
        },
        (&Method::POST, Route::List(kind)) => create(shared, req, *kind),
        (&Method::GET, Route::One(kind, id)) => get(shared, req, *kind, id),
        (&Method::PUT, Route::One(kind, id)) => put(shared, req, *kind, id),
        (&Method::PATCH, Route::One(kind, id)) => patch(shared, req, *kind, id),
        (&Method::DELETE, Route::One(kind, id)) => delete(shared, req, *kind, id),
        (&Method::GET, Route::ServiceProviderConfig) => Ok(Reply::json(
            200,
            discovery::service_provider_config(shared.dialect, base, shared.max_results),
        )),
        (&Method::GET, Route::Schemas) => Ok(Reply::json(
            200,
            discovery::list_all(discovery::schemas(shared.dialect, base)),
        )),
        (&Method::GET, Route::Schema(id)) => discovery::schemas(shared.dialect, base)
            .into_iter()
            .find(|s| str_ci(s, "id") == Some(id.as_str()))
            .map(|s| Reply::json(200, s))
            .ok_or_else(|| ApiError::not_found(format!("schema {id} not found"))),
        (&Method::GET, Route::ResourceTypes) => Ok(Reply::json(
            200,
            discovery::list_all(discovery::resource_types(base)),
        )),
        (&Method::GET, Route::ResourceType(id)) => discovery::resource_types(base)
            .into_iter()
            .find(|s| str_ci(s, "id") == Some(id.as_str()))
            .map(|s| Reply::json(200, s))
            .ok_or_else(|| ApiError::not_found(format!("resource type {id} not found"))),
        (&Method::POST, Route::Search(Some(kind)))
            if !matches!(shared.dialect, Dialect::Aws | Dialect::StrongDm) =>
        {
            search(shared, req, *kind)
        }
        (_, Route::Bulk | Route::Me | Route::Search(_)) => Err(match shared.dialect {
            // AWS reports unsupported operations as ValidationException.
            Dialect::Aws => ApiError::new(400, None, "operation not supported"),
            _ => ApiError::new(501, None, "operation not implemented"),
        }),
        (_, Route::Unknown) => Err(ApiError::not_found("no such endpoint")),
        _ => Err(ApiError::new(
            405,
            None,
            format!("{} not allowed here", req.method),
        )),
    }
}

fn body_object(req: &Req) -> Result<&Value, ApiError> {
    req.body
        .as_ref()
        .filter(|b| b.is_object())
        .ok_or_else(|| ApiError::bad(ScimType::InvalidSyntax, "a JSON object body is required"))
}

/// What a reader sees: AWS never returns group members.
fn present(shared: &Shared, kind: Kind, v: &Value) -> Value {
    let mut out = v.clone();
    if shared.dialect == Dialect::Aws && kind == Kind::Group {
        if let Some(o) = out.as_object_mut() {
            o.retain(|k, _| !k.eq_ignore_ascii_case("members"));
        }
    }
    out
}

/// `attributes` / `excludedAttributes` on top-level names (or extension URNs).
fn project(mut v: Value, req: &Req) -> Value {
    let split = |s: &str| -> Vec<String> {
        s.split(',')
            .map(|a| {
                let a = a.trim();
                match AttrPath::parse(a) {
                    Ok(p) => p.schema.unwrap_or_else(|| p.names[0].clone()),
                    Err(_) => a.to_string(),
                }
                .to_ascii_lowercase()
            })
            .collect()
    };
    let Some(obj) = v.as_object_mut() else {
        return v;
    };
    if let Some(attrs) = req.param("attributes").filter(|s| !s.is_empty()) {
        let keep = split(attrs);
        obj.retain(|k, _| {
            let k = k.to_ascii_lowercase();
            k == "id" || k == "schemas" || keep.contains(&k)
        });
    }
    if let Some(attrs) = req.param("excludedAttributes").filter(|s| !s.is_empty()) {
        let drop = split(attrs);
        obj.retain(|k, _| {
            let k = k.to_ascii_lowercase();
            k == "id" || !drop.contains(&k)
        });
    }
    v
}

fn with_resource_headers(reply: Reply, v: &Value) -> Reply {
    match get_ci(v, "meta").and_then(|m| str_ci(m, "version")) {
        Some(version) => reply.with_header(header::ETAG, version),
        None => reply,
    }
}

/// RFC 7644 §3.14: a stale `If-Match` is 412. AWS and StrongDM do not support ETags.
fn check_if_match(shared: &Shared, req: &Req, current: &Value) -> Result<(), ApiError> {
    if matches!(shared.dialect, Dialect::Aws | Dialect::StrongDm) {
        return Ok(());
    }
    let Some(wanted) = req.header("if-match") else {
        return Ok(());
    };
    let version = get_ci(current, "meta")
        .and_then(|m| str_ci(m, "version"))
        .unwrap_or("");
    if wanted.trim() == "*" || wanted.split(',').any(|w| w.trim() == version) {
        Ok(())
    } else {
        Err(ApiError::new(
            412,
            None,
            format!("version mismatch: resource is at {version}"),
        ))
    }
}

/// What a list's filter needs besides each resource itself.
enum Joined {
    /// Nothing: the filter reads the resource alone.
    Nothing,
    /// `groups.value eq "g"` (how AWS clients read a group's members): the members of `g`, so
    /// each user is checked by its id instead of being copied with its groups joined in (a
    /// 50,000-user store answers in milliseconds, not half a second).
    MembersOf(HashSet<String>),
    /// Any other filter on users' `groups` (a read-only attribute): every member's group ids
    /// (see [`super::store::Store::groups_by_member`]; built once per request).
    GroupsOf(HashMap<String, Vec<String>>),
}

fn joined_for(
    store: &super::store::Store,
    kind: Kind,
    raw: Option<&str>,
    filter: Option<&Filter>,
) -> Joined {
    let on_groups =
        kind == Kind::User && raw.is_some_and(|f| f.to_ascii_lowercase().contains("groups"));
    if !on_groups {
        return Joined::Nothing;
    }
    if let Some(Filter::Compare {
        path,
        op: CompareOp::Eq,
        value: Value::String(group),
    }) = filter
    {
        let names: Vec<String> = path.names.iter().map(|n| n.to_ascii_lowercase()).collect();
        if path.schema.is_none() && names == ["groups", "value"] {
            let members = store
                .get(Kind::Group, group)
                .and_then(|g| get_ci(g, "members"))
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(|m| str_ci(m, "value").map(str::to_owned))
                .collect();
            return Joined::MembersOf(members);
        }
    }
    Joined::GroupsOf(store.groups_by_member())
}

fn matches(filter: Option<&Filter>, v: &Value, joined: &Joined) -> Result<bool, ApiError> {
    let Some(f) = filter else { return Ok(true) };
    match joined {
        Joined::Nothing => Ok(f.matches(v)?),
        Joined::MembersOf(members) => Ok(str_ci(v, "id").is_some_and(|id| members.contains(id))),
        Joined::GroupsOf(groups_of) => {
            let mut with = v.clone();
            let id = str_ci(v, "id").unwrap_or("");
            let groups: Vec<Value> = groups_of
                .get(id)
                .into_iter()
                .flatten()
                .map(|g| json!({"value": g}))
                .collect();
            with["groups"] = Value::Array(groups);
            Ok(f.matches(&with)?)
        }
    }
}

fn parse_int(req: &Req, name: &str) -> Result<Option<i64>, ApiError> {
    req.param(name)
        .map(|s| {
            s.trim()
                .parse::<i64>()
                .map_err(|_| ApiError::invalid_value(format!("{name} must be an integer")))
        })
        .transpose()
}

/// RFC 7644 §3.4.2.4 index paging (Generic, Unity, Axis, StrongDM).
fn list_index(shared: &Shared, req: &Req, kind: Kind) -> Result<Reply, ApiError> {
    let raw_filter = req.param("filter").filter(|f| !f.trim().is_empty());
    let filter = raw_filter.map(Filter::parse).transpose()?;
    if shared.dialect == Dialect::StrongDm {
        if let Some(f) = &filter {
            strongdm::check_filter(kind, f)?;
        }
    }
    let start = parse_int(req, "startIndex")?.unwrap_or(1).max(1) as usize;
    let count = match parse_int(req, "count")? {
        None => shared.max_results,
        Some(n) => (n.max(0) as usize).min(shared.max_results),
    };
    let store = lock(&shared.store);
    let joined = joined_for(&store, kind, raw_filter, filter.as_ref());
    let mut hits: Vec<&Value> = Vec::new();
    for (_, v) in store.iter(kind) {
        if matches(filter.as_ref(), v, &joined)? {
            hits.push(v);
        }
    }
    if let Some(sort_by) = req.param("sortBy").filter(|s| !s.is_empty()) {
        let path =
            AttrPath::parse(sort_by).map_err(|e| ApiError::bad(ScimType::InvalidValue, e.0))?;
        let key = |v: &Value| -> String {
            let mut cur = Some(v);
            for n in &path.names {
                cur = cur.and_then(|c| get_ci(c, n));
            }
            cur.and_then(Value::as_str).unwrap_or("").to_lowercase()
        };
        hits.sort_by_key(|v| key(v));
        if req
            .param("sortOrder")
            .is_some_and(|o| o.eq_ignore_ascii_case("descending"))
        {
            hits.reverse();
        }
    }
    let total = hits.len();
    let page: Vec<Value> = hits
        .into_iter()
        .skip(start - 1)
        .take(count)
        .map(|v| project(present(shared, kind, v), req))
        .collect();
    Ok(Reply::json(
        200,
        json!({
            "schemas": [discovery::list_urn()],
            "totalResults": total,
            "itemsPerPage": page.len(),
            "startIndex": start,
            "Resources": page,
        }),
    ))
}

/// RFC 7644 §3.4.3 `POST /{Users|Groups}/.search`: the SearchRequest body carries the
/// query parameters.
fn search(shared: &Shared, req: &Req, kind: Kind) -> Result<Reply, ApiError> {
    let body = body_object(req)?;
    let schemas_ok = get_ci(body, "schemas")
        .and_then(Value::as_array)
        .is_some_and(|s| s.iter().any(|u| u.as_str() == Some(SEARCH_URN)));
    if !schemas_ok {
        return Err(ApiError::bad(
            ScimType::InvalidSyntax,
            format!("search body must list schema {SEARCH_URN}"),
        ));
    }
    let mut params = Vec::new();
    for name in [
        "filter",
        "startIndex",
        "count",
        "sortBy",
        "sortOrder",
        "attributes",
        "excludedAttributes",
    ] {
        match get_ci(body, name) {
            Some(Value::String(s)) => params.push((name.to_string(), s.clone())),
            Some(Value::Number(n)) => params.push((name.to_string(), n.to_string())),
            Some(Value::Array(items)) => {
                let joined: Vec<&str> = items.iter().filter_map(Value::as_str).collect();
                params.push((name.to_string(), joined.join(",")));
            }
            _ => {}
        }
    }
    let as_list = Req {
        method: Method::GET,
        route: Route::List(kind),
        params,
        headers: req.headers.clone(),
        body: None,
    };
    list_index(shared, &as_list, kind)
}

const SEARCH_URN: &str = "urn:ietf:params:scim:api:messages:2.0:SearchRequest";

/// AWS cursor paging. Without a `cursor` parameter AWS answers one non-paginated page
/// (`totalResults`, `startIndex`, `itemsPerPage`); with it, `itemsPerPage` + `nextCursor`
/// (no `totalResults`).
fn list_cursor(shared: &Shared, req: &Req, kind: Kind) -> Result<Reply, ApiError> {
    aws::reject_unsupported_params(&req.params)?;
    let count = aws::page_size(req.param("count"))?;
    let raw_filter = req.param("filter").filter(|f| !f.trim().is_empty());
    let filter = raw_filter
        .map(Filter::parse)
        .transpose()
        .map_err(|e| ApiError::new(400, None, e.0))?;
    if let Some(f) = &filter {
        aws::check_filter(kind, f)?;
    }
    let cursor = req.param("cursor").map(aws::decode_cursor).transpose()?;
    let store = lock(&shared.store);
    let joined = joined_for(&store, kind, raw_filter, filter.as_ref());
    let mut page = Vec::new();
    let mut last_key = 0u64;
    let mut more = false;
    let mut total = 0usize;
    for (key, v) in store.iter_after(kind, cursor.unwrap_or(0)) {
        if !matches(filter.as_ref(), v, &joined)? {
            continue;
        }
        total += 1;
        if page.len() < count {
            page.push(present(shared, kind, v));
            last_key = key;
        } else {
            more = true;
            if cursor.is_some() {
                break; // cursor mode does not report totals, no need to keep counting
            }
        }
    }
    let body = match cursor {
        None => json!({
            "schemas": [discovery::list_urn()],
            "totalResults": total,
            "itemsPerPage": page.len(),
            "startIndex": 1,
            "Resources": page,
        }),
        Some(_) => {
            let mut b = json!({
                "schemas": [discovery::list_urn()],
                "itemsPerPage": page.len(),
                "Resources": page,
            });
            if more {
                b["nextCursor"] = Value::String(aws::encode_cursor(last_key));
            }
            b
        }
    };
    Ok(Reply::json(200, body))
}

fn get(shared: &Shared, req: &Req, kind: Kind, id: &str) -> Result<Reply, ApiError> {
    let store = lock(&shared.store);
    let v = store.get(kind, id).ok_or_else(|| not_found(kind, id))?;
    let out = present(shared, kind, v);
    let projected = if shared.dialect == Dialect::Aws {
        out.clone()
    } else {
        project(out.clone(), req)
    };
    Ok(with_resource_headers(Reply::json(200, projected), &out))
}

fn created_reply(shared: &Shared, kind: Kind, v: &Value, status: u16) -> Reply {
    let out = present(shared, kind, v);
    let mut reply = with_resource_headers(Reply::json(status, out.clone()), &out);
    if status == 201 {
        if let Some(loc) = get_ci(&out, "meta").and_then(|m| str_ci(m, "location")) {
            reply = reply.with_header(header::LOCATION, loc);
        }
    }
    reply
}

fn create(shared: &Shared, req: &Req, kind: Kind) -> Result<Reply, ApiError> {
    let body = body_object(req)?;
    if shared.dialect == Dialect::Aws {
        match kind {
            Kind::User => aws::check_user(body)?,
            Kind::Group => aws::check_group_create(body)?,
        }
    }
    let v = lock(&shared.store).create(kind, body.clone(), false)?;
    Ok(created_reply(shared, kind, &v, 201))
}

fn put(shared: &Shared, req: &Req, kind: Kind, id: &str) -> Result<Reply, ApiError> {
    let body = body_object(req)?;
    match (shared.dialect, kind) {
        (Dialect::Aws, Kind::Group) => {
            return Err(ApiError::new(400, None, "PUT is not supported for groups"))
        }
        (Dialect::Aws, Kind::User) => aws::check_user(body)?,
        (Dialect::StrongDm, Kind::User) => strongdm::check_user_put(body)?,
        (Dialect::StrongDm, Kind::Group) => strongdm::check_group_put(body)?,
        _ => {}
    }
    let mut store = lock(&shared.store);
    let current = store.get(kind, id).ok_or_else(|| not_found(kind, id))?;
    check_if_match(shared, req, current)?;
    let v = store.replace(kind, id, body.clone())?;
    Ok(created_reply(shared, kind, &v, 200))
}

fn patch(shared: &Shared, req: &Req, kind: Kind, id: &str) -> Result<Reply, ApiError> {
    let body = body_object(req)?;
    let mut store = lock(&shared.store);
    let current = store.get(kind, id).ok_or_else(|| not_found(kind, id))?;
    check_if_match(shared, req, current)?;
    let ops = parse_patch(body)?;
    match (shared.dialect, kind) {
        (Dialect::StrongDm, Kind::User) => {
            let active = strongdm::user_patch_active(&ops)?;
            let (v, changed) = store.update(kind, id, |u| {
                u["active"] = Value::Bool(active);
                Ok(())
            })?;
            return Ok(if changed {
                created_reply(shared, kind, &v, 200)
            } else {
                Reply::empty(204)
            });
        }
        (Dialect::StrongDm, Kind::Group) => strongdm::check_group_patch(&ops)?,
        (Dialect::Aws, Kind::User) => aws::check_user_patch(&ops)?,
        (Dialect::Aws, Kind::Group) => aws::check_group_patch(&ops)?,
        _ => {}
    }
    let aws = shared.dialect == Dialect::Aws;
    let (v, _) = store.update(kind, id, |r| {
        apply_patch(r, &ops)?;
        if aws && kind == Kind::User {
            aws::check_single_values(r)?;
        }
        Ok(())
    })?;
    // AWS PatchGroup answers 204 with no body.
    if aws && kind == Kind::Group {
        return Ok(Reply::empty(204));
    }
    Ok(created_reply(shared, kind, &v, 200))
}

fn delete(shared: &Shared, req: &Req, kind: Kind, id: &str) -> Result<Reply, ApiError> {
    let mut store = lock(&shared.store);
    let current = store.get(kind, id).ok_or_else(|| not_found(kind, id))?;
    check_if_match(shared, req, current)?;
    store.delete(kind, id)?;
    Ok(Reply::empty(204))
}
