//! ServiceProviderConfig, Schemas and ResourceTypes (RFC 7643 §5-7), shaped per dialect.

use serde_json::{json, Value};

use super::config::Dialect;
use super::store::{GROUP_URN, USER_URN};

pub const ENTERPRISE_URN: &str = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
const LIST_URN: &str = "urn:ietf:params:scim:api:messages:2.0:ListResponse";

pub fn service_provider_config(dialect: Dialect, base_url: &str, max_results: usize) -> Value {
    let bearer = json!({
        "type": "oauthbearertoken", "name": "OAuth Bearer Token",
        "description": "Authentication with a bearer token", "primary": true
    });
    let mut schemes = vec![bearer];
    if dialect == Dialect::Unity {
        schemes.push(json!({
            "type": "httpbasic", "name": "HTTP Basic",
            "description": "Service account key id and secret"
        }));
    }
    let (filter_max, sort, etag) = match dialect {
        Dialect::Aws => (100, false, false),
        Dialect::StrongDm => (max_results, false, false),
        _ => (max_results, true, true),
    };
    json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"],
        "documentationUri": format!("{base_url}/ServiceProviderConfig"),
        "patch": {"supported": true},
        "bulk": {"supported": false, "maxOperations": 0, "maxPayloadSize": 0},
        "filter": {"supported": true, "maxResults": filter_max},
        "changePassword": {"supported": false},
        "sort": {"supported": sort},
        "etag": {"supported": etag},
        "authenticationSchemes": schemes,
        "meta": {"resourceType": "ServiceProviderConfig", "location": format!("{base_url}/ServiceProviderConfig")}
    })
}

fn attr(
    name: &str,
    ty: &str,
    multi: bool,
    required: bool,
    case_exact: bool,
    uniqueness: &str,
) -> Value {
    json!({
        "name": name, "type": ty, "multiValued": multi, "required": required,
        "caseExact": case_exact, "mutability": "readWrite", "returned": "default",
        "uniqueness": uniqueness
    })
}

fn complex(name: &str, multi: bool, subs: &[&str]) -> Value {
    let mut a = attr(name, "complex", multi, false, false, "none");
    a["subAttributes"] = Value::Array(
        subs.iter()
            .map(|s| match *s {
                "primary" => attr(s, "boolean", false, false, false, "none"),
                _ => attr(s, "string", false, false, false, "none"),
            })
            .collect(),
    );
    a
}

fn user_schema() -> Value {
    let s = |n: &str| attr(n, "string", false, false, false, "none");
    json!({
        "id": USER_URN, "name": "User", "description": "User Account",
        "attributes": [
            attr("userName", "string", false, true, false, "server"),
            complex("name", false, &["formatted", "familyName", "givenName", "middleName", "honorificPrefix", "honorificSuffix"]),
            s("displayName"), s("nickName"), s("profileUrl"), s("title"), s("userType"),
            s("preferredLanguage"), s("locale"), s("timezone"),
            attr("active", "boolean", false, false, false, "none"),
            attr("externalId", "string", false, false, true, "none"),
            complex("emails", true, &["value", "type", "primary"]),
            complex("phoneNumbers", true, &["value", "type", "primary"]),
            complex("addresses", true, &["formatted", "streetAddress", "locality", "region", "postalCode", "country", "type", "primary"]),
            complex("roles", true, &["value", "type", "primary"]),
        ],
        "meta": {"resourceType": "Schema"}
    })
}

fn group_schema() -> Value {
    json!({
        "id": GROUP_URN, "name": "Group", "description": "Group",
        "attributes": [
            attr("displayName", "string", false, true, false, "server"),
            attr("externalId", "string", false, false, true, "none"),
            complex("members", true, &["value", "$ref", "display", "type"]),
        ],
        "meta": {"resourceType": "Schema"}
    })
}

fn enterprise_schema() -> Value {
    let s = |n: &str| attr(n, "string", false, false, false, "none");
    json!({
        "id": ENTERPRISE_URN, "name": "EnterpriseUser", "description": "Enterprise User",
        "attributes": [
            s("employeeNumber"), s("costCenter"), s("organization"), s("division"), s("department"),
            complex("manager", false, &["value", "$ref", "displayName"]),
        ],
        "meta": {"resourceType": "Schema"}
    })
}

pub fn schemas() -> Vec<Value> {
    vec![user_schema(), group_schema(), enterprise_schema()]
}

pub fn resource_types(base_url: &str) -> Vec<Value> {
    vec![
        json!({
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:ResourceType"],
            "id": "User", "name": "User", "endpoint": "/Users", "schema": USER_URN,
            "schemaExtensions": [{"schema": ENTERPRISE_URN, "required": false}],
            "meta": {"resourceType": "ResourceType", "location": format!("{base_url}/ResourceTypes/User")}
        }),
        json!({
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:ResourceType"],
            "id": "Group", "name": "Group", "endpoint": "/Groups", "schema": GROUP_URN,
            "meta": {"resourceType": "ResourceType", "location": format!("{base_url}/ResourceTypes/Group")}
        }),
    ]
}

/// A ListResponse holding every item (discovery lists are not paged).
pub fn list_all(items: Vec<Value>) -> Value {
    json!({
        "schemas": [LIST_URN],
        "totalResults": items.len(),
        "itemsPerPage": items.len(),
        "startIndex": 1,
        "Resources": items,
    })
}

pub fn list_urn() -> &'static str {
    LIST_URN
}
