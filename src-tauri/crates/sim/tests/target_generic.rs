//! Generic dialect (RFC 7644): paging, filters, uniqueness, PUT/PATCH/DELETE, ETags,
//! discovery and auth, over real HTTP.

#![allow(clippy::unwrap_used)]

use reqwest::{Client, Method, StatusCode};
use serde_json::{json, Value};
use sim::target::{generate_users, Dialect, SimConfig, SimHandle, SimTarget};

const PATCH_OP: &str = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

async fn start(max_results: usize) -> SimHandle {
    SimTarget::start(
        SimConfig::new(Dialect::Generic)
            .with_token("t0k")
            .with_max_results(max_results),
    )
    .await
    .expect("start simulator")
}

async fn call(
    h: &SimHandle,
    method: Method,
    path: &str,
    body: Option<Value>,
) -> (StatusCode, Value) {
    let mut req = Client::new()
        .request(method, format!("{}{path}", h.base_url()))
        .header("Authorization", h.auth_header());
    if let Some(b) = body {
        req = req.json(&b);
    }
    let resp = req.send().await.expect("request");
    let status = resp.status();
    let text = resp.text().await.expect("body");
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

fn ids(list: &Value) -> Vec<String> {
    list["Resources"]
        .as_array()
        .expect("Resources")
        .iter()
        .map(|r| r["id"].as_str().expect("id").to_string())
        .collect()
}

fn patch_body(ops: Value) -> Value {
    json!({"schemas": [PATCH_OP], "Operations": ops})
}

#[tokio::test]
async fn index_paging_follows_rfc_rules_and_caps_count() {
    let h = start(10).await;
    let seeded = h.seed_users(generate_users(25, 1)).unwrap();
    let all: Vec<String> = seeded
        .iter()
        .map(|u| u["id"].as_str().unwrap().to_string())
        .collect();

    let (s, page) = call(&h, Method::GET, "/Users?startIndex=3&count=4", None).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(page["totalResults"], 25);
    assert_eq!(page["startIndex"], 3);
    assert_eq!(page["itemsPerPage"], 4);
    assert_eq!(ids(&page), all[2..6].to_vec());

    // startIndex below 1 counts as 1; count above maxResults is capped; negative count is 0.
    let (_, page) = call(&h, Method::GET, "/Users?startIndex=-5&count=500", None).await;
    assert_eq!(page["startIndex"], 1);
    assert_eq!(ids(&page), all[..10].to_vec());
    let (_, page) = call(&h, Method::GET, "/Users?count=-3", None).await;
    assert_eq!(page["itemsPerPage"], 0);
    assert_eq!(page["totalResults"], 25);

    // walking the pages yields every user exactly once
    let mut seen = Vec::new();
    let mut start = 1;
    loop {
        let (_, page) = call(
            &h,
            Method::GET,
            &format!("/Users?startIndex={start}&count=7"),
            None,
        )
        .await;
        let got = ids(&page);
        if got.is_empty() {
            break;
        }
        start += got.len();
        seen.extend(got);
    }
    assert_eq!(seen, all);
}

#[tokio::test]
async fn filters_cover_operators_logic_and_complex_attributes() {
    let h = start(100).await;
    h.seed_users(vec![
        json!({"userName": "Ada@Example.com", "name": {"givenName": "Ada", "familyName": "Lovelace"},
               "emails": [{"value": "ada@work.test", "type": "work"}], "title": "Engineer", "active": true}),
        json!({"userName": "grace@example.com", "name": {"givenName": "Grace", "familyName": "Hopper"},
               "emails": [{"value": "grace@navy.test", "type": "work"}], "active": false}),
        json!({"userName": "alan@other.org", "name": {"givenName": "Alan", "familyName": "Turing"}, "active": true}),
    ])
    .unwrap();
    let count = |f: &'static str| {
        let h = &h;
        async move {
            let q = format!("/Users?filter={}", urlencode(f));
            let (s, body) = call(h, Method::GET, &q, None).await;
            assert_eq!(s, StatusCode::OK, "{f}: {body}");
            body["totalResults"].as_u64().unwrap()
        }
    };
    assert_eq!(count(r#"userName eq "ADA@example.COM""#).await, 1);
    assert_eq!(count(r#"userName ne "ada@example.com""#).await, 2);
    assert_eq!(count(r#"userName co "example""#).await, 2);
    assert_eq!(count(r#"userName sw "g""#).await, 1);
    assert_eq!(count(r#"userName ew ".org""#).await, 1);
    assert_eq!(count(r#"name.familyName gt "Hopper""#).await, 2);
    assert_eq!(count(r#"name.familyName lt "Lovelace""#).await, 1);
    assert_eq!(count(r#"title pr"#).await, 1);
    assert_eq!(count(r#"emails.value eq "GRACE@navy.test""#).await, 1);
    assert_eq!(
        count(r#"emails[type eq "work" and value sw "ada"]"#).await,
        1
    );
    assert_eq!(
        count(r#"active eq true and (userName sw "a" or name.givenName eq "grace")"#).await,
        2
    );
    assert_eq!(count(r#"not (active eq true)"#).await, 1);

    // the same query through POST /Users/.search (RFC 7644 §3.4.3)
    let (s, found) = call(
        &h,
        Method::POST,
        "/Users/.search",
        Some(json!({
            "schemas": ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],
            "filter": "active eq true", "sortBy": "name.familyName", "sortOrder": "descending",
            "attributes": ["userName"], "count": 5
        })),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{found}");
    let names: Vec<&str> = found["Resources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["userName"].as_str().unwrap())
        .collect();
    assert_eq!(names, vec!["alan@other.org", "Ada@Example.com"]);
    assert!(found["Resources"][0].get("name").is_none());

    let (s, err) = call(
        &h,
        Method::GET,
        &format!("/Users?filter={}", urlencode("userName eq")),
        None,
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert_eq!(err["scimType"], "invalidFilter");
    assert_eq!(
        err["schemas"][0],
        "urn:ietf:params:scim:api:messages:2.0:Error"
    );
    assert_eq!(err["status"], "400");
}

#[tokio::test]
async fn create_enforces_uniqueness_and_returns_meta() {
    let h = start(100).await;
    let (s, u) = call(
        &h,
        Method::POST,
        "/Users",
        Some(json!({"userName": "bob@example.com"})),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED);
    let id = u["id"].as_str().unwrap();
    assert_eq!(u["meta"]["resourceType"], "User");
    assert_eq!(
        u["meta"]["location"],
        format!("{}/Users/{id}", h.base_url())
    );
    assert!(u["meta"]["version"].as_str().unwrap().starts_with("W/\""));

    let (s, err) = call(
        &h,
        Method::POST,
        "/Users",
        Some(json!({"userName": "BOB@example.com"})),
    )
    .await;
    assert_eq!(s, StatusCode::CONFLICT);
    assert_eq!(err["scimType"], "uniqueness");
    let (s, _) = call(
        &h,
        Method::POST,
        "/Groups",
        Some(json!({"displayName": "Ops"})),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED);
    let (s, err) = call(
        &h,
        Method::POST,
        "/Groups",
        Some(json!({"displayName": "Ops"})),
    )
    .await;
    assert_eq!(
        (s, err["scimType"].as_str()),
        (StatusCode::CONFLICT, Some("uniqueness"))
    );
    assert_eq!(h.user_count(), 1);
    assert_eq!(h.group_count(), 1);

    let (s, _) = call(&h, Method::GET, "/Users/does-not-exist", None).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, err) = call(&h, Method::POST, "/Users", Some(json!("not an object"))).await;
    assert_eq!(
        (s, err["scimType"].as_str()),
        (StatusCode::BAD_REQUEST, Some("invalidSyntax"))
    );
}

#[tokio::test]
async fn patch_put_and_delete_keep_groups_consistent() {
    let h = start(100).await;
    let users = h.seed_users(generate_users(3, 2)).unwrap();
    let uid = |i: usize| users[i]["id"].as_str().unwrap().to_string();
    let g = h
        .seed_groups(vec![
            json!({"displayName": "Eng", "members": [{"value": uid(0)}]}),
        ])
        .unwrap()
        .remove(0);
    let gid = g["id"].as_str().unwrap().to_string();

    let (s, group) = call(
        &h,
        Method::PATCH,
        &format!("/Groups/{gid}"),
        Some(patch_body(json!([
            {"op": "add", "path": "members", "value": [{"value": uid(1)}, {"value": uid(2)}]},
            {"op": "remove", "path": format!("members[value eq \"{}\"]", uid(0))},
            {"op": "replace", "path": "displayName", "value": "Engineering"}
        ]))),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{group}");
    assert_eq!(group["displayName"], "Engineering");
    let members: Vec<&str> = group["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["value"].as_str().unwrap())
        .collect();
    assert_eq!(members, vec![uid(1), uid(2)]);

    // filter on members of groups
    let q = format!(
        "/Groups?filter={}",
        urlencode(&format!("members.value eq \"{}\"", uid(2)))
    );
    let (_, list) = call(&h, Method::GET, &q, None).await;
    assert_eq!(ids(&list), vec![gid.clone()]);

    // PATCH a user's email through a value path
    let (s, user) = call(
        &h,
        Method::PATCH,
        &format!("/Users/{}", uid(1)),
        Some(patch_body(json!([
            {"op": "replace", "path": "emails[type eq \"work\"].value", "value": "new@example.com"},
            {"op": "replace", "value": {"active": false}}
        ]))),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{user}");
    assert_eq!(user["emails"][0]["value"], "new@example.com");
    assert_eq!(user["active"], false);

    // PUT replaces the whole resource and keeps id/created
    let (s, put) = call(
        &h,
        Method::PUT,
        &format!("/Users/{}", uid(1)),
        Some(json!({"userName": "renamed@example.com", "active": true})),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(put["id"], uid(1));
    assert!(put.get("emails").is_none());
    assert_eq!(put["meta"]["created"], users[1]["meta"]["created"]);
    // PUT into another user's name is a conflict
    let (s, _) = call(
        &h,
        Method::PUT,
        &format!("/Users/{}", uid(2)),
        Some(json!({"userName": "RENAMED@example.com"})),
    )
    .await;
    assert_eq!(s, StatusCode::CONFLICT);

    // deleting a user removes it from the group
    let (s, _) = call(&h, Method::DELETE, &format!("/Users/{}", uid(1)), None).await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    let stored = h.group(&gid).unwrap();
    assert_eq!(stored["members"], json!([{"value": uid(2)}]));
    let (s, _) = call(&h, Method::DELETE, &format!("/Users/{}", uid(1)), None).await;
    assert_eq!(s, StatusCode::NOT_FOUND);

    // adding a member that does not exist is refused
    let (s, err) = call(
        &h,
        Method::PATCH,
        &format!("/Groups/{gid}"),
        Some(patch_body(
            json!([{"op": "add", "path": "members", "value": [{"value": "ghost"}]}]),
        )),
    )
    .await;
    assert_eq!(
        (s, err["scimType"].as_str()),
        (StatusCode::BAD_REQUEST, Some("invalidValue"))
    );
}

#[tokio::test]
async fn if_match_detects_stale_versions() {
    let h = start(100).await;
    let u = h
        .seed_users(vec![json!({"userName": "e@x"})])
        .unwrap()
        .remove(0);
    let id = u["id"].as_str().unwrap();
    let v1 = u["meta"]["version"].as_str().unwrap().to_string();
    let client = Client::new();
    let send = |version: String| {
        client
            .patch(format!("{}/Users/{id}", h.base_url()))
            .header("Authorization", h.auth_header())
            .header("If-Match", version)
            .json(&patch_body(
                json!([{"op": "add", "path": "title", "value": "x"}]),
            ))
            .send()
    };
    let first = send(v1.clone()).await.unwrap();
    assert_eq!(first.status(), StatusCode::OK);
    let etag = first.headers()["etag"].to_str().unwrap().to_string();
    assert_ne!(etag, v1);
    assert_eq!(
        send(v1).await.unwrap().status(),
        StatusCode::PRECONDITION_FAILED
    );
    assert_eq!(send(etag).await.unwrap().status(), StatusCode::OK);
}

#[tokio::test]
async fn discovery_projection_auth_and_unsupported_endpoints() {
    let h = start(100).await;
    let (s, spc) = call(&h, Method::GET, "/ServiceProviderConfig", None).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(spc["patch"]["supported"], true);
    assert_eq!(spc["bulk"]["supported"], false);
    assert_eq!(spc["filter"]["maxResults"], 100);
    let (_, schemas) = call(&h, Method::GET, "/Schemas", None).await;
    assert_eq!(schemas["totalResults"], 3);
    let (_, rts) = call(&h, Method::GET, "/ResourceTypes", None).await;
    assert_eq!(rts["Resources"][0]["endpoint"], "/Users");
    let (s, _) = call(&h, Method::POST, "/Bulk", Some(json!({}))).await;
    assert_eq!(s, StatusCode::NOT_IMPLEMENTED);

    let g = h
        .seed_groups(vec![json!({"displayName": "Solo"})])
        .unwrap()
        .remove(0);
    let (_, only) = call(&h, Method::GET, "/Groups?attributes=displayName", None).await;
    let r = &only["Resources"][0];
    assert_eq!(r["id"], g["id"]);
    assert_eq!(r["displayName"], "Solo");
    assert!(r.get("meta").is_none());
    let (_, ex) = call(&h, Method::GET, "/Groups?excludedAttributes=meta", None).await;
    assert!(ex["Resources"][0].get("meta").is_none());
    assert_eq!(ex["Resources"][0]["displayName"], "Solo");

    let client = Client::new();
    let url = format!("{}/Users", h.base_url());
    let none = client.get(&url).send().await.unwrap();
    assert_eq!(none.status(), StatusCode::UNAUTHORIZED);
    let wrong = client.get(&url).bearer_auth("nope").send().await.unwrap();
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    let body: Value = wrong.json().await.unwrap();
    assert_eq!(body["status"], "401");
    assert!(
        !body.to_string().contains("t0k"),
        "token must not leak into errors"
    );

    let stats = h.stats();
    assert_eq!(stats.pattern("GET /Users"), 2);
    assert_eq!(stats.status(401), 2);
    assert_eq!(stats.writes, 1);
    assert_eq!(stats.pattern("GET /ServiceProviderConfig"), 1);
    assert!(
        !format!("{:?}", h).contains("t0k"),
        "Debug must redact the token"
    );
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            other => format!("%{other:02X}"),
        })
        .collect()
}
