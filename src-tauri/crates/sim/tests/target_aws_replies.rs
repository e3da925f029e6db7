//! The AWS dialect answers in AWS's own wire shapes (docs/conformance.md, "AWS replies"), and
//! the project's SCIM client reads them: error bodies with `schema` and `schemas`,
//! `exceptionRequestId` and `timeStamp`; a ServiceProviderConfig announcing 50 results.

#![allow(clippy::unwrap_used)]

use reqwest::StatusCode;
use scim::models::{Name, User};
use scim::{Auth, Client, ClientConfig, Paging, Secret};
use serde_json::Value;
use sim::target::{Dialect, SimConfig, SimHandle, SimTarget};

const TOKEN: &str = "aws-replies-token";
const ERROR_URN: &str = "urn:ietf:params:scim:api:messages:2.0:Error";

async fn start() -> (SimHandle, Client) {
    let h = SimTarget::start(SimConfig::new(Dialect::Aws).with_token(TOKEN))
        .await
        .expect("start simulator");
    let mut cfg = ClientConfig::new(h.base_url(), Auth::Bearer(Secret::new(TOKEN)));
    // AWS pages with a cursor, as the `targets` profile configures it.
    cfg.paging = Paging::Cursor { page_size: 100 };
    let client = Client::new(cfg).expect("client");
    (h, client)
}

fn complete_user(user_name: &str) -> User {
    let mut u = User::new(user_name);
    u.display_name = Some("Ada Lovelace".into());
    u.name = Some(Name {
        given_name: Some("Ada".into()),
        family_name: Some("Lovelace".into()),
        ..Name::default()
    });
    u
}

#[tokio::test]
async fn service_provider_config_announces_fifty_results_and_the_client_reads_it() {
    let (h, client) = start().await;
    let raw: Value = reqwest::Client::new()
        .get(format!("{}/ServiceProviderConfig", h.base_url()))
        .header("Authorization", h.auth_header())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(raw["filter"]["maxResults"], 50);
    assert_eq!(
        raw["authenticationSchemes"][0]["specUri"],
        "https://www.rfc-editor.org/info/rfc6750"
    );
    let spc = client.service_provider_config().await.unwrap();
    assert_eq!(spc.max_results(), Some(50));
    assert_eq!(spc.etag.map(|e| e.supported), Some(false));
}

#[tokio::test]
async fn errors_carry_both_schema_spellings_and_the_client_decodes_them() {
    let (h, client) = start().await;
    client.create_user(&complete_user("ada")).await.unwrap();

    // The wire: AWS's body, no scimType, the status as a string.
    let resp = reqwest::Client::new()
        .post(format!("{}/Users", h.base_url()))
        .header("Authorization", h.auth_header())
        .json(&serde_json::to_value(complete_user("ADA")).unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::CONFLICT);
    let body: Value = resp.json().await.unwrap();
    assert_eq!(body["schema"][0], ERROR_URN);
    assert_eq!(body["schemas"][0], ERROR_URN);
    assert_eq!(body["status"], "409");
    assert!(body.get("scimType").is_none(), "{body}");
    assert!(body["exceptionRequestId"]
        .as_str()
        .is_some_and(|s| s.len() == 36));
    assert!(body["timeStamp"].is_string());

    // The client reads the 409 as a conflict (it has no scimType) and adopts the user that
    // holds the name, as it does on every target.
    let first = client.get_user(&body_id(&h)).await.unwrap();
    let again = client.create_user(&complete_user("Ada")).await.unwrap();
    assert!(again.adopted);
    assert_eq!(again.resource.id, first.id);

    // A user without names is a ValidationException the client reports with its detail.
    let err = client
        .create_user(&User::new("no-names"))
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(400));
    assert_eq!(err.vendor_error(), Some("ValidationException"));
    assert!(err.http().unwrap().detail.is_some(), "{err:?}");
}

fn body_id(h: &SimHandle) -> String {
    h.users()[0]["id"].as_str().unwrap().to_string()
}
