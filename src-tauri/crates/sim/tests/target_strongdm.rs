//! StrongDM dialect: `a-`/`r-` ids, narrow filters, the active-only user PATCH, strict PUTs
//! and the four accepted group (role) PATCH forms.

#![allow(clippy::unwrap_used)]

use reqwest::{Client, Method, StatusCode};
use serde_json::{json, Value};
use sim::target::{Dialect, SimConfig, SimHandle, SimTarget};

const PATCH_OP: &str = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

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
    (
        status,
        serde_json::from_str(&resp.text().await.unwrap()).unwrap_or(Value::Null),
    )
}

fn ops(o: Value) -> Option<Value> {
    Some(json!({"schemas": [PATCH_OP], "Operations": o}))
}

fn enc(s: &str) -> String {
    s.replace(' ', "%20").replace('"', "%22")
}

async fn setup() -> (SimHandle, Vec<String>) {
    let h = SimTarget::start(SimConfig::new(Dialect::StrongDm))
        .await
        .unwrap();
    let mut ids = Vec::new();
    for (i, name) in ["ada", "bob", "cy"].iter().enumerate() {
        let (s, u) = call(
            &h,
            Method::POST,
            "/Users",
            Some(
                json!({"userName": format!("{name}@example.com"), "active": true,
                        "name": {"givenName": name, "familyName": format!("F{i}")}}),
            ),
        )
        .await;
        assert_eq!(s, StatusCode::CREATED);
        ids.push(u["id"].as_str().unwrap().to_string());
    }
    (h, ids)
}

#[tokio::test]
async fn ids_base_path_and_filters() {
    let (h, users) = setup().await;
    assert!(h.base_url().ends_with("/provisioning/generic/v2"));
    for id in &users {
        assert!(id.starts_with("a-") && id.len() == 18, "{id}");
    }
    let (_, g) = call(
        &h,
        Method::POST,
        "/Groups",
        Some(json!({"displayName": "Admins"})),
    )
    .await;
    assert!(g["id"].as_str().unwrap().starts_with("r-"));

    let (s, r) = call(
        &h,
        Method::GET,
        &format!("/Users?filter={}", enc(r#"userName eq "BOB@example.com""#)),
        None,
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(r["Resources"][0]["id"], users[1]);
    let (s, r) = call(&h, Method::GET, "/Users?startIndex=2&count=1", None).await;
    assert_eq!(
        (s, r["Resources"][0]["id"].as_str()),
        (StatusCode::OK, Some(users[1].as_str()))
    );
    let (s, r) = call(
        &h,
        Method::GET,
        &format!("/Groups?filter={}", enc(r#"displayName eq "admins""#)),
        None,
    )
    .await;
    assert_eq!((s, r["totalResults"].as_u64()), (StatusCode::OK, Some(1)));
    for bad in [
        format!("/Users?filter={}", enc(r#"userName sw "a""#)),
        format!("/Users?filter={}", enc(r#"externalId eq "x""#)),
        format!("/Groups?filter={}", enc(r#"displayName co "Adm""#)),
        format!(
            "/Users?filter={}",
            enc(r#"userName eq "a" and active eq true"#)
        ),
    ] {
        let (s, body) = call(&h, Method::GET, &bad, None).await;
        assert_eq!(
            (s, body["scimType"].as_str()),
            (StatusCode::BAD_REQUEST, Some("invalidFilter")),
            "{bad}"
        );
    }
}

#[tokio::test]
async fn user_patch_only_toggles_active() {
    let (h, users) = setup().await;
    let path = format!("/Users/{}", users[0]);
    let (s, body) = call(
        &h,
        Method::PATCH,
        &path,
        ops(json!([{"op": "replace", "value": {"active": false}}])),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{body}");
    assert_eq!(h.user(&users[0]).unwrap()["active"], false);
    let (s, _) = call(
        &h,
        Method::PATCH,
        &path,
        ops(json!([{"op": "replace", "value": {"active": false}}])),
    )
    .await;
    assert_eq!(s, StatusCode::NO_CONTENT, "unchanged state answers 204");
    let (s, _) = call(
        &h,
        Method::PATCH,
        "/Users/a-0000000000000000",
        ops(json!([{"op": "replace", "value": {"active": true}}])),
    )
    .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    for bad in [
        json!([{"op": "replace", "path": "active", "value": true}]),
        json!([{"op": "replace", "value": {"active": true, "title": "x"}}]),
        json!([{"op": "add", "value": {"active": true}}]),
        json!([{"op": "replace", "value": {"displayName": "x"}}]),
        json!([{"op": "replace", "value": {"active": "false"}}]),
    ] {
        let (s, _) = call(&h, Method::PATCH, &path, ops(bad.clone())).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{bad}");
    }
    assert_eq!(h.user(&users[0]).unwrap()["active"], false);
}

#[tokio::test]
async fn put_requires_strongdm_fields() {
    let (h, users) = setup().await;
    let path = format!("/Users/{}", users[0]);
    let full = json!({"userName": "ada@example.com", "active": true, "name": {"givenName": "Ada", "familyName": "L"}});
    for drop in ["active", "name"] {
        let mut body = full.clone();
        body.as_object_mut().unwrap().remove(drop);
        let (s, _) = call(&h, Method::PUT, &path, Some(body)).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "without {drop}");
    }
    let (s, _) = call(
        &h,
        Method::PUT,
        &path,
        Some(json!({"userName": "ada@example.com", "active": true, "name": {"givenName": "Ada"}})),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    let (s, _) = call(&h, Method::PUT, &path, Some(full)).await;
    assert_eq!(s, StatusCode::OK);

    let (_, g) = call(
        &h,
        Method::POST,
        "/Groups",
        Some(json!({"displayName": "Ops"})),
    )
    .await;
    let (_, _) = call(
        &h,
        Method::POST,
        "/Groups",
        Some(json!({"displayName": "Dev"})),
    )
    .await;
    let gpath = format!("/Groups/{}", g["id"].as_str().unwrap());
    let (s, _) = call(&h, Method::PUT, &gpath, Some(json!({"displayName": "Ops"}))).await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "members is required");
    let (s, body) = call(
        &h,
        Method::PUT,
        &gpath,
        Some(json!({"displayName": "Dev", "members": []})),
    )
    .await;
    assert_eq!(
        (s, body["scimType"].as_str()),
        (StatusCode::CONFLICT, Some("uniqueness"))
    );
    let (s, body) = call(
        &h,
        Method::PUT,
        &gpath,
        Some(json!({"displayName": "Ops2", "members": [{"value": users[2]}]})),
    )
    .await;
    assert_eq!(s, StatusCode::OK, "{body}");
    assert_eq!(body["members"][0]["value"], users[2]);
}

#[tokio::test]
async fn group_patch_accepts_exactly_the_documented_forms() {
    let (h, users) = setup().await;
    let (_, g) = call(
        &h,
        Method::POST,
        "/Groups",
        Some(json!({"displayName": "Role"})),
    )
    .await;
    let gid = g["id"].as_str().unwrap().to_string();
    let path = format!("/Groups/{gid}");
    let members = |h: &SimHandle| -> Vec<String> {
        h.group(&gid).unwrap()["members"]
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|m| m["value"].as_str().unwrap().to_string())
                    .collect()
            })
            .unwrap_or_default()
    };

    let (s, _) = call(&h, Method::PATCH, &path, ops(json!([{"op": "add", "path": "members", "value": [{"value": users[0]}, {"value": users[1]}]}]))).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(members(&h), vec![users[0].clone(), users[1].clone()]);
    let (s, _) = call(
        &h,
        Method::PATCH,
        &path,
        ops(json!([{"op": "remove", "path": format!("members[value eq \"{}\"]", users[0])}])),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(members(&h), vec![users[1].clone()]);
    let (s, _) = call(
        &h,
        Method::PATCH,
        &path,
        ops(json!([{"op": "replace", "path": "members", "value": [{"value": users[2]}]}])),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(members(&h), vec![users[2].clone()]);
    let (s, body) = call(
        &h,
        Method::PATCH,
        &path,
        ops(json!([{"op": "replace", "value": {"displayName": "Renamed"}}])),
    )
    .await;
    assert_eq!(
        (s, body["displayName"].as_str()),
        (StatusCode::OK, Some("Renamed"))
    );

    for bad in [
        json!([{"op": "remove", "path": "members", "value": [{"value": users[2]}]}]),
        json!([{"op": "remove", "path": format!("members[display eq \"{}\"]", users[2])}]),
        json!([{"op": "remove", "path": format!("members[value ne \"{}\"]", users[2])}]),
        json!([{"op": "replace", "path": "displayName", "value": "x"}]),
        json!([{"op": "replace", "value": {"displayName": "x", "externalId": "y"}}]),
        json!([{"op": "add", "path": "externalId", "value": "y"}]),
    ] {
        let (s, _) = call(&h, Method::PATCH, &path, ops(bad.clone())).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{bad}");
    }
    assert_eq!(members(&h), vec![users[2].clone()]);
    // deleting a user keeps roles consistent
    let (s, _) = call(&h, Method::DELETE, &format!("/Users/{}", users[2]), None).await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    assert!(members(&h).is_empty());
}
