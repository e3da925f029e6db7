//! AWS IAM Identity Center dialect: cursor paging, eq-only filters, empty group members,
//! membership reads via `members eq`, CreateUser/PatchGroup rules, AWS-style errors.

#![allow(clippy::unwrap_used)]

use reqwest::{Client, Method, StatusCode};
use serde_json::{json, Value};
use sim::target::{generate_users, Dialect, SimConfig, SimHandle, SimTarget};

const PATCH_OP: &str = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

async fn start() -> SimHandle {
    SimTarget::start(
        SimConfig::new(Dialect::Aws)
            .with_tenant("d-1234567890")
            .with_token("aws-secret"),
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
    (
        status,
        serde_json::from_str(&resp.text().await.unwrap()).unwrap_or(Value::Null),
    )
}

fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            other => format!("%{other:02X}"),
        })
        .collect()
}

/// AWS's error body: the Error schema under both `schema` and `schemas`, the status as a
/// string, a request id and a time stamp (the exception name travels in a header).
fn assert_aws_error(status: StatusCode, want: StatusCode, body: &Value) {
    assert_eq!(status, want, "{body}");
    let urn = "urn:ietf:params:scim:api:messages:2.0:Error";
    assert_eq!(body["schemas"][0], urn, "{body}");
    assert_eq!(body["schema"][0], urn, "{body}");
    assert_eq!(body["status"], want.as_u16().to_string(), "{body}");
    assert!(body["exceptionRequestId"].is_string(), "{body}");
    assert!(body["timeStamp"].is_string(), "{body}");
}

fn assert_validation(status: StatusCode, body: &Value) {
    assert_aws_error(status, StatusCode::BAD_REQUEST, body);
}

fn valid_user(name: &str) -> Value {
    json!({
        "userName": name, "displayName": "Test User",
        "name": {"givenName": "Test", "familyName": "User"},
        "emails": [{"value": name, "type": "work", "primary": true}]
    })
}

#[tokio::test]
async fn base_url_has_tenant_and_wrong_tenant_or_token_is_401() {
    let h = start().await;
    assert!(
        h.base_url().ends_with("/d-1234567890/scim/v2"),
        "{}",
        h.base_url()
    );
    let client = Client::new();
    let wrong_tenant = client
        .get(format!("{}/d-0000000000/scim/v2/Users", h.origin()))
        .header("Authorization", h.auth_header())
        .send()
        .await
        .unwrap();
    assert_eq!(wrong_tenant.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(
        wrong_tenant.headers()["x-amzn-errortype"],
        "UnauthorizedException"
    );
    let bad_token = client
        .get(format!("{}/Users", h.base_url()))
        .bearer_auth("x")
        .send()
        .await
        .unwrap();
    assert_eq!(bad_token.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(
        bad_token.headers()["x-amzn-errortype"],
        "UnauthorizedException"
    );
    let body: Value = bad_token.json().await.unwrap();
    assert_aws_error(StatusCode::UNAUTHORIZED, StatusCode::UNAUTHORIZED, &body);
}

#[tokio::test]
async fn cursor_paging_walks_everything_and_index_params_are_rejected() {
    let h = start().await;
    let seeded = h.seed_users(generate_users(250, 3)).unwrap();
    let all: Vec<String> = seeded
        .iter()
        .map(|u| u["id"].as_str().unwrap().to_string())
        .collect();

    // without cursor: one non-paginated page of at most 100 with totalResults
    let (s, first) = call(&h, Method::GET, "/Users", None).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(first["totalResults"], 250);
    assert_eq!(first["itemsPerPage"], 100);
    assert!(first.get("nextCursor").is_none());

    // with cursor: itemsPerPage + nextCursor, no totalResults
    let mut seen = Vec::new();
    let mut cursor = String::new();
    let mut pages = 0;
    loop {
        let (s, page) = call(
            &h,
            Method::GET,
            &format!("/Users?count=60&cursor={}", enc(&cursor)),
            None,
        )
        .await;
        assert_eq!(s, StatusCode::OK, "{page}");
        assert!(page.get("totalResults").is_none());
        pages += 1;
        for r in page["Resources"].as_array().unwrap() {
            seen.push(r["id"].as_str().unwrap().to_string());
        }
        assert_eq!(
            page["itemsPerPage"].as_u64().unwrap() as usize,
            page["Resources"].as_array().unwrap().len()
        );
        match page["nextCursor"].as_str() {
            Some(c) => cursor = c.to_string(),
            None => break,
        }
    }
    assert_eq!(pages, 5);
    assert_eq!(seen, all);

    for bad in [
        "/Users?startIndex=1",
        "/Users?attributes=userName",
        "/Users?excludedAttributes=emails",
        "/Users?count=101",
        "/Users?count=0",
        "/Users?cursor=garbage!",
    ] {
        let (s, body) = call(&h, Method::GET, bad, None).await;
        assert_validation(s, &body);
    }
}

#[tokio::test]
async fn only_eq_filters_joined_by_and_are_accepted() {
    let h = start().await;
    h.seed_users(vec![
        json!({"userName": "Ada@example.com", "externalId": "jc-1", "displayName": "Ada"}),
        json!({"userName": "bob@example.com", "externalId": "jc-2", "displayName": "Bob"}),
    ])
    .unwrap();
    let (s, r) = call(
        &h,
        Method::GET,
        &format!("/Users?filter={}", enc(r#"userName eq "ada@EXAMPLE.com""#)),
        None,
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(r["totalResults"], 1);
    let (_, r) = call(
        &h,
        Method::GET,
        &format!(
            "/Users?filter={}",
            enc(r#"externalId eq "jc-2" and displayName eq "Bob""#)
        ),
        None,
    )
    .await;
    assert_eq!(r["totalResults"], 1);
    for bad in [
        r#"userName co "ada""#,
        r#"userName eq "a" or userName eq "b""#,
        r#"title eq "x""#,
        r#"not (userName eq "a")"#,
        r#"emails[type eq "work"]"#,
    ] {
        let (s, body) = call(
            &h,
            Method::GET,
            &format!("/Users?filter={}", enc(bad)),
            None,
        )
        .await;
        assert_validation(s, &body);
    }
}

#[tokio::test]
async fn groups_never_return_members_but_member_filter_reads_memberships() {
    let h = start().await;
    let users = h.seed_users(generate_users(3, 4)).unwrap();
    let uid = |i: usize| users[i]["id"].as_str().unwrap().to_string();
    let groups = h
        .seed_groups(vec![
            json!({"displayName": "A", "members": [{"value": uid(0)}, {"value": uid(1)}]}),
            json!({"displayName": "B", "members": [{"value": uid(1)}]}),
            json!({"displayName": "C"}),
        ])
        .unwrap();
    let gid = |i: usize| groups[i]["id"].as_str().unwrap().to_string();

    let (_, list) = call(&h, Method::GET, "/Groups", None).await;
    assert_eq!(list["totalResults"], 3);
    for g in list["Resources"].as_array().unwrap() {
        assert!(
            g.get("members")
                .is_none_or(|m| m.as_array().is_some_and(|a| a.is_empty())),
            "{g}"
        );
    }
    let (_, one) = call(&h, Method::GET, &format!("/Groups/{}", gid(0)), None).await;
    assert!(one.get("members").is_none());
    assert_eq!(
        h.group(&gid(0)).unwrap()["members"]
            .as_array()
            .unwrap()
            .len(),
        2,
        "store keeps them"
    );

    let member_of = |u: String| {
        let h = &h;
        async move {
            let (s, r) = call(
                h,
                Method::GET,
                &format!("/Groups?filter={}", enc(&format!("members eq \"{u}\""))),
                None,
            )
            .await;
            assert_eq!(s, StatusCode::OK, "{r}");
            let mut ids: Vec<String> = r["Resources"]
                .as_array()
                .unwrap()
                .iter()
                .map(|g| g["id"].as_str().unwrap().to_string())
                .collect();
            ids.sort();
            ids
        }
    };
    let mut both = vec![gid(0), gid(1)];
    both.sort();
    assert_eq!(member_of(uid(1)).await, both);
    assert_eq!(member_of(uid(2)).await, Vec::<String>::new());
    let f = format!("displayName eq \"A\" and members eq \"{}\"", uid(0));
    let (s, body) = call(
        &h,
        Method::GET,
        &format!("/Groups?filter={}", enc(&f)),
        None,
    )
    .await;
    assert_validation(s, &body);
    // users can be found by group membership too (groups.value)
    let f = format!("groups.value eq \"{}\"", gid(1));
    let (_, r) = call(&h, Method::GET, &format!("/Users?filter={}", enc(&f)), None).await;
    assert_eq!(r["totalResults"], 1);
    assert_eq!(r["Resources"][0]["id"], uid(1));
    let f = format!("id eq \"{}\" and members eq \"{}\"", gid(1), uid(0));
    let (_, r) = call(
        &h,
        Method::GET,
        &format!("/Groups?filter={}", enc(&f)),
        None,
    )
    .await;
    assert_eq!(r["totalResults"], 0);
}

#[tokio::test]
async fn create_user_requires_names_and_single_primary_email() {
    let h = start().await;
    let (s, u) = call(
        &h,
        Method::POST,
        "/Users",
        Some(valid_user("ok@example.com")),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{u}");

    let mut missing_given = valid_user("a@example.com");
    missing_given["name"]
        .as_object_mut()
        .unwrap()
        .remove("givenName");
    let mut missing_display = valid_user("b@example.com");
    missing_display
        .as_object_mut()
        .unwrap()
        .remove("displayName");
    let mut two_emails = valid_user("c@example.com");
    two_emails["emails"] = json!([{"value": "c@x", "primary": true}, {"value": "c@y"}]);
    let mut not_primary = valid_user("d@example.com");
    not_primary["emails"] = json!([{"value": "d@x", "type": "work"}]);
    let mut with_groups = valid_user("e@example.com");
    with_groups["groups"] = json!([{"value": "g"}]);
    let mut two_phones = valid_user("f@example.com");
    two_phones["phoneNumbers"] = json!([{"value": "1"}, {"value": "2"}]);
    let mut password = valid_user("g@example.com");
    password["password"] = json!("hunter2");
    for bad in [
        missing_given,
        missing_display,
        two_emails,
        not_primary,
        with_groups,
        two_phones,
        password,
    ] {
        let (s, body) = call(&h, Method::POST, "/Users", Some(bad)).await;
        assert_validation(s, &body);
    }
    assert_eq!(h.user_count(), 1);

    let (s, body) = call(
        &h,
        Method::POST,
        "/Users",
        Some(valid_user("OK@example.com")),
    )
    .await;
    assert_aws_error(s, StatusCode::CONFLICT, &body);
    assert_eq!(
        body["detail"],
        "Refused to create a new, duplicate resource."
    );

    let id = u["id"].as_str().unwrap();
    let (s, body) = call(
        &h,
        Method::PATCH,
        &format!("/Users/{id}"),
        Some(json!({"schemas": [PATCH_OP], "Operations": [
        {"op": "remove", "path": "active"}]})),
    )
    .await;
    assert_validation(s, &body);
    let (s, body) = call(&h, Method::PATCH, &format!("/Users/{id}"), Some(json!({"schemas": [PATCH_OP], "Operations": [
        {"op": "replace", "path": "active", "value": false}, {"op": "replace", "path": "active", "value": true}]}))).await;
    assert_validation(s, &body);
    let (s, body) = call(&h, Method::PATCH, &format!("/Users/{id}"), Some(json!({"schemas": [PATCH_OP], "Operations": [
        {"op": "replace", "path": "active", "value": false}, {"op": "replace", "path": "title", "value": "CTO"}]}))).await;
    assert_eq!(s, StatusCode::OK, "{body}");
    assert_eq!(body["active"], false);

    let (s, body) = call(&h, Method::POST, "/Bulk", Some(json!({}))).await;
    assert_validation(s, &body);
    let (s, body) = call(&h, Method::GET, "/Me", None).await;
    assert_validation(s, &body);
}

#[tokio::test]
async fn patch_group_limits_and_member_changes() {
    let h = start().await;
    let users = h.seed_users(generate_users(120, 5)).unwrap();
    let member = |i: usize| json!({"value": users[i]["id"]});
    let (s, g) = call(
        &h,
        Method::POST,
        "/Groups",
        Some(json!({"displayName": "Eng", "members": [member(0)]})),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{g}");
    assert!(g.get("members").is_none());
    let gid = g["id"].as_str().unwrap().to_string();
    let patch = |ops: Value| {
        let (h, gid) = (&h, gid.clone());
        async move {
            call(
                h,
                Method::PATCH,
                &format!("/Groups/{gid}"),
                Some(json!({"schemas": [PATCH_OP], "Operations": ops})),
            )
            .await
        }
    };

    let hundred: Vec<Value> = (1..=100).map(member).collect();
    let (s, body) = patch(json!([{"op": "add", "path": "members", "value": hundred}])).await;
    assert_eq!(s, StatusCode::NO_CONTENT, "{body}");
    assert_eq!(
        h.group(&gid).unwrap()["members"].as_array().unwrap().len(),
        101
    );

    let too_many: Vec<Value> = (101..=110)
        .map(member)
        .chain((1..=91).map(member))
        .collect();
    let (s, body) = patch(json!([{"op": "remove", "path": "members", "value": too_many}])).await;
    assert_validation(s, &body);
    let (s, body) =
        patch(json!([{"op": "replace", "path": "members", "value": [member(3)]}])).await;
    assert_validation(s, &body);
    let (s, body) = patch(json!([{"op": "remove", "path": "members"}])).await;
    assert_validation(s, &body);
    let (s, body) = patch(json!([{"op": "replace", "path": "description", "value": "x"}])).await;
    assert_validation(s, &body);
    assert_eq!(
        h.group(&gid).unwrap()["members"].as_array().unwrap().len(),
        101,
        "rejected patches change nothing"
    );

    let (s, _) = patch(json!([
        {"op": "remove", "path": format!("members[value eq \"{}\"]", users[0]["id"].as_str().unwrap())},
        {"op": "remove", "path": "members", "value": [member(1), member(2)]},
        {"op": "replace", "path": "displayName", "value": "Engineering"}
    ]))
    .await;
    assert_eq!(s, StatusCode::NO_CONTENT);
    let stored = h.group(&gid).unwrap();
    assert_eq!(stored["displayName"], "Engineering");
    assert_eq!(stored["members"].as_array().unwrap().len(), 98);

    let (s, body) = call(
        &h,
        Method::PUT,
        &format!("/Groups/{gid}"),
        Some(json!({"displayName": "X"})),
    )
    .await;
    assert_validation(s, &body);
    let big: Vec<Value> = (0..101).map(member).collect();
    let (s, body) = call(
        &h,
        Method::POST,
        "/Groups",
        Some(json!({"displayName": "Big", "members": big})),
    )
    .await;
    assert_validation(s, &body);
    let (s, body) = call(
        &h,
        Method::POST,
        "/Groups",
        Some(json!({"displayName": "engineering"})),
    )
    .await;
    assert_aws_error(s, StatusCode::CONFLICT, &body);
}
