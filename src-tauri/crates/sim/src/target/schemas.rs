//! Schema resources served at `/Schemas` (RFC 7643 §7 and §8.7.1): the User, Group and
//! Enterprise User schemas, limited to the attributes the simulator stores and returns.
//!
//! Clients build their models from these definitions (scim2-tester does), so they must be
//! Schema resources in their own right: `schemas` names the Schema URN, `meta.location`
//! points at `/Schemas/{id}`, `$ref` sub-attributes are `reference`s with their
//! `referenceTypes`, and server-owned sub-attributes say `readOnly`.
//!
//! `required` follows what each dialect enforces on a full write (POST/PUT), so a client
//! reading the schema learns what it must send: AWS CreateUser/PutUser need `displayName`,
//! `name.givenName` and `name.familyName`; StrongDM's PUT needs `active`, `name.givenName`
//! and `name.familyName` (TARGETS.md §1, §3).

use serde_json::{json, Map, Value};

use super::config::Dialect;
use super::store::{GROUP_URN, USER_URN};

pub const ENTERPRISE_URN: &str = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
const SCHEMA_URN: &str = "urn:ietf:params:scim:schemas:core:2.0:Schema";

/// One attribute definition; the defaults are RFC 7643 §2.2's (`readWrite`, returned
/// `default`, not required, not case-exact, no uniqueness).
struct Attr {
    def: Map<String, Value>,
}

impl Attr {
    fn new(name: &str, ty: &str) -> Self {
        let v = json!({
            "name": name, "type": ty, "multiValued": false, "required": false,
            "caseExact": false, "mutability": "readWrite", "returned": "default",
            "uniqueness": "none"
        });
        Attr {
            def: v.as_object().cloned().unwrap_or_default(),
        }
    }
    fn string(name: &str) -> Self {
        Attr::new(name, "string")
    }
    fn boolean(name: &str) -> Self {
        Attr::new(name, "boolean")
    }
    /// A `$ref`-like attribute pointing at the given resource types (or `external`).
    fn reference(name: &str, to: &[&str]) -> Self {
        Attr::new(name, "reference").set("referenceTypes", json!(to))
    }
    fn complex(name: &str, subs: Vec<Attr>) -> Self {
        let subs: Vec<Value> = subs.into_iter().map(Attr::build).collect();
        Attr::new(name, "complex").set("subAttributes", Value::Array(subs))
    }
    fn set(mut self, key: &str, value: Value) -> Self {
        self.def.insert(key.to_string(), value);
        self
    }
    fn multi(self) -> Self {
        self.set("multiValued", json!(true))
    }
    fn required(self) -> Self {
        self.set("required", json!(true))
    }
    fn case_exact(self) -> Self {
        self.set("caseExact", json!(true))
    }
    fn unique(self) -> Self {
        self.set("uniqueness", json!("server"))
    }
    fn mutability(self, m: &str) -> Self {
        self.set("mutability", json!(m))
    }
    fn canonical(self, values: &[&str]) -> Self {
        self.set("canonicalValues", json!(values))
    }
    fn build(self) -> Value {
        Value::Object(self.def)
    }
}

/// `emails`, `phoneNumbers`, `roles`: value, type, primary (RFC 7643 §4.1.2).
fn multi_valued(name: &str, types: &[&str]) -> Attr {
    let mut ty = Attr::string("type");
    if !types.is_empty() {
        ty = ty.canonical(types);
    }
    Attr::complex(
        name,
        vec![Attr::string("value"), ty, Attr::boolean("primary")],
    )
    .multi()
}

fn schema(id: &str, name: &str, description: &str, attrs: Vec<Attr>, base_url: &str) -> Value {
    let attributes: Vec<Value> = attrs.into_iter().map(Attr::build).collect();
    json!({
        "schemas": [SCHEMA_URN],
        "id": id,
        "name": name,
        "description": description,
        "attributes": attributes,
        "meta": {"resourceType": "Schema", "location": format!("{base_url}/Schemas/{id}")},
    })
}

/// User attributes a dialect requires on top of `userName`.
fn required_user_attrs(dialect: Dialect) -> &'static [&'static str] {
    match dialect {
        Dialect::Aws => &["displayName", "name", "name.givenName", "name.familyName"],
        Dialect::StrongDm => &["active", "name", "name.givenName", "name.familyName"],
        _ => &[],
    }
}

fn user_schema(dialect: Dialect, base_url: &str) -> Value {
    let required = required_user_attrs(dialect);
    let req = |path: &str, a: Attr| {
        if required.contains(&path) {
            a.required()
        } else {
            a
        }
    };
    let name_parts = [
        "formatted",
        "familyName",
        "givenName",
        "middleName",
        "honorificPrefix",
        "honorificSuffix",
    ];
    let name = req(
        "name",
        Attr::complex(
            "name",
            name_parts
                .into_iter()
                .map(|n| req(&format!("name.{n}"), Attr::string(n)))
                .collect(),
        ),
    );
    let address_parts = [
        "formatted",
        "streetAddress",
        "locality",
        "region",
        "postalCode",
        "country",
    ];
    let mut address_subs: Vec<Attr> = address_parts.into_iter().map(Attr::string).collect();
    address_subs.push(Attr::string("type").canonical(&["work", "home", "other"]));
    address_subs.push(Attr::boolean("primary"));
    let simple = [
        "displayName",
        "nickName",
        "title",
        "userType",
        "preferredLanguage",
        "locale",
        "timezone",
    ];
    let mut attrs = vec![
        Attr::string("userName").required().unique(),
        name,
        Attr::reference("profileUrl", &["external"]),
        req("active", Attr::boolean("active")),
        Attr::string("externalId").case_exact(),
        multi_valued("emails", &["work", "home", "other"]),
        multi_valued(
            "phoneNumbers",
            &["work", "home", "mobile", "fax", "pager", "other"],
        ),
        Attr::complex("addresses", address_subs).multi(),
        multi_valued("roles", &[]),
    ];
    attrs.extend(simple.into_iter().map(|n| req(n, Attr::string(n))));
    schema(USER_URN, "User", "User Account", attrs, base_url)
}

fn group_schema(base_url: &str) -> Value {
    let members = Attr::complex(
        "members",
        vec![
            Attr::string("value").mutability("immutable"),
            Attr::reference("$ref", &["User", "Group"]).mutability("immutable"),
            Attr::string("display").mutability("readOnly"),
            Attr::string("type")
                .canonical(&["User", "Group"])
                .mutability("immutable"),
        ],
    )
    .multi();
    let attrs = vec![
        Attr::string("displayName").required().unique(),
        Attr::string("externalId").case_exact(),
        members,
    ];
    schema(GROUP_URN, "Group", "Group", attrs, base_url)
}

fn enterprise_schema(base_url: &str) -> Value {
    let mut attrs: Vec<Attr> = [
        "employeeNumber",
        "costCenter",
        "organization",
        "division",
        "department",
    ]
    .into_iter()
    .map(Attr::string)
    .collect();
    attrs.push(Attr::complex(
        "manager",
        vec![
            Attr::string("value"),
            Attr::reference("$ref", &["User"]),
            Attr::string("displayName").mutability("readOnly"),
        ],
    ));
    schema(
        ENTERPRISE_URN,
        "EnterpriseUser",
        "Enterprise User",
        attrs,
        base_url,
    )
}

/// Every schema the simulator serves, `base_url` giving their `meta.location`.
pub fn all(dialect: Dialect, base_url: &str) -> Vec<Value> {
    vec![
        user_schema(dialect, base_url),
        group_schema(base_url),
        enterprise_schema(base_url),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn find<'a>(attrs: &'a Value, name: &str) -> &'a Value {
        attrs
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["name"] == name)
            .unwrap_or_else(|| panic!("no attribute {name}"))
    }

    #[test]
    fn schemas_are_schema_resources_with_locations() {
        for s in all(Dialect::Generic, "http://h/scim/v2") {
            assert_eq!(s["schemas"], json!([SCHEMA_URN]));
            let id = s["id"].as_str().unwrap();
            assert_eq!(
                s["meta"]["location"],
                format!("http://h/scim/v2/Schemas/{id}")
            );
        }
    }

    #[test]
    fn group_member_refs_point_at_users_and_groups() {
        let g = &all(Dialect::Generic, "http://h")[1];
        let members = find(&g["attributes"], "members");
        assert_eq!(members["multiValued"], true);
        let r = find(&members["subAttributes"], "$ref");
        assert_eq!(r["type"], "reference");
        assert_eq!(r["referenceTypes"], json!(["User", "Group"]));
        let display = find(&members["subAttributes"], "display");
        assert_eq!(display["mutability"], "readOnly");
    }

    #[test]
    fn user_name_is_required_and_unique() {
        let u = &all(Dialect::Generic, "http://h")[0];
        let user_name = find(&u["attributes"], "userName");
        assert_eq!(user_name["required"], true);
        assert_eq!(user_name["uniqueness"], "server");
        assert_eq!(find(&u["attributes"], "profileUrl")["type"], "reference");
        assert_eq!(find(&u["attributes"], "displayName")["required"], false);
    }

    #[test]
    fn dialects_mark_what_their_writes_require() {
        let aws = &all(Dialect::Aws, "http://h")[0]["attributes"];
        assert_eq!(find(aws, "displayName")["required"], true);
        let name = find(aws, "name");
        assert_eq!(name["required"], true);
        assert_eq!(find(&name["subAttributes"], "givenName")["required"], true);
        assert_eq!(
            find(&name["subAttributes"], "middleName")["required"],
            false
        );
        let sdm = &all(Dialect::StrongDm, "http://h")[0]["attributes"];
        assert_eq!(find(sdm, "active")["required"], true);
        assert_eq!(find(sdm, "displayName")["required"], false);
    }
}
