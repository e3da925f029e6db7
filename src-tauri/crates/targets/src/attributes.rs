//! Per-target attribute facts: which attributes the target stores and therefore
//! counts as drift, and the constraints it puts on them (for the UI).

use drift::CompareSpec;
use serde::Serialize;
use ts_rs::TS;

use crate::kind::Kind;
use crate::mapping::ENTERPRISE_SCHEMA;

/// Attribute paths (drift path syntax) a target manages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export, export_to = "targets/")]
pub struct ManagedAttributes {
    pub user: Vec<String>,
    pub group: Vec<String>,
    /// Compared without case.
    pub user_case_insensitive: Vec<String>,
    /// Whether the target is known to keep `externalId`; if not, a missing one is not drift.
    pub compare_external_id: bool,
}

/// Everything the connector's attribute table maps (seed 001).
fn full_user_paths() -> Vec<String> {
    let mut v: Vec<String> = [
        "userName",
        "name.givenName",
        "name.familyName",
        "name.middleName",
        "displayName",
        "emails[primary].value",
        "active",
        "title",
        "phoneNumbers.value",
        "addresses.streetAddress",
        "addresses.locality",
        "addresses.region",
        "addresses.postalCode",
        "addresses.country",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    for attr in ["employeeNumber", "department", "organization"] {
        v.push(format!("{ENTERPRISE_SCHEMA}:{attr}"));
    }
    v
}

fn paths(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

/// AWS and generic servers store the whole table. StrongDM, Unity and Axis do
/// not document what they keep, so only what they require or match on counts:
/// anything more would show drift that is only the target dropping a field.
pub fn managed_attributes(kind: Kind) -> ManagedAttributes {
    let (user, compare_external_id) = match kind {
        Kind::Aws | Kind::Generic => (full_user_paths(), true),
        Kind::StrongDm => (
            paths(&["userName", "name.givenName", "name.familyName", "active"]),
            false,
        ),
        Kind::Unity | Kind::Axis => (
            paths(&[
                "userName",
                "name.givenName",
                "name.familyName",
                "emails[primary].value",
                "active",
            ]),
            false,
        ),
    };
    ManagedAttributes {
        user,
        group: paths(&["displayName"]),
        user_case_insensitive: paths(&["userName", "emails"]),
        compare_external_id,
    }
}

/// The drift spec for `kind`.
pub fn compare_spec(kind: Kind) -> CompareSpec {
    let m = managed_attributes(kind);
    fn refs(v: &[String]) -> Vec<&str> {
        v.iter().map(String::as_str).collect()
    }
    let mut spec = CompareSpec::from_paths(
        &refs(&m.user),
        &refs(&m.group),
        &refs(&m.user_case_insensitive),
        &[],
    )
    .unwrap_or_else(|e| unreachable!("built-in attribute paths parse: {e}"));
    spec.compare_external_id = m.compare_external_id;
    spec.deprovision_deletes = crate::capabilities::capabilities(kind).deprovision
        == crate::capabilities::Deprovision::Delete;
    spec
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export, export_to = "targets/", rename = "AttributeConstraint")]
pub enum Constraint {
    /// Users without it are not provisioned.
    Required,
    /// At most one value; several make the sync fail.
    SingleValue,
    /// Must be the primary value.
    Primary,
    /// The target rejects or ignores it.
    NotSupported,
    /// Only allowed on some operations (see note).
    Restricted,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export, export_to = "targets/")]
pub struct AttributeRule {
    pub path: &'static str,
    pub constraint: Constraint,
    pub note: &'static str,
}

const fn rule(path: &'static str, constraint: Constraint, note: &'static str) -> AttributeRule {
    AttributeRule {
        path,
        constraint,
        note,
    }
}

pub fn attribute_rules(kind: Kind) -> Vec<AttributeRule> {
    use Constraint::*;
    match kind {
        Kind::Aws => vec![
            rule(
                "userName",
                Required,
                "JumpCloud sends the user's email as userName.",
            ),
            rule(
                "name.givenName",
                Required,
                "Users without a first name are not provisioned.",
            ),
            rule(
                "name.familyName",
                Required,
                "Users without a last name are not provisioned.",
            ),
            rule(
                "displayName",
                Required,
                "Users without a display name are not provisioned.",
            ),
            rule("emails", SingleValue, "One email, and it must be primary."),
            rule("emails", Primary, "The one email must be marked primary."),
            rule(
                "phoneNumbers",
                SingleValue,
                "One phone number; JumpCloud sends the work phone.",
            ),
            rule("addresses", SingleValue, "One address."),
            rule("roles", SingleValue, "One role."),
            rule(
                "groups",
                Restricted,
                "Not accepted on create; membership goes through the group.",
            ),
            rule("ims", NotSupported, ""),
            rule("photos", NotSupported, ""),
            rule("x509Certificates", NotSupported, ""),
            rule("entitlements", NotSupported, ""),
            rule(
                "password",
                NotSupported,
                "JumpCloud's password push is ignored.",
            ),
            rule(
                "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.displayName",
                NotSupported,
                "",
            ),
        ],
        Kind::Unity => vec![
            rule(
                "emails",
                Required,
                "The email's domain must be validated for SSO in Unity.",
            ),
            rule("userName", Required, ""),
        ],
        Kind::StrongDm => vec![
            rule(
                "active",
                Required,
                "PUT requires it; PATCH may change only active.",
            ),
            rule("name.givenName", Required, "PUT requires it."),
            rule("name.familyName", Required, "PUT requires it."),
            rule(
                "userName",
                Required,
                "The only attribute user lists can filter on.",
            ),
        ],
        Kind::Axis | Kind::Generic => {
            vec![rule("userName", Required, "RFC 7643 requires userName.")]
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mapping::user_resource;
    use crate::test_support::{jane, JANE_ID};
    use drift::{Actual, AttrPath, Expected, ExpectedUser, KnownSources};
    use serde_json::json;

    fn canonical(paths: &[String]) -> Vec<String> {
        paths
            .iter()
            .map(|p| AttrPath::parse(p).unwrap().to_string())
            .collect()
    }

    #[test]
    fn compare_spec_carries_the_managed_paths_for_every_target() {
        for kind in Kind::ALL {
            let m = managed_attributes(kind);
            let spec = compare_spec(kind);
            let spec_paths: Vec<String> =
                spec.user_attributes.iter().map(|p| p.to_string()).collect();
            assert_eq!(spec_paths, canonical(&m.user), "{kind:?}");
            assert_eq!(spec.compare_external_id, m.compare_external_id, "{kind:?}");
            assert_eq!(spec.group_attributes.len(), 1);
        }
        assert!(compare_spec(Kind::Aws).compare_external_id);
        assert!(!compare_spec(Kind::StrongDm).compare_external_id);
    }

    /// Every managed path must point at something the mapping produces, or drift
    /// could never see it change: an empty target copy must differ on each of them.
    #[test]
    fn every_managed_path_is_produced_by_the_mapping() {
        for kind in Kind::ALL {
            let resource = user_resource(kind, &jane());
            let expected = Expected {
                users: vec![ExpectedUser {
                    source_id: JANE_ID.into(),
                    label: "Jane".into(),
                    resource: resource.into(),
                }],
                ..Default::default()
            };
            let actual = Actual {
                users: vec![json!({"id": "t1", "externalId": JANE_ID}).into()],
                ..Default::default()
            };
            let known = KnownSources::new([JANE_ID.to_string()], []);
            let drift = drift::diff(&expected, &actual, &compare_spec(kind), &known);
            assert_eq!(drift.users.changed.len(), 1, "{kind:?}: {drift:?}");
            let changed: Vec<String> = drift.users.changed[0]
                .changes
                .iter()
                .map(|c| c.path.clone())
                .collect();
            // An absent `active` counts as true, and Jane is active.
            let wanted: Vec<String> = canonical(&managed_attributes(kind).user)
                .into_iter()
                .filter(|p| p != "active")
                .collect();
            assert_eq!(changed, wanted, "{kind:?}");
        }
    }

    #[test]
    fn aws_rules_list_the_four_required_attributes() {
        let required: Vec<&str> = attribute_rules(Kind::Aws)
            .iter()
            .filter(|r| r.constraint == Constraint::Required)
            .map(|r| r.path)
            .collect();
        assert_eq!(
            required,
            [
                "userName",
                "name.givenName",
                "name.familyName",
                "displayName"
            ]
        );
        let single: Vec<&str> = attribute_rules(Kind::Aws)
            .iter()
            .filter(|r| r.constraint == Constraint::SingleValue)
            .map(|r| r.path)
            .collect();
        assert_eq!(single, ["emails", "phoneNumbers", "addresses", "roles"]);
    }

    #[test]
    fn every_target_requires_something_and_strongdm_requires_active() {
        for kind in Kind::ALL {
            assert!(attribute_rules(kind)
                .iter()
                .any(|r| r.constraint == Constraint::Required));
        }
        assert!(attribute_rules(Kind::StrongDm)
            .iter()
            .any(|r| r.path == "active" && r.constraint == Constraint::Required));
    }
}
