//! Filters and PATCH paths: parsing and matching.

use super::*;
use serde_json::json;

fn user() -> Value {
    json!({
        "id": "abc", "userName": "Ada.Lovelace@example.com", "active": true,
        "name": {"givenName": "Ada", "familyName": "Lovelace"},
        "emails": [{"value": "ada@Example.com", "type": "work", "primary": true},
                   {"value": "ada@home.test", "type": "home"}],
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {"department": "R&D"},
        "meta": {"lastModified": "2024-05-01T00:00:00Z"}
    })
}

fn m(f: &str) -> bool {
    Filter::parse(f).unwrap().matches(&user()).unwrap()
}

#[test]
fn compares_case_insensitively_except_for_case_exact_attributes() {
    assert!(m(r#"userName eq "ada.lovelace@EXAMPLE.com""#));
    assert!(!m(r#"id eq "ABC""#));
    assert!(m(r#"id eq "abc""#));
}

#[test]
fn supports_all_operators_and_logic() {
    assert!(m(r#"userName co "love""#));
    assert!(m(r#"userName sw "ada""#));
    assert!(m(r#"userName ew ".com""#));
    assert!(!m(r#"userName ne "ada.lovelace@example.com""#));
    assert!(m(r#"name.familyName gt "K" and name.familyName lt "M""#));
    assert!(m(r#"meta.lastModified ge "2024-01-01T00:00:00Z""#));
    assert!(m(
        r#"title pr or (active eq true and not (userName sw "bob"))"#
    ));
    assert!(!m(r#"title pr"#));
    assert!(m(r#"emails.value eq "ADA@home.test""#));
    assert!(m(r#"emails[type eq "work" and value co "example"]"#));
    assert!(!m(r#"emails[type eq "home" and value co "example"]"#));
    assert!(m(
        r#"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department eq "r&d""#
    ));
    assert!(m(
        r#"urn:ietf:params:scim:schemas:core:2.0:User:userName sw "ADA""#
    ));
}

#[test]
fn complex_attribute_without_sub_attribute_compares_value() {
    let group = json!({"members": [{"value": "u1"}, {"value": "u2"}]});
    let f = Filter::parse(r#"members eq "u2""#).unwrap();
    assert!(f.matches(&group).unwrap());
    let f = Filter::parse(r#"members.value eq "u3""#).unwrap();
    assert!(!f.matches(&group).unwrap());
}

#[test]
fn rejects_malformed_filters() {
    for bad in [
        r#"userName eq"#,
        r#"userName xx "a""#,
        r#"(userName eq "a""#,
        r#"userName eq "a" and"#,
        r#"userName eq "unterminated"#,
        r#"emails[type eq "work""#,
    ] {
        assert!(Filter::parse(bad).is_err(), "{bad} should not parse");
    }
    let f = Filter::parse("active gt true").unwrap();
    assert!(f.matches(&user()).is_err());
}

#[test]
fn parses_patch_paths() {
    let p = PatchPath::parse(r#"emails[type eq "work"].value"#).unwrap();
    assert_eq!(p.attr.names, vec!["emails"]);
    assert_eq!(p.sub.as_deref(), Some("value"));
    assert!(p.filter.is_some());
    let p = PatchPath::parse("name.givenName").unwrap();
    assert_eq!(p.attr.names, vec!["name", "givenName"]);
    let p = PatchPath::parse(
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value",
    )
    .unwrap();
    assert_eq!(
        p.attr.schema.as_deref(),
        Some("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User")
    );
    assert_eq!(p.attr.names, vec!["manager", "value"]);
    assert!(PatchPath::parse("members[value eq \"x\"]junk").is_err());
}
