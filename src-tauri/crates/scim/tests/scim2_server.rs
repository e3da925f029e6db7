//! Every client operation against a real scim2-server, asserting server state.

#![allow(clippy::unwrap_used)]

mod common;

use std::collections::BTreeSet;

use common::{user, ScimServer};
use scim::models::{EnterpriseUser, Group, Manager, MultiValuedAttr, PatchOp, PatchOperation};
use scim::{
    Auth, CancellationToken, Client, DeactivateForm, DeleteOutcome, Error, Filter, MembershipRead,
    Secret,
};
use serde_json::json;

fn ids_of(users: &[scim::models::User]) -> Vec<String> {
    users.iter().map(|u| u.id.clone().expect("id")).collect()
}

#[tokio::test]
async fn discovery_reads_config_schemas_and_resource_types() {
    let server = ScimServer::start();
    let client = server.client();
    let spc = client.service_provider_config().await.unwrap();
    assert!(spc.patch.as_ref().is_some_and(|p| p.supported));
    assert!(spc.max_results().is_some());
    let schemas = client.schemas().await.unwrap();
    let ids: BTreeSet<_> = schemas.iter().map(|s| s.id.as_str()).collect();
    assert!(ids.contains(scim::models::urn::USER), "{ids:?}");
    assert!(ids.contains(scim::models::urn::GROUP));
    let user_schema = schemas
        .iter()
        .find(|s| s.id == scim::models::urn::USER)
        .unwrap();
    assert!(user_schema.attributes.iter().any(|a| a.name == "userName"));
    client.create_user(&user("probe")).await.unwrap();
    let check = client.check_connection().await.unwrap();
    assert_eq!(check.users_total, Some(1));
    client.create_group(&Group::new("g")).await.unwrap();
    client.create_group(&Group::new("h")).await.unwrap();
    assert_eq!(client.count::<scim::models::User>().await.unwrap(), Some(1));
    assert_eq!(client.count::<Group>().await.unwrap(), Some(2));
    let types = client.resource_types().await.unwrap();
    let names: BTreeSet<_> = types.iter().map(|t| t.name.as_str()).collect();
    assert!(
        names.contains("User") && names.contains("Group"),
        "{names:?}"
    );
}

#[tokio::test]
async fn wrong_token_is_401_with_hint_and_no_token_in_text() {
    let server = ScimServer::start();
    let mut cfg = server.config();
    cfg.auth = Auth::Bearer(Secret::new("wrong-token-zz9"));
    let client = Client::new(cfg.clone()).unwrap();
    let err = client.list_all_users(None).await.unwrap_err();
    assert_eq!(err.status(), Some(401));
    assert_eq!(
        client.check_connection().await.unwrap_err().status(),
        Some(401)
    );
    assert!(err.hint().contains("token"));
    for text in [
        format!("{err}"),
        format!("{err:?}"),
        format!("{cfg:?}"),
        format!("{client:?}"),
    ] {
        assert!(!text.contains("wrong-token-zz9"), "token leaked: {text}");
    }
}

#[tokio::test]
async fn create_and_get_user_with_enterprise_extension() {
    let server = ScimServer::start();
    let client = server.client();
    let mut u = user("bjensen");
    u.schemas
        .push(scim::models::urn::ENTERPRISE_USER.to_owned());
    u.external_id = Some("jc-701984".into());
    u.emails = vec![MultiValuedAttr {
        value: Some("bjensen@example.com".into()),
        kind: Some("work".into()),
        primary: Some(true),
        ..Default::default()
    }];
    u.enterprise = Some(EnterpriseUser {
        employee_number: Some("701984".into()),
        department: Some("Tour Operations".into()),
        manager: Some(Manager {
            value: Some("26118915".into()),
            ..Default::default()
        }),
        ..Default::default()
    });
    let created = client.create_user(&u).await.unwrap();
    assert!(!created.adopted);
    let id = created.resource.id.clone().expect("server assigns id");
    let got = client.get_user(&id).await.unwrap();
    assert_eq!(got.user_name, "bjensen");
    assert_eq!(got.external_id.as_deref(), Some("jc-701984"));
    assert_eq!(got.primary_email(), Some("bjensen@example.com"));
    let ent = got.enterprise.expect("enterprise extension stored");
    assert_eq!(ent.employee_number.as_deref(), Some("701984"));
    assert_eq!(
        ent.manager.and_then(|m| m.value).as_deref(),
        Some("26118915")
    );
}

#[tokio::test]
async fn list_all_pages_through_every_user_with_small_count() {
    let server = ScimServer::start();
    let client = server.client_with_page_size(5);
    let mut created = BTreeSet::new();
    for i in 0..23 {
        let c = client
            .create_user(&user(&format!("pager{i:02}")))
            .await
            .unwrap();
        created.insert(c.resource.id.unwrap());
    }
    let before = client.stats().requests;
    let all = client.list_all_users(None).await.unwrap();
    let listed: BTreeSet<_> = ids_of(&all).into_iter().collect();
    assert_eq!(all.len(), 23, "no duplicates");
    assert_eq!(listed, created);
    // 23 users in pages of 5: exactly 5 requests, stopping at totalResults.
    assert_eq!(client.stats().requests - before, 5);
}

#[tokio::test]
async fn filter_finds_values_with_quotes_and_backslashes() {
    let server = ScimServer::start();
    let client = server.client();
    for name in ["plain", r#"o"brien\x"#] {
        let mut u = user(name);
        u.display_name = Some(format!(r#"The "{name}" \ user"#));
        client.create_user(&u).await.unwrap();
    }
    let found = client
        .list_all_users(Some(&Filter::eq("userName", r#"o"brien\x"#)))
        .await
        .unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].user_name, r#"o"brien\x"#);
    let by_display = client
        .list_all_users(Some(&Filter::eq("displayName", r#"The "plain" \ user"#)))
        .await
        .unwrap();
    assert_eq!(ids_of(&by_display).len(), 1);
    assert_eq!(by_display[0].user_name, "plain");
    let none = client.find_user_by_user_name("nobody").await.unwrap();
    assert!(none.is_none());
}

#[tokio::test]
async fn replace_and_patch_change_server_state() {
    let server = ScimServer::start();
    let client = server.client();
    let id = client
        .create_user(&user("carol"))
        .await
        .unwrap()
        .resource
        .id
        .unwrap();

    let mut replacement = user("carol");
    replacement.display_name = Some("Carol Replaced".into());
    replacement.title = Some("Engineer".into());
    let put = client.replace_user(&id, &replacement).await.unwrap();
    assert_eq!(put.display_name.as_deref(), Some("Carol Replaced"));
    let got = client.get_user(&id).await.unwrap();
    assert_eq!(got.title.as_deref(), Some("Engineer"));

    let op = PatchOp::new(vec![PatchOperation::replace(
        Some("displayName"),
        json!("Carol Patched"),
    )]);
    client.patch_user(&id, &op).await.unwrap();
    let got = client.get_user(&id).await.unwrap();
    assert_eq!(got.display_name.as_deref(), Some("Carol Patched"));
    assert_eq!(
        got.title.as_deref(),
        Some("Engineer"),
        "patch leaves other attributes"
    );
}

#[tokio::test]
async fn deactivate_in_both_patch_forms() {
    let server = ScimServer::start();
    for form in [DeactivateForm::PatchPath, DeactivateForm::PatchValueObject] {
        let mut cfg = server.config();
        cfg.dialect.deactivate = form;
        let client = Client::new(cfg).unwrap();
        let id = client
            .create_user(&user(&format!("deact-{form:?}")))
            .await
            .unwrap()
            .resource
            .id
            .unwrap();
        assert_eq!(client.get_user(&id).await.unwrap().active, Some(true));
        client.deactivate_user(&id).await.unwrap();
        assert_eq!(
            client.get_user(&id).await.unwrap().active,
            Some(false),
            "{form:?}"
        );
    }
}

#[tokio::test]
async fn deactivate_by_delete_removes_the_user() {
    let server = ScimServer::start();
    let mut cfg = server.config();
    cfg.dialect.deactivate = DeactivateForm::Delete;
    let client = Client::new(cfg).unwrap();
    let id = client
        .create_user(&user("unity"))
        .await
        .unwrap()
        .resource
        .id
        .unwrap();
    client.deactivate_user(&id).await.unwrap();
    assert!(client.get_user(&id).await.unwrap_err().is_not_found());
}

#[tokio::test]
async fn delete_then_delete_again_counts_as_done() {
    let server = ScimServer::start();
    let client = server.client();
    let id = client
        .create_user(&user("dave"))
        .await
        .unwrap()
        .resource
        .id
        .unwrap();
    assert_eq!(
        client.delete_user(&id).await.unwrap(),
        DeleteOutcome::Deleted
    );
    let err = client.get_user(&id).await.unwrap_err();
    assert!(err.is_not_found());
    assert!(err.hint().contains("no longer exists"), "{}", err.hint());
    assert_eq!(
        client.delete_user(&id).await.unwrap(),
        DeleteOutcome::AlreadyGone
    );
    let gid = client
        .create_group(&Group::new("tmp"))
        .await
        .unwrap()
        .resource
        .id
        .unwrap();
    assert_eq!(
        client.delete_group(&gid).await.unwrap(),
        DeleteOutcome::Deleted
    );
    assert_eq!(
        client.delete_group(&gid).await.unwrap(),
        DeleteOutcome::AlreadyGone
    );
}

#[tokio::test]
async fn conflict_on_create_adopts_the_existing_object() {
    let server = ScimServer::start();
    let client = server.client();
    let first = client.create_user(&user("erin")).await.unwrap();
    let again = client.create_user(&user("erin")).await.unwrap();
    assert!(again.adopted);
    assert_eq!(again.resource.id, first.resource.id);
    assert_eq!(client.list_all_users(None).await.unwrap().len(), 1);
    // scim2-server does not enforce unique group names; the group 409 path
    // is covered by the fault server in faults.rs.
}

#[tokio::test]
async fn group_membership_patches_are_chunked_and_read_back_three_ways() {
    let server = ScimServer::start();
    let mut cfg = server.config();
    cfg.dialect.membership.max_changes_per_request = 3;
    let client = Client::new(cfg.clone()).unwrap();
    let mut uids = Vec::new();
    for i in 0..7 {
        uids.push(
            client
                .create_user(&user(&format!("m{i}")))
                .await
                .unwrap()
                .resource
                .id
                .unwrap(),
        );
    }
    let gid = client
        .create_group(&Group::new("Engineering"))
        .await
        .unwrap()
        .resource
        .id
        .unwrap();
    let other = client
        .create_group(&Group::new("Empty"))
        .await
        .unwrap()
        .resource
        .id
        .unwrap();

    let before = client.stats().requests;
    assert_eq!(client.add_group_members(&gid, &uids).await.unwrap(), 3);
    assert_eq!(client.stats().requests - before, 3, "7 adds in chunks of 3");
    let members: BTreeSet<_> = client
        .get_group(&gid)
        .await
        .unwrap()
        .members
        .into_iter()
        .map(|m| m.value)
        .collect();
    assert_eq!(members, uids.iter().cloned().collect());

    // Remove 5 in the filter-path form: 2 requests. (scim2-server refuses the
    // value-list form; faults.rs checks that body.)
    assert_eq!(
        client.remove_group_members(&gid, &uids[..5]).await.unwrap(),
        2
    );
    let expected: BTreeSet<String> = uids[5..].iter().cloned().collect();
    let group = client.get_group(&gid).await.unwrap();
    let members: BTreeSet<_> = group.members.iter().map(|m| m.value.clone()).collect();
    assert_eq!(members, expected);

    // All three read strategies agree.
    let groups = client.list_all_groups(None).await.unwrap();
    for read in [
        MembershipRead::Inline,
        MembershipRead::FilterByMember,
        MembershipRead::FilterByIdAndMember,
    ] {
        let mut c = cfg.clone();
        c.dialect.membership_read = read;
        c.max_concurrency = 2;
        let m = Client::new(c)
            .unwrap()
            .group_memberships(&groups, &uids)
            .await
            .unwrap();
        assert_eq!(m.get(&gid), Some(&expected), "{read:?}");
        assert_eq!(m.get(&other), Some(&BTreeSet::new()), "{read:?}");
    }
}

#[tokio::test]
async fn replace_all_members_where_allowed_and_refused_where_not() {
    let server = ScimServer::start();
    let mut cfg = server.config();
    cfg.dialect.membership.max_changes_per_request = 2;
    let client = Client::new(cfg.clone()).unwrap();
    let mut uids = Vec::new();
    for i in 0..5 {
        uids.push(
            client
                .create_user(&user(&format!("r{i}")))
                .await
                .unwrap()
                .resource
                .id
                .unwrap(),
        );
    }
    let gid = client
        .create_group(&Group::new("Ops"))
        .await
        .unwrap()
        .resource
        .id
        .unwrap();
    client.add_group_members(&gid, &uids[..2]).await.unwrap();
    // 3 members: a replace with 2, then one add.
    assert_eq!(
        client
            .replace_group_members(&gid, &uids[2..])
            .await
            .unwrap(),
        2
    );
    let members: BTreeSet<_> = client
        .get_group(&gid)
        .await
        .unwrap()
        .members
        .into_iter()
        .map(|m| m.value)
        .collect();
    assert_eq!(members, uids[2..].iter().cloned().collect());

    cfg.dialect.membership.allow_replace_all = false;
    let aws_like = Client::new(cfg).unwrap();
    let err = aws_like
        .replace_group_members(&gid, &uids[..1])
        .await
        .unwrap_err();
    assert!(matches!(err, Error::ReplaceAllForbidden));
    assert_eq!(aws_like.stats().requests, 0, "refused before sending");
}

#[tokio::test]
async fn cancelled_token_stops_requests() {
    let server = ScimServer::start();
    let token = CancellationToken::new();
    let client = server.client().with_cancellation(token.clone());
    token.cancel();
    let err = client.list_all_users(None).await.unwrap_err();
    assert!(matches!(err, Error::Cancelled));
    assert_eq!(client.stats().requests, 0);
}
