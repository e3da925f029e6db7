//! SCIM filter expressions (RFC 7644 §3.4.2.2), built as a tree and rendered
//! to a string, so values are always quoted and escaped correctly.
//!
//! Restricted targets (AWS: `eq` joined by `and`) only need [`Filter::eq`] and
//! [`Filter::and`]; the rest of the grammar is for generic servers.

use std::fmt;

use serde_json::Value;

use crate::error::{Error, Result};

/// Comparison operators of the filter grammar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CompareOp {
    Eq,
    Ne,
    Co,
    Sw,
    Ew,
    Gt,
    Ge,
    Lt,
    Le,
}

impl CompareOp {
    fn as_str(self) -> &'static str {
        match self {
            Self::Eq => "eq",
            Self::Ne => "ne",
            Self::Co => "co",
            Self::Sw => "sw",
            Self::Ew => "ew",
            Self::Gt => "gt",
            Self::Ge => "ge",
            Self::Lt => "lt",
            Self::Le => "le",
        }
    }
}

/// A filter expression tree.
#[derive(Debug, Clone, PartialEq)]
pub enum Filter {
    /// `attrPath op compValue`; the value is any JSON scalar.
    Compare {
        path: String,
        op: CompareOp,
        value: Value,
    },
    /// `attrPath pr`
    Present(String),
    And(Box<Filter>, Box<Filter>),
    Or(Box<Filter>, Box<Filter>),
    /// Rendered as `not (f)`: the grammar requires the parentheses.
    Not(Box<Filter>),
    /// `attr[filter]`, e.g. `emails[type eq "work"]`.
    ValuePath {
        attr: String,
        filter: Box<Filter>,
    },
}

impl Filter {
    pub fn compare(path: impl Into<String>, op: CompareOp, value: impl Into<Value>) -> Self {
        Self::Compare {
            path: path.into(),
            op,
            value: value.into(),
        }
    }

    pub fn eq(path: impl Into<String>, value: impl Into<Value>) -> Self {
        Self::compare(path, CompareOp::Eq, value)
    }
    pub fn ne(path: impl Into<String>, value: impl Into<Value>) -> Self {
        Self::compare(path, CompareOp::Ne, value)
    }
    pub fn co(path: impl Into<String>, value: impl Into<Value>) -> Self {
        Self::compare(path, CompareOp::Co, value)
    }
    pub fn sw(path: impl Into<String>, value: impl Into<Value>) -> Self {
        Self::compare(path, CompareOp::Sw, value)
    }
    pub fn ew(path: impl Into<String>, value: impl Into<Value>) -> Self {
        Self::compare(path, CompareOp::Ew, value)
    }
    pub fn gt(path: impl Into<String>, value: impl Into<Value>) -> Self {
        Self::compare(path, CompareOp::Gt, value)
    }
    pub fn ge(path: impl Into<String>, value: impl Into<Value>) -> Self {
        Self::compare(path, CompareOp::Ge, value)
    }
    pub fn lt(path: impl Into<String>, value: impl Into<Value>) -> Self {
        Self::compare(path, CompareOp::Lt, value)
    }
    pub fn le(path: impl Into<String>, value: impl Into<Value>) -> Self {
        Self::compare(path, CompareOp::Le, value)
    }
    pub fn present(path: impl Into<String>) -> Self {
        Self::Present(path.into())
    }
    pub fn value_path(attr: impl Into<String>, filter: Filter) -> Self {
        Self::ValuePath {
            attr: attr.into(),
            filter: Box::new(filter),
        }
    }

    #[allow(clippy::should_implement_trait)] // `not` reads better than `!` in filter code
    pub fn not(self) -> Self {
        Self::Not(Box::new(self))
    }
    pub fn and(self, other: Filter) -> Self {
        Self::And(Box::new(self), Box::new(other))
    }
    pub fn or(self, other: Filter) -> Self {
        Self::Or(Box::new(self), Box::new(other))
    }

    /// Joins filters with `and`; `None` when the iterator is empty.
    pub fn all(filters: impl IntoIterator<Item = Filter>) -> Option<Self> {
        filters.into_iter().reduce(Filter::and)
    }

    /// Checks attribute paths and values before the filter goes on the wire,
    /// so a bad name fails here rather than as a vague 400 from the server.
    pub fn validate(&self) -> Result<()> {
        match self {
            Self::Compare { path, value, .. } => {
                check_path(path)?;
                if value.is_array() || value.is_object() {
                    return Err(Error::InvalidFilter {
                        reason: format!(
                            "value for `{path}` must be a string, number, boolean or null"
                        ),
                    });
                }
                Ok(())
            }
            Self::Present(path) => check_path(path),
            Self::And(a, b) | Self::Or(a, b) => {
                a.validate()?;
                b.validate()
            }
            Self::Not(f) => f.validate(),
            Self::ValuePath { attr, filter } => {
                check_path(attr)?;
                filter.validate()
            }
        }
    }

    fn precedence(&self) -> u8 {
        match self {
            Self::Or(..) => 1,
            Self::And(..) => 2,
            _ => 3,
        }
    }

    fn fmt_child(&self, child: &Filter, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if child.precedence() < self.precedence() {
            write!(f, "({child})")
        } else {
            write!(f, "{child}")
        }
    }
}

impl fmt::Display for Filter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            // serde_json renders a JSON string literal: exactly the compValue
            // grammar (RFC 7159 string), escaping `"`, `\` and control characters.
            Self::Compare { path, op, value } => write!(f, "{path} {} {value}", op.as_str()),
            Self::Present(path) => write!(f, "{path} pr"),
            Self::And(a, b) => {
                self.fmt_child(a, f)?;
                f.write_str(" and ")?;
                self.fmt_child(b, f)
            }
            Self::Or(a, b) => {
                self.fmt_child(a, f)?;
                f.write_str(" or ")?;
                self.fmt_child(b, f)
            }
            Self::Not(inner) => write!(f, "not ({inner})"),
            Self::ValuePath { attr, filter } => write!(f, "{attr}[{filter}]"),
        }
    }
}

/// attrPath = [URI ":"] ATTRNAME *1subAttr. URNs contain `:` and `.`, so we
/// accept those plus the nameChar set; anything else (spaces, quotes,
/// brackets) would change the meaning of the filter.
fn check_path(path: &str) -> Result<()> {
    let ok = !path.is_empty()
        && path
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '$')
        && path
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '$' | ':' | '.'));
    if ok {
        Ok(())
    } else {
        Err(Error::InvalidFilter {
            reason: format!("`{path}` is not a valid attribute path"),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn eq_quotes_strings() {
        assert_eq!(
            Filter::eq("userName", "bjensen").to_string(),
            r#"userName eq "bjensen""#
        );
    }

    #[test]
    fn escapes_quote_and_backslash() {
        let f = Filter::eq("displayName", r#"Ops "A" \ B"#);
        assert_eq!(f.to_string(), r#"displayName eq "Ops \"A\" \\ B""#);
    }

    #[test]
    fn escapes_control_characters() {
        let f = Filter::eq("displayName", "a\nb\tc");
        assert_eq!(f.to_string(), r#"displayName eq "a\nb\tc""#);
    }

    #[test]
    fn non_string_values_are_bare() {
        assert_eq!(Filter::eq("active", true).to_string(), "active eq true");
        assert_eq!(
            Filter::gt("meta.version", 3).to_string(),
            "meta.version gt 3"
        );
        assert_eq!(
            Filter::eq("title", Value::Null).to_string(),
            "title eq null"
        );
    }

    #[test]
    fn and_chain_has_no_parentheses() {
        let f = Filter::eq("id", "g1").and(Filter::eq("members", "u1"));
        assert_eq!(f.to_string(), r#"id eq "g1" and members eq "u1""#);
    }

    #[test]
    fn or_inside_and_is_grouped() {
        let f = Filter::eq("a", "1")
            .or(Filter::eq("b", "2"))
            .and(Filter::present("c"));
        assert_eq!(f.to_string(), r#"(a eq "1" or b eq "2") and c pr"#);
        let g = Filter::present("c").or(Filter::eq("a", "1").and(Filter::eq("b", "2")));
        assert_eq!(g.to_string(), r#"c pr or a eq "1" and b eq "2""#);
    }

    #[test]
    fn not_and_value_path() {
        let f = Filter::value_path(
            "emails",
            Filter::eq("type", "work").and(Filter::co("value", "@x.org")),
        )
        .and(Filter::sw("userName", "j").not());
        assert_eq!(
            f.to_string(),
            r#"emails[type eq "work" and value co "@x.org"] and not (userName sw "j")"#
        );
    }

    #[test]
    fn all_operators_render() {
        let ops = [
            (Filter::ne("a", "x"), "ne"),
            (Filter::ew("a", "x"), "ew"),
            (Filter::ge("a", "x"), "ge"),
            (Filter::lt("a", "x"), "lt"),
            (Filter::le("a", "x"), "le"),
        ];
        for (f, op) in ops {
            assert_eq!(f.to_string(), format!(r#"a {op} "x""#));
        }
    }

    #[test]
    fn all_joins_with_and() {
        assert!(Filter::all(Vec::new()).is_none());
        let f = Filter::all([
            Filter::eq("a", "1"),
            Filter::eq("b", "2"),
            Filter::eq("c", "3"),
        ])
        .unwrap();
        assert_eq!(f.to_string(), r#"a eq "1" and b eq "2" and c eq "3""#);
    }

    #[test]
    fn validate_rejects_injection_in_paths_and_composite_values() {
        assert!(Filter::eq("userName", "x").validate().is_ok());
        assert!(Filter::eq(
            "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber",
            "1"
        )
        .validate()
        .is_ok());
        assert!(Filter::eq(r#"userName eq "x" or id"#, "y")
            .validate()
            .is_err());
        assert!(Filter::eq("emails", serde_json::json!(["a"]))
            .validate()
            .is_err());
        assert!(Filter::present("").validate().is_err());
    }
}
