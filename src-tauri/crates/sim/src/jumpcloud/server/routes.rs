//! Routes, the auth/fault middleware, and the list handlers.

use std::sync::atomic::Ordering;
use std::sync::Arc;

use axum::extract::{MatchedPath, Path, Query, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, MethodRouter};
use axum::{Extension, Json, Router};
use serde_json::{json, Value};

use super::faults::{take_fault, Fault};
use super::graph;
use super::listing::{apply_filters, apply_sort, page, Dialect, ListError, ListQuery};
use super::{Catalog, Shared};
use jumpcloud::Directory;

type Params = Query<Vec<(String, String)>>;

/// Set by the middleware when a `PartialPage` fault hits this request.
#[derive(Clone, Copy)]
struct Partial(bool);

pub(crate) fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route("/api/organizations", get(organizations))
        .route(
            "/api/systemusers",
            catalog_route(|c| &c.users, Dialect::V1, "_id", v1),
        )
        .route(
            "/api/applications",
            catalog_route(|c| &c.apps, Dialect::V1, "_id", v1),
        )
        .route(
            "/api/v2/usergroups",
            catalog_route(|c| &c.groups, Dialect::V2, "id", v2),
        )
        // The spec gives `members` no sort parameter: order is the server's (users, then groups).
        .route(
            "/api/v2/usergroups/{id}/members",
            graph_route("members", has_group, graph::members, false),
        )
        .route(
            "/api/v2/usergroups/{id}/membership",
            graph_route("membership", has_group, graph::membership, true),
        )
        .route(
            "/api/v2/applications/{id}/usergroups",
            graph_route(
                "app_user_groups",
                has_application,
                graph::app_user_groups,
                true,
            ),
        )
        .route(
            "/api/v2/applications/{id}/users",
            graph_route("app_users", has_application, graph::app_users, true),
        )
        .route_layer(middleware::from_fn_with_state(shared.clone(), gate))
        .with_state(shared)
}

fn error(status: StatusCode, message: &str) -> Response {
    (status, Json(json!({ "message": message }))).into_response()
}

/// Counts, authenticates, then applies the first matching fault.
async fn gate(State(shared): State<Arc<Shared>>, mut req: Request, next: Next) -> Response {
    if let Some(refused) = crate::host::refuse_foreign_host(req.headers()) {
        return refused;
    }
    shared.requests.fetch_add(1, Ordering::Relaxed);
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_string())
        .unwrap_or_else(|| req.uri().path().to_string());
    *shared
        .per_route
        .lock()
        .expect("counter lock")
        .entry(route)
        .or_default() += 1;

    let headers = req.headers();
    if headers.get("x-api-key").and_then(|v| v.to_str().ok())
        != Some(shared.config.api_key.as_str())
    {
        return error(StatusCode::UNAUTHORIZED, "Unauthorized");
    }
    // Listing organizations is how a multi-tenant admin finds the id, so it needs none.
    let org_exempt = req.uri().path() == "/api/organizations";
    if let Some(org) = shared
        .config
        .required_org_id
        .as_ref()
        .filter(|_| !org_exempt)
    {
        match headers.get("x-org-id").and_then(|v| v.to_str().ok()) {
            None => {
                return error(
                    StatusCode::BAD_REQUEST,
                    "x-org-id header is required for multi-tenant administrators",
                )
            }
            Some(o) if o != org => return error(StatusCode::FORBIDDEN, "Forbidden"),
            Some(_) => {}
        }
    }

    let fault = take_fault(
        &mut shared.faults.lock().expect("fault lock"),
        req.uri().path(),
    );
    let mut partial = false;
    match fault {
        Some(Fault::RateLimit { retry_after_secs }) => {
            let mut resp = error(StatusCode::TOO_MANY_REQUESTS, "Too Many Requests");
            resp.headers_mut()
                .insert("retry-after", HeaderValue::from(retry_after_secs));
            return resp;
        }
        Some(Fault::Unavailable) => {
            return error(StatusCode::SERVICE_UNAVAILABLE, "Service Unavailable")
        }
        Some(Fault::Slow(d)) => tokio::time::sleep(d).await,
        Some(Fault::PartialPage) => partial = true,
        None => {}
    }
    req.extensions_mut().insert(Partial(partial));
    next.run(req).await
}

fn catalog(shared: &Shared) -> Arc<Catalog> {
    shared.catalog.read().expect("catalog lock").clone()
}

/// Filters, sorts and pages `records`; returns (total, page). Records are stored sorted by id, so
/// the common case (no filter, `sort=_id`) pages the slice without copying it.
fn list(
    records: &[Value],
    params: &[(String, String)],
    dialect: Dialect,
    id_field: &str,
    partial: Partial,
) -> Result<(usize, Vec<Value>), ListError> {
    let q = ListQuery::parse(params)?;
    let id_order = matches!(q.sort.as_deref(), None | Some("_id") | Some("id"));
    let (total, mut page) = if q.filters.is_empty() && id_order {
        (records.len(), page(records, &q))
    } else {
        let mut selected = apply_filters(records.to_vec(), &q.filters, dialect)?;
        apply_sort(&mut selected, q.sort.as_deref(), id_field);
        (selected.len(), page(&selected, &q))
    };
    if partial.0 {
        // The fault the client must catch: fewer records than asked while the total says more exist.
        page.truncate(page.len() / 2);
    }
    Ok((total, page))
}

fn v1(total: usize, page: Vec<Value>) -> Response {
    Json(json!({ "totalCount": total, "results": page })).into_response()
}

fn v2(total: usize, page: Vec<Value>) -> Response {
    let mut headers = HeaderMap::new();
    headers.insert("x-total-count", HeaderValue::from(total));
    (headers, Json(Value::Array(page))).into_response()
}

fn respond(
    r: Result<(usize, Vec<Value>), ListError>,
    shape: fn(usize, Vec<Value>) -> Response,
) -> Response {
    match r {
        Ok((total, page)) => shape(total, page),
        Err(e) => error(StatusCode::BAD_REQUEST, &e.message()),
    }
}

async fn organizations(
    State(shared): State<Arc<Shared>>,
    Query(params): Params,
    Extension(partial): Extension<Partial>,
) -> Response {
    let orgs: Vec<Value> = shared
        .config
        .organizations
        .iter()
        .map(|(id, name)| json!({ "_id": id, "displayName": name }))
        .collect();
    respond(list(&orgs, &params, Dialect::V1, "_id", partial), v1)
}

/// The catalog's own collections differ only in which one is listed and in its API version's
/// dialect, id field and reply shape, so one handler serves them all.
fn catalog_route(
    pick: fn(&Catalog) -> &[Value],
    dialect: Dialect,
    id_field: &'static str,
    shape: fn(usize, Vec<Value>) -> Response,
) -> MethodRouter<Arc<Shared>> {
    get(
        move |State(shared): State<Arc<Shared>>,
              Query(params): Params,
              Extension(partial): Extension<Partial>| async move {
            respond(
                list(pick(&catalog(&shared)), &params, dialect, id_field, partial),
                shape,
            )
        },
    )
}

fn to_values<T: serde::Serialize>(items: Vec<T>) -> Vec<Value> {
    items
        .into_iter()
        .map(|i| serde_json::to_value(i).expect("wire types serialise"))
        .collect()
}

fn not_found() -> Response {
    error(StatusCode::NOT_FOUND, "Not Found")
}

/// Which directory object a v2 graph route hangs off; an unknown one is a 404 before any listing.
fn has_group(dir: &Directory, id: &str) -> bool {
    dir.group(id).is_some()
}

fn has_application(dir: &Directory, id: &str) -> bool {
    dir.application(id).is_some()
}

/// The four v2 graph routes differ only in which parent must exist, which traversal lists its
/// records, and whether `sort` is honoured, so one handler serves them all.
fn graph_route<T: serde::Serialize + 'static>(
    name: &'static str,
    parent: fn(&Directory, &str) -> bool,
    traverse: fn(&Directory, &str) -> Vec<T>,
    sortable: bool,
) -> MethodRouter<Arc<Shared>> {
    get(
        move |State(shared): State<Arc<Shared>>,
              Path(id): Path<String>,
              Query(params): Params,
              Extension(partial): Extension<Partial>| async move {
            let cat = catalog(&shared);
            if !parent(&cat.dir, &id) {
                return not_found();
            }
            let records = cat.traversal(name, &id, || to_values(traverse(&cat.dir, &id)));
            let params: Vec<_> = params
                .into_iter()
                .filter(|(k, _)| sortable || k != "sort")
                .collect();
            respond(list(&records, &params, Dialect::V2, "id", partial), v2)
        },
    )
}
