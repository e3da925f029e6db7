//! Attribute paths such as `userName`, `name.givenName`, `emails[primary].value`
//! or `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department`,
//! parsed once and then resolved against many resources.

use std::fmt;
use std::str::FromStr;

use crate::error::{Error, Result};
use crate::record::{Kind, Node};

/// A parsed SCIM attribute path (RFC 7644 §3.10 attribute notation, plus a
/// value filter on the multi-valued attribute like RFC 7644 §3.5.2 PATCH paths).
///
/// Attribute names are compared case-insensitively, as RFC 7643 §2.1 says.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct AttrPath {
    /// Extension schema URN; `None` for core attributes (which sit at the top level).
    schema: Option<String>,
    name: String,
    selector: Option<Selector>,
    sub: Vec<String>,
}

/// Picks one element of a multi-valued attribute: `[primary]`, `[type=work]`
/// or SCIM-filter style `[type eq "work"]`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct Selector {
    attr: String,
    /// Lower-cased, unquoted.
    value: String,
}

/// What a path points at inside one resource.
#[derive(Debug, PartialEq)]
pub(crate) enum Found<'a> {
    Absent,
    One(Node<'a>),
    /// A sub-attribute of a multi-valued attribute without selector, e.g. `emails.value`.
    Many(Vec<Node<'a>>),
}

impl AttrPath {
    pub fn parse(text: &str) -> Result<Self> {
        let invalid = |why| Error::InvalidPath {
            path: text.to_string(),
            why,
        };
        let s = text.trim();
        if s.is_empty() {
            return Err(invalid("empty"));
        }
        // Only the part before a filter can hold the schema URN; a filter value may contain ':'.
        let head_end = s.find('[').unwrap_or(s.len());
        let (schema, rest) = if s.len() > 4 && s[..4].eq_ignore_ascii_case("urn:") {
            let colon = s[..head_end]
                .rfind(':')
                .ok_or_else(|| invalid("URN without attribute"))?;
            let urn = &s[..colon];
            // A URN is at least `urn:<nid>:<nss>`.
            if urn.matches(':').count() < 2 {
                return Err(invalid("URN too short"));
            }
            // Core attributes live at the top level of a resource, so a core URN prefix is noise.
            let is_core = urn
                .to_ascii_lowercase()
                .starts_with("urn:ietf:params:scim:schemas:core:");
            ((!is_core).then(|| urn.to_string()), &s[colon + 1..])
        } else {
            (None, s)
        };

        let (name, selector, after) = match rest.find('[') {
            Some(open) => {
                let close = rest.find(']').ok_or_else(|| invalid("unclosed '['"))?;
                if close < open {
                    return Err(invalid("']' before '['"));
                }
                let sel =
                    Selector::parse(&rest[open + 1..close]).ok_or_else(|| invalid("bad filter"))?;
                (&rest[..open], Some(sel), &rest[close + 1..])
            }
            None => match rest.find('.') {
                Some(dot) => (&rest[..dot], None, &rest[dot..]),
                None => (rest, None, ""),
            },
        };
        check_name(name).ok_or_else(|| invalid("bad attribute name"))?;
        let sub = if after.is_empty() {
            Vec::new()
        } else {
            let tail = after
                .strip_prefix('.')
                .ok_or_else(|| invalid("expected '.' after filter"))?;
            tail.split('.')
                .map(|seg| check_name(seg).map(str::to_string))
                .collect::<Option<Vec<_>>>()
                .ok_or_else(|| invalid("bad sub-attribute name"))?
        };
        Ok(Self {
            schema,
            name: name.to_string(),
            selector,
            sub,
        })
    }

    /// True if this is the plain top-level core attribute `name` (no filter, no sub-attribute).
    pub fn is_simple(&self, name: &str) -> bool {
        self.schema.is_none()
            && self.selector.is_none()
            && self.sub.is_empty()
            && self.name.eq_ignore_ascii_case(name)
    }

    /// True if both paths start at the same attribute (same schema and top-level name),
    /// whatever their filters and sub-attributes: `emails` covers `emails[primary].value`.
    pub fn same_attribute(&self, other: &AttrPath) -> bool {
        self.name.eq_ignore_ascii_case(&other.name)
            && match (&self.schema, &other.schema) {
                (None, None) => true,
                (Some(a), Some(b)) => a.eq_ignore_ascii_case(b),
                _ => false,
            }
    }

    pub(crate) fn resolve<'a>(&self, resource: Node<'a>) -> Found<'a> {
        let root = match &self.schema {
            Some(urn) => match resource.get(urn) {
                Some(ext) => ext,
                None => return Found::Absent,
            },
            None => resource,
        };
        let Some(top) = root.get(&self.name) else {
            return Found::Absent;
        };
        let mut cur = match (&self.selector, top.kind()) {
            (None, _) => Found::One(top),
            (Some(sel), Kind::Array(items)) => match sel.pick(items) {
                Some(v) => Found::One(v),
                None => return Found::Absent,
            },
            // Some targets send a lone complex value where an array is expected.
            (Some(sel), Kind::Object(_)) if sel.matches(top) || sel.is_primary() => Found::One(top),
            (Some(_), _) => return Found::Absent,
        };
        for seg in &self.sub {
            cur = match cur {
                Found::One(v) => match v.items() {
                    Some(items) => Found::Many(items.filter_map(|i| i.get(seg)).collect()),
                    None => match v.get(seg) {
                        Some(x) => Found::One(x),
                        None => Found::Absent,
                    },
                },
                Found::Many(vs) => Found::Many(vs.into_iter().filter_map(|i| i.get(seg)).collect()),
                Found::Absent => Found::Absent,
            };
        }
        cur
    }
}

impl Selector {
    fn parse(text: &str) -> Option<Self> {
        let t = text.trim();
        let lower = t.to_ascii_lowercase();
        let (attr, value) = if let Some(at) = lower.find(" eq ") {
            (t[..at].trim(), t[at + 4..].trim())
        } else if let Some(at) = t.find('=') {
            (t[..at].trim(), t[at + 1..].trim())
        } else {
            // A bare name such as `primary` means "that boolean is true".
            (t, "true")
        };
        check_name(attr)?;
        let value = value.trim_matches('"').trim();
        if value.is_empty() {
            return None;
        }
        Some(Self {
            attr: attr.to_string(),
            value: value.to_lowercase(),
        })
    }

    fn is_primary(&self) -> bool {
        self.attr.eq_ignore_ascii_case("primary") && self.value == "true"
    }

    fn matches(&self, item: Node<'_>) -> bool {
        let Some(v) = item.get(&self.attr) else {
            return false;
        };
        match v.kind() {
            Kind::String(s) => {
                let s = s.trim();
                // `value` is lower-cased already; skip allocating for ASCII.
                if s.is_ascii() {
                    s.eq_ignore_ascii_case(&self.value)
                } else {
                    s.to_lowercase() == self.value
                }
            }
            Kind::Bool(b) => (if b { "true" } else { "false" }) == self.value,
            Kind::Number(n) => n.to_string() == self.value,
            _ => false,
        }
    }

    fn pick<'a>(&self, items: crate::record::Items<'a>) -> Option<Node<'a>> {
        let lone = items.len() == 1;
        let mut first = None;
        for item in items {
            if self.matches(item) {
                return Some(item);
            }
            first = first.or(Some(item));
        }
        // Several targets drop the `primary` flag when only one value exists;
        // the lone value is then the primary one by definition.
        first.filter(|_| self.is_primary() && lone)
    }
}

fn check_name(s: &str) -> Option<&str> {
    let ok = !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '$'));
    ok.then_some(s)
}

impl fmt::Display for AttrPath {
    /// Canonical SCIM notation, usable as a PATCH path: `emails[type eq "work"].value`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(urn) = &self.schema {
            write!(f, "{urn}:")?;
        }
        f.write_str(&self.name)?;
        if let Some(sel) = &self.selector {
            let bare =
                matches!(sel.value.as_str(), "true" | "false") || sel.value.parse::<f64>().is_ok();
            if bare {
                write!(f, "[{} eq {}]", sel.attr, sel.value)?;
            } else {
                write!(f, "[{} eq \"{}\"]", sel.attr, sel.value)?;
            }
        }
        for seg in &self.sub {
            write!(f, ".{seg}")?;
        }
        Ok(())
    }
}

impl FromStr for AttrPath {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        Self::parse(s)
    }
}

impl serde::Serialize for AttrPath {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for AttrPath {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Self::parse(&s).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::Record;
    use serde_json::{json, Value};

    const ENT: &str = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

    fn p(s: &str) -> AttrPath {
        AttrPath::parse(s).unwrap()
    }

    #[test]
    fn parses_and_prints_canonical_forms() {
        assert_eq!(p("userName").to_string(), "userName");
        assert_eq!(p("name.givenName").to_string(), "name.givenName");
        assert_eq!(
            p("emails[primary].value").to_string(),
            "emails[primary eq true].value"
        );
        assert_eq!(
            p("emails[type=Work].value").to_string(),
            "emails[type eq \"work\"].value"
        );
        assert_eq!(
            p(r#"emails[type eq "work"].value"#),
            p("emails[type=work].value")
        );
        let dept = p(&format!("{ENT}:department"));
        assert_eq!(dept.to_string(), format!("{ENT}:department"));
        assert_eq!(
            p(&format!("{ENT}:manager.value")).to_string(),
            format!("{ENT}:manager.value")
        );
    }

    #[test]
    fn core_urn_prefix_is_dropped() {
        assert_eq!(
            p("urn:ietf:params:scim:schemas:core:2.0:User:userName"),
            p("userName")
        );
    }

    #[test]
    fn rejects_malformed_paths() {
        for bad in [
            "",
            "  ",
            "emails[primary",
            "emails]x[",
            "a..b",
            "name.",
            "emails[primary]value",
            "em ails",
            "urn:x",
        ] {
            assert!(AttrPath::parse(bad).is_err(), "{bad:?} should be rejected");
        }
    }

    #[test]
    fn serde_round_trips_through_the_string_form() {
        let path = p("emails[type=work].value");
        let json = serde_json::to_string(&path).unwrap();
        assert_eq!(serde_json::from_str::<AttrPath>(&json).unwrap(), path);
        assert!(serde_json::from_str::<AttrPath>("\"a[\"").is_err());
    }

    /// What `path` finds in `resource`, unpacked: `Many` as an array, `Absent` as `None`.
    fn found(path: &str, resource: &Record) -> Option<Value> {
        match p(path).resolve(resource.node()) {
            Found::Absent => None,
            Found::One(v) => Some(v.to_value()),
            Found::Many(vs) => Some(Value::Array(vs.into_iter().map(|v| v.to_value()).collect())),
        }
    }

    #[test]
    fn resolves_selectors_sub_attributes_and_extensions() {
        let user = Record::from(json!({
            "UserName": "Ann",
            "name": {"givenName": "Ann"},
            "emails": [
                {"value": "home@x", "type": "home"},
                {"value": "work@x", "type": "Work", "primary": true}
            ],
            ENT: {"department": "R&D"}
        }));
        assert_eq!(found("userName", &user), Some(json!("Ann")));
        assert_eq!(found("name.givenName", &user), Some(json!("Ann")));
        assert_eq!(found("emails[primary].value", &user), Some(json!("work@x")));
        assert_eq!(
            found("emails[type=work].value", &user),
            Some(json!("work@x"))
        );
        assert_eq!(found("emails[type=other].value", &user), None);
        assert_eq!(
            found("emails.value", &user),
            Some(json!(["home@x", "work@x"]))
        );
        assert!(matches!(p("emails.value").resolve(user.node()), Found::Many(v) if v.len() == 2));
        assert_eq!(
            found(&format!("{ENT}:department"), &user),
            Some(json!("R&D"))
        );
        assert_eq!(found("title", &user), None);
    }

    #[test]
    fn selectors_read_lone_objects_numbers_and_booleans() {
        let lone = Record::from(json!({"emails": {"value": "a@x", "type": "work"}}));
        assert_eq!(found("emails[type=work].value", &lone), Some(json!("a@x")));
        assert_eq!(found("emails[primary].value", &lone), Some(json!("a@x")));
        assert_eq!(found("emails[type=home].value", &lone), None);
        let numbered = Record::from(json!({"x": [{"n": 1, "v": "one"}, {"n": 2, "v": "two"}]}));
        assert_eq!(found("x[n=2].v", &numbered), Some(json!("two")));
        assert_eq!(found("x[n eq 3].v", &numbered), None);
        let scalar = Record::from(json!({"emails": "a@x"}));
        assert_eq!(found("emails[primary].value", &scalar), None);
    }

    #[test]
    fn primary_selector_falls_back_to_a_lone_value_only() {
        let one = Record::from(json!({"emails": [{"value": "a@x"}]}));
        let two = Record::from(json!({"emails": [{"value": "a@x"}, {"value": "b@x"}]}));
        let flagged_string = Record::from(
            json!({"emails": [{"value": "a@x"}, {"value": "b@x", "primary": "true"}]}),
        );
        let path = "emails[primary].value";
        assert_eq!(found(path, &one), Some(json!("a@x")));
        assert_eq!(found(path, &two), None);
        assert_eq!(found(path, &flagged_string), Some(json!("b@x")));
    }

    #[test]
    fn same_attribute_ignores_filters_and_case() {
        assert!(p("emails").same_attribute(&p("Emails[primary].value")));
        assert!(!p("emails").same_attribute(&p("userName")));
        assert!(!p(&format!("{ENT}:department")).same_attribute(&p("department")));
        assert!(p("Active").is_simple("active"));
        assert!(!p("name.givenName").is_simple("name"));
    }
}
