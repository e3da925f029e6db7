//! Dialect write forms: StrongDM deactivation, chunked member changes, AWS membership
//! filters, adopting on conflict.

use super::*;

#[tokio::test]
async fn strongdm_deactivation_sends_a_value_object() {
    let fault = Fault::start(|_, _| reply(204, "application/scim+json", "")).await;
    let mut cfg = fault.config();
    cfg.dialect.deactivate = DeactivateForm::PatchValueObject;
    Client::new(cfg)
        .unwrap()
        .deactivate_user("a-123")
        .await
        .unwrap();
    let s = &fault.seen()[0];
    assert_eq!(s.method, Method::PATCH);
    assert_eq!(s.path, "/scim/v2/Users/a-123");
    assert_eq!(
        s.json(),
        json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
               "Operations": [{"op": "replace", "value": {"active": false}}]})
    );
    assert_eq!(s.headers["content-type"], "application/scim+json");
}

#[tokio::test]
async fn value_list_removal_and_adds_are_chunked_to_100() {
    let fault = Fault::start(|_, _| reply(204, "application/scim+json", "")).await;
    let mut cfg = fault.config();
    cfg.dialect.membership.remove_form = MemberRemoveForm::ValueList;
    let client = Client::new(cfg).unwrap();
    let ids: Vec<String> = (0..250).map(|i| format!("u{i}")).collect();
    assert_eq!(client.add_group_members("g1", &ids).await.unwrap(), 3);
    assert_eq!(
        client
            .remove_group_members("g1", &ids[..120])
            .await
            .unwrap(),
        2
    );
    let seen = fault.seen();
    let sizes: Vec<usize> = seen
        .iter()
        .map(|s| s.json()["Operations"][0]["value"].as_array().unwrap().len())
        .collect();
    assert_eq!(sizes, [100, 100, 50, 100, 20]);
    let removal = seen[3].json();
    assert_eq!(removal["Operations"][0]["op"], "remove");
    assert_eq!(removal["Operations"][0]["path"], "members");
    assert_eq!(removal["Operations"][0]["value"][0], json!({"value": "u0"}));
}

#[tokio::test]
async fn aws_memberships_use_member_filters_with_bounded_concurrency() {
    // AWS returns empty members; membership comes from filtered ListGroups.
    let fault = Fault::start(|seen, _| {
        let filter = seen.param("filter").unwrap().to_owned();
        let groups = match filter.as_str() {
            r#"members eq "u1""# | r#"members eq "u3""# => {
                vec![json!({"id": "g1", "displayName": "G1", "members": []})]
            }
            _ => vec![],
        };
        delayed(
            scim(
                200,
                json!({"itemsPerPage": groups.len(), "Resources": groups}),
            ),
            Duration::from_millis(60),
        )
    })
    .await;
    let mut cfg = fault.config();
    cfg.paging = Paging::Cursor { page_size: 100 };
    cfg.dialect.membership_read = MembershipRead::FilterByMember;
    cfg.max_concurrency = 2;
    let client = Client::new(cfg).unwrap();
    let groups: Vec<Group> = vec![
        serde_json::from_value(json!({"id": "g1", "displayName": "G1"})).unwrap(),
        serde_json::from_value(json!({"id": "g2", "displayName": "G2"})).unwrap(),
    ];
    let users: Vec<String> = (0..8).map(|i| format!("u{i}")).collect();
    let m = client.group_memberships(&groups, &users).await.unwrap();
    assert_eq!(m["g1"].iter().collect::<Vec<_>>(), ["u1", "u3"]);
    assert!(m["g2"].is_empty());
    assert_eq!(fault.seen().len(), 8, "one lookup per user");
    assert!(fault
        .seen()
        .iter()
        .all(|s| s.path == "/scim/v2/Groups" && s.param("startIndex").is_none()));
    assert_eq!(
        fault.in_flight_max.load(Ordering::SeqCst),
        2,
        "at most max_concurrency in flight"
    );
}

#[tokio::test]
async fn group_conflict_adopts_by_display_name() {
    let fault = Fault::start(|seen, _| match seen.method {
        Method::POST => with_header(
            scim(409, json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:Error"], "status": "409", "detail": "Duplicate GroupDisplayName"})),
            "x-amzn-ErrorType",
            "ConflictException",
        ),
        _ => {
            assert_eq!(seen.param("filter"), Some(r#"displayName eq "Admins""#));
            scim(200, json!({"totalResults": 1, "Resources": [{"id": "g-9", "displayName": "Admins"}]}))
        }
    })
    .await;
    let created = fault
        .client()
        .create_group(&Group::new("Admins"))
        .await
        .unwrap();
    assert!(created.adopted);
    assert_eq!(created.resource.id.as_deref(), Some("g-9"));
}

#[tokio::test]
async fn conflict_without_a_findable_object_is_a_typed_error() {
    let fault = Fault::start(|seen, _| match seen.method {
        Method::POST => scim(409, json!({"status": 409, "scimType": "uniqueness"})),
        _ => scim(200, json!({"totalResults": 0, "Resources": []})),
    })
    .await;
    let err = fault
        .client()
        .create_user(&User::new("ghost"))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::AdoptNotFound { key, .. } if key == "ghost"),
        "{err:?}"
    );
}
