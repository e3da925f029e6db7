//! User categories: in sync, missing, changed, extra (unmanaged / formerly
//! managed), deactivate, ineligible, conflicts, and the matching order.

#![allow(clippy::unwrap_used)]

mod common;

use common::*;
use drift::{
    diff, Actual, CompareSpec, DriftCode, DriftReason, DriftRowKind as K, DriftRowState as S,
    Expected, Ineligible, KnownSources, MatchedBy,
};
use serde_json::json;

fn one_user() -> (Expected, Actual) {
    let u = user(1, "ann.lee@example.com");
    let actual = Actual {
        users: vec![pushed(&u.resource, "t1", &u.source_id)],
        ..Default::default()
    };
    (
        Expected {
            users: vec![u],
            ..Default::default()
        },
        actual,
    )
}

#[test]
fn identical_user_is_in_sync_and_matched_by_external_id() {
    let (e, a) = one_user();
    let d = run(&e, &a);
    assert_eq!(d.users.in_sync.len(), 1);
    assert_eq!(d.users.in_sync[0].matched_by, Some(MatchedBy::ExternalId));
    assert_eq!(d.users.in_sync[0].target_id.as_deref(), Some("t1"));
    assert!(drifted(&d).is_empty());
    assert_eq!(d.summary.users.in_sync, 1);
    assert_eq!(d.summary.users.drifted(), 0);
}

#[test]
fn user_absent_from_target_is_missing() {
    let (e, _) = one_user();
    let d = run(&e, &Actual::default());
    assert_eq!(
        drifted(&d),
        vec![(K::User, S::Missing, jc(1), DriftCode::Missing)]
    );
    assert_eq!(d.summary.users.missing, 1);
}

#[test]
fn suspended_user_absent_from_target_is_left_as_is_not_missing() {
    // JumpCloud does not create inactive users: not drift, and says why.
    let (mut e, _) = one_user();
    edit(&mut e.users[0].resource)["active"] = json!(false);
    let d = run(&e, &Actual::default());
    assert!(d.users.missing.is_empty());
    assert_eq!(
        d.users.left_as_is[0].reason_code,
        DriftCode::MissingInactive
    );
    assert!(
        d.users.left_as_is[0]
            .reason
            .contains("not provisioned while inactive")
            || d.users.left_as_is[0]
                .reason
                .contains("Not provisioned while inactive")
    );
    assert_eq!(
        drifted(&d),
        vec![(K::User, S::LeftAsIs, jc(1), DriftCode::MissingInactive)]
    );
    assert_eq!(d.summary.users.drifted(), 0);
}

#[test]
fn changed_attribute_reports_path_and_raw_values() {
    let (e, mut a) = one_user();
    edit(&mut a.users[0])["title"] = json!("Manager");
    edit(&mut a.users[0])[ENT]["department"] = json!("Sales");
    let d = run(&e, &a);
    assert_eq!(
        drifted(&d),
        vec![(K::User, S::Changed, jc(1), DriftCode::Changed)]
    );
    let changes = &d.users.changed[0].changes;
    let paths: Vec<&str> = changes.iter().map(|c| c.path.as_str()).collect();
    assert_eq!(paths, vec!["title", &format!("{ENT}:department")]);
    assert_eq!(changes[0].expected, json!("Engineer"));
    assert_eq!(changes[0].actual, json!("Manager"));
    assert!(d.users.changed[0].reason.contains("title"));
}

#[test]
fn attributes_outside_the_spec_never_drift() {
    let (e, mut a) = one_user();
    edit(&mut a.users[0])["nickName"] = json!("Annie");
    edit(&mut a.users[0])["phoneNumbers"] = json!([{"value": "+1", "type": "work"}]);
    assert!(drifted(&run(&e, &a)).is_empty());
}

#[test]
fn extra_without_external_id_is_unmanaged() {
    let (e, mut a) = one_user();
    a.users
        .push(json!({"id": "t9", "userName": "bob@example.com"}).into());
    let d = run(&e, &a);
    assert_eq!(
        drifted(&d),
        vec![(K::User, S::Unmanaged, "t9".into(), DriftCode::NoExternalId)]
    );
    assert_eq!(d.users.extra.unmanaged[0].label, "bob@example.com");
    assert_eq!(d.summary.users.extra_unmanaged, 1);
}

#[test]
fn extra_with_foreign_external_id_is_unmanaged() {
    let (e, mut a) = one_user();
    a.users
        .push(json!({"id": "t9", "userName": "bob@example.com", "externalId": "okta-00u1"}).into());
    let d = run(&e, &a);
    assert_eq!(
        drifted(&d),
        vec![(
            K::User,
            S::Unmanaged,
            "t9".into(),
            DriftCode::ForeignExternalId
        )]
    );
}

#[test]
fn out_of_scope_user_still_active_should_be_deactivated() {
    let (e, mut a) = one_user();
    a.users.push(
        json!({"id": "t9", "userName": "gone@example.com", "externalId": jc(7), "active": true})
            .into(),
    );
    let mut known = known_from(&e);
    known.user_ids.insert(jc(7));
    let d = diff(&e, &a, &CompareSpec::jumpcloud_default(), &known);
    assert_eq!(
        drifted(&d),
        vec![(K::User, S::Deactivate, "t9".into(), DriftCode::OutOfScope)]
    );
    assert_eq!(d.users.deactivate[0].target_id.as_deref(), Some("t9"));
}

#[test]
fn out_of_scope_user_already_inactive_is_left_as_is() {
    let (e, mut a) = one_user();
    a.users.push(
        json!({"id": "t9", "userName": "gone@example.com", "externalId": jc(7), "active": "false"})
            .into(),
    );
    let mut known = known_from(&e);
    known.user_ids.insert(jc(7));
    let d = diff(&e, &a, &CompareSpec::jumpcloud_default(), &known);
    assert_eq!(
        drifted(&d),
        vec![(
            K::User,
            S::LeftAsIs,
            "t9".into(),
            DriftCode::OutOfScopeInactive
        )]
    );
    assert_eq!(d.users.left_as_is.len(), 1);
}

#[test]
fn out_of_scope_without_active_management_is_left_as_is() {
    let (e, mut a) = one_user();
    a.users
        .push(json!({"id": "t9", "userName": "gone@example.com", "externalId": jc(7)}).into());
    let mut known = known_from(&e);
    known.user_ids.insert(jc(7));
    let spec =
        CompareSpec::from_paths(&["userName", "title"], &["displayName"], &["userName"], &[])
            .unwrap();
    let d = diff(&e, &a, &spec, &known);
    assert_eq!(d.users.left_as_is[0].reason_code, DriftCode::OutOfScope);
    assert!(d.users.deactivate.is_empty());
}

#[test]
fn unknown_source_shaped_id_is_formerly_managed_only_when_recognised() {
    let (e, mut a) = one_user();
    a.users
        .push(json!({"id": "t9", "userName": "old@example.com", "externalId": jc(99)}).into());
    let mut known = known_from(&e);
    let d = diff(&e, &a, &CompareSpec::jumpcloud_default(), &known);
    assert_eq!(
        drifted(&d),
        vec![(
            K::User,
            S::Extra,
            "t9".into(),
            DriftCode::SourceIdNotInDirectory
        )]
    );
    known.recognise_source_id_shape = false;
    let d = diff(&e, &a, &CompareSpec::jumpcloud_default(), &known);
    assert_eq!(
        drifted(&d),
        vec![(
            K::User,
            S::Unmanaged,
            "t9".into(),
            DriftCode::ForeignExternalId
        )]
    );
}

#[test]
fn second_account_with_same_external_id_is_a_duplicate() {
    let (e, mut a) = one_user();
    let mut dup = a.users[0].clone();
    edit(&mut dup)["id"] = json!("t0");
    edit(&mut dup)["userName"] = json!("other@example.com");
    edit(&mut dup)["emails"] = json!([{"value": "other@example.com", "primary": true}]);
    a.users.push(dup);
    let d = run(&e, &a);
    // The smallest target id wins the match, whatever the read order.
    assert_eq!(d.users.changed[0].target_id.as_deref(), Some("t0"));
    // The other one needs a person: a conflict, never written.
    assert_eq!(
        d.users.conflicts[0].reason_code,
        DriftCode::DuplicateExternalId
    );
    assert_eq!(d.users.conflicts[0].target_id.as_deref(), Some("t1"));
}

#[test]
fn suspended_user_active_in_target_should_be_deactivated() {
    let (mut e, a) = one_user();
    edit(&mut e.users[0].resource)["active"] = json!(false);
    let d = run(&e, &a);
    assert_eq!(
        drifted(&d),
        vec![(K::User, S::Deactivate, jc(1), DriftCode::SuspendedInSource)]
    );
    assert_eq!(d.users.deactivate[0].changes[0].path, "active");
}

#[test]
fn suspended_user_inactive_in_target_is_in_sync() {
    let (mut e, mut a) = one_user();
    edit(&mut e.users[0].resource)["active"] = json!(false);
    edit(&mut a.users[0])["active"] = json!("False");
    assert!(drifted(&run(&e, &a)).is_empty());
}

#[test]
fn active_user_disabled_in_target_is_disabled_not_drift() {
    // JumpCloud keeps syncing attributes of a user disabled in the target and never
    // re-enables it (AWS's JumpCloud guide): a state of its own, not drift.
    let (e, mut a) = one_user();
    edit(&mut a.users[0])["active"] = json!(false);
    let d = run(&e, &a);
    assert_eq!(
        drifted(&d),
        vec![(K::User, S::Disabled, jc(1), DriftCode::DisabledInTarget)]
    );
    assert_eq!(d.users.disabled[0].changes[0].path, "active");
    assert_eq!(d.summary.users.drifted(), 0);
}

#[test]
fn disabled_user_with_other_changes_is_changed_without_active() {
    let (e, mut a) = one_user();
    edit(&mut a.users[0])["active"] = json!(false);
    edit(&mut a.users[0])["title"] = json!("Old title");
    let d = run(&e, &a);
    assert_eq!(
        drifted(&d),
        vec![(K::User, S::Changed, jc(1), DriftCode::DisabledInTarget)]
    );
    let paths: Vec<&str> = d.users.changed[0]
        .changes
        .iter()
        .map(|c| c.path.as_str())
        .collect();
    assert_eq!(paths, ["title"], "active is not a change to make");
    assert!(d.users.changed[0].reason.contains("stays disabled"));
}

#[test]
fn deprovisioning_on_a_delete_only_target_is_a_decision() {
    let (mut e, mut a) = one_user();
    edit(&mut e.users[0].resource)["active"] = json!(false);
    a.users.push(
        json!({"id": "t9", "userName": "gone@example.com", "externalId": jc(7), "active": true})
            .into(),
    );
    let mut known = known_from(&e);
    known.user_ids.insert(jc(7));
    let spec = CompareSpec {
        deprovision_deletes: true,
        ..CompareSpec::jumpcloud_default()
    };
    let d = diff(&e, &a, &spec, &known);
    assert_eq!(
        drifted(&d),
        vec![
            (K::User, S::Decision, jc(1), DriftCode::SuspendedInSource),
            (K::User, S::Decision, "t9".into(), DriftCode::OutOfScope),
        ]
    );
    assert!(d.users.deactivate.is_empty());
    assert_eq!(d.summary.users.drifted(), 0);
    assert_eq!(d.summary.users.needs_decision(), 2);
}

fn ineligible(n: u32) -> Ineligible {
    Ineligible {
        source_id: jc(n),
        label: "nolast@example.com".into(),
        reasons: vec![DriftReason {
            code: "missing_family_name".into(),
            text: "AWS requires a last name".into(),
        }],
    }
}

#[test]
fn ineligible_users_are_passed_through_with_reasons() {
    let (mut e, a) = one_user();
    e.ineligible.push(ineligible(5));
    let d = run(&e, &a);
    assert_eq!(
        drifted(&d),
        vec![(K::User, S::Ineligible, jc(5), DriftCode::Ineligible)]
    );
    let entry = &d.users.ineligible[0];
    assert_eq!(entry.source_reasons[0].code, "missing_family_name");
    assert!(entry.reason.contains("AWS requires a last name"));
    assert_eq!(entry.target_id, None);
    assert_eq!(d.summary.users.ineligible_present, 0);
}

#[test]
fn ineligible_user_present_in_target_is_flagged_not_extra() {
    let (mut e, mut a) = one_user();
    e.ineligible.push(ineligible(5));
    a.users
        .push(json!({"id": "t5", "userName": "nolast@example.com", "externalId": jc(5)}).into());
    let d = run(&e, &a);
    assert_eq!(
        drifted(&d),
        vec![(
            K::User,
            S::Ineligible,
            jc(5),
            DriftCode::IneligibleButPresent
        )]
    );
    assert_eq!(d.users.ineligible[0].target_id.as_deref(), Some("t5"));
    assert_eq!(d.summary.users.ineligible_present, 1);
    // Left as is by the plan, so not drift.
    assert_eq!(d.summary.users.drifted(), 0);
}

#[test]
fn user_name_match_without_external_id_is_unlinked() {
    let (e, mut a) = one_user();
    edit(&mut a.users[0])
        .as_object_mut()
        .unwrap()
        .remove("externalId");
    edit(&mut a.users[0])["userName"] = json!("ANN.LEE@example.com");
    let d = run(&e, &a);
    assert_eq!(
        drifted(&d),
        vec![(K::User, S::Changed, jc(1), DriftCode::Unlinked)]
    );
    let entry = &d.users.changed[0];
    assert_eq!(entry.matched_by, Some(MatchedBy::UserName));
    assert_eq!(
        entry.changes.len(),
        1,
        "userName differs only in case: {:?}",
        entry.changes
    );
    assert_eq!(entry.changes[0].path, "externalId");
    assert_eq!(entry.changes[0].actual, json!(null));
}

#[test]
fn without_external_id_comparison_a_user_name_match_is_in_sync() {
    let (e, mut a) = one_user();
    edit(&mut a.users[0])
        .as_object_mut()
        .unwrap()
        .remove("externalId");
    let mut spec = CompareSpec::jumpcloud_default();
    spec.compare_external_id = false;
    let d = diff(&e, &a, &spec, &known_from(&e));
    assert!(drifted(&d).is_empty());
    assert_eq!(d.users.in_sync[0].matched_by, Some(MatchedBy::UserName));
}

#[test]
fn same_user_name_with_other_external_id_is_a_take_over_conflict() {
    let (e, mut a) = one_user();
    edit(&mut a.users[0])["externalId"] = json!("okta-00u1");
    let d = run(&e, &a);
    assert_eq!(
        drifted(&d),
        vec![(K::User, S::Conflict, jc(1), DriftCode::TakeOver)]
    );
    assert!(d.users.conflicts[0].reason.contains("okta-00u1"));
    assert_eq!(d.summary.users.conflicts, 1);
}

#[test]
fn email_match_with_other_user_name_is_a_conflict() {
    let (e, mut a) = one_user();
    edit(&mut a.users[0])
        .as_object_mut()
        .unwrap()
        .remove("externalId");
    edit(&mut a.users[0])["userName"] = json!("alee");
    edit(&mut a.users[0])["emails"] = json!([{"value": "Ann.Lee@Example.com", "primary": true}]);
    let d = run(&e, &a);
    assert_eq!(
        drifted(&d),
        vec![(
            K::User,
            S::Conflict,
            jc(1),
            DriftCode::EmailMatchUserNameDiffers
        )]
    );
    assert_eq!(d.users.conflicts[0].matched_by, Some(MatchedBy::Email));
    assert!(d.users.conflicts[0]
        .changes
        .iter()
        .any(|c| c.path == "userName"));
}

#[test]
fn external_id_match_wins_over_a_user_name_match_elsewhere() {
    let (e, mut a) = one_user();
    // t1 carries the externalId but a stale userName; t2 has the userName but no link.
    edit(&mut a.users[0])["userName"] = json!("renamed@example.com");
    a.users
        .push(json!({"id": "t2", "userName": "ann.lee@example.com"}).into());
    let d = run(&e, &a);
    assert_eq!(d.users.changed[0].target_id.as_deref(), Some("t1"));
    assert_eq!(d.users.changed[0].matched_by, Some(MatchedBy::ExternalId));
    assert_eq!(d.users.extra.unmanaged[0].target_id.as_deref(), Some("t2"));
}

#[test]
fn a_target_user_is_matched_at_most_once() {
    // Two JumpCloud users whose userNames collide without case; one target account.
    let a_user = user(1, "ann@example.com");
    let mut b_user = user(2, "bob@example.com");
    edit(&mut b_user.resource)["userName"] = json!("ANN@example.com");
    let e = Expected {
        users: vec![b_user, a_user],
        ..Default::default()
    };
    let a = Actual {
        users: vec![
            json!({"id": "t1", "userName": "ann@example.com", "emails": [{"value": "ann@example.com"}]}).into(),
        ],
        ..Default::default()
    };
    let d = run(&e, &a);
    let matched: Vec<_> = d
        .rows()
        .into_iter()
        .filter(|r| r.target_id.as_deref() == Some("t1"))
        .collect();
    assert_eq!(matched.len(), 1);
    // Processed by JumpCloud id, so jc(1) gets it whatever the input order.
    assert_eq!(matched[0].key, jc(1));
    assert_eq!(d.users.missing[0].source_id, Some(jc(2)));
}

#[test]
fn output_does_not_depend_on_input_order() {
    let users: Vec<_> = (1..=6)
        .map(|n| user(n, &format!("u{n}.x@example.com")))
        .collect();
    let mut actual: Vec<_> = users
        .iter()
        .skip(1)
        .map(|u| pushed(&u.resource, &format!("t{}", u.label), &u.source_id))
        .collect();
    edit(&mut actual[0])["title"] = json!("Boss");
    actual.push(json!({"id": "zz", "userName": "stranger@example.com"}).into());
    actual.push(json!({"id": "aa", "userName": "alien@example.com"}).into());
    let forward = Expected {
        users: users.clone(),
        ..Default::default()
    };
    let mut reversed = forward.clone();
    reversed.users.reverse();
    let mut actual_rev = actual.clone();
    actual_rev.reverse();
    let d1 = run(
        &forward,
        &Actual {
            users: actual,
            ..Default::default()
        },
    );
    let d2 = run(
        &reversed,
        &Actual {
            users: actual_rev,
            ..Default::default()
        },
    );
    assert_eq!(d1, d2);
    let labels: Vec<&str> = d1
        .users
        .extra
        .unmanaged
        .iter()
        .map(|e| e.label.as_str())
        .collect();
    assert_eq!(labels, vec!["alien@example.com", "stranger@example.com"]);
}

#[test]
fn every_row_carries_a_reason() {
    let (mut e, mut a) = one_user();
    e.ineligible.push(ineligible(5));
    e.users.push(user(2, "missing@example.com"));
    a.users
        .push(json!({"id": "t9", "userName": "x@example.com"}).into());
    edit(&mut a.users[0])["title"] = json!("Other");
    let rows = run(&e, &a).rows();
    assert_eq!(rows.len(), 4);
    for r in rows {
        assert!(!r.reason.is_empty(), "{r:?}");
        assert!(!r.key.is_empty(), "{r:?}");
        assert_eq!(r.kind, K::User);
    }
}

#[test]
fn known_sources_constructor_recognises_shapes_by_default() {
    let k = KnownSources::new([jc(1)], []);
    assert!(k.recognise_source_id_shape);
    assert!(k.user_ids.contains(&jc(1)));
}

#[test]
fn row_keys_stay_unique_when_target_accounts_share_an_external_id() {
    let (e, mut a) = one_user();
    let mut dup = a.users[0].clone();
    edit(&mut dup)["id"] = json!("t2");
    a.users.push(dup);
    for id in ["t8", "t9"] {
        a.users.push(
            json!({"id": id, "userName": format!("{id}@example.com"), "externalId": jc(7)}).into(),
        );
    }
    let mut known = known_from(&e);
    known.user_ids.insert(jc(7));
    let rows = diff(&e, &a, &CompareSpec::jumpcloud_default(), &known).rows();
    let mut keys: Vec<&str> = rows.iter().map(|r| r.key.as_str()).collect();
    keys.sort_unstable();
    assert_eq!(keys, vec![jc(1).as_str(), "t2", "t8", "t9"]);
}
