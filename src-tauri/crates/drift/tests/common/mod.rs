//! Small builders for drift fixtures: a JumpCloud-side user and the copy a
//! target holds after JumpCloud pushed it.
#![allow(dead_code)]

use drift::{
    diff, Actual, CompareSpec, Drift, DriftCode, DriftRowKind, DriftRowState, Expected,
    ExpectedGroup, ExpectedUser, KnownSources, Record,
};
use serde_json::{json, Value};

pub const ENT: &str = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

/// A JumpCloud-shaped id (24 hex digits) from a small number.
pub fn jc(n: u32) -> String {
    format!("{n:024x}")
}

pub fn user(n: u32, user_name: &str) -> ExpectedUser {
    let (given, family) = user_name.split_once('.').unwrap_or((user_name, "Doe"));
    let family = family.split('@').next().unwrap_or("Doe");
    ExpectedUser {
        source_id: jc(n),
        label: user_name.to_string(),
        resource: json!({
            "userName": user_name,
            "name": {"givenName": given, "familyName": family},
            "displayName": format!("{given} {family}"),
            "emails": [{"value": user_name, "type": "work", "primary": true}],
            "active": true,
            "title": "Engineer",
            ENT: {"department": "R&D"}
        })
        .into(),
    }
}

/// The target's copy of a pushed resource: same JSON plus id, externalId and bookkeeping.
pub fn pushed(resource: &Record, id: &str, external_id: &str) -> Record {
    pushed_json(resource, id, external_id).into()
}

/// [`pushed`], unpacked, for tests that edit the copy before packing it.
pub fn pushed_json(resource: &Record, id: &str, external_id: &str) -> Value {
    let mut v = resource.to_value();
    let o = v.as_object_mut().expect("resource is an object");
    o.insert("id".into(), json!(id));
    o.insert("externalId".into(), json!(external_id));
    o.insert(
        "meta".into(),
        json!({"resourceType": "User", "version": "W/\"1\""}),
    );
    o.insert(
        "schemas".into(),
        json!(["urn:ietf:params:scim:schemas:core:2.0:User"]),
    );
    v
}

pub fn group(n: u32, name: &str, members: &[u32]) -> ExpectedGroup {
    ExpectedGroup {
        source_id: jc(n),
        label: name.to_string(),
        resource: json!({"displayName": name}).into(),
        member_source_ids: members.iter().map(|m| jc(*m)).collect(),
        not_created_because: Vec::new(),
    }
}

pub fn target_group(
    id: &str,
    external_id: Option<&str>,
    name: &str,
    member_ids: &[&str],
) -> Record {
    target_group_json(id, external_id, name, member_ids).into()
}

pub fn target_group_json(
    id: &str,
    external_id: Option<&str>,
    name: &str,
    member_ids: &[&str],
) -> Value {
    let mut v = json!({
        "id": id,
        "displayName": name,
        "members": member_ids.iter().map(|m| json!({"value": m})).collect::<Vec<_>>(),
    });
    if let Some(ext) = external_id {
        v["externalId"] = json!(ext);
    }
    v
}

pub fn known_from(expected: &Expected) -> KnownSources {
    KnownSources::new(
        expected
            .users
            .iter()
            .map(|u| u.source_id.clone())
            .chain(expected.ineligible.iter().map(|i| i.source_id.clone())),
        expected.groups.iter().map(|g| g.source_id.clone()),
    )
}

pub fn run(expected: &Expected, actual: &Actual) -> Drift {
    diff(
        expected,
        actual,
        &CompareSpec::jumpcloud_default(),
        &known_from(expected),
    )
}

/// Every row that is not in sync, as (kind, state, key, code), sorted.
pub fn drifted(d: &Drift) -> Vec<(DriftRowKind, DriftRowState, String, DriftCode)> {
    let mut rows: Vec<_> = d
        .rows()
        .into_iter()
        .filter(|r| r.state != DriftRowState::InSync)
        .map(|r| (r.kind, r.state, r.key, r.reason_code))
        .collect();
    rows.sort_by(|a, b| format!("{a:?}").cmp(&format!("{b:?}")));
    rows
}

/// A record opened for editing as JSON; packed again when dropped, so
/// `edit(&mut r)["title"] = json!("x");` changes `r` in one statement.
pub struct Editing<'a> {
    record: &'a mut Record,
    value: Value,
}

pub fn edit(record: &mut Record) -> Editing<'_> {
    let value = record.to_value();
    Editing { record, value }
}

impl std::ops::Deref for Editing<'_> {
    type Target = Value;
    fn deref(&self) -> &Value {
        &self.value
    }
}

impl std::ops::DerefMut for Editing<'_> {
    fn deref_mut(&mut self) -> &mut Value {
        &mut self.value
    }
}

impl Drop for Editing<'_> {
    fn drop(&mut self) {
        *self.record = Record::from(&self.value);
    }
}
