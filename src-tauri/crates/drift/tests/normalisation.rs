//! Values a target stores differently but that mean the same never drift;
//! each rule is checked together with a real difference that still does.

#![allow(clippy::unwrap_used)]

mod common;

use common::*;
use drift::{diff, Actual, CompareSpec, Drift, Expected};
use serde_json::{json, Value};

/// Diffs one expected user against a target copy edited by `edit`.
fn diff_edited(spec: &CompareSpec, change: impl FnOnce(&mut Value)) -> Drift {
    let mut u = user(1, "ann.lee@example.com");
    edit(&mut u.resource)["emails"] = json!([
        {"value": "ann.lee@example.com", "type": "work", "primary": true},
        {"value": "ann@home.example", "type": "home"}
    ]);
    let mut copy = pushed_json(&u.resource, "t1", &u.source_id);
    change(&mut copy);
    let e = Expected {
        users: vec![u],
        ..Default::default()
    };
    let a = Actual {
        users: vec![copy.into()],
        ..Default::default()
    };
    diff(&e, &a, spec, &known_from(&e))
}

fn default_spec() -> CompareSpec {
    CompareSpec::jumpcloud_default()
}

/// The default spec plus whole multi-valued `emails` and a nickName that may be absent.
fn wide_spec() -> CompareSpec {
    let mut spec = default_spec();
    spec.user_attributes.push("emails".parse().unwrap());
    spec.user_attributes.push("nickName".parse().unwrap());
    spec
}

fn changed_paths(d: &Drift) -> Vec<String> {
    d.users
        .changed
        .iter()
        .flat_map(|e| e.changes.iter().map(|c| c.path.clone()))
        .collect()
}

#[test]
fn email_and_user_name_case_does_not_drift() {
    let d = diff_edited(&wide_spec(), |u| {
        u["userName"] = json!("Ann.Lee@EXAMPLE.com");
        u["emails"][0]["value"] = json!("ANN.LEE@example.COM");
        u["emails"][1]["value"] = json!("Ann@Home.Example");
    });
    assert_eq!(d.summary.users.drifted(), 0, "{:?}", changed_paths(&d));
}

#[test]
fn case_of_other_attributes_does_drift() {
    // The fixture's givenName is "ann".
    let d = diff_edited(&default_spec(), |u| u["name"]["givenName"] = json!("ANN"));
    assert_eq!(changed_paths(&d), vec!["name.givenName"]);
}

#[test]
fn multi_value_order_does_not_drift_but_a_missing_value_does() {
    let d = diff_edited(&wide_spec(), |u| {
        let emails = u["emails"].as_array_mut().unwrap();
        emails.reverse();
    });
    assert_eq!(d.summary.users.drifted(), 0);
    let d = diff_edited(&wide_spec(), |u| {
        u["emails"].as_array_mut().unwrap().pop();
    });
    assert_eq!(changed_paths(&d), vec!["emails"]);
}

#[test]
fn absent_null_empty_string_and_empty_array_are_equal() {
    for v in [Value::Null, json!(""), json!("  "), json!([])] {
        let d = diff_edited(&wide_spec(), |u| u["nickName"] = v.clone());
        assert_eq!(d.summary.users.drifted(), 0, "nickName {v}");
    }
    let d = diff_edited(&wide_spec(), |u| u["nickName"] = json!("Annie"));
    assert_eq!(changed_paths(&d), vec!["nickName"]);
    // Absent on the target side when JumpCloud sends a value is drift.
    let d = diff_edited(&default_spec(), |u| {
        u.as_object_mut().unwrap().remove("title");
    });
    assert_eq!(changed_paths(&d), vec!["title"]);
}

#[test]
fn surrounding_whitespace_does_not_drift() {
    let d = diff_edited(&default_spec(), |u| u["title"] = json!("  Engineer\t"));
    assert_eq!(d.summary.users.drifted(), 0);
    let d = diff_edited(&default_spec(), |u| u["title"] = json!("Engi neer"));
    assert_eq!(changed_paths(&d), vec!["title"]);
}

#[test]
fn unicode_composition_does_not_drift() {
    let composed = "Jos\u{e9}";
    let decomposed = "Jose\u{301}";
    let mut u = user(1, "jose@example.com");
    edit(&mut u.resource)["name"]["givenName"] = json!(composed);
    let mut copy = pushed_json(&u.resource, "t1", &u.source_id);
    copy["name"]["givenName"] = json!(decomposed);
    let e = Expected {
        users: vec![u],
        ..Default::default()
    };
    let a = Actual {
        users: vec![copy.clone().into()],
        ..Default::default()
    };
    assert_eq!(run(&e, &a).summary.users.drifted(), 0);
    copy["name"]["givenName"] = json!("Jose");
    let a = Actual {
        users: vec![copy.into()],
        ..Default::default()
    };
    assert_eq!(changed_paths(&run(&e, &a)), vec!["name.givenName"]);
}

#[test]
fn booleans_as_strings_do_not_drift() {
    let d = diff_edited(&default_spec(), |u| {
        u["active"] = json!("True");
        u["emails"][0]["primary"] = json!("true");
    });
    assert_eq!(d.summary.users.drifted(), 0);
    // "false" as a string still reads as disabled in the target.
    let d = diff_edited(&default_spec(), |u| u["active"] = json!("false"));
    assert_eq!(d.users.disabled.len(), 1);
    assert_eq!(d.users.disabled[0].changes[0].path, "active");
}

#[test]
fn attribute_names_are_case_insensitive() {
    let d = diff_edited(&default_spec(), |u| {
        let o = u.as_object_mut().unwrap();
        let title = o.remove("title").unwrap();
        o.insert("Title".into(), title);
        let name = o.remove("name").unwrap();
        o.insert("NAME".into(), name);
    });
    assert_eq!(d.summary.users.drifted(), 0);
}

#[test]
fn primary_flag_dropped_on_a_lone_email_does_not_drift() {
    let mut u = user(1, "ann@example.com");
    edit(&mut u.resource)["emails"] =
        json!([{"value": "ann@example.com", "type": "work", "primary": true}]);
    let mut copy = pushed_json(&u.resource, "t1", &u.source_id);
    copy["emails"] = json!([{"value": "ann@example.com", "type": "work"}]);
    let e = Expected {
        users: vec![u],
        ..Default::default()
    };
    let a = Actual {
        users: vec![copy.into()],
        ..Default::default()
    };
    assert_eq!(run(&e, &a).summary.users.drifted(), 0);
}
