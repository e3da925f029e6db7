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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{bare, jane, JANE_ID};
    use jumpcloud::model::UserState;

    fn generic_jane() -> Value {
        json!({
            "schemas": [USER_SCHEMA, ENTERPRISE_SCHEMA],
            "externalId": JANE_ID,
            "userName": "jdoe",
            "name": {"givenName": "Jane", "familyName": "Doe", "middleName": "Q"},
            "displayName": "Jane Doe",
            "emails": [{"value": "jane.doe@example.com", "type": "work", "primary": true}],
            "active": true,
            "addresses": [
                {"streetAddress": "9 Elm St", "locality": "Shelbyville", "type": "home"},
                {"streetAddress": "1 Main St", "locality": "Springfield", "region": "IL",
                 "postalCode": "62701", "country": "US", "type": "work"}
            ],
            "phoneNumbers": [
                {"value": "+1 555 0100", "type": "mobile"},
                {"value": "+1 555 0101", "type": "work"}
            ],
            "title": "Engineer",
            ENTERPRISE_SCHEMA: {
                "employeeNumber": "E-42",
                "department": "Engineering",
                "organization": "Example Corp"
            }
        })
    }

    #[test]
    fn table_mapping_for_targets_that_take_every_value() {
        for kind in [Kind::Generic, Kind::Axis, Kind::StrongDm, Kind::Unity] {
            assert_eq!(user_resource(kind, &jane()), generic_jane(), "{kind:?}");
        }
    }

    #[test]
    fn aws_gets_email_as_username_and_one_phone_and_address() {
        let expected = json!({
            "schemas": [USER_SCHEMA, ENTERPRISE_SCHEMA],
            "externalId": JANE_ID,
            "userName": "jane.doe@example.com",
            "name": {"givenName": "Jane", "familyName": "Doe", "middleName": "Q"},
            "displayName": "Jane Doe",
            "emails": [{"value": "jane.doe@example.com", "type": "work", "primary": true}],
            "active": true,
            "addresses": [
                {"streetAddress": "1 Main St", "locality": "Springfield", "region": "IL",
                 "postalCode": "62701", "country": "US", "type": "work"}
            ],
            "phoneNumbers": [{"value": "+1 555 0101", "type": "work"}],
            "title": "Engineer",
            ENTERPRISE_SCHEMA: {
                "employeeNumber": "E-42",
                "department": "Engineering",
                "organization": "Example Corp"
            }
        });
        assert_eq!(user_resource(Kind::Aws, &jane()), expected);
    }

    #[test]
    fn aws_sends_no_phone_without_a_work_phone_and_falls_back_to_the_first_address() {
        let mut u = jane();
        u.phone_numbers.retain(|p| p.kind != "work");
        u.addresses.retain(|a| a.kind != "work");
        let r = user_resource(Kind::Aws, &u);
        assert!(r.get("phoneNumbers").is_none(), "{r}");
        assert_eq!(
            r["addresses"],
            json!([{"streetAddress": "9 Elm St", "locality": "Shelbyville", "type": "home"}])
        );
        // Other targets still get the mobile number.
        assert_eq!(
            user_resource(Kind::Generic, &u)["phoneNumbers"]
                .as_array()
                .unwrap()
                .len(),
            1
        );
    }

    #[test]
    fn manager_cost_center_and_password_are_not_in_the_table() {
        let text = user_resource(Kind::Generic, &jane()).to_string();
        for absent in [
            "manager",
            "costCenter",
            "password",
            "CC-1",
            "5f1b2c3d4e5f60718293a4ff",
        ] {
            assert!(!text.contains(absent), "{absent} leaked: {text}");
        }
    }

    #[test]
    fn blank_values_are_left_out_and_the_enterprise_schema_only_when_used() {
        let mut u = bare("u1", "amy", "amy@example.com");
        u.firstname = Some("  ".into());
        u.phone_numbers = vec![PhoneNumber {
            kind: "work".into(),
            number: " ".into(),
        }];
        u.addresses = vec![Address {
            kind: "work".into(),
            ..Default::default()
        }];
        let r = user_resource(Kind::Generic, &u);
        assert_eq!(
            r,
            json!({
                "schemas": [USER_SCHEMA],
                "externalId": "u1",
                "userName": "amy",
                "emails": [{"value": "amy@example.com", "type": "work", "primary": true}],
                "active": true
            })
        );
    }

    #[test]
    fn suspended_or_password_expired_users_map_to_inactive() {
        let flag = SystemUser {
            suspended: true,
            ..jane()
        };
        let state = SystemUser {
            state: UserState::Suspended,
            ..jane()
        };
        let expired = SystemUser {
            password_expired: true,
            ..jane()
        };
        for kind in Kind::ALL {
            assert_eq!(user_resource(kind, &jane())["active"], json!(true));
            for u in [&flag, &state, &expired] {
                assert_eq!(user_resource(kind, u)["active"], json!(false), "{kind:?}");
            }
        }
        // Locked accounts are not in the table's rule: still active.
        let locked = SystemUser {
            account_locked: true,
            ..jane()
        };
        assert_eq!(user_resource(Kind::Generic, &locked)["active"], json!(true));
    }

    #[test]
    fn group_maps_name_to_display_name_with_the_jumpcloud_id() {
        let g = crate::test_support::group("g1", "Engineers");
        assert_eq!(
            group_resource(&g),
            json!({"schemas": [GROUP_SCHEMA], "externalId": "g1", "displayName": "Engineers"})
        );
    }

    #[test]
    fn labels_prefer_display_name_then_names_then_username() {
        assert_eq!(user_label(&jane()), "Jane Doe (jdoe)");
        let mut u = jane();
        u.displayname = None;
        u.firstname = Some("Janet".into());
        assert_eq!(user_label(&u), "Janet Doe (jdoe)");
        assert_eq!(user_label(&bare("u9", "solo", "s@x.io")), "solo");
        assert_eq!(user_label(&bare("u9", "", "s@x.io")), "s@x.io");
    }
}
