//! Group categories (JumpCloud takes over same-name groups) and membership
//! drift read from `members` arrays or from separately read memberships (AWS).

#![allow(clippy::unwrap_used)]

mod common;

use common::*;
use drift::{
    diff, Actual, CompareSpec, DriftCode, DriftRowKind as K, DriftRowState as S, Expected,
    MatchedBy,
};
use serde_json::json;

/// Two users, both pushed; one group "Eng" with both as members.
fn directory() -> (Expected, Actual) {
    let users = vec![
        user(1, "ann.lee@example.com"),
        user(2, "bob.ray@example.com"),
    ];
    let actual_users = users
        .iter()
        .enumerate()
        .map(|(i, u)| pushed(&u.resource, &format!("t{}", i + 1), &u.source_id))
        .collect();
    let e = Expected {
        users,
        groups: vec![group(100, "Eng", &[1, 2])],
        ..Default::default()
    };
    let a = Actual {
        users: actual_users,
        groups: vec![target_group("g1", Some(&jc(100)), "Eng", &["t1", "t2"])],
        memberships: vec![],
    };
    (e, a)
}

#[test]
fn identical_group_is_in_sync() {
    let (e, a) = directory();
    let d = run(&e, &a);
    assert!(drifted(&d).is_empty(), "{:?}", drifted(&d));
    assert_eq!(d.groups.in_sync.len(), 1);
    assert_eq!(d.summary.groups.in_sync, 1);
    assert!(d.memberships.is_empty());
}

#[test]
fn group_absent_from_target_is_missing() {
    let (e, mut a) = directory();
    a.groups.clear();
    let d = run(&e, &a);
    assert_eq!(
        drifted(&d),
        vec![(K::Group, S::Missing, jc(100), DriftCode::Missing)]
    );
}

#[test]
fn renamed_group_matched_by_external_id_is_changed() {
    let (e, mut a) = directory();
    edit(&mut a.groups[0])["displayName"] = json!("Engineering (old)");
    let d = run(&e, &a);
    assert_eq!(
        drifted(&d),
        vec![(K::Group, S::Changed, jc(100), DriftCode::Changed)]
    );
    assert_eq!(d.groups.changed[0].changes[0].path, "displayName");
}

#[test]
fn same_name_group_without_external_id_is_taken_over_and_linked() {
    let (e, mut a) = directory();
    edit(&mut a.groups[0])
        .as_object_mut()
        .unwrap()
        .remove("externalId");
    let d = run(&e, &a);
    assert_eq!(
        drifted(&d),
        vec![(K::Group, S::Changed, jc(100), DriftCode::Unlinked)]
    );
    assert_eq!(d.groups.changed[0].matched_by, Some(MatchedBy::DisplayName));
}

#[test]
fn same_name_group_of_someone_else_is_a_take_over_conflict() {
    let (e, mut a) = directory();
    edit(&mut a.groups[0])["externalId"] = json!("azure-123");
    let d = run(&e, &a);
    assert_eq!(
        drifted(&d),
        vec![(K::Group, S::Conflict, jc(100), DriftCode::TakeOver)]
    );
    assert!(d.groups.conflicts[0].reason.contains("azure-123"));
}

#[test]
fn group_names_match_with_case_only_when_configured() {
    let (e, mut a) = directory();
    edit(&mut a.groups[0])
        .as_object_mut()
        .unwrap()
        .remove("externalId");
    edit(&mut a.groups[0])["displayName"] = json!("ENG");
    let d = run(&e, &a);
    assert_eq!(d.groups.missing.len(), 1);
    assert_eq!(d.groups.extra.unmanaged.len(), 1);

    let mut spec = CompareSpec::jumpcloud_default();
    spec.group_case_insensitive = vec!["displayName".parse().unwrap()];
    let d = diff(&e, &a, &spec, &known_from(&e));
    assert_eq!(d.groups.changed.len(), 1);
    assert_eq!(d.groups.changed[0].reason_code, DriftCode::Unlinked);
    assert_eq!(
        d.groups.changed[0].changes.len(),
        1,
        "only externalId: {:?}",
        d.groups.changed[0].changes
    );
}

#[test]
fn extra_groups_are_split_into_unmanaged_deleted_and_unbound() {
    let (e, mut a) = directory();
    a.groups.push(target_group("g2", None, "Admins", &[]));
    a.groups
        .push(target_group("g3", Some(&jc(300)), "Old team", &[]));
    a.groups
        .push(target_group("g4", Some(&jc(400)), "Unbound", &[]));
    a.groups
        .push(target_group("g5", Some("okta-1"), "Foreign", &[]));
    let mut known = known_from(&e);
    known.group_ids.insert(jc(400));
    let d = diff(&e, &a, &CompareSpec::jumpcloud_default(), &known);
    let codes = |v: &Vec<drift::DriftEntry>| {
        v.iter()
            .map(|x| (x.label.clone(), x.reason_code))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        codes(&d.groups.extra.unmanaged),
        vec![
            ("Admins".into(), DriftCode::NoExternalId),
            ("Foreign".into(), DriftCode::ForeignExternalId)
        ]
    );
    // Deleted in JumpCloud: JumpCloud deletes it too, so it is drift.
    assert_eq!(
        codes(&d.groups.extra.formerly_managed),
        vec![("Old team".into(), DriftCode::SourceIdNotInDirectory)]
    );
    // Unbound from the app: JumpCloud stops managing it and keeps it.
    assert_eq!(
        codes(&d.groups.left_as_is),
        vec![("Unbound".into(), DriftCode::OutOfScope)]
    );
    assert!(d.groups.left_as_is[0].reason.contains("no longer managed"));
    assert_eq!(d.summary.groups.extra_unmanaged, 2);
    assert_eq!(d.summary.groups.extra_formerly_managed, 1);
    assert_eq!(d.summary.groups.drifted(), 1);
    let states: Vec<(String, S)> = d
        .rows()
        .into_iter()
        .filter(|r| r.kind == K::Group && r.state != S::InSync)
        .map(|r| (r.label, r.state))
        .collect();
    assert_eq!(
        states,
        vec![
            ("Unbound".into(), S::LeftAsIs),
            ("Admins".into(), S::Unmanaged),
            ("Foreign".into(), S::Unmanaged),
            ("Old team".into(), S::Extra),
        ]
    );
}

#[test]
fn membership_missing_and_extra_from_members_array() {
    let (mut e, mut a) = directory();
    e.groups[0].member_source_ids = vec![jc(1)];
    a.groups[0] = target_group("g1", Some(&jc(100)), "Eng", &["t2"]);
    let d = run(&e, &a);
    assert_eq!(
        drifted(&d),
        vec![
            (
                K::Membership,
                S::Extra,
                format!("{}/{}", jc(100), jc(2)),
                DriftCode::MemberToRemove
            ),
            (
                K::Membership,
                S::Missing,
                format!("{}/{}", jc(100), jc(1)),
                DriftCode::MemberToAdd
            ),
        ]
    );
    let m = &d.memberships[0];
    assert_eq!(m.group_target_id, "g1");
    assert_eq!(m.add[0].user_target_id.as_deref(), Some("t1"));
    assert_eq!(m.remove[0].user_target_id.as_deref(), Some("t2"));
    assert_eq!(d.summary.memberships_to_add, 1);
    assert_eq!(d.summary.memberships_to_remove, 1);
    assert_eq!(d.summary.groups_with_membership_drift, 1);
    // The group's own attributes are still in sync.
    assert_eq!(d.groups.in_sync.len(), 1);
}

#[test]
fn memberships_read_separately_are_used_when_members_are_empty() {
    let (e, mut a) = directory();
    edit(&mut a.groups[0])["members"] = json!([]);
    a.memberships = vec![("g1".into(), "t1".into()), ("g1".into(), "t2".into())];
    assert!(drifted(&run(&e, &a)).is_empty());

    a.memberships.pop();
    let d = run(&e, &a);
    assert_eq!(
        drifted(&d),
        vec![(
            K::Membership,
            S::Missing,
            format!("{}/{}", jc(100), jc(2)),
            DriftCode::MemberToAdd
        )]
    );
}

#[test]
fn member_order_and_duplicates_do_not_drift() {
    let (e, mut a) = directory();
    a.groups[0] = target_group("g1", Some(&jc(100)), "Eng", &["t2", "t1", "t2"]);
    a.memberships = vec![("g1".into(), "t1".into())];
    assert!(drifted(&run(&e, &a)).is_empty());
}

#[test]
fn member_whose_user_is_missing_is_added_after_creation() {
    let (mut e, a) = directory();
    e.users.push(user(3, "cat.kim@example.com"));
    e.groups[0].member_source_ids.push(jc(3));
    let d = run(&e, &a);
    assert_eq!(
        drifted(&d),
        vec![
            (
                K::Membership,
                S::Missing,
                format!("{}/{}", jc(100), jc(3)),
                DriftCode::MemberToAddAfterUserCreate
            ),
            (K::User, S::Missing, jc(3), DriftCode::Missing),
        ]
    );
    assert_eq!(d.memberships[0].add[0].user_target_id, None);
}

#[test]
fn members_not_provisioned_by_jumpcloud_are_removed_as_unmanaged() {
    let (e, mut a) = directory();
    a.users
        .push(json!({"id": "t9", "userName": "local@example.com"}).into());
    a.groups[0] = target_group("g1", Some(&jc(100)), "Eng", &["t1", "t2", "t9", "dangling"]);
    let d = run(&e, &a);
    let remove = &d.memberships[0].remove;
    let got: Vec<_> = remove
        .iter()
        .map(|r| (r.label.as_str(), r.reason_code))
        .collect();
    assert_eq!(
        got,
        vec![
            ("dangling", DriftCode::UnmanagedMemberToRemove),
            ("local@example.com", DriftCode::UnmanagedMemberToRemove)
        ]
    );
}

#[test]
fn members_that_are_not_provisioned_are_not_expected_in_the_target() {
    let (mut e, a) = directory();
    // jc(8) is not an expected user (e.g. ineligible): no membership to add.
    e.groups[0].member_source_ids.push(jc(8));
    assert!(drifted(&run(&e, &a)).is_empty());
}

#[test]
fn taken_over_group_still_gets_membership_drift() {
    let (e, mut a) = directory();
    a.groups[0] = target_group("g1", Some("azure-1"), "Eng", &["t1"]);
    let d = run(&e, &a);
    assert_eq!(d.groups.conflicts.len(), 1);
    assert_eq!(d.memberships[0].add.len(), 1);
}

#[test]
fn rows_cover_every_category_once() {
    let (mut e, mut a) = directory();
    e.groups.push(group(101, "Ops", &[1]));
    a.groups.push(target_group("g9", None, "Local", &[]));
    a.groups[0] = target_group("g1", Some(&jc(100)), "Eng", &["t1"]);
    let d = run(&e, &a);
    let rows = d.rows();
    let users = rows.iter().filter(|r| r.kind == K::User).count();
    let groups = rows.iter().filter(|r| r.kind == K::Group).count();
    let members = rows.iter().filter(|r| r.kind == K::Membership).count();
    assert_eq!((users, groups, members), (2, 3, 1));
    let group_rows: Vec<_> = rows
        .iter()
        .filter(|r| r.kind == K::Group)
        .map(|r| (r.label.as_str(), r.state))
        .collect();
    assert_eq!(
        group_rows,
        vec![
            ("Eng", S::InSync),
            ("Ops", S::Missing),
            ("Local", S::Unmanaged)
        ]
    );
    let m = rows.iter().find(|r| r.kind == K::Membership).unwrap();
    assert_eq!(m.label, "Eng: bob.ray@example.com");
}

#[test]
fn drift_serialises_for_the_ui() {
    let (e, mut a) = directory();
    edit(&mut a.users[0])["title"] = json!("Boss");
    let d = run(&e, &a);
    let v = serde_json::to_value(&d).unwrap();
    assert_eq!(v["users"]["changed"][0]["reason_code"], "changed");
    assert_eq!(v["users"]["changed"][0]["changes"][0]["path"], "title");
    assert!(
        v["users"]["in_sync"][0].get("changes").is_none(),
        "empty vectors are omitted"
    );
    let back: drift::Drift = serde_json::from_value(v).unwrap();
    assert_eq!(back, d);
    let row = serde_json::to_value(&d.rows()[0]).unwrap();
    assert_eq!(row["kind"], "user");
}

#[test]
fn a_bound_group_that_lost_every_member_keeps_its_place_and_loses_its_members() {
    let (mut e, a) = directory();
    // Eng (g1) exists in the target with members; in JumpCloud it has none left.
    e.groups[0].member_source_ids.clear();
    e.groups[0].not_created_because = vec![drift::DriftReason {
        code: "empty_group".into(),
        text: "no members: JumpCloud does not create empty groups".into(),
    }];
    let d = run(&e, &a);
    assert!(
        d.groups.extra.formerly_managed.is_empty(),
        "never a delete candidate"
    );
    assert_eq!(d.groups.in_sync.len(), 1);
    let removed: Vec<_> = d.memberships.iter().flat_map(|m| &m.remove).collect();
    assert!(!removed.is_empty());
    assert!(removed
        .iter()
        .all(|c| c.reason_code == DriftCode::MemberToRemove));
}

#[test]
fn an_empty_bound_group_the_target_lacks_is_not_created() {
    let (mut e, a) = directory();
    let mut g = group(102, "Nobody", &[]);
    g.not_created_because = vec![drift::DriftReason {
        code: "empty_group".into(),
        text: "no members: JumpCloud does not create empty groups".into(),
    }];
    e.groups.push(g);
    let d = run(&e, &a);
    assert!(d.groups.missing.is_empty());
    assert_eq!(
        drifted(&d),
        vec![(K::Group, S::Ineligible, jc(102), DriftCode::Ineligible)]
    );
    assert_eq!(d.groups.ineligible[0].source_reasons[0].code, "empty_group");
}

#[test]
fn members_of_users_not_provisioned_while_inactive_are_left_as_is() {
    let (mut e, a) = directory();
    let mut u = user(9, "zoe.kim@example.com");
    edit(&mut u.resource)["active"] = json!(false);
    e.users.push(u);
    e.groups[0].member_source_ids.push(jc(9));
    let d = run(&e, &a);
    assert_eq!(
        drifted(&d),
        vec![
            (
                K::Membership,
                S::LeftAsIs,
                format!("{}/{}", jc(100), jc(9)),
                DriftCode::MemberNotProvisioned
            ),
            (K::User, S::LeftAsIs, jc(9), DriftCode::MissingInactive),
        ]
    );
    assert_eq!(d.summary.memberships_to_add, 0);
}
