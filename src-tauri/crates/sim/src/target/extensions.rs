//! Schema extensions addressed as a whole (RFC 7644 §3.5.2, §3.10).
//!
//! A PATCH `path` that is exactly an extension URN
//! (`urn:ietf:params:scim:schemas:extension:enterprise:2.0:User`) names the extension's
//! complex attribute itself. Syntax alone cannot tell it from `schemaURN:attribute` (the URN
//! ends in `:User`), so the served schema list decides. The resource's `schemas` must then
//! list exactly the extensions it carries (RFC 7643 §3: "schemas" names the schemas of the
//! attributes present).

use serde_json::{Map, Value};

use super::filter::{AttrPath, PatchPath};
use super::json::key_ci;
use super::schemas::ENTERPRISE_URN;

/// Extension URNs the simulator serves.
const EXTENSIONS: [&str; 1] = [ENTERPRISE_URN];

/// The served extension URN `raw` names, if it is one (case-insensitive).
fn extension_urn(raw: &str) -> Option<&'static str> {
    let raw = raw.trim();
    EXTENSIONS
        .into_iter()
        .find(|urn| urn.eq_ignore_ascii_case(raw))
}

/// A PATCH path naming a whole extension: the extension is then a top-level complex
/// attribute keyed by its URN.
pub fn whole_extension_path(raw: &str) -> Option<PatchPath> {
    extension_urn(raw).map(|urn| PatchPath {
        attr: AttrPath {
            schema: None,
            names: vec![urn.to_string()],
        },
        filter: None,
        sub: None,
    })
}

/// Make `schemas` agree with the extensions present: an extension left empty by a PATCH is
/// dropped, a present one is listed, an absent one is not.
pub fn sync_schemas(resource: &mut Value) {
    let Some(obj) = resource.as_object_mut() else {
        return;
    };
    for urn in EXTENSIONS {
        let key = key_ci(obj, urn);
        let present = match key.as_ref().and_then(|k| obj.get(k)) {
            Some(Value::Object(ext)) if !ext.is_empty() => true,
            Some(Value::Null) | Some(Value::Object(_)) => {
                key.as_ref().map(|k| obj.remove(k));
                false
            }
            Some(_) => true, // not an object: leave it for validation to report
            None => false,
        };
        list_schema(obj, urn, present);
    }
}

fn list_schema(obj: &mut Map<String, Value>, urn: &str, present: bool) {
    let Some(Value::Array(schemas)) = key_ci(obj, "schemas").and_then(|k| obj.get_mut(&k)) else {
        return;
    };
    let listed = |s: &Value| s.as_str().is_some_and(|s| s.eq_ignore_ascii_case(urn));
    if present && !schemas.iter().any(listed) {
        schemas.push(Value::String(urn.to_string()));
    } else if !present {
        schemas.retain(|s| !listed(s));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const USER: &str = "urn:ietf:params:scim:schemas:core:2.0:User";

    #[test]
    fn a_bare_extension_urn_is_one_attribute() {
        let p = whole_extension_path(&ENTERPRISE_URN.to_lowercase()).unwrap();
        assert_eq!(p.attr.schema, None);
        assert_eq!(p.attr.names, vec![ENTERPRISE_URN.to_string()]);
        assert!(whole_extension_path(&format!("{ENTERPRISE_URN}:department")).is_none());
        assert!(whole_extension_path("title").is_none());
    }

    #[test]
    fn schemas_follow_the_extensions_present() {
        let mut u = json!({"schemas": [USER], ENTERPRISE_URN: {"department": "x"}});
        sync_schemas(&mut u);
        assert_eq!(u["schemas"], json!([USER, ENTERPRISE_URN]));
        u[ENTERPRISE_URN] = json!({});
        sync_schemas(&mut u);
        assert_eq!(u["schemas"], json!([USER]));
        assert!(u.get(ENTERPRISE_URN).is_none());
    }
}
