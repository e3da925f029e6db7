//! Attribute-by-attribute comparison of one matched pair.

use serde_json::Value;

use crate::normalize::{self, Norm};
use crate::output::AttrChange;
use crate::path::{AttrPath, Found};
use crate::record::Node;
use crate::spec::CompareSpec;

/// A spec path made ready for comparing many resources: display text and
/// case rule computed once, not per resource.
pub(crate) struct Compared {
    path: AttrPath,
    display: String,
    fold_case: bool,
    /// `active` absent means active: a target that omits it has not deactivated anyone.
    absent_is_true: bool,
}

/// The spec, prepared once per diff.
pub(crate) struct Prepared {
    pub(crate) user_paths: Vec<Compared>,
    pub(crate) group_paths: Vec<Compared>,
    pub(crate) manage_active: bool,
    pub(crate) fold_group_names: bool,
    /// See [`CompareSpec::deprovision_deletes`].
    pub(crate) deprovision_deletes: bool,
}

/// Handled outside the generic comparison: ids and links are matching keys,
/// `groups`/`members` are membership, `meta`/`schemas` are bookkeeping.
const NOT_COMPARED: [&str; 6] = ["id", "externalId", "meta", "schemas", "groups", "members"];

impl Prepared {
    pub(crate) fn new(spec: &CompareSpec) -> Self {
        let skipped: Vec<AttrPath> = NOT_COMPARED.iter().map(|n| simple(n)).collect();
        let keep = |p: &&AttrPath| !skipped.iter().any(|s| s.same_attribute(p));
        let user_paths = spec
            .user_attributes
            .iter()
            .filter(keep)
            .map(|p| Compared {
                path: p.clone(),
                display: p.to_string(),
                fold_case: spec.user_folds(p),
                absent_is_true: p.is_simple("active"),
            })
            .collect();
        let group_paths = spec
            .group_attributes
            .iter()
            .filter(keep)
            .map(|p| Compared {
                path: p.clone(),
                display: p.to_string(),
                fold_case: spec.group_folds(p),
                absent_is_true: false,
            })
            .collect();
        Self {
            user_paths,
            group_paths,
            manage_active: spec.user_attributes.iter().any(|p| p.is_simple("active")),
            fold_group_names: spec.group_folds(&simple("displayName")),
            deprovision_deletes: spec.deprovision_deletes,
        }
    }
}

fn simple(name: &str) -> AttrPath {
    AttrPath::parse(name).unwrap_or_else(|e| unreachable!("constant path parses: {e}"))
}

/// The attributes that differ, in spec order. Allocates only for differences.
pub(crate) fn changes(paths: &[Compared], expected: Node<'_>, actual: Node<'_>) -> Vec<AttrChange> {
    let mut out = Vec::new();
    for c in paths {
        let ef = c.path.resolve(expected);
        let af = c.path.resolve(actual);
        let mut en = normalize::found(&ef, c.fold_case);
        let mut an = normalize::found(&af, c.fold_case);
        if c.absent_is_true {
            for n in [&mut en, &mut an] {
                if *n == Norm::Absent {
                    *n = Norm::Bool(true);
                }
            }
        }
        if en != an {
            out.push(AttrChange {
                path: c.display.clone(),
                expected: raw(&ef),
                actual: raw(&af),
            });
        }
    }
    out
}

/// `active` of a resource, `None` if absent or not a boolean.
pub(crate) fn active(resource: Node<'_>) -> Option<bool> {
    match resource.get("active").map(|v| normalize::value(v, false)) {
        Some(Norm::Bool(b)) => Some(b),
        _ => None,
    }
}

fn raw(f: &Found<'_>) -> Value {
    match f {
        Found::Absent => Value::Null,
        Found::One(v) => v.to_value(),
        Found::Many(vs) => Value::Array(vs.iter().map(|v| v.to_value()).collect()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::Record;
    use serde_json::json;

    fn diff(paths: &[Compared], expected: Value, actual: Value) -> Vec<AttrChange> {
        changes(
            paths,
            Record::from(expected).node(),
            Record::from(actual).node(),
        )
    }

    fn active_of(resource: Value) -> Option<bool> {
        active(Record::from(resource).node())
    }

    fn prepared() -> Prepared {
        Prepared::new(&CompareSpec::jumpcloud_default())
    }

    #[test]
    fn reports_only_differing_paths_with_raw_values() {
        let p = prepared();
        let exp = json!({"userName": "ann@x", "name": {"givenName": "Ann", "familyName": "Lee"}, "title": "Dev"});
        let act = json!({"userName": "ANN@x", "name": {"givenName": "Anne", "familyName": "Lee"}, "title": " Dev "});
        let ch = diff(&p.user_paths, exp, act);
        assert_eq!(ch.len(), 1, "{ch:?}");
        assert_eq!(ch[0].path, "name.givenName");
        assert_eq!(ch[0].expected, json!("Ann"));
        assert_eq!(ch[0].actual, json!("Anne"));
    }

    #[test]
    fn absent_active_counts_as_active() {
        let p = prepared();
        assert!(diff(&p.user_paths, json!({"active": true}), json!({})).is_empty());
        assert!(diff(&p.user_paths, json!({}), json!({"active": "true"})).is_empty());
        let ch = diff(&p.user_paths, json!({"active": false}), json!({}));
        assert_eq!(ch.len(), 1);
        assert_eq!(ch[0].path, "active");
    }

    #[test]
    fn ids_and_membership_are_never_compared_generically() {
        let spec = CompareSpec::from_paths(
            &["id", "externalId", "groups", "userName"],
            &["members", "displayName"],
            &[],
            &[],
        )
        .unwrap();
        let p = Prepared::new(&spec);
        assert_eq!(p.user_paths.len(), 1);
        assert_eq!(p.group_paths.len(), 1);
        assert!(!p.manage_active);
    }

    #[test]
    fn reads_active_as_bool_or_string() {
        assert_eq!(active_of(json!({"active": false})), Some(false));
        assert_eq!(active_of(json!({"Active": "False"})), Some(false));
        assert_eq!(active_of(json!({"active": "maybe"})), None);
        assert_eq!(active_of(json!({})), None);
    }
}
