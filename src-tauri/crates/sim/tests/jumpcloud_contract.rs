//! Contract test: every simulator response validates against the JSON schema JumpCloud publishes for
//! it (Swagger 2.0 definitions in src-tauri/crates/jumpcloud/specs, from TheJumpCloud/jcapi-powershell),
//! so the simulator, and the wire types it shares with the client, cannot drift from JumpCloud.

#![allow(clippy::unwrap_used)]

use std::path::PathBuf;

use serde_json::{json, Value};
use sim::jumpcloud::{demo_directory, SimConfig, SimServer};

fn spec_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../jumpcloud/specs")
}

/// The specs ship with the repository, so a missing file is a failure, never a skip.
fn load_spec(file: &str) -> Option<Value> {
    let path = spec_dir().join(file);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("JumpCloud spec {} not readable: {e}", path.display()));
    Some(serde_json::from_str(&text).expect("spec is JSON"))
}

/// A schema `{...wrapper, definitions: <all spec definitions>}` so `#/definitions/...` refs resolve.
fn schema(spec: &Value, wrapper: Value) -> jsonschema::Validator {
    let mut schema = wrapper;
    schema["definitions"] = spec["definitions"].clone();
    jsonschema::draft4::new(&schema).expect("spec definitions compile as draft-4 schemas")
}

fn def(name: &str) -> Value {
    json!({ "$ref": format!("#/definitions/{name}") })
}

fn array_of(name: &str) -> Value {
    json!({ "type": "array", "items": def(name) })
}

fn assert_valid(validator: &jsonschema::Validator, instance: &Value, what: &str) {
    let errors: Vec<String> = validator
        .iter_errors(instance)
        .take(5)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "{what} violates the JumpCloud spec: {errors:#?}"
    );
}

#[tokio::test]
async fn simulator_responses_match_the_published_schemas() {
    let (Some(v1), Some(v2)) = (
        load_spec("JumpCloud.SDK.V1.json"),
        load_spec("JumpCloud.SDK.V2.json"),
    ) else {
        return;
    };
    // Sanity: the definitions we validate against exist under these names.
    for name in [
        "systemuserslist",
        "systemuserreturn",
        "applicationslist",
        "organizationslist",
    ] {
        assert!(
            v1["definitions"].get(name).is_some(),
            "V1 spec lacks {name}"
        );
    }
    for name in ["UserGroup", "GraphConnection", "GraphObjectWithPaths"] {
        assert!(
            v2["definitions"].get(name).is_some(),
            "V2 spec lacks {name}"
        );
    }

    let demo = demo_directory();
    let server = SimServer::start(demo.clone(), SimConfig::default())
        .await
        .unwrap();
    let http = reqwest::Client::new();
    let get = |path: String| {
        let req = http
            .get(format!("{}{path}", server.base_url()))
            .header("x-api-key", server.api_key());
        async move {
            let resp = req.send().await.unwrap();
            assert!(resp.status().is_success(), "{path}: {}", resp.status());
            resp.json::<Value>().await.unwrap()
        }
    };

    let group = &demo.groups[0]; // "All Staff": nested groups, so multi-edge paths appear
    let app = demo
        .applications
        .iter()
        .find(|a| a.label() == "Unity Cloud")
        .unwrap(); // direct user and group bindings
    let cases = [
        (
            "/api/systemusers?limit=100".to_string(),
            schema(&v1, def("systemuserslist")),
        ),
        (
            "/api/applications?limit=100".to_string(),
            schema(&v1, def("applicationslist")),
        ),
        (
            "/api/organizations".to_string(),
            schema(&v1, def("organizationslist")),
        ),
        (
            "/api/v2/usergroups?limit=100".to_string(),
            schema(&v2, array_of("UserGroup")),
        ),
        (
            format!("/api/v2/usergroups/{}/members?limit=100", group.id),
            schema(&v2, array_of("GraphConnection")),
        ),
        (
            format!("/api/v2/usergroups/{}/membership?limit=100", group.id),
            schema(&v2, array_of("GraphObjectWithPaths")),
        ),
        (
            format!("/api/v2/applications/{}/usergroups", app.id),
            schema(&v2, array_of("GraphObjectWithPaths")),
        ),
        (
            format!("/api/v2/applications/{}/users?limit=100", app.id),
            schema(&v2, array_of("GraphObjectWithPaths")),
        ),
    ];
    for (path, validator) in &cases {
        let body = get(path.clone()).await;
        assert!(
            body.as_array().map(|a| !a.is_empty()).unwrap_or(true),
            "{path} returned an empty list: nothing was checked"
        );
        assert_valid(validator, &body, path);
    }

    // The check can fail: a user with a wrongly typed field must be rejected.
    let users = get("/api/systemusers?limit=1".into()).await;
    let mut broken = users.clone();
    broken["results"][0]["suspended"] = json!("no");
    broken["results"][0]["state"] = json!("RETIRED");
    let v = schema(&v1, def("systemuserslist"));
    assert_eq!(v.iter_errors(&broken).count(), 2);
    let mut broken = get(format!("/api/v2/usergroups/{}/members", group.id)).await;
    broken[0].as_object_mut().unwrap().remove("to");
    assert!(!schema(&v2, array_of("GraphConnection")).is_valid(&broken));
}
