//! ServiceProviderConfig, Schemas and ResourceTypes (RFC 7643 §5-7), shaped per dialect.

use serde_json::{json, Value};

use super::config::Dialect;
use super::schemas::ENTERPRISE_URN;
use super::store::{GROUP_URN, USER_URN};

const LIST_URN: &str = "urn:ietf:params:scim:api:messages:2.0:ListResponse";

pub fn service_provider_config(dialect: Dialect, base_url: &str, max_results: usize) -> Value {
    if dialect == Dialect::Aws {
        return super::aws_wire::service_provider_config(base_url);
    }
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

/// The schemas at `/Schemas` (see [`super::schemas`]).
pub fn schemas(dialect: Dialect, base_url: &str) -> Vec<Value> {
    super::schemas::all(dialect, base_url)
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
