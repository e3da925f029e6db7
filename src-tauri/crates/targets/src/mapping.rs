//! JumpCloud user and group -> SCIM JSON, following the connector's attribute
//! table (seed 001) and then each target's shape rules.
//!
//! Readings of the table, where it leaves room:
//! - `active` = not suspended (flag or state) and not password-expired; suspended
//!   users stay in the expected set with `active: false`, as JumpCloud sends them.
//! - `emails` is the one JumpCloud email, `type: work`, `primary: true`.
//! - `password` is pushed by JumpCloud but never read back, so it is not mapped.
//! - `manager` is not in the table, so it is not mapped.
//! - Blank strings count as absent and are left out.

use jumpcloud::model::{Address, PhoneNumber, SystemUser, UserGroup};
use serde_json::{json, Map, Value};

use crate::kind::Kind;

pub const USER_SCHEMA: &str = "urn:ietf:params:scim:schemas:core:2.0:User";
pub const GROUP_SCHEMA: &str = "urn:ietf:params:scim:schemas:core:2.0:Group";
pub const ENTERPRISE_SCHEMA: &str = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

/// The value a user's SCIM `userName` takes on this target.
pub fn user_name(kind: Kind, user: &SystemUser) -> Option<&str> {
    match kind {
        // JumpCloud's AWS connector sends the email as userName (TARGETS.md, JumpCloud notes).
        Kind::Aws => present(&user.email),
        _ => present(&user.username),
    }
}

/// The SCIM User JSON JumpCloud's connector would push to this target.
pub fn user_resource(kind: Kind, user: &SystemUser) -> Value {
    let mut out = Map::new();
    let ent = enterprise(user);
    let mut schemas = vec![json!(USER_SCHEMA)];
    if ent.is_some() {
        schemas.push(json!(ENTERPRISE_SCHEMA));
    }
    out.insert("schemas".into(), Value::Array(schemas));
    out.insert("externalId".into(), json!(user.id));
    if let Some(v) = user_name(kind, user) {
        out.insert("userName".into(), json!(v));
    }
    let mut name = Map::new();
    put(&mut name, "givenName", user.firstname.as_deref());
    put(&mut name, "familyName", user.lastname.as_deref());
    put(&mut name, "middleName", user.middlename.as_deref());
    if !name.is_empty() {
        out.insert("name".into(), Value::Object(name));
    }
    put(&mut out, "displayName", user.displayname.as_deref());
    if let Some(email) = present(&user.email) {
        out.insert(
            "emails".into(),
            json!([{"value": email, "type": "work", "primary": true}]),
        );
    }
    out.insert("active".into(), json!(user.scim_active()));
    let addresses: Vec<Value> = pick_addresses(kind, &user.addresses)
        .into_iter()
        .filter_map(address)
        .collect();
    if !addresses.is_empty() {
        out.insert("addresses".into(), Value::Array(addresses));
    }
    let phones: Vec<Value> = pick_phones(kind, &user.phone_numbers)
        .into_iter()
        .filter_map(phone)
        .collect();
    if !phones.is_empty() {
        out.insert("phoneNumbers".into(), Value::Array(phones));
    }
    put(&mut out, "title", user.job_title.as_deref());
    if let Some(ent) = ent {
        out.insert(ENTERPRISE_SCHEMA.into(), Value::Object(ent));
    }
    Value::Object(out)
}

/// The SCIM Group JSON for a JumpCloud user group: `name` -> `displayName`.
/// `externalId` carries the JumpCloud id, as for users (not confirmed by JumpCloud's docs).
/// Members are not included: the diff takes them from `member_source_ids`.
pub fn group_resource(group: &UserGroup) -> Value {
    json!({
        "schemas": [GROUP_SCHEMA],
        "externalId": group.id,
        "displayName": group.name,
    })
}

/// `Jane Doe (jdoe)`, or just the username when there is no name.
pub fn user_label(user: &SystemUser) -> String {
    let full = match (present_opt(&user.firstname), present_opt(&user.lastname)) {
        (Some(f), Some(l)) => Some(format!("{f} {l}")),
        (Some(n), None) | (None, Some(n)) => Some(n.to_string()),
        (None, None) => None,
    };
    let name = present_opt(&user.displayname).map(str::to_string).or(full);
    let handle = present(&user.username)
        .or(present(&user.email))
        .unwrap_or(&user.id);
    match name {
        Some(n) => format!("{n} ({handle})"),
        None => handle.to_string(),
    }
}

/// AWS accepts one phone number and JumpCloud sends the work phone ("the default
/// is work phone"): only a phone typed `work` is sent; a user with only a mobile
/// gets none. Other targets get every number.
fn pick_phones(kind: Kind, phones: &[PhoneNumber]) -> Vec<&PhoneNumber> {
    match kind {
        Kind::Aws => phones
            .iter()
            .find(|p| p.kind.trim().eq_ignore_ascii_case("work") && !p.number.trim().is_empty())
            .into_iter()
            .collect(),
        _ => phones.iter().collect(),
    }
}

/// AWS accepts one address: the `work` one, else the first non-empty one.
/// Which one JumpCloud picks is not documented; this is our reading.
fn pick_addresses(kind: Kind, addresses: &[Address]) -> Vec<&Address> {
    match kind {
        Kind::Aws => {
            let usable: Vec<&Address> = addresses.iter().filter(|a| address(a).is_some()).collect();
            usable
                .iter()
                .find(|a| a.kind.trim().eq_ignore_ascii_case("work"))
                .or(usable.first())
                .copied()
                .into_iter()
                .collect()
        }
        _ => addresses.iter().collect(),
    }
}

/// The table maps type, street address, locality, region, postal code, country.
fn address(a: &Address) -> Option<Value> {
    let mut m = Map::new();
    put(&mut m, "streetAddress", a.street_address.as_deref());
    put(&mut m, "locality", a.locality.as_deref());
    put(&mut m, "region", a.region.as_deref());
    put(&mut m, "postalCode", a.postal_code.as_deref());
    put(&mut m, "country", a.country.as_deref());
    if m.is_empty() {
        return None;
    }
    put(&mut m, "type", Some(a.kind.as_str()));
    Some(Value::Object(m))
}

fn phone(p: &PhoneNumber) -> Option<Value> {
    let number = p.number.trim();
    if number.is_empty() {
        return None;
    }
    let mut m = Map::new();
    m.insert("value".into(), json!(p.number));
    put(&mut m, "type", Some(p.kind.as_str()));
    Some(Value::Object(m))
}

fn enterprise(user: &SystemUser) -> Option<Map<String, Value>> {
    let mut m = Map::new();
    put(
        &mut m,
        "employeeNumber",
        user.employee_identifier.as_deref(),
    );
    put(&mut m, "department", user.department.as_deref());
    put(&mut m, "organization", user.company.as_deref());
    (!m.is_empty()).then_some(m)
}

fn put(map: &mut Map<String, Value>, key: &str, value: Option<&str>) {
    if let Some(v) = value.filter(|v| !v.trim().is_empty()) {
        map.insert(key.to_string(), json!(v));
    }
}

/// The value if it is not blank.
pub(crate) fn present(value: &str) -> Option<&str> {
    Some(value).filter(|v| !v.trim().is_empty())
}

pub(crate) fn present_opt(value: &Option<String>) -> Option<&str> {
    value.as_deref().and_then(present)
}
