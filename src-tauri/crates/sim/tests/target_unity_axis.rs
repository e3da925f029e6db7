//! Unity (Basic key-id:secret or Bearer, tenant base path) and Axis (bearer, generic).

#![allow(clippy::unwrap_used)]

use reqwest::{Client, StatusCode};
use serde_json::{json, Value};
use sim::target::{Dialect, SimConfig, SimTarget};

#[tokio::test]
async fn unity_accepts_basic_or_bearer_under_the_org_path() {
    let h = SimTarget::start(
        SimConfig::new(Dialect::Unity)
            .with_tenant("org-42")
            .with_basic("key-id", "s3cret")
            .with_token("bearer-tok"),
    )
    .await
    .unwrap();
    assert!(
        h.base_url().ends_with("/scim/v2/tenants/org-42"),
        "{}",
        h.base_url()
    );
    let client = Client::new();
    let url = format!("{}/Users", h.base_url());
    let basic = client
        .post(&url)
        .basic_auth("key-id", Some("s3cret"))
        .json(&json!({"userName": "ada@example.com", "active": true}))
        .send()
        .await
        .unwrap();
    assert_eq!(basic.status(), StatusCode::CREATED);
    assert_eq!(h.basic_auth_header().unwrap(), "Basic a2V5LWlkOnMzY3JldA==");
    let bearer = client
        .get(&url)
        .bearer_auth("bearer-tok")
        .send()
        .await
        .unwrap();
    assert_eq!(bearer.status(), StatusCode::OK);
    let body: Value = bearer.json().await.unwrap();
    assert_eq!(body["totalResults"], 1);
    let wrong = client
        .get(&url)
        .basic_auth("key-id", Some("nope"))
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    assert!(wrong.headers()["www-authenticate"]
        .to_str()
        .unwrap()
        .contains("Basic"));
    // the org id is part of the path: another org is not found
    let other = client
        .get(format!("{}/scim/v2/tenants/org-43/Users", h.origin()))
        .bearer_auth("bearer-tok")
        .send()
        .await
        .unwrap();
    assert_eq!(other.status(), StatusCode::NOT_FOUND);
    let spc: Value = client
        .get(format!("{}/ServiceProviderConfig", h.base_url()))
        .bearer_auth("bearer-tok")
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let schemes: Vec<&str> = spc["authenticationSchemes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["type"].as_str().unwrap())
        .collect();
    assert_eq!(schemes, vec!["oauthbearertoken", "httpbasic"]);
}

#[tokio::test]
async fn axis_and_generic_refuse_basic_auth() {
    for dialect in [Dialect::Axis, Dialect::Generic] {
        let h = SimTarget::start(
            SimConfig::new(dialect)
                .with_token("tok")
                .with_basic("k", "s"),
        )
        .await
        .unwrap();
        let client = Client::new();
        let url = format!("{}/Groups", h.base_url());
        assert_eq!(
            client
                .get(&url)
                .basic_auth("k", Some("s"))
                .send()
                .await
                .unwrap()
                .status(),
            StatusCode::UNAUTHORIZED
        );
        assert_eq!(
            client
                .get(&url)
                .bearer_auth("tok")
                .send()
                .await
                .unwrap()
                .status(),
            StatusCode::OK
        );
        assert_eq!(h.dialect(), dialect);
    }
}

#[tokio::test]
async fn spawn_in_thread_serves_without_a_caller_runtime_and_stops_on_drop() {
    let handle = std::thread::spawn(|| {
        // a plain thread with no tokio runtime
        let h = SimTarget::spawn_in_thread(SimConfig::new(Dialect::Axis)).unwrap();
        h.seed_users(vec![json!({"userName": "z@example.com"})])
            .unwrap();
        (h.base_url().to_string(), h.auth_header(), h)
    })
    .join()
    .unwrap();
    let (url, auth, h) = handle;
    let client = Client::new();
    let list: Value = client
        .get(format!("{url}/Users"))
        .header("Authorization", &auth)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(list["totalResults"], 1);
    drop(client);
    tokio::task::spawn_blocking(move || drop(h)).await.unwrap();
    let after = Client::new()
        .get(format!("{url}/Users"))
        .header("Authorization", &auth)
        .send()
        .await;
    assert!(after.is_err(), "server should be gone after drop");
}

#[tokio::test]
async fn explicit_shutdown_stops_the_server() {
    let h = SimTarget::start(SimConfig::new(Dialect::Generic))
        .await
        .unwrap();
    let url = format!("{}/ServiceProviderConfig", h.base_url());
    let auth = h.auth_header();
    let ok = Client::new()
        .get(&url)
        .header("Authorization", &auth)
        .send()
        .await
        .unwrap();
    assert_eq!(ok.status(), StatusCode::OK);
    h.shutdown().await;
    let after = Client::new()
        .get(&url)
        .header("Authorization", &auth)
        .send()
        .await;
    assert!(
        after.is_err(),
        "server should refuse connections after shutdown"
    );
}
