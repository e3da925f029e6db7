//! SCIM filter grammar (RFC 7644 §3.4.2.2): parser and evaluator over `serde_json::Value`.
//!
//! Also parses PATCH paths (`attr`, `attr.sub`, `attr[filter]`, `attr[filter].sub`), which share
//! the attribute-path and value-filter syntax.

use serde_json::Value;

use super::json::{get_ci, is_case_exact};

mod parse;
#[cfg(test)]
mod tests;

/// A parsed filter expression.
#[derive(Debug, Clone, PartialEq)]
pub enum Filter {
    And(Box<Filter>, Box<Filter>),
    Or(Box<Filter>, Box<Filter>),
    Not(Box<Filter>),
    Compare {
        path: AttrPath,
        op: CompareOp,
        value: Value,
    },
    Present(AttrPath),
    /// `attr[filter]`: true when some value of the multi-valued `attr` matches `filter`.
    ValuePath {
        path: AttrPath,
        filter: Box<Filter>,
    },
}

/// `[schemaURN:]name[.sub]`
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttrPath {
    /// Extension schema URN; `None` for core attributes (core URNs are folded into `None`).
    pub schema: Option<String>,
    pub names: Vec<String>,
}

/// The client's operator set is the grammar's; the simulator parses and evaluates it.
pub use scim::CompareOp;

/// A PATCH `path`: `attr[.sub]` or `attr[filter][.sub]`.
#[derive(Debug, Clone, PartialEq)]
pub struct PatchPath {
    pub attr: AttrPath,
    pub filter: Option<Filter>,
    /// Sub-attribute after a value filter (`emails[type eq "work"].value`).
    pub sub: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct FilterError(pub String);

const CORE_URNS: [&str; 2] = [
    "urn:ietf:params:scim:schemas:core:2.0:User",
    "urn:ietf:params:scim:schemas:core:2.0:Group",
];

impl AttrPath {
    pub fn parse(text: &str) -> Result<Self, FilterError> {
        if text.is_empty() {
            return Err(FilterError("empty attribute path".into()));
        }
        let (schema, rest) = if text.len() > 4 && text[..4].eq_ignore_ascii_case("urn:") {
            let cut = text
                .rfind(':')
                .ok_or_else(|| FilterError(format!("bad attribute path {text}")))?;
            let urn = &text[..cut];
            let schema = if CORE_URNS.iter().any(|c| c.eq_ignore_ascii_case(urn)) {
                None
            } else {
                Some(urn.to_string())
            };
            (schema, &text[cut + 1..])
        } else {
            (None, text)
        };
        let names: Vec<String> = rest.split('.').map(str::to_string).collect();
        let valid = |n: &String| {
            !n.is_empty()
                && n.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '$')
        };
        if names.is_empty() || names.len() > 2 || !names.iter().all(valid) {
            return Err(FilterError(format!("bad attribute path {text}")));
        }
        Ok(AttrPath { schema, names })
    }

    /// Lower-case dotted form without schema, for dialect allow-lists (`name.familyname`).
    pub fn key(&self) -> String {
        self.names.join(".").to_ascii_lowercase()
    }
}

impl Filter {
    pub fn parse(text: &str) -> Result<Self, FilterError> {
        parse::filter(text)
    }

    /// Does `resource` (or a multi-valued element, inside a value path) match?
    pub fn matches(&self, resource: &Value) -> Result<bool, FilterError> {
        match self {
            Filter::And(a, b) => Ok(a.matches(resource)? && b.matches(resource)?),
            Filter::Or(a, b) => Ok(a.matches(resource)? || b.matches(resource)?),
            Filter::Not(f) => Ok(!f.matches(resource)?),
            Filter::Present(path) => Ok(resolve(resource, path).iter().any(|v| is_present(v))),
            Filter::ValuePath { path, filter } => {
                for element in resolve_elements(resource, path) {
                    if filter.matches(element)? {
                        return Ok(true);
                    }
                }
                Ok(false)
            }
            Filter::Compare { path, op, value } => {
                let exact = is_case_exact(path.names.last().map(String::as_str).unwrap_or(""));
                let found = resolve(resource, path);
                if value.is_null() {
                    let present = found.iter().any(|v| is_present(v));
                    return match op {
                        CompareOp::Eq => Ok(!present),
                        CompareOp::Ne => Ok(present),
                        _ => Err(FilterError("null only compares with eq/ne".into())),
                    };
                }
                if *op == CompareOp::Ne {
                    // `ne` holds when no value equals the operand (absent counts as not equal).
                    for v in &found {
                        if compare(v, CompareOp::Eq, value, exact)? {
                            return Ok(false);
                        }
                    }
                    return Ok(true);
                }
                for v in &found {
                    if compare(v, *op, value, exact)? {
                        return Ok(true);
                    }
                }
                Ok(false)
            }
        }
    }

    /// Flatten a chain of `and` into its operands (for dialects that only allow `and`).
    pub fn and_terms(&self) -> Vec<&Filter> {
        match self {
            Filter::And(a, b) => {
                let mut v = a.and_terms();
                v.extend(b.and_terms());
                v
            }
            other => vec![other],
        }
    }
}

impl PatchPath {
    pub fn parse(text: &str) -> Result<Self, FilterError> {
        let Some(open) = text.find('[') else {
            return Ok(PatchPath {
                attr: AttrPath::parse(text.trim())?,
                filter: None,
                sub: None,
            });
        };
        let close = text
            .rfind(']')
            .ok_or_else(|| FilterError(format!("unclosed '[' in path {text}")))?;
        if close < open {
            return Err(FilterError(format!("bad path {text}")));
        }
        let attr = AttrPath::parse(text[..open].trim())?;
        if attr.names.len() != 1 {
            return Err(FilterError(format!(
                "value filter on a sub-attribute: {text}"
            )));
        }
        let filter = Filter::parse(&text[open + 1..close])?;
        let rest = text[close + 1..].trim();
        let sub = if rest.is_empty() {
            None
        } else {
            let name = rest
                .strip_prefix('.')
                .ok_or_else(|| FilterError(format!("bad text after ']' in {text}")))?;
            if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '$') {
                return Err(FilterError(format!("bad sub-attribute in {text}")));
            }
            Some(name.to_string())
        };
        Ok(PatchPath {
            attr,
            filter: Some(filter),
            sub,
        })
    }
}

fn is_present(v: &Value) -> bool {
    match v {
        Value::Null => false,
        Value::String(s) => !s.is_empty(),
        Value::Array(a) => !a.is_empty(),
        Value::Object(o) => !o.is_empty(),
        _ => true,
    }
}

/// The container that holds `path`'s first name: the resource itself or an extension object.
fn container<'a>(resource: &'a Value, path: &AttrPath) -> Option<&'a Value> {
    match &path.schema {
        None => Some(resource),
        Some(urn) => get_ci(resource, urn),
    }
}

/// Values of a multi-valued or complex attribute, as elements (for `attr[filter]`).
fn resolve_elements<'a>(resource: &'a Value, path: &AttrPath) -> Vec<&'a Value> {
    let Some(mut cur) = container(resource, path) else {
        return Vec::new();
    };
    for name in &path.names {
        match get_ci(cur, name) {
            Some(v) => cur = v,
            None => return Vec::new(),
        }
    }
    match cur {
        Value::Array(items) => items.iter().collect(),
        Value::Null => Vec::new(),
        other => vec![other],
    }
}

/// Scalar values at `path`, flattening multi-valued attributes. A complex value compared
/// without a sub-attribute compares on its `value` (RFC 7644 §3.4.2.2, e.g. `members eq "id"`).
fn resolve<'a>(resource: &'a Value, path: &AttrPath) -> Vec<&'a Value> {
    let Some(root) = container(resource, path) else {
        return Vec::new();
    };
    let mut current = vec![root];
    for name in &path.names {
        let mut next = Vec::new();
        for v in current {
            match v {
                Value::Array(items) => {
                    next.extend(items.iter().filter_map(|i| get_ci(i, name)));
                }
                other => next.extend(get_ci(other, name)),
            }
        }
        current = next;
    }
    let mut out = Vec::new();
    for v in current {
        match v {
            Value::Array(items) => out.extend(items.iter()),
            other => out.push(other),
        }
    }
    out.into_iter()
        .filter_map(|v| match v {
            Value::Object(_) => get_ci(v, "value"),
            other => Some(other),
        })
        .collect()
}

fn compare(
    found: &Value,
    op: CompareOp,
    operand: &Value,
    exact: bool,
) -> Result<bool, FilterError> {
    match (found, operand) {
        (Value::String(a), Value::String(b)) => {
            let (a, b) = if exact {
                (a.clone(), b.clone())
            } else {
                (a.to_lowercase(), b.to_lowercase())
            };
            Ok(match op {
                CompareOp::Eq => a == b,
                CompareOp::Ne => a != b,
                CompareOp::Co => a.contains(&b),
                CompareOp::Sw => a.starts_with(&b),
                CompareOp::Ew => a.ends_with(&b),
                CompareOp::Gt => a > b,
                CompareOp::Ge => a >= b,
                CompareOp::Lt => a < b,
                CompareOp::Le => a <= b,
            })
        }
        (Value::Number(a), Value::Number(b)) => {
            let (a, b) = (a.as_f64().unwrap_or(0.0), b.as_f64().unwrap_or(0.0));
            match op {
                CompareOp::Eq => Ok(a == b),
                CompareOp::Ne => Ok(a != b),
                CompareOp::Gt => Ok(a > b),
                CompareOp::Ge => Ok(a >= b),
                CompareOp::Lt => Ok(a < b),
                CompareOp::Le => Ok(a <= b),
                _ => Err(FilterError("co/sw/ew need a string operand".into())),
            }
        }
        (Value::Bool(a), Value::Bool(b)) => match op {
            CompareOp::Eq => Ok(a == b),
            CompareOp::Ne => Ok(a != b),
            _ => Err(FilterError("booleans only compare with eq/ne".into())),
        },
        (_, Value::Bool(_)) if !matches!(op, CompareOp::Eq | CompareOp::Ne) => {
            Err(FilterError("booleans only compare with eq/ne".into()))
        }
        _ => Ok(false),
    }
}
