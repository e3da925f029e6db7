//! JumpCloud users as the `saml` crate sees them: each user flattened into
//! field name -> text under the names JumpCloud's SAML attribute mapping uses,
//! the fields this directory actually has (for the builder's picker), and the
//! value check over every user.
//!
//! Names: standard fields by their v1 `systemuser` API name (`department`,
//! `costCenter`), custom attributes by their own name, one address part as
//! `addresses.<type>.<part>` (see [`saml::address_field`]) and one phone
//! number as `phoneNumbers.<type>`. A standard field wins over a custom
//! attribute of the same name when both have a value (JumpCloud's mapping
//! resolves the built-in field first).

use std::collections::BTreeMap;

use jumpcloud::{Directory, SystemUser};
use saml::{Mapping, UserValues, ValueReport};

/// What kind of JumpCloud data a field name refers to; the picker groups by it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FieldKind {
    Standard,
    Custom,
    Address,
    Phone,
}

/// One field the builder can read, with how many users have a non-empty value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldInfo {
    pub name: String,
    pub kind: FieldKind,
    pub users_with_value: usize,
}

/// Standard single-value fields in the order the picker lists them.
pub const STANDARD_FIELDS: &[&str] = &[
    "username",
    "email",
    "firstname",
    "middlename",
    "lastname",
    "displayname",
    "employeeIdentifier",
    "employeeType",
    "department",
    "company",
    "jobTitle",
    "costCenter",
    "location",
    "manager",
];

/// Address parts by their API names, as they follow `addresses.<type>.`.
pub const ADDRESS_PARTS: &[&str] = &[
    "streetAddress",
    "extendedAddress",
    "poBox",
    "locality",
    "region",
    "postalCode",
    "country",
];

fn standard_value<'a>(user: &'a SystemUser, name: &str) -> Option<&'a str> {
    let value = match name {
        "username" => Some(&user.username),
        "email" => Some(&user.email),
        "firstname" => user.firstname.as_ref(),
        "middlename" => user.middlename.as_ref(),
        "lastname" => user.lastname.as_ref(),
        "displayname" => user.displayname.as_ref(),
        "employeeIdentifier" => user.employee_identifier.as_ref(),
        "employeeType" => user.employee_type.as_ref(),
        "department" => user.department.as_ref(),
        "company" => user.company.as_ref(),
        "jobTitle" => user.job_title.as_ref(),
        "costCenter" => user.cost_center.as_ref(),
        "location" => user.location.as_ref(),
        "manager" => user.manager.as_ref(),
        _ => None,
    };
    value.map(String::as_str)
}

fn address_part<'a>(address: &'a jumpcloud::Address, part: &str) -> Option<&'a str> {
    let value = match part {
        "streetAddress" => address.street_address.as_ref(),
        "extendedAddress" => address.extended_address.as_ref(),
        "poBox" => address.po_box.as_ref(),
        "locality" => address.locality.as_ref(),
        "region" => address.region.as_ref(),
        "postalCode" => address.postal_code.as_ref(),
        "country" => address.country.as_ref(),
        _ => None,
    };
    value.map(String::as_str)
}

/// Every (name, value, kind) a user has. Of several addresses or phone numbers
/// of one type, the first counts: a tag carries one value.
fn user_fields(user: &SystemUser) -> Vec<(String, &str, FieldKind)> {
    let mut out = Vec::new();
    for name in STANDARD_FIELDS {
        if let Some(v) = standard_value(user, name) {
            out.push(((*name).to_owned(), v, FieldKind::Standard));
        }
    }
    for attr in &user.attributes {
        out.push((attr.name.clone(), attr.value.as_str(), FieldKind::Custom));
    }
    for address in &user.addresses {
        for part in ADDRESS_PARTS {
            if let Some(v) = address_part(address, part) {
                let name = saml::address_field(&address.kind, part);
                out.push((name, v, FieldKind::Address));
            }
        }
    }
    for phone in &user.phone_numbers {
        out.push((
            format!("phoneNumbers.{}", phone.kind),
            phone.number.as_str(),
            FieldKind::Phone,
        ));
    }
    out
}

/// One user as `saml` reads it. Fields the user does not have are absent
/// (the validator reports them as missing, not empty).
pub fn user_values(user: &SystemUser) -> UserValues {
    let mut values: BTreeMap<String, String> = BTreeMap::new();
    for (name, value, kind) in user_fields(user) {
        // Standard fields come first, so they win; an empty custom attribute
        // must not turn a missing standard field into an empty one either.
        if kind == FieldKind::Custom && value.is_empty() && STANDARD_FIELDS.contains(&name.as_str())
        {
            continue;
        }
        values.entry(name).or_insert_with(|| value.to_owned());
    }
    UserValues {
        id: user.id.clone(),
        username: user.username.clone(),
        values,
    }
}

/// Every user of the directory, in directory order.
pub fn directory_values(directory: &Directory) -> Vec<UserValues> {
    directory.users.iter().map(user_values).collect()
}

/// The fields of this directory: all standard ones (even if nobody fills
/// them, so the admin sees the field exists) and every custom attribute,
/// address part and phone type some user has, each with its fill count.
pub fn available_fields(directory: &Directory) -> Vec<FieldInfo> {
    let mut found: BTreeMap<(FieldKind, String), usize> = BTreeMap::new();
    for name in STANDARD_FIELDS {
        found.insert((FieldKind::Standard, (*name).to_owned()), 0);
    }
    for user in &directory.users {
        let values = user_values(user);
        let kinds: BTreeMap<String, FieldKind> = user_fields(user)
            .into_iter()
            .map(|(name, _, kind)| {
                let kind = if STANDARD_FIELDS.contains(&name.as_str()) {
                    FieldKind::Standard
                } else {
                    kind
                };
                (name, kind)
            })
            .collect();
        for (name, value) in &values.values {
            if value.is_empty() {
                continue;
            }
            let kind = kinds.get(name).copied().unwrap_or(FieldKind::Custom);
            *found.entry((kind, name.clone())).or_insert(0) += 1;
        }
    }
    let mut fields: Vec<FieldInfo> = found
        .into_iter()
        .map(|((kind, name), users_with_value)| FieldInfo {
            name,
            kind,
            users_with_value,
        })
        .collect();
    // Standard fields in their documented order, the rest by name within kind.
    fields.sort_by_key(|f| {
        let position = STANDARD_FIELDS
            .iter()
            .position(|s| *s == f.name && f.kind == FieldKind::Standard)
            .unwrap_or(usize::MAX);
        (f.kind, position, f.name.clone())
    });
    fields
}

/// [`saml::check_values`] over the whole directory, with each mapping's list of
/// users keeping only its first `max_problems` entries. The counts stay complete,
/// so "showing 200 of 1,204" can be said.
pub fn check_directory_values(
    mappings: &[Mapping],
    directory: &Directory,
    max_problems: usize,
) -> ValueReport {
    let mut report = saml::check_values(mappings, &directory_values(directory));
    for mapping in &mut report.mappings {
        mapping.problems.truncate(max_problems);
    }
    report
}

/// A user by id, or by username (case-insensitive) for the CLI's `--user`.
pub fn find_user<'a>(directory: &'a Directory, id_or_username: &str) -> Option<&'a SystemUser> {
    directory.user(id_or_username).or_else(|| {
        directory
            .users
            .iter()
            .find(|u| u.username.eq_ignore_ascii_case(id_or_username))
    })
}

/// Users whose username, display name or email contains `search`
/// (case-insensitive), in directory order, at most `limit`.
pub fn search_users<'a>(
    directory: &'a Directory,
    search: &str,
    limit: usize,
) -> Vec<&'a SystemUser> {
    let needle = search.trim().to_lowercase();
    directory
        .users
        .iter()
        .filter(|u| {
            needle.is_empty()
                || u.username.to_lowercase().contains(&needle)
                || u.email.to_lowercase().contains(&needle)
                || u.displayname
                    .as_deref()
                    .is_some_and(|d| d.to_lowercase().contains(&needle))
        })
        .take(limit)
        .collect()
}

/// How a user is shown in pickers: display name, else first and last name, else username.
pub fn display_name(user: &SystemUser) -> String {
    if let Some(d) = user.displayname.as_deref().filter(|d| !d.is_empty()) {
        return d.to_owned();
    }
    let parts: Vec<&str> = [user.firstname.as_deref(), user.lastname.as_deref()]
        .into_iter()
        .flatten()
        .filter(|p| !p.is_empty())
        .collect();
    if parts.is_empty() {
        user.username.clone()
    } else {
        parts.join(" ")
    }
}

/// What the SAML builder shows for one set of mappings: the XML, every issue, JumpCloud's
/// mapping rows as a table and as tab-separated text, and the user the values came from.
pub struct Built<'a> {
    pub xml: saml::Result<String>,
    pub issues: Vec<saml::Issue>,
    pub rows: Vec<saml::MappingRow>,
    pub tsv: saml::Result<String>,
    pub user: Option<&'a SystemUser>,
}

/// Builds the AttributeStatement for `user` (with their values), or as a template when no user
/// is given, and checks the mappings against AWS's limits and the console's own keys.
pub fn build<'a>(
    mappings: &[Mapping],
    user: Option<&'a SystemUser>,
    options: &saml::RenderOptions,
    console_keys: &[String],
) -> Built<'a> {
    let (xml, mut issues) = match user {
        Some(user) => {
            let values = user_values(user);
            (
                saml::render_for_user(mappings, &values, options),
                saml::validate_for_user(mappings, &values),
            )
        }
        None => (
            saml::render_template(mappings, options),
            saml::validate_mappings(mappings),
        ),
    };
    issues.extend(saml::console_overrides(mappings, console_keys));
    Built {
        xml,
        issues,
        rows: saml::mapping_rows(mappings),
        tsv: saml::mapping_rows_tsv(mappings),
        user,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jumpcloud::{Address, CustomAttribute, PhoneNumber};

    fn user() -> SystemUser {
        SystemUser {
            id: "u1".into(),
            username: "ada".into(),
            email: "ada@example.com".into(),
            department: Some("Engineering".into()),
            job_title: Some("Engineer".into()),
            addresses: vec![
                Address {
                    kind: "work".into(),
                    locality: Some("Kraków".into()),
                    country: Some("PL".into()),
                    ..Default::default()
                },
                Address {
                    kind: "work".into(),
                    locality: Some("Second".into()),
                    ..Default::default()
                },
            ],
            phone_numbers: vec![PhoneNumber {
                kind: "mobile".into(),
                number: "+48 601".into(),
            }],
            attributes: vec![
                CustomAttribute {
                    name: "team".into(),
                    value: "blue".into(),
                },
                CustomAttribute {
                    name: "department".into(),
                    value: "Shadow".into(),
                },
                CustomAttribute {
                    name: "costCenter".into(),
                    value: "CC-1".into(),
                },
            ],
            ..Default::default()
        }
    }

    #[test]
    fn flattens_standard_custom_address_and_phone_fields() {
        let v = user_values(&user());
        assert_eq!(v.id, "u1");
        assert_eq!(v.username, "ada");
        let get = |k: &str| v.values.get(k).map(String::as_str);
        assert_eq!(get("email"), Some("ada@example.com"));
        assert_eq!(get("jobTitle"), Some("Engineer"));
        assert_eq!(get("team"), Some("blue"));
        // The preset names for City and Country resolve.
        assert_eq!(
            get(&saml::address_field("work", "locality")),
            Some("Kraków")
        );
        assert_eq!(get("addresses.work.country"), Some("PL"));
        assert_eq!(get("phoneNumbers.mobile"), Some("+48 601"));
        // Missing fields stay absent rather than empty.
        assert_eq!(get("location"), None);
        assert_eq!(get("middlename"), None);
    }

    #[test]
    fn standard_field_beats_custom_attribute_but_custom_fills_a_gap() {
        let v = user_values(&user());
        assert_eq!(v.values["department"], "Engineering");
        // costCenter is unset as a standard field, so the custom attribute supplies it.
        assert_eq!(v.values["costCenter"], "CC-1");
    }

    #[test]
    fn available_fields_count_users_and_discover_custom_names() {
        let mut other = user();
        other.id = "u2".into();
        other.username = "bob".into();
        other.department = None;
        other.attributes.clear();
        let dir = Directory::from_users(vec![user(), other]);
        let fields = available_fields(&dir);
        let find = |n: &str| fields.iter().find(|f| f.name == n).cloned();
        let dept = find("department").unwrap();
        assert_eq!(dept.kind, FieldKind::Standard);
        // Bob has no department and no custom one; only Ada counts.
        assert_eq!(dept.users_with_value, 1);
        assert_eq!(find("email").unwrap().users_with_value, 2);
        assert_eq!(find("location").unwrap().users_with_value, 0);
        let team = find("team").unwrap();
        assert_eq!((team.kind, team.users_with_value), (FieldKind::Custom, 1));
        assert_eq!(find("costCenter").unwrap().kind, FieldKind::Standard);
        assert_eq!(
            find("addresses.work.locality").unwrap().kind,
            FieldKind::Address
        );
        assert_eq!(find("phoneNumbers.mobile").unwrap().kind, FieldKind::Phone);
        assert_eq!(fields[0].name, "username");
        assert!(find("addresses.home.locality").is_none());
    }

    #[test]
    fn value_check_truncates_lists_but_keeps_counts() {
        let users: Vec<SystemUser> = (0..5)
            .map(|i| SystemUser {
                id: format!("u{i}"),
                username: format!("user{i}"),
                email: format!("user{i}@example.com"),
                ..Default::default()
            })
            .collect();
        let dir = Directory::from_users(users);
        let mappings = [
            Mapping::attribute("Department", "department"),
            Mapping::attribute("Email", "email"),
        ];
        let report = check_directory_values(&mappings, &dir, 2);
        assert_eq!(report.total_users, 5);
        assert_eq!(report.mappings[0].counts.missing, 5);
        assert_eq!(report.mappings[0].problems.len(), 2);
        assert_eq!(report.mappings[1].counts.ok, 5);
        assert!(report.mappings[1].problems.is_empty());
    }

    #[test]
    fn finds_users_by_id_username_and_search() {
        let dir = Directory::from_users(vec![user()]);
        assert_eq!(find_user(&dir, "u1").unwrap().username, "ada");
        assert_eq!(find_user(&dir, "ADA").unwrap().id, "u1");
        assert!(find_user(&dir, "nobody").is_none());
        assert_eq!(search_users(&dir, "EXAMPLE", 10).len(), 1);
        assert_eq!(search_users(&dir, "zzz", 10).len(), 0);
        assert_eq!(search_users(&dir, "", 0).len(), 0);
        assert_eq!(display_name(&user()), "ada");
    }
}
